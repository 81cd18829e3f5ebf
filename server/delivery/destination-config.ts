/**
 * What the worker needs of each enabled destination: its type (from the catalog), the
 * type's settings resolved with decrypted secrets, its delivery tuning, and when its
 * settings last changed (a hold for a configuration problem lasts until they do).
 * Reloaded every few seconds so edits in the dashboard reach running workers without a
 * restart.
 */
import type pg from 'pg';
import { openJson } from '../crypto/secret-box.ts';
import { destinationType } from '../destinations/catalog/registry.ts';
import { resolveDeliveryTuning } from '../destinations/delivery-tuning.ts';
import type { TCallTarget } from './call-destination.ts';

export interface TDeliveryTarget extends TCallTarget {
  id: string;
  sourceId: string;
  type: string;
  /** Every secret value of the destination (decrypted), so what the trace records of a request can mask them wherever they appear. */
  secretValues: string[];
  /** When its settings last changed (epoch ms): a hold lasts until this moves. */
  settingsAt: number;
  /** Set when its settings cannot work (e.g. secrets that cannot be read): its jobs are held, not sent. */
  configProblem: { code: string; message: string } | null;
}

function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const child of Object.values(value)) stringLeaves(child, out);
  return out;
}

const SELECT_ENABLED = `
SELECT d.id, d.source_id, d.type, d.settings, d.secrets, d.delivery, d.updated_at
  FROM destinations d JOIN sources s ON s.id = d.source_id
 WHERE d.enabled`;

export class DestinationConfig {
  private targets = new Map<string, TDeliveryTarget>();
  private loadedAt = 0;

  constructor(private readonly pool: pg.Pool, private readonly log: (line: string) => void, private readonly ttlMs = 3000) {}

  /** The cached copy, reloaded when older than the TTL or when `isFresh` (a claimed job's destination has newer settings). */
  async enabled({ isFresh = false }: { isFresh?: boolean } = {}): Promise<Map<string, TDeliveryTarget>> {
    if (!isFresh && Date.now() - this.loadedAt < this.ttlMs) return this.targets;
    const { rows } = await this.pool.query<{ id: string; source_id: string; type: string; settings: unknown; secrets: string | null; delivery: unknown; updated_at: Date }>(SELECT_ENABLED);
    const next = new Map<string, TDeliveryTarget>();
    for (const row of rows) {
      const def = destinationType(row.type);
      if (!def) {
        this.log(`destination ${row.id}: no destination type ${row.type} in this version's catalog; not delivering to it`);
        continue;
      }
      const base = { id: row.id, sourceId: row.source_id, type: row.type, def, tuning: resolveDeliveryTuning(row.delivery), settingsAt: row.updated_at.getTime() };
      try {
        const secrets = row.secrets ? openJson<unknown>(row.secrets) : undefined;
        next.set(row.id, { ...base, settings: def.storage.resolve(row.settings, secrets), secretValues: stringLeaves(secrets), configProblem: null });
      } catch (error) {
        // Settings or a credential that cannot be read are a problem of the destination, not
        // of its events: its jobs are held (flow.ts) until the settings change.
        this.log(`destination ${row.id}: cannot read its settings (${(error as Error).message}); holding its events`);
        next.set(row.id, { ...base, settings: null, secretValues: [], configProblem: { code: 'MISSING_CREDENTIAL', message: `its settings cannot be read: ${(error as Error).message}` } });
      }
    }
    this.targets = next;
    this.loadedAt = Date.now();
    return next;
  }
}
