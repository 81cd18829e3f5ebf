/**
 * The catalog as the browser and GET /api/v1/destination-types see it: each type's
 * metadata and its settings schema as JSON Schema (field titles, help, defaults, which
 * fields are secret `x-secret`, which are advanced `x-advanced`, region → endpoint).
 */
import { z } from 'zod';
import { listDestinationTypes } from './registry.ts';
import { CALL_TYPES, CATEGORIES, type TAnyDestinationType } from './types.ts';

export const ZDestinationTypeView = z.object({
  type: z.string(),
  name: z.string(),
  category: z.enum(CATEGORIES),
  logo: z.string().describe('Path of an SVG logo under the site root'),
  description: z.string(),
  about: z.string(),
  supports: z.array(z.enum(CALL_TYPES)),
  docsUrl: z.string().nullable(),
  regions: z.record(z.string(), z.string()).nullable().describe('Region value → the endpoint it sets'),
  settingsSchema: z.record(z.string(), z.unknown()).describe('The settings as JSON Schema (draft 2020-12); x-secret fields are stored encrypted and returned masked'),
});

export type TDestinationTypeView = z.infer<typeof ZDestinationTypeView>;

const cache = new Map<string, TDestinationTypeView>();

/**
 * The settings as JSON Schema for what a person sends (io: input), with each field's
 * default stated even where zod leaves it out (a default over a transform, as `endpoint`).
 */
function settingsJsonSchema(settings: z.ZodObject): Record<string, unknown> {
  const schema = z.toJSONSchema(settings, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Record<string, unknown>> };
  for (const [name, field] of Object.entries(settings.shape)) {
    const def = (field as z.ZodType)._zod.def as { type: string; defaultValue?: unknown };
    const property = schema.properties?.[name];
    if (def.type === 'default' && property && property.default === undefined) property.default = def.defaultValue;
  }
  return schema;
}

export function describeType(def: TAnyDestinationType): TDestinationTypeView {
  let view = cache.get(def.type);
  if (!view) {
    view = {
      type: def.type,
      name: def.name,
      category: def.category,
      logo: def.logo,
      description: def.description,
      about: def.about,
      supports: [...def.supports],
      docsUrl: def.docsUrl ?? null,
      regions: def.regions ?? null,
      settingsSchema: settingsJsonSchema(def.settings),
    };
    cache.set(def.type, view);
  }
  return view;
}

export function describeCatalog(): TDestinationTypeView[] {
  return listDestinationTypes().map(describeType);
}
