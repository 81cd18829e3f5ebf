/**
 * Tracking plans, compiled: a plan's JSON Schemas (draft 2020-12) compiled once per plan
 * version with ajv, and one function that checks one event against them and says what is
 * wrong in terms people act on: the kind (unplanned event, missing required, wrong type,
 * unplanned property, other), the path in the event and the schema rule.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { z } from 'zod';

const ZSchema = z.record(z.string(), z.unknown());

export const ZPlanRules = z.object({
  events: z.array(z.object({ name: z.string().trim().min(1).max(512), schema: ZSchema })).max(2000).default([]),
  identify: ZSchema.optional(),
  group: ZSchema.optional(),
  common: ZSchema.optional(),
});
export type TPlanRules = z.infer<typeof ZPlanRules>;

export type TViolationKind = 'unplanned_event' | 'missing_required' | 'wrong_type' | 'unplanned_property' | 'other';

export interface TViolation {
  kind: TViolationKind;
  /** Where in the event, as a dot path (`properties.total`); the event itself for an unplanned event. */
  path: string;
  /** The schema rule that failed (`#/properties/total/type`), or `events` for an unplanned event. */
  rule: string;
  message: string;
}

export interface TPlanCheck {
  /** False for a track event whose name the plan does not list. */
  isPlanned: boolean;
  violations: TViolation[];
}

export interface TCompiledPlan {
  id: string;
  version: number;
  check: (event: { type: string; name: string | null; payload: Record<string, unknown> }) => TPlanCheck;
}

/** Thrown when a rule's schema does not compile; `rule` names it (`events.3.schema`, `identify`). */
export class PlanSchemaError extends Error {
  constructor(readonly rule: string, message: string) {
    super(`${rule}: ${message}`);
    this.name = 'PlanSchemaError';
  }
}

function kindOf(error: ErrorObject): TViolationKind {
  switch (error.keyword) {
    case 'required': return 'missing_required';
    case 'type': return 'wrong_type';
    case 'additionalProperties':
    case 'unevaluatedProperties': return 'unplanned_property';
    default: return 'other';
  }
}

/** `/a/0/b` under `properties` → `properties.a.0.b`; plus the offending key for required/additional. */
function pathOf(root: string, error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as { missingProperty?: string; additionalProperty?: string; unevaluatedProperty?: string };
  const extra = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty;
  return [root, ...segments, ...(extra !== undefined ? [extra] : [])].filter(Boolean).join('.');
}

function toViolations(root: string, errors: ErrorObject[] | null | undefined): TViolation[] {
  return (errors ?? []).map((error) => {
    const kind = kindOf(error);
    const path = pathOf(root, error);
    const where = path || 'the event';
    const message = kind === 'missing_required' ? `${where} is required` : kind === 'unplanned_property' ? `${where} is not in the plan` : `${where} ${error.message ?? 'is invalid'}`;
    return { kind, path, rule: error.schemaPath, message };
  });
}

export function compilePlan(plan: { id: string; version: number; rules: unknown }): TCompiledPlan {
  const rules = ZPlanRules.parse(plan.rules);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const compile = (rule: string, schema: Record<string, unknown>): ValidateFunction => {
    try {
      return ajv.compile(schema);
    } catch (error) {
      throw new PlanSchemaError(rule, (error as Error).message);
    }
  };
  const events = new Map<string, ValidateFunction>();
  rules.events.forEach((event, i) => events.set(event.name, compile(`events.${i}.schema`, event.schema)));
  const identify = rules.identify ? compile('identify', rules.identify) : null;
  const group = rules.group ? compile('group', rules.group) : null;
  const common = rules.common ? compile('common', rules.common) : null;

  return {
    id: plan.id,
    version: plan.version,
    check: ({ type, name, payload }) => {
      const violations: TViolation[] = [];
      if (common && !common(payload)) violations.push(...toViolations('', common.errors));
      if (type === 'track') {
        const validate = name === null ? undefined : events.get(name);
        if (!validate) return { isPlanned: false, violations: [{ kind: 'unplanned_event', path: 'event', rule: 'events', message: `“${name}” is not in the tracking plan` }, ...violations] };
        if (!validate(payload.properties ?? {})) violations.push(...toViolations('properties', validate.errors));
      } else if ((type === 'identify' && identify) || (type === 'group' && group)) {
        const validate = (type === 'identify' ? identify : group)!;
        if (!validate(payload.traits ?? {})) violations.push(...toViolations('traits', validate.errors));
      }
      return { isPlanned: true, violations };
    },
  };
}

/** A copy of the event without the properties/traits that violations point at (for "omit"). */
export function omitOffending(payload: Record<string, unknown>, violations: TViolation[]): Record<string, unknown> {
  let next = payload;
  for (const violation of violations) {
    if (violation.kind === 'missing_required' || violation.kind === 'unplanned_event') continue;
    const segments = violation.path.split('.');
    if (segments.length < 2 || (segments[0] !== 'properties' && segments[0] !== 'traits')) continue;
    next = withoutPath(next, segments);
  }
  return next;
}

function withoutPath(node: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  if (!(head in node)) return node;
  if (rest.length === 0) {
    const { [head]: _gone, ...others } = node;
    return others;
  }
  const child = node[head];
  if (typeof child !== 'object' || child === null || Array.isArray(child)) return node;
  const next = withoutPath(child as Record<string, unknown>, rest);
  return next === child ? node : { ...node, [head]: next };
}
