/**
 * What the worker needs of each enabled destination: where and how to send (URL, decrypted
 * headers and signing secrets) and its delivery tuning. Reloaded every few seconds so edits
 * in the dashboard reach running workers without a restart.
 */
import type pg from 'pg';
import { openJson } from '../crypto/secret-box.ts';
import type { TWebhookSecrets, TWebhookSettings } from '../destinations/catalog.ts';
import { resolveDeliveryTuning, type TDeliveryTuning } from '../destinations/delivery-tuning.ts';

export interface TDeliveryTarget {
  id: string;
  sourceId: string;
  type: string;
  url: string;
  headers: Record<string, string>;
  signingSecrets: string[];
  tuning: TDeliveryTuning;
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
    const { rows } = await this.pool.query<{ id: string; source_id: string; type: string; settings: TWebhookSettings; secrets: string | null; delivery: unknown }>(SELECT_ENABLED);
    const next = new Map<string, TDeliveryTarget>();
    for (const row of rows) {
      try {
        const secrets = row.secrets ? openJson<TWebhookSecrets>(row.secrets) : { signingSecret: '', headers: {} };
        next.set(row.id, {
          id: row.id,
          sourceId: row.source_id,
          type: row.type,
          url: row.settings.url,
          headers: secrets.headers,
          signingSecrets: [secrets.signingSecret, ...(secrets.previousSigningSecrets ?? []).filter((s) => s.expiresAt > Date.now()).map((s) => s.secret)].filter(Boolean),
          tuning: resolveDeliveryTuning(row.delivery),
        });
      } catch (error) {
        this.log(`destination ${row.id}: cannot read its secrets (${(error as Error).message}); not delivering to it`);
      }
    }
    this.targets = next;
    this.loadedAt = Date.now();
    return next;
  }
}
