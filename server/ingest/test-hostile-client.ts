/**
 * For the hostile-input test: sends a request, checks that the answer is well-formed (never
 * a 5xx, always JSON with `error` + `message` or `success`), and keeps a ledger of what the
 * server said it accepted, to compare with what the database holds at the end.
 */
import type pg from 'pg';
import { expect } from 'vitest';
import type { THostileRequest } from './test-arbitraries.ts';

export interface TLedger {
  requests: number;
  accepted: number;
  duplicates: number;
  rejectedEvents: number;
  statuses: Record<string, number>;
  /** Error codes, of whole requests and of rejected events in batches. */
  errors: Record<string, number>;
  /** messageIds of events answered as accepted or duplicate (stored by this or an earlier request). */
  acceptedIds: Set<string>;
}

export const newLedger = (): TLedger => ({ requests: 0, accepted: 0, duplicates: 0, rejectedEvents: 0, statuses: {}, errors: {}, acceptedIds: new Set() });

const KNOWN = new Set(['track', 'identify', 'page', 'screen', 'group', 'alias', 't', 'i', 'p', 's', 'g', 'a', 'batch', 'import', 'b', 'm']);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

interface TRejected {
  index: number;
  error: string;
  message: string;
}

/** The messageId the server stores for an event it accepted, when it is not one it generates. */
function storedMessageId(event: unknown): string | null {
  if (!isObject(event)) return null;
  const id = event.messageId;
  if (typeof id === 'string' && id !== '') return id;
  return typeof id === 'number' && Number.isFinite(id) ? String(id) : null;
}

export async function sendAndCheck(baseUrl: string, req: THostileRequest, ledger: TLedger): Promise<void> {
  const label = `${req.method} ${req.path} ${JSON.stringify(req.headers)} ${req.body?.subarray(0, 300).toString('utf8') ?? ''}`;
  const res = await fetch(`${baseUrl}${req.path}`, { method: req.method, headers: req.headers, body: req.body ? new Uint8Array(req.body) : undefined }).catch((error: unknown) => {
    throw new Error(`connection failed (${String((error as { cause?: unknown }).cause ?? error)}) for ${label}`);
  });
  const text = await res.text();
  ledger.requests++;
  ledger.statuses[res.status] = (ledger.statuses[res.status] ?? 0) + 1;
  expect(res.status, `status for ${label}: ${text}`).toBeLessThan(500);
  expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
  const body = JSON.parse(text) as unknown;
  expect(isObject(body), label).toBe(true);
  if (!isObject(body)) return;

  const name = req.path.split('?')[0].slice('/v1/'.length);
  if (req.method === 'POST' && !KNOWN.has(name)) expect({ status: res.status, error: body.error }, label).toEqual({ status: 404, error: 'not_found' });
  const count = (code: unknown) => (ledger.errors[String(code)] = (ledger.errors[String(code)] ?? 0) + 1);
  if (!('success' in body)) {
    count(body.error);
    expect(res.status, label).toBeGreaterThanOrEqual(400);
    expect({ error: typeof body.error, message: typeof body.message, empty: body.message === '' }, `${label}: ${text}`).toEqual({ error: 'string', message: 'string', empty: false });
    return;
  }
  expect({ status: res.status, success: body.success }, label).toEqual({ status: 200, success: true });
  if (name === 'm') return;
  const { accepted, duplicates, rejected } = body as { accepted: number; duplicates: number; rejected: TRejected[] };
  expect(Number.isInteger(accepted) && Number.isInteger(duplicates) && Array.isArray(rejected), `${label}: ${text}`).toBe(true);
  ledger.accepted += accepted;
  ledger.duplicates += duplicates;
  ledger.rejectedEvents += rejected.length;
  rejected.forEach((r) => count(r.error));
  for (const r of rejected) expect({ index: typeof r.index, error: typeof r.error, message: typeof r.message }, label).toEqual({ index: 'number', error: 'string', message: 'string' });
  if (!req.events) return;
  expect(accepted + duplicates + rejected.length, `${label}: ${text}`).toBe(req.events.length);
  const rejectedIndexes = new Set(rejected.map((r) => r.index));
  expect(rejectedIndexes.size, label).toBe(rejected.length);
  req.events.forEach((event, index) => {
    const id = rejectedIndexes.has(index) ? null : storedMessageId(event);
    if (id !== null) ledger.acceptedIds.add(id);
  });
}

/** Sends a group of requests at once, so that they share group commits. */
export async function sendGroup(baseUrl: string, requests: THostileRequest[], ledger: TLedger): Promise<void> {
  await Promise.all(requests.map((req) => sendAndCheck(baseUrl, req, ledger)));
}

/** What the database holds for the source matches the ledger exactly. */
export async function expectLedgerStored(pool: pg.Pool, sourceId: string, run: string, ledger: TLedger): Promise<void> {
  const { rows } = await pool.query<{ message_id: string }>('SELECT message_id FROM events WHERE source_id = $1', [sourceId]);
  expect(rows.length).toBe(ledger.accepted);
  const stored = new Map<string, number>();
  for (const { message_id: id } of rows) stored.set(id, (stored.get(id) ?? 0) + 1);
  expect([...stored].filter(([, n]) => n > 1)).toEqual([]);
  expect([...ledger.acceptedIds].filter((id) => !stored.has(id))).toEqual([]);
  expect([...stored.keys()].filter((id) => id.startsWith(`${run}-`) && !ledger.acceptedIds.has(id))).toEqual([]);
  const { rows: [jobs] } = await pool.query<{ mismatched: number; jobs: number; queued: number }>(
    `SELECT (SELECT count(*)::int FROM events e WHERE e.source_id = $1
               AND (SELECT count(*) FROM jobs j WHERE j.event_id = e.id) <> jsonb_array_length(e.pipeline->'routing'->'selected')) AS mismatched,
            (SELECT count(*)::int FROM jobs WHERE source_id = $1) AS jobs,
            (SELECT count(*)::int FROM job_queue WHERE source_id = $1) AS queued`,
    [sourceId],
  );
  expect(jobs.mismatched).toBe(0);
  expect(jobs.queued).toBe(jobs.jobs);
}
