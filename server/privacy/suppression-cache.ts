/**
 * The suppression rules of each workspace, held per web process. A lookup older than a
 * second asks Postgres for the workspace's suppression version (one indexed row) and
 * reloads the rules only when it changed, so a new suppression (or an UNSUPPRESS) takes
 * effect on every web process within about a second, well inside the promised 5 seconds,
 * and an idle check costs one tiny query per workspace per second under load.
 * Suppressed events are counted here too: they are never stored.
 */
import type pg from 'pg';
import { EMPTY_SUPPRESSION_RULES, type TSuppressionRules } from './suppression-rules.ts';

const CHECK_EVERY_MS = 1000;
const MAX_WORKSPACES = 10_000;

interface TEntry {
  version: string;
  rules: TSuppressionRules;
  checkedAt: number;
}

export class SuppressionCache {
  private readonly entries = new Map<string, TEntry>();
  private readonly inflight = new Map<string, Promise<TSuppressionRules>>();

  constructor(private readonly pool: pg.Pool, private readonly checkEveryMs = CHECK_EVERY_MS) {}

  async rulesFor(workspaceId: string): Promise<TSuppressionRules> {
    const entry = this.entries.get(workspaceId);
    if (entry && Date.now() - entry.checkedAt < this.checkEveryMs) return entry.rules;
    const pending = this.inflight.get(workspaceId);
    if (pending) return pending;
    const load = this.refresh(workspaceId, entry).finally(() => this.inflight.delete(workspaceId));
    this.inflight.set(workspaceId, load);
    return load;
  }

  private async refresh(workspaceId: string, entry: TEntry | undefined): Promise<TSuppressionRules> {
    const checkedAt = Date.now();
    const { rows } = await this.pool.query<{ version: string }>('SELECT version::text FROM suppression_versions WHERE workspace_id = $1', [workspaceId]);
    const version = rows[0]?.version ?? '0';
    let rules = entry && entry.version === version ? entry.rules : EMPTY_SUPPRESSION_RULES;
    if (version !== '0' && (!entry || entry.version !== version)) {
      const loaded = await this.pool.query<{ subject_type: string; subject_id: string }>('SELECT subject_type, subject_id FROM suppressions WHERE workspace_id = $1', [workspaceId]);
      rules = {
        userIds: new Set(loaded.rows.filter((r) => r.subject_type === 'USER_ID').map((r) => r.subject_id)),
        anonymousIds: new Set(loaded.rows.filter((r) => r.subject_type === 'ANONYMOUS_ID').map((r) => r.subject_id)),
        emails: new Set(loaded.rows.filter((r) => r.subject_type === 'EMAIL').map((r) => r.subject_id)),
      };
    }
    if (this.entries.size >= MAX_WORKSPACES) this.entries.clear();
    this.entries.set(workspaceId, { version, rules, checkedAt });
    return rules;
  }

  /** Adds suppressed (answered, not stored) events to the workspace's count of the day. */
  async count(workspaceId: string, events: number, at: Date): Promise<void> {
    if (events === 0) return;
    await this.pool.query(
      `INSERT INTO suppressed_event_counts (workspace_id, day, count) VALUES ($1, $2::date, $3)
       ON CONFLICT (workspace_id, day) DO UPDATE SET count = suppressed_event_counts.count + EXCLUDED.count`,
      [workspaceId, at.toISOString().slice(0, 10), events],
    );
  }
}
