/**
 * Drafting a plan from real traffic: the event names a source sent in the last days, and for
 * each the properties seen with their JSON types, a property being required when every
 * event of that name had it; identify and group traits the same way. A draft for a person to
 * edit and save, not a plan by itself (nothing is stored).
 */
import type { Db } from '../db/client.ts';
import { notFound } from '../errors/app-error.ts';
import type { TPlanRules } from './validate.ts';

export const DRAFT_EVENTS = 10_000;

type TJsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

function typeOf(value: unknown): TJsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean' || typeof value === 'string') return typeof value as TJsonType;
  return 'object';
}

class ObjectShape {
  count = 0;
  readonly fields = new Map<string, { seen: number; types: Set<TJsonType> }>();

  add(value: unknown): void {
    this.count++;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    for (const [key, field] of Object.entries(value)) {
      const entry = this.fields.get(key) ?? { seen: 0, types: new Set<TJsonType>() };
      entry.seen++;
      entry.types.add(typeOf(field));
      this.fields.set(key, entry);
    }
  }

  schema(): Record<string, unknown> {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const [key, { seen, types }] of [...this.fields.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (types.has('integer') && types.has('number')) types.delete('integer');
      const list = [...types].sort();
      properties[key] = { type: list.length === 1 ? list[0] : list };
      if (seen === this.count) required.push(key);
    }
    return { type: 'object', properties, ...(required.length ? { required } : {}) };
  }
}

/** Pure: rules inferred from events (newest first or any order). */
export function inferRules(events: Array<{ type: string; name: string | null; payload: Record<string, unknown> }>): TPlanRules {
  const tracks = new Map<string, ObjectShape>();
  const identify = new ObjectShape();
  const group = new ObjectShape();
  for (const event of events) {
    if (event.type === 'track' && event.name) {
      const shape = tracks.get(event.name) ?? new ObjectShape();
      shape.add(event.payload.properties ?? {});
      tracks.set(event.name, shape);
    } else if (event.type === 'identify') identify.add(event.payload.traits ?? {});
    else if (event.type === 'group') group.add(event.payload.traits ?? {});
  }
  return {
    events: [...tracks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, shape]) => ({ name, schema: shape.schema() })),
    ...(identify.count ? { identify: identify.schema() } : {}),
    ...(group.count ? { group: group.schema() } : {}),
  };
}

export async function draftPlanFromTraffic({ db, workspaceId, sourceId, days }: { db: Db; workspaceId: string; sourceId: string; days: number }): Promise<{ name: string; rules: TPlanRules; basedOn: number }> {
  const source = await db.source.findFirst({ where: { id: sourceId, workspaceId }, select: { name: true } });
  if (!source) throw notFound('source');
  const events = await db.event.findMany({
    where: { workspaceId, sourceId, receivedAt: { gte: new Date(Date.now() - days * 86_400_000) } },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: DRAFT_EVENTS,
    select: { type: true, name: true, payload: true },
  });
  const rules = inferRules(events.map((e) => ({ type: e.type, name: e.name, payload: e.payload as Record<string, unknown> })));
  return { name: `${source.name} plan`, rules, basedOn: events.length };
}
