/**
 * What a destination filter does when its condition holds, and applying an ordered list of
 * compiled filters to one event for one destination. Pure: the ingest pipeline stage and the
 * preview both call `applyFilters`, so a preview shows exactly what ingest will do.
 *
 * Order: filters run by position. A drop or a sample-out ends the list (the event is not
 * sent); property changes compose, each filter seeing the event as the previous ones left it.
 */
import { z } from 'zod';
import { compileCondition, FilterSyntaxError, parsePath, printPath, readPath, type TPredicate } from './expression.ts';

const ZPathText = z.string().trim().min(1, 'A path is required').max(300);

export const ZFilterAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('drop') }),
  z.object({
    type: z.literal('sample'),
    /** The share of matching events kept: 0.25 keeps 25 %. */
    percent: z.number().min(0).max(1),
    /** Sample on this path's value (userId, anonymousId…) so one user is always in or always out; default messageId. */
    path: ZPathText.optional(),
  }),
  z.object({ type: z.literal('drop_properties'), paths: z.array(ZPathText).min(1).max(100) }),
  z.object({ type: z.literal('allow_properties'), paths: z.array(ZPathText).min(1).max(100) }),
]);
export type TFilterAction = z.infer<typeof ZFilterAction>;

/** What happened to the event at one filter. */
export type TFilterEffect = 'no_match' | 'dropped' | 'sampled_in' | 'sampled_out' | 'changed' | 'unchanged' | 'broken';
export type TDestinationDecision = 'kept' | 'dropped' | 'sampled_out' | 'changed';

export interface TCompiledFilter {
  id: string;
  title: string;
  version: number;
  /** Null when the stored condition no longer compiles: the filter is skipped and says so. */
  predicate: TPredicate | null;
  brokenReason?: string;
  action: TFilterAction;
  paths: string[][];
  /** describeAction(action), computed once. */
  actionText: string;
  /** For allow_properties: each parent object named by a listed path, with the keys it keeps. */
  groups: Array<{ parent: string[]; keys: Set<string> }>;
}

/** One filter's decision as recorded in events.pipeline; `reason` is left out for no_match (it is always "condition not met"), which keeps every event's record small. */
export interface TFilterStep {
  id: string;
  title: string;
  effect: TFilterEffect;
  reason?: string;
}

export interface TFiltersOutcome {
  decision: TDestinationDecision;
  reason: string;
  steps: TFilterStep[];
  /** The event as it should be sent, when a filter changed it. */
  changed?: Record<string, unknown>;
  /** Paths removed by property filters, as written (for diffs and traces). */
  removed: string[];
}

export function compileFilter(row: { id: string; title: string; version: number; condition: string; action: unknown }): TCompiledFilter {
  const action = ZFilterAction.parse(row.action);
  const paths = action.type === 'drop_properties' || action.type === 'allow_properties' ? action.paths.map((p) => parsePath(p)) : action.type === 'sample' && action.path ? [parsePath(action.path)] : [];
  const groups = new Map<string, { parent: string[]; keys: Set<string> }>();
  if (action.type === 'allow_properties') {
    for (const path of paths) {
      const parent = path.slice(0, -1);
      const key = JSON.stringify(parent);
      const entry = groups.get(key) ?? { parent, keys: new Set<string>() };
      entry.keys.add(path[path.length - 1]);
      groups.set(key, entry);
    }
  }
  const base = { id: row.id, title: row.title, version: row.version, action, paths, actionText: describeAction(action), groups: [...groups.values()] };
  try {
    return { ...base, predicate: compileCondition(row.condition) };
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    return { ...base, predicate: null, brokenReason: error.message };
  }
}

/**
 * FNV-1a with murmur3's finalizer, 32 bits: a stable hash, so sampling is the same on every
 * process and in previews. (Plain FNV-1a barely moves its high bits when only the last
 * characters differ, as in user-1 … user-40, which skewed samples; the finalizer mixes them.)
 */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whether a matching event is kept by a sample of `percent`, decided by (filter, value at path). */
export function isSampledIn(filterId: string, percent: number, event: Record<string, unknown>, path: string[] | undefined): boolean {
  if (percent >= 1) return true;
  if (percent <= 0) return false;
  const value = readPath(event, path ?? ['messageId']) ?? readPath(event, ['messageId']);
  return hash32(`${filterId}:${String(value)}`) / 0x1_0000_0000 < percent;
}

type TObject = Record<string, unknown>;
const isObject = (value: unknown): value is TObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `node` without the value at `path`, sharing everything off the path; `node` itself when absent. */
function without(node: TObject, path: string[]): TObject {
  const [head, ...rest] = path;
  if (!(head in node)) return node;
  if (rest.length === 0) {
    const { [head]: _removed, ...others } = node;
    return others;
  }
  const child = node[head];
  if (!isObject(child)) return node;
  const next = without(child, rest);
  return next === child ? node : { ...node, [head]: next };
}

/** A copy of `node` whose object at `parent` keeps only `keys`; `node` itself when nothing goes. */
function keepOnly(node: TObject, parent: string[], keys: Set<string>, removed: string[], at: string[] = []): TObject {
  if (parent.length === 0) {
    const gone = Object.keys(node).filter((key) => !keys.has(key));
    if (gone.length === 0) return node;
    for (const key of gone) removed.push(printPath([...at, key]));
    return Object.fromEntries(Object.entries(node).filter(([key]) => keys.has(key)));
  }
  const [head, ...rest] = parent;
  const child = node[head];
  if (!isObject(child)) return node;
  const next = keepOnly(child, rest, keys, removed, [...at, head]);
  return next === child ? node : { ...node, [head]: next };
}

function changeProperties(filter: TCompiledFilter, event: TObject, removed: string[]): TObject {
  if (filter.action.type === 'drop_properties') {
    let next = event;
    for (const path of filter.paths) {
      const after = without(next, path);
      if (after !== next) removed.push(printPath(path));
      next = after;
    }
    return next;
  }
  // allow_properties: for each parent object named by a listed path, keep only the listed keys.
  let next = event;
  for (const { parent, keys } of filter.groups) next = keepOnly(next, parent, keys, removed);
  return next;
}

export function describeAction(action: TFilterAction): string {
  switch (action.type) {
    case 'drop': return 'drop the event';
    case 'sample': return `keep ${Math.round(action.percent * 10_000) / 100} % (by ${action.path ?? 'messageId'})`;
    case 'drop_properties': return `remove ${action.paths.join(', ')}`;
    case 'allow_properties': return `keep only ${action.paths.join(', ')}`;
  }
}

/** Runs the filters of one destination over one event (the payload as stored). */
export function applyFilters(filters: readonly TCompiledFilter[], event: TObject): TFiltersOutcome {
  const steps: TFilterStep[] = [];
  const removed: string[] = [];
  let current = event;
  for (let i = 0; i < filters.length; i++) {
    const filter = filters[i];
    if (!filter.predicate) {
      steps.push({ id: filter.id, title: filter.title, effect: 'broken', reason: `skipped: the condition does not compile (${filter.brokenReason})` });
      continue;
    }
    if (!filter.predicate(current)) {
      steps.push({ id: filter.id, title: filter.title, effect: 'no_match' });
      continue;
    }
    const { action } = filter;
    if (action.type === 'drop') {
      steps.push({ id: filter.id, title: filter.title, effect: 'dropped', reason: 'condition met: dropped' });
      return { decision: 'dropped', reason: `dropped by filter “${filter.title}”`, steps, removed };
    }
    if (action.type === 'sample') {
      const isIn = isSampledIn(filter.id, action.percent, current, filter.paths[0]);
      steps.push({ id: filter.id, title: filter.title, effect: isIn ? 'sampled_in' : 'sampled_out', reason: `condition met: ${filter.actionText}, ${isIn ? 'in' : 'out of'} the sample` });
      if (!isIn) return { decision: 'sampled_out', reason: `sampled out by filter “${filter.title}” (${filter.actionText})`, steps, removed };
      continue;
    }
    const before = removed.length;
    const next = changeProperties(filter, current, removed);
    const gone = removed.slice(before);
    steps.push({
      id: filter.id,
      title: filter.title,
      effect: next === current ? 'unchanged' : 'changed',
      reason: next === current ? `condition met: nothing to remove (${filter.actionText})` : `condition met: removed ${gone.join(', ')}`,
    });
    current = next;
  }
  if (current !== event) return { decision: 'changed', reason: `properties removed: ${removed.join(', ')}`, steps, changed: current, removed };
  return { decision: 'kept', reason: filters.length === 0 ? 'no filters' : 'no filter dropped or changed the event', steps, removed };
}
