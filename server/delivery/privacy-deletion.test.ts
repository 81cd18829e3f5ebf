/**
 * A suppress-and-delete request by e-mail, carried out by the worker's privacy runner:
 * every target finishes with a receipt of counts; the webhook destination gets a signed
 * `user.deleted`; and the residual scan (a data-only dump of the database plus every
 * archive file, on disk and in a versioned S3 bucket, every version) finds none of the
 * subject's identifiers, linked through identify and alias, outside the regulation record,
 * while another user's data is untouched.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createDestination } from '../destinations/destinations.ts';
import { createIngestFixture } from '../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { createRegulation, getRegulation } from '../privacy/regulations.ts';
import { dumpDataOnly, occurrences, readArchive } from '../privacy/test-residual-scan.ts';
import { identityKey, identityKeySql } from '../traces/identity.ts';
import { FileArchive } from './archive.ts';
import { ArchiveUploader } from './archive-uploader.ts';
import { PrivacyRunner } from './privacy-runner.ts';
import { createS3ArchiveStore } from './s3-archive-store.ts';
import { startTestS3Server, type TTestS3Server } from './test-s3-server.ts';
import { startSink, type TSink } from './test-sink.ts';

const GRACE = ['grace-1', 'anon-grace', 'grace@example.com', 'old-grace-id', 'anon-grace-phone'];

let testDb: TTestDb;
let server: TIngestTestServer;
let sink: TSink;
let pool: pg.Pool;
let archiveDir: string;
let s3: TTestS3Server;
let fx: Awaited<ReturnType<typeof createIngestFixture>>;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sink = await startSink();
  pool = new pg.Pool({ connectionString: testDb.url, max: 3 });
  archiveDir = await mkdtemp(path.join(os.tmpdir(), 'privacy-archive-'));
  s3 = await startTestS3Server({ versioned: true });
  fx = await createIngestFixture(testDb.db, { destinations: [] });
  // The webhook destination is a local receiver that verifies signatures.
  const { destination } = await createDestination({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { sourceId: fx.sourceId, type: 'webhook', name: 'Receiver', settings: { url: sink.url } }, allowPrivate: '*' });
  sink.setSecret(await signingSecretOf(destination.id));
  // A partner whose deletion API needs a credential this destination lacks (Amplitude's secret key): not_supported, saying what to add.
  await createDestination({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { sourceId: fx.sourceId, type: 'amplitude', name: 'Amplitude', settings: { apiKey: 'amp-key-0123456789abcdef', region: 'eu' } } });
  await pool.query(`UPDATE destinations SET enabled = false WHERE type = 'amplitude'`); // keep its jobs out of the counts below
});
afterAll(async () => {
  await s3?.close();
  await pool.end();
  await sink.close();
  await server.close();
  await testDb.drop();
  await rm(archiveDir, { recursive: true, force: true });
});

async function signingSecretOf(destinationId: string): Promise<string> {
  const { openJson } = await import('../crypto/secret-box.ts');
  const { rows } = await pool.query<{ secrets: string }>('SELECT secrets FROM destinations WHERE id = $1', [destinationId]);
  return openJson<{ signingSecret: string }>(rows[0].secrets).signingSecret;
}

/** Every object in the bucket and every earlier version of it, as text. */
function readBucket(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [key, object] of s3.objects) texts.set(`s3 ${key}`, gunzipSync(object.body).toString('utf8'));
  for (const [key, versions] of s3.history) versions.forEach((version, i) => version.body && texts.set(`s3 ${key} (version ${i})`, gunzipSync(version.body).toString('utf8')));
  return texts;
}

async function send(batch: unknown[]): Promise<void> {
  const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${fx.writeKey}:`).toString('base64')}` }, body: JSON.stringify({ batch }) });
  expect(res.status).toBe(200);
}

describe('deletion', () => {
  it('removes the subject and everything linked to it from the event store, the archive and the receiver, and leaves a receipt', async () => {
    await send([
      { type: 'identify', userId: 'grace-1', anonymousId: 'anon-grace', traits: { email: 'Grace@Example.com', plan: 'pro' } },
      { type: 'track', userId: 'grace-1', event: 'Order Completed', properties: { total: 30 } },
      { type: 'track', anonymousId: 'anon-grace', event: 'Viewed Pricing' },
      { type: 'alias', userId: 'grace-1', previousId: 'old-grace-id' },
      { type: 'track', userId: 'old-grace-id', anonymousId: 'anon-grace-phone', event: 'Opened App' },
      { type: 'track', userId: 'alan-1', event: 'Order Completed', properties: { note: 'not grace' } },
    ]);
    // A partner answered one of Grace's attempts by echoing her e-mail, and the request the
    // worker recorded for it holds a body with her e-mail; one of her jobs and one of Alan's were archived.
    await pool.query(`INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code, response_excerpt, request)
      SELECT j.id, j.created_at, j.destination_id, j.source_id, 1, 'awaiting_retry', now(), 503, '{"error":"busy","email":"grace@example.com"}',
             '{"method":"POST","url":"http://partner.invalid/","headers":{},"body":{"is":"stored","text":"{\\"email\\":\\"grace@example.com\\"}","digest":"x"}}'
        FROM jobs j JOIN events e ON e.id = j.event_id WHERE e.type = 'identify' LIMIT 1`);
    // A destination filter gave one of her jobs its own payload copy, and a tracking plan
    // recorded a violation on one of her events (its ID and a path naming her data).
    await pool.query(`UPDATE jobs j SET payload = jsonb_build_object('userId', e.user_id, 'traits', jsonb_build_object('email', 'grace@example.com'))
      FROM events e WHERE e.id = j.event_id AND e.type = 'identify'`);
    await pool.query(`INSERT INTO violations (workspace_id, tracking_plan_id, plan_version, source_id, event_id, event_received_at, event_type, event_name, kind, path, rule, message, is_blocked)
      SELECT e.workspace_id, gen_random_uuid(), 1, e.source_id, e.id, e.received_at, e.type, e.name, 'type', 'traits.email', 'string', 'grace@example.com is not allowed here', false
        FROM events e WHERE e.type = 'identify'`);
    // What else names her: her events' IDs and message IDs, and the identity lookup's digests
    // of all her identifiers (stored as bigint text in event_identities).
    const graceEvents = await pool.query<{ id: string; message_id: string }>(
      `SELECT id, message_id FROM events WHERE user_id IN ('grace-1', 'old-grace-id') OR anonymous_id IN ('anon-grace', 'anon-grace-phone')`,
    );
    expect(graceEvents.rowCount).toBe(5);
    const digests = [
      ...['grace-1', 'old-grace-id'].map((value) => ({ kind: 'user' as const, value })),
      ...['anon-grace', 'anon-grace-phone'].map((value) => ({ kind: 'anon' as const, value })),
      { kind: 'email' as const, value: 'grace@example.com' },
      ...graceEvents.rows.map((r) => ({ kind: 'message' as const, value: r.message_id })),
    ].map((identity) => identityKey(fx.workspaceId, identity).toString());
    const graceNeedles = [...GRACE, ...digests, ...graceEvents.rows.flatMap((r) => [r.id, r.message_id])];
    const dumpBefore = await dumpDataOnly(testDb.url);
    // The scan sees every kind of leftover before the deletion (so it could see one after).
    // (Partitioned tables are dumped per partition: `jobs_default`, `event_identities_2026_12_02`…)
    const of = (table: string) => new Map([...dumpBefore].filter(([name]) => name === table || name.startsWith(`${table}_`)));
    for (const table of ['event_identities', 'violations', 'jobs', 'job_transitions']) {
      expect(Object.keys(occurrences(of(table), graceNeedles)).length, table).toBeGreaterThan(0);
    }
    expect(new Set(Object.keys(occurrences(of('event_identities'), digests)).map((where) => where.split(': ')[1])).size).toBe(digests.length);
    const identityRows = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_identities WHERE event_id = ANY($1::uuid[])', [graceEvents.rows.map((r) => r.id)])).rows[0].n;
    const archived = await pool.query<{ id: string; destination_id: string; source_id: string; message_id: string; payload: unknown }>(
      `SELECT j.id, j.destination_id, j.source_id, e.message_id, e.payload FROM jobs j JOIN events e ON e.id = j.event_id WHERE e.type = 'track' AND e.user_id IN ('grace-1', 'alan-1')`,
    );
    const archive = new FileArchive(archiveDir, 'test-worker');
    await archive.write(archived.rows.map((r) => ({ jobId: r.id, destinationId: r.destination_id, sourceId: r.source_id, messageId: r.message_id, attempts: 3, reason: 'expired', archivedAt: new Date().toISOString(), payload: JSON.stringify(r.payload) })));
    const before = occurrences(await readArchive(archiveDir), ['grace-1', 'alan-1']);
    expect(Object.values(before)).toEqual([1, 1]); // one archived line each, in one file
    // The same two archived jobs, written by another worker, were already shipped to the S3 bucket.
    const shippedDir = await mkdtemp(path.join(os.tmpdir(), 'privacy-shipped-'));
    await new FileArchive(shippedDir, 'other-worker').write(archived.rows.map((r) => ({ jobId: r.id, destinationId: r.destination_id, sourceId: r.source_id, messageId: r.message_id, attempts: 3, reason: 'expired', archivedAt: new Date().toISOString(), payload: JSON.stringify(r.payload) })));
    const s3Settings = { bucket: s3.bucket, prefix: 'archive/', region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
    await new ArchiveUploader({ dir: shippedDir, store: createS3ArchiveStore(s3Settings), uploaderId: 'other-worker', log: () => undefined }).runOnce();
    expect(Object.values(occurrences(readBucket(), ['grace-1', 'alan-1']))).toEqual([1, 1]);
    const eventsBefore = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;

    const created = await createRegulation({ db: testDb.db, workspaceId: fx.workspaceId, actor: { ...fx.actor, label: 'ada@example.com' }, input: { regulationType: 'SUPPRESS_WITH_DELETE', subjectType: 'EMAIL', subjectIds: ['grace@example.com'] } });
    const archiveStore = createS3ArchiveStore(s3Settings);
    const runner = new PrivacyRunner({ pool, workerId: 'test-worker', archiveDir, archiveStore, allowPrivate: '*', batchSize: 2 });
    await runner.drain();
    archiveStore.close();

    const done = await getRegulation({ db: testDb.db, workspaceId: fx.workspaceId, regulationId: created.id });
    expect(done.status).toBe('finished');
    expect(done.requestedBy).toBe('ada@example.com');
    const byLabel = Object.fromEntries(done.targets.map((t) => [t.label, t]));
    expect(byLabel['Event store']).toMatchObject({
      status: 'finished',
      // identify, two tracks, alias, the track of the aliased ID: 5 events, one job each; their
      // log: the partner's answer (1) and the 5 `suppressed` cancellations the suppression ran first.
      receipt: { events: 5, jobs: 5, dedupeEntries: 5, attempts: 6, identityRows, violations: 1, jobPayloadCopies: 1, sentRequests: 1 },
    });
    expect(byLabel.Archive).toMatchObject({ status: 'finished', receipt: { filesRewritten: 1, filesRemoved: 0, objectsScanned: 1, objectsRewritten: 1, objectsRemoved: 0, olderVersionsDeleted: 1, eventsRemoved: 2 } });
    expect(byLabel.Receiver).toMatchObject({ status: 'finished', receipt: { statusCode: 200, identifiersSent: 6 } });
    expect(byLabel.Amplitude).toMatchObject({ status: 'not_supported', receipt: { reason: expect.stringMatching(/^Amplitude's User Privacy API needs the project's secret key/) } });
    expect(done.targets.every((t) => !JSON.stringify(t.receipt).includes('grace'))).toBe(true);

    // The receiver got one signed user.deleted naming the linked identifiers.
    const call = sink.requests.find((r) => r.body.includes('user.deleted'))!;
    expect(call.isSignatureValid).toBe(true);
    const body = JSON.parse(call.body) as { userIds: string[]; anonymousIds: string[]; emails: string[] };
    expect([...body.userIds].sort()).toEqual(['grace-1', 'old-grace-id']);
    expect([...body.anonymousIds].sort()).toEqual(['anon-grace', 'anon-grace-phone', 'old-grace-id']);

    // Residual scan: outside the regulation record (regulations, suppressions) nothing is left.
    const dump = await dumpDataOnly(testDb.url);
    const record = new Set(['regulations', 'suppressions']);
    const outside = new Map([...dump].filter(([table]) => !record.has(table)));
    expect(occurrences(outside, graceNeedles)).toEqual({});
    expect(occurrences(await readArchive(archiveDir), graceNeedles)).toEqual({});
    expect(occurrences(readBucket(), graceNeedles)).toEqual({});
    // No identity row is left pointing at a deleted event, and Alan's are all there.
    expect((await pool.query('SELECT 1 FROM event_identities i WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = i.event_id)')).rowCount).toBe(0);
    const alanKey = identityKey(fx.workspaceId, { kind: 'user', value: 'alan-1' }).toString();
    expect((await pool.query('SELECT 1 FROM event_identities WHERE identity = $1', [alanKey])).rowCount).toBe(1);
    // Alan is untouched, in the store and in the archive.
    expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(eventsBefore - 5);
    expect(Object.keys(occurrences(outside, ['alan-1'])).some((where) => where.startsWith('events'))).toBe(true);
    expect(Object.keys(occurrences(await readArchive(archiveDir), ['alan-1']))).toHaveLength(1);
    expect(Object.keys(occurrences(readBucket(), ['alan-1']))).toHaveLength(1);
    // The suppression stays: a new event of Grace's is answered but not stored.
    await send([{ type: 'track', userId: 'grace-1', event: 'Came Back' }]);
    expect((await pool.query('SELECT 1 FROM events WHERE user_id = $1', ['grace-1'])).rowCount).toBe(0);
  });

  it('resumes idempotently: running a finished deletion again removes nothing more', async () => {
    const created = await createRegulation({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { regulationType: 'DELETE_INTERNAL', subjectType: 'USER_ID', subjectIds: ['grace-1'] } });
    await new PrivacyRunner({ pool, workerId: 'w2', archiveDir, allowPrivate: '*' }).drain();
    const done = await getRegulation({ db: testDb.db, workspaceId: fx.workspaceId, regulationId: created.id });
    expect(done.status).toBe('finished');
    expect(done.targets.map((t) => t.receipt)).toEqual([
      { events: 0, identityRows: 0, violations: 0, jobs: 0, jobPayloadCopies: 0, queuedJobs: 0, attempts: 0, sentRequests: 0, dedupeEntries: 0, rollups: 'counts and latencies only, no identifiers: nothing to remove' },
      { filesScanned: 1, filesRewritten: 0, filesRemoved: 0, eventsRemoved: 0 },
    ]);
  });

  it('digests identifiers in SQL exactly as ingest does (the deletion finds an event\'s identity rows with it)', async () => {
    const cases = [
      { kind: 'user' as const, value: 'grace-1' },
      { kind: 'anon' as const, value: 'ánon-ø-1' },
      { kind: 'email' as const, value: 'grace@example.com' },
      { kind: 'message' as const, value: 'ajs-next-1a2b' },
    ];
    for (const identity of cases) {
      const { rows } = await pool.query<{ key: string }>(`SELECT ${identityKeySql('$1::uuid', '$2::text', '$3::text')}::text AS key`, [fx.workspaceId, identity.kind, identity.value]);
      expect(rows[0].key).toBe(identityKey(fx.workspaceId, identity).toString());
    }
  });
});
