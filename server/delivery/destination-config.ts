/**
 * What the worker needs of each enabled destination: its type (from the catalog), the
 * type's settings resolved with decrypted secrets, and its delivery tuning. Reloaded every
 * few seconds so edits in the dashboard reach running workers without a restart.
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
}

function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const child of Object.values(value)) stringLeaves(child, out);
  return out;
}

const SELECT_ENABLED = `
SELECT d.id, d.source_id, d.type, d.settings, d.secrets, d.delivery
  FROM destinations d JOIN sources s ON s.id = d.source_id
 WHERE d.enabled`;

export class DestinationConfig {
  private targets = new Map<string, TDeliveryTarget>();
  private loadedAt = 0;

  constructor(private readonly pool: pg.Pool, private readonly log: (line: string) => void, private readonly ttlMs = 3000) {}

  async enabled(): Promise<Map<string, TDeliveryTarget>> {
    if (Date.now() - this.loadedAt < this.ttlMs) return this.targets;
    const { rows } = await this.pool.query<{ id: string; source_id: string; type: string; settings: unknown; secrets: string | null; delivery: unknown }>(SELECT_ENABLED);
    const next = new Map<string, TDeliveryTarget>();
    for (const row of rows) {
      try {
        const def = destinationType(row.type);
        if (!def) throw new Error(`no destination type ${row.type} in this version's catalog`);
        const secrets = row.secrets ? openJson<unknown>(row.secrets) : undefined;
        next.set(row.id, {
          id: row.id,
          sourceId: row.source_id,
          type: row.type,
          def,
          settings: def.storage.resolve(row.settings, secrets),
          tuning: resolveDeliveryTuning(row.delivery),
          secretValues: stringLeaves(secrets),
        });
      } catch (error) {
        this.log(`destination ${row.id}: cannot read its settings (${(error as Error).message}); not delivering to it`);
      }
    }
    this.targets = next;
    this.loadedAt = Date.now();
    return next;
  }
}
