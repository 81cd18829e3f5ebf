/**
 * Stable ids for form fields. Evergreen numbers its generated ids with a module counter,
 * which differs between the server render and the browser; React's useId does not.
 */
import { useId } from 'react';

export function useFieldId(): (name: string) => string {
  const base = useId();
  return (name) => `${base}${name}`;
}
