/**
 * The generic settings store for types described by a settings schema: fields marked
 * `x-secret` go into the encrypted envelope and come back masked; the others are plain
 * JSON. On update, a secret left out, null or empty keeps its stored value; a region
 * change moves `endpoint` to that region's host unless an endpoint is given too.
 */
import { z } from 'zod';
import { mask } from '../../crypto/secret-box.ts';
import { AppError } from '../../errors/app-error.ts';
import type { TFieldMeta, TSettingsStorage } from './types.ts';

export function fieldMeta(schema: z.ZodType): TFieldMeta | undefined {
  return z.globalRegistry.get(schema) as TFieldMeta | undefined;
}

export function secretFields(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape).filter(([, field]) => fieldMeta(field as z.ZodType)?.['x-secret']).map(([name]) => name);
}

/** zod issues as `settings.<field>` → message, the shape forms and the REST API show next to fields. */
export function settingsIssues(error: z.ZodError, prefix = 'settings'): Record<string, string> {
  const issues: Record<string, string> = {};
  for (const issue of error.issues) issues[[prefix, ...issue.path].join('.')] ??= issue.message;
  return issues;
}

export function invalidSettings(typeName: string, issues: Record<string, string>): AppError {
  return new AppError('BAD_REQUEST', `Invalid ${typeName} settings: ${Object.entries(issues).map(([k, v]) => `${k} ${v}`).join('; ')}`, { issues });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function schemaStorage<S extends z.ZodObject>(typeName: string, schema: S, regions?: Record<string, string>): TSettingsStorage<z.output<S>> {
  const secrets = new Set(secretFields(schema));
  const parse = (value: unknown): z.output<S> => {
    const result = schema.safeParse(value);
    if (!result.success) throw invalidSettings(typeName, settingsIssues(result.error));
    return result.data;
  };
  return {
    build(input, previous) {
      if (input !== undefined && !isObject(input)) throw invalidSettings(typeName, { settings: 'must be an object' });
      const given: Record<string, unknown> = { ...(input ?? {}) };
      const before = previous ? { ...(previous.settings as object), ...(previous.secrets as object) } as Record<string, unknown> : {};
      for (const name of secrets) {
        if ((given[name] === null || given[name] === '' || given[name] === undefined) && name in before) given[name] = before[name];
        else if (given[name] === null) delete given[name];
      }
      const merged: Record<string, unknown> = { ...before, ...given };
      if (regions && typeof merged.region === 'string' && given.endpoint === undefined && (!previous || given.region !== undefined)) {
        const host = regions[merged.region];
        if (host && (!previous || before.region !== merged.region || before.endpoint === undefined)) merged.endpoint = host;
      }
      const parsed = parse(merged) as Record<string, unknown>;
      const plain: Record<string, unknown> = {};
      const sealed: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(parsed)) (secrets.has(name) ? sealed : plain)[name] = value;
      return { settings: plain, secrets: sealed };
    },
    view(settings, stored) {
      const view: Record<string, unknown> = { ...(settings as object) };
      for (const [name, value] of Object.entries((stored ?? {}) as Record<string, unknown>)) {
        if (typeof value === 'string' && value !== '') view[name] = mask(value);
      }
      return view;
    },
    resolve(settings, stored) {
      return parse({ ...(settings as object), ...(stored as object) });
    },
    endpointOf(settings) {
      const endpoint = (settings as { endpoint?: unknown }).endpoint;
      return typeof endpoint === 'string' ? endpoint : '';
    },
  };
}
