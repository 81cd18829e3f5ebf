/** Declares a partner type from its settings schema: the generic store keeps its secrets. */
import type { z } from 'zod';
import { schemaStorage } from './settings-store.ts';
import type { TDestinationTypeDef } from './types.ts';

export function definePartner<S extends z.ZodObject>(def: Omit<TDestinationTypeDef<z.output<S>>, 'settings' | 'storage'> & { settings: S }): TDestinationTypeDef<z.output<S>> {
  return { ...def, storage: schemaStorage(def.name, def.settings, def.regions) };
}
