import { z } from 'zod';

/** The longest name people give to a source, destination, workspace or token. */
export const NAME_MAX = 80;

/**
 * A name people give to a source, destination, workspace or token. Too long is refused with
 * the length, never cut (a pasted 440-character name is not silently shortened mid-word).
 */
export const ZName = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(NAME_MAX, { error: (issue) => `Use at most ${NAME_MAX} characters; this name has ${String(issue.input).length}.` });
