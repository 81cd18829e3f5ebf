/**
 * What the tracking API needs to know about a write key: its source, and the source's
 * destinations with what routing and their filters need. Read with one query and kept for a second, so a
 * revoked key, a disabled source or a new destination takes effect within one second on
 * every web process without a query per request under load.
 */
import type pg from 'pg';
import { resolveDeliveryTuning } from '../destinations/delivery-tuning.ts';
import { destinationType } from '../destinations/catalog/registry.ts';
import type { TCompiledFilter } from '../filters/actions.ts';
import { compiledFilter, type TStoredFilter } from '../filters/compiled-cache.ts';
import { compiledPlan } from '../tracking-plans/compiled-cache.ts';
import type { TCompiledPlan } from '../tracking-plans/validate.ts';
import { SELECT_SOURCE_BY_WRITE_KEY } from './sql/select-source-by-write-key.ts';

export interface TRoutableDestination {
  id: string;
  name: string;
  type: string;
  typeLabel: string;
  enabled: boolean;
  retryWindowSeconds: number;
  /** Enabled filters in run order, compiled (once per version). */
  filters: TCompiledFilter[];
}

export interface TSourceTrackingPlan {
  plan: TCompiledPlan;
  unplannedEvents: 'allow' | 'block';
  violations: 'allow' | 'omit' | 'block';
}

export interface TSourceConfig {
  sourceId: string;
  workspaceId: string;
  sourceName: string;
  enabled: boolean;
  destinations: TRoutableDestination[];
  /** The plan this source follows, compiled (once per plan version), or null. */
  trackingPlan: TSourceTrackingPlan | null;
}

const TTL_MS = 1000;
const MAX_ENTRIES = 10_000;
const MAX_KEY_LENGTH = 512;

/** One row of SELECT_SOURCE_BY_WRITE_KEY / SELECT_SOURCE_BY_ID. */
export interface TSourceConfigRow {
  source_id: string;
  workspace_id: string;
  source_name: string;
  source_enabled: boolean;
  destinations: Array<{ id: string; name: string; type: string; enabled: boolean; delivery: unknown; filters: TStoredFilter[] | null }> | null;
  tracking_plan: { id: string; version: number; unplannedEvents: 'allow' | 'block'; violations: 'allow' | 'omit' | 'block' } | null;
}

export class SourceConfigCache {
  private readonly entries = new Map<string, { value: TSourceConfig | null; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<TSourceConfig | null>>();

  constructor(private readonly pool: pg.Pool, private readonly ttlMs = TTL_MS) {}

  /** The source of an active write key, or null when the key is unknown or revoked. */
  async lookup(writeKey: string): Promise<TSourceConfig | null> {
    // No stored key has a NUL (Postgres text cannot hold one; sending it fails the query) or is this long.
    if (writeKey.length > MAX_KEY_LENGTH || writeKey.includes('\u0000')) return null;
    const now = Date.now();
    const cached = this.entries.get(writeKey);
    if (cached && cached.expiresAt > now) return cached.value;
    const pending = this.inflight.get(writeKey);
    if (pending) return pending;
    const load = this.load(writeKey).finally(() => this.inflight.delete(writeKey));
    this.inflight.set(writeKey, load);
    return load;
  }

  private async load(writeKey: string): Promise<TSourceConfig | null> {
    const { rows } = await this.pool.query<TSourceConfigRow>(SELECT_SOURCE_BY_WRITE_KEY, [writeKey]);
    const row = rows[0];
    const planRef = row?.tracking_plan ?? null;
    const plan = planRef ? await compiledPlan(this.pool, planRef.id, planRef.version) : null;
    const value = row ? sourceConfigOf(row, plan) : null;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(writeKey, { value, expiresAt: Date.now() + this.ttlMs });
    return value;
  }
}

/** The config of a source's row, with its plan compiled (null when the row names none or it is gone). */
export function sourceConfigOf(row: TSourceConfigRow, plan: TCompiledPlan | null): TSourceConfig {
  const planRef = row.tracking_plan;
  return {
    sourceId: row.source_id,
    workspaceId: row.workspace_id,
    sourceName: row.source_name,
    enabled: row.source_enabled,
    destinations: (row.destinations ?? []).map((d) => ({
      id: d.id,
      name: d.name,
      type: d.type,
      typeLabel: destinationType(d.type)?.name ?? d.type,
      enabled: d.enabled,
      retryWindowSeconds: resolveDeliveryTuning(d.delivery).retryWindowSeconds,
      filters: (d.filters ?? []).map(compiledFilter),
    })),
    trackingPlan: planRef && plan ? { plan, unplannedEvents: planRef.unplannedEvents, violations: planRef.violations } : null,
  };
}
