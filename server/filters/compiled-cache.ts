/**
 * Compiled filters shared by every request of a web process, keyed by filter id and
 * version: the source config is re-read every second, but a filter is parsed and compiled
 * only when it is new or its version changed.
 */
import { compileFilter, type TCompiledFilter } from './actions.ts';

export interface TStoredFilter {
  id: string;
  title: string;
  version: number;
  condition: string;
  action: unknown;
}

const MAX_ENTRIES = 50_000;
const compiled = new Map<string, TCompiledFilter>();

export function compiledFilter(row: TStoredFilter): TCompiledFilter {
  const cached = compiled.get(row.id);
  if (cached && cached.version === row.version && cached.title === row.title) return cached;
  const fresh = compileFilter(row);
  if (compiled.size >= MAX_ENTRIES) compiled.clear();
  compiled.set(row.id, fresh);
  return fresh;
}
