import type pg from 'pg';
import { heldCreditMsSql, heldMsAtSql } from './held-time.ts';

/**
 * Claims due jobs, fairly across destinations (one virtual queue per destination, and a
 * destination has one source, so per (source, destination)): for each destination the
 * worker asks for, up to min(wanted, maxInFlight − jobs leased anywhere) of its oldest due
 * jobs, locked with FOR UPDATE SKIP LOCKED so concurrent workers never take the same job,
 * leased for its destination's lease ($4: at least the request timeout and a margin, so a
 * slow answer never outlives its lease; server/delivery/lease.ts). A worker that dies loses
 * its leases when they expire, and the jobs are claimed again. A destination with a rate limit also spends from its shared token
 * bucket (destination_rate_budgets: refilled at `rate` per second, holding at most one
 * second's worth, and at least one request), so the limit holds across all workers, not per worker. Returns each job
 * with the payload to send: the job's own when a filter changed it, else its event's. Run it through `claimJobs`, which makes the maxInFlight check
 * and the bucket hold across workers. The destination's flow row (flow.ts) lowers both
 * limits while it struggles, pauses it after a Retry-After, lets only probes through an
 * open breaker, and holds it while its settings cannot work.
 * $1 destination ids, $2 their maxInFlight, $3 how many this worker wants, $4 their lease seconds,
 * $5 worker id, $6 their rate limits per second (null: none), $7 the leases this worker
 * counts as in flight for each (lease-book.ts: its leases, less those whose requests
 * succeeded and are not recorded yet), $8 the leases it holds for each (what the other
 * workers count). A destination may come with nothing wanted, only to write that count.
 */
const CLAIM_JOBS = /* sql */ `
WITH wanted AS (
  SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $6::float8[], $4::float8[], $7::int[], $8::int[]) AS w(destination_id, max_in_flight, want, configured_rate, lease_seconds, mine, held)
),
flow AS (
  -- How the destination copes (flow.ts): adaptive limits, Retry-After pause, breaker, hold.
  -- LEAST ignores NULLs: no adaptive rate means the configured one (or none).
  SELECT w.*, LEAST(w.configured_rate, f.rate) AS rate, f.concurrency,
         -- A configured rate may be spent a second's worth at once; a learned one (the partner
         -- said 429) a tenth of a second's worth, since partners count in short windows.
         CASE WHEN f.rate < COALESCE(w.configured_rate, 'Infinity') THEN 0.1 ELSE 1 END AS burst_seconds,
         f.paused_until > now() AS is_paused,
         f.breaker_opened_at IS NOT NULL AS is_open, f.next_probe_at,
         -- The last probe's outcome is not folded in yet (a crashed worker's probe is forgotten with its lease).
         COALESCE(f.probe_claimed_at > now() - make_interval(secs => w.lease_seconds), false) AS is_probe_out,
         -- Held until the settings change (an edit moves updated_at past held_settings_at).
         (f.held_code IS NOT NULL AND f.held_settings_at >= d.updated_at) AS is_held,
         -- The version of the settings a job claimed now must be sent with (epoch ms, as the
         -- worker's cached copy has it): a worker holding older ones reloads them first.
         floor(extract(epoch FROM d.updated_at) * 1000)::float8 AS settings_ms,
         -- How long it has been held in all (held-time.ts; null: never), credited to its jobs' windows.
         ${heldMsAtSql('w.destination_id', 'now()')} AS held_now_ms
    FROM wanted w
    JOIN destinations d ON d.id = w.destination_id
    LEFT JOIN destination_flow f USING (destination_id)
),
budget AS (
  -- Holds at most burst_seconds' worth, and at least one request (a rate below 1/s still sends).
  SELECT w.destination_id,
         LEAST(GREATEST(w.rate * w.burst_seconds, 1), COALESCE(b.tokens + extract(epoch FROM now() - b.refilled_at) * w.rate, GREATEST(w.rate * w.burst_seconds, 1))) AS tokens
    FROM flow w LEFT JOIN destination_rate_budgets b USING (destination_id)
   WHERE w.rate IS NOT NULL
),
leased AS (
  -- Requests in flight: this worker's own count ($7: its leases, less those whose requests
  -- succeeded and whose outcomes are on their way to being recorded, at most max_in_flight of
  -- them; the partner is done with them, and waiting for the record left a slow partner's
  -- slots idle, issue 12) plus what the other workers hold: their rows in destination_leases.
  -- A worker's claims are the only writer of its rows (\`counted\` below: its records do not
  -- touch them, so the two never wait on each other), so a row can count leases that have
  -- ended since its worker's last claim round (the next one, nudged by the record, writes the
  -- lower count), never fewer than it holds. A row whose time has passed counts for nothing:
  -- its worker died, and its leases have expired with it.
  -- Leases were counted by reading every leased job through an index on lease_expires_at;
  -- that index made each claim a full update of the job's row and indexes (migration 0020).
  SELECT w.destination_id,
         (w.mine + COALESCE((SELECT sum(l.leased) FROM destination_leases l
                              WHERE l.destination_id = w.destination_id AND l.worker_id <> $5 AND l.until > now()), 0))::int AS n
    FROM wanted w
),
room AS (
  SELECT w.destination_id, w.held_now_ms, w.is_open AS is_probe, (w.is_paused OR w.is_open) AND NOT w.is_held AS is_blocked,
         CASE
           WHEN w.is_held OR w.is_paused THEN 0
           -- An open breaker: one probe, once nothing sent before is still out.
           WHEN w.is_open THEN CASE WHEN COALESCE(l.n, 0) = 0 AND NOT w.is_probe_out AND w.next_probe_at <= now() THEN LEAST(1, w.want, floor(b.tokens)::int) ELSE 0 END
           ELSE LEAST(w.want, LEAST(w.max_in_flight, ceil(w.concurrency)::int) - COALESCE(l.n, 0), floor(b.tokens)::int)
         END AS n
    FROM flow w LEFT JOIN leased l USING (destination_id) LEFT JOIN budget b USING (destination_id)
),
picked AS (
  -- Due retries and first attempts share the room (alternately, either taking what the
  -- other leaves), so neither starves the other; a probe takes a due retry first, of the
  -- oldest job (it has waited longest, and it is the one most likely to get through: a
  -- partner that fails the first tries of each message answers its later ones).
  SELECT p.ctid, r.destination_id
    FROM room r
    CROSS JOIN LATERAL (
      SELECT both_kinds.ctid FROM (
        SELECT due.ctid, 2 * row_number() OVER () AS k FROM (
          SELECT ctid FROM job_queue
           WHERE destination_id = r.destination_id AND is_retry AND run_at <= now()
             AND (lease_expires_at IS NULL OR lease_expires_at < now())
           -- (job_id breaks ties: jobs of one ingest batch share job_created_at, and a probe
           -- must come back to the same oldest job, not try a different one's second attempt.)
           ORDER BY CASE WHEN r.is_probe THEN job_created_at END, CASE WHEN r.is_probe THEN job_id END, run_at
           LIMIT GREATEST(r.n, 0)
           FOR UPDATE SKIP LOCKED
        ) due
        UNION ALL
        SELECT firsts.ctid, 2 * row_number() OVER () + 1 FROM (
          SELECT ctid FROM job_queue
           WHERE destination_id = r.destination_id AND run_at <= now() AND NOT is_retry
             AND (lease_expires_at IS NULL OR lease_expires_at < now())
           ORDER BY run_at
           LIMIT GREATEST(r.n, 0)
           FOR UPDATE SKIP LOCKED
        ) firsts
      ) both_kinds
      ORDER BY both_kinds.k
      LIMIT GREATEST(r.n, 0)
    ) p
   WHERE r.n > 0
),
swept AS (
  -- A destination paused or behind an open breaker still lets go of jobs whose window has
  -- ended: they are archived without a request (the worker checks expire_ms first), not
  -- left to wait for probes one at a time. Looks at its 200 oldest due jobs per round.
  -- Windows are credited with the time the destination was held (held-time.ts), so only
  -- jobs whose window had ended before it was held go; the others wait. (A held
  -- destination keeps its jobs: nothing is archived because of a hold.)
  SELECT s.ctid
    FROM room r
    CROSS JOIN LATERAL (
      SELECT c.ctid FROM (
        SELECT ctid, job_id, job_created_at FROM job_queue
         WHERE destination_id = r.destination_id AND run_at <= now()
           AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY run_at
         LIMIT 200
         FOR UPDATE SKIP LOCKED
      ) c
       WHERE EXISTS (SELECT 1 FROM jobs j WHERE j.id = c.job_id AND j.created_at = c.job_created_at
                        AND j.expire_at + make_interval(secs => (${heldCreditMsSql({ heldNowMs: 'r.held_now_ms', destinationId: 'r.destination_id', createdAt: 'c.job_created_at' })}) / 1000) < now())
    ) s
   WHERE r.is_blocked
),
claimed AS (
  -- ctid = ANY(ARRAY(...)) (a TID scan: the rows are locked, so they cannot move) and the
  -- LATERAL ... LIMIT 1 lookups below keep every access a direct fetch or an index lookup
  -- by key: joined plainly, the planner (which cannot know how many rows the LIMITs above
  -- let through) hashes whole job_queue and jobs partitions, which makes every claim cost
  -- O(backlog + the day's jobs) instead of O(jobs claimed).
  UPDATE job_queue q
     SET lease_owner = $5, attempt = q.attempt + 1,
         lease_expires_at = now() + make_interval(secs => (SELECT w.lease_seconds FROM wanted w WHERE w.destination_id = q.destination_id))
   WHERE q.ctid = ANY (ARRAY(SELECT ctid FROM picked UNION SELECT ctid FROM swept))
  RETURNING q.job_id, q.job_created_at, q.destination_id, q.source_id, q.attempt
),
counted AS (
  -- What this worker holds now, for the other workers' claims (\`leased\` above): written
  -- when it holds any or its row says it does, so an idle worker writes nothing; only for
  -- destinations that still exist (\`flow\` joins them; workers cache destinations a few
  -- seconds). Its time only moves on: a shorter lease now (a lowered timeout) must not end
  -- the count of longer ones still out.
  INSERT INTO destination_leases AS l (destination_id, worker_id, leased, until)
  SELECT w.destination_id, $5, w.held + COALESCE(c.n, 0), now() + make_interval(secs => w.lease_seconds)
    FROM flow w
    LEFT JOIN (SELECT destination_id, count(*)::int AS n FROM claimed GROUP BY destination_id) c USING (destination_id)
   WHERE w.held + COALESCE(c.n, 0) > 0
      OR EXISTS (SELECT 1 FROM destination_leases x WHERE x.destination_id = w.destination_id AND x.worker_id = $5 AND x.leased > 0)
  ON CONFLICT (destination_id, worker_id) DO UPDATE SET leased = excluded.leased, until = GREATEST(l.until, excluded.until)
),
forgotten AS (
  -- Rows of workers gone for a while (a new worker id per process).
  DELETE FROM destination_leases l
   WHERE l.destination_id = ANY($1::uuid[]) AND l.until < now() - interval '1 hour'
),
probed AS (
  UPDATE destination_flow f SET probe_claimed_at = now()
    FROM room r
   WHERE r.is_probe AND f.destination_id = r.destination_id AND EXISTS (SELECT 1 FROM picked p WHERE p.destination_id = r.destination_id)
),
spent AS (
  -- Only when something was claimed (an idle round writes nothing: the bucket's state is a
  -- function of tokens and refilled_at, so refilling later gives the same answer), and only
  -- for destinations that still exist (workers cache destinations for a few seconds).
  INSERT INTO destination_rate_budgets AS r (destination_id, tokens, refilled_at)
  SELECT b.destination_id, b.tokens - count(*), now()
    FROM budget b
    JOIN claimed c USING (destination_id)
   WHERE EXISTS (SELECT 1 FROM destinations d WHERE d.id = b.destination_id)
   GROUP BY b.destination_id, b.tokens
  ON CONFLICT (destination_id) DO UPDATE SET tokens = excluded.tokens, refilled_at = excluded.refilled_at
)
-- Timestamps travel as ISO text (JSON's format, whatever the DateStyle) and epoch ms: the
-- worker hands job_created_at back unchanged with the outcome, and parsing two dates per
-- row showed in its profiles.
SELECT c.job_id, to_json(c.job_created_at) #>> '{}' AS job_created_at, c.destination_id, c.source_id, c.attempt,
       -- The end of its retry window, moved on by the time its destination was held since it was created.
       (extract(epoch FROM j.expire_at) * 1000 + ${heldCreditMsSql({ heldNowMs: 'fl.held_now_ms', destinationId: 'c.destination_id', createdAt: 'c.job_created_at' })})::float8 AS expire_ms, e.message_id,
       -- A job's own payload (a filter changed the event for this destination) wins; none
       -- is sent once the event itself is gone (deleted for privacy, or dropped with its partition).
       CASE WHEN e.payload IS NULL THEN NULL ELSE COALESCE(j.payload::text, e.payload) END AS payload,
       fl.settings_ms
  FROM claimed c
  JOIN flow fl ON fl.destination_id = c.destination_id
  CROSS JOIN LATERAL (
    SELECT j.expire_at, j.event_id, j.event_received_at, j.payload FROM jobs j
     WHERE j.id = c.job_id AND j.created_at = c.job_created_at LIMIT 1
  ) j
  LEFT JOIN LATERAL (
    SELECT e.message_id, e.payload::text AS payload FROM events e
     WHERE e.id = j.event_id AND e.received_at = j.event_received_at LIMIT 1
  ) e ON true
`;

export interface TClaimedRow {
  job_id: string;
  /** ISO 8601 text; handed back unchanged with the outcome. */
  job_created_at: string;
  destination_id: string;
  source_id: string;
  attempt: number;
  /** When the retry window ends, in epoch milliseconds: the job's expire_at plus the time its destination was held since the job was created. */
  expire_ms: number;
  message_id: string | null;
  payload: string | null;
  /** When the destination's settings last changed (epoch ms) as of this claim. */
  settings_ms: number;
}

/** Namespace ('sywk') of the advisory locks that let one worker at a time claim for a destination. */
const CLAIM_LOCK_SPACE = 0x7379776b;

/** $1 destination ids; returns those whose claim lock this transaction got (never waits). */
const LOCK_DESTINATIONS = /* sql */ `
SELECT id FROM unnest($1::uuid[]) AS id WHERE pg_try_advisory_xact_lock(${CLAIM_LOCK_SPACE}, hashtext(id::text))
`;

/**
 * CLAIM_JOBS for the destinations no other worker is claiming for at this moment. Counting
 * leases and taking jobs in one statement is not enough: two workers claiming at once do
 * not see each other's uncommitted leases, and each would fill the destination up to
 * maxInFlight. So each claim holds a per-destination advisory lock, taken in an earlier
 * statement of the same transaction, so that the claim's snapshot includes every claim
 * committed before the lock was granted. Destinations locked by another worker are simply
 * skipped this round.
 */
export async function claimJobs(
  pool: pg.Pool,
  { ids, limits, wants, rates, leaseSeconds, workerId, counted = ids.map(() => 0), held = counted }: {
    ids: string[];
    limits: number[];
    wants: number[];
    rates: Array<number | null>;
    /** One lease for all, or each destination's own (in the order of `ids`). */
    leaseSeconds: number | number[];
    workerId: string;
    /** Leases this worker counts as in flight, per destination (lease-book.ts; default none). */
    counted?: number[];
    /** Leases this worker holds, per destination: what the other workers count (default `counted`). */
    held?: number[];
  },
): Promise<TClaimedRow[]> {
  const leases = typeof leaseSeconds === 'number' ? ids.map(() => leaseSeconds) : leaseSeconds;
  const client = await pool.connect();
  // A checked-out client has no pool listener: without one, a server going away between two
  // statements ('error' event) would crash the process. The failing query reports it anyway.
  const ignore = () => undefined;
  client.on('error', ignore);
  try {
    // A claim only hands out leases: if a crash loses its commit, the jobs are simply due
    // again (at least once holds), so it need not wait for the WAL flush — the claim loop
    // is serial, and that wait was most of its latency. Outcomes stay synchronous.
    await client.query('BEGIN; SET LOCAL synchronous_commit = off');
    const locked = new Set((await client.query<{ id: string }>(LOCK_DESTINATIONS, [ids])).rows.map((row) => row.id));
    const keep = ids.flatMap((id, i) => (locked.has(id) ? [i] : []));
    const { rows } = keep.length === 0
      ? { rows: [] }
      : await client.query<TClaimedRow>(CLAIM_JOBS, [keep.map((i) => ids[i]), keep.map((i) => limits[i]), keep.map((i) => wants[i]), keep.map((i) => leases[i]), workerId, keep.map((i) => rates[i]), keep.map((i) => counted[i]), keep.map((i) => held[i])]);
    await client.query('COMMIT');
    client.off('error', ignore);
    client.release();
    return rows;
  } catch (error) {
    // Destroys the connection, and the open transaction (its locks, its claims) with it;
    // `ignore` stays attached for whatever the dying connection still reports.
    client.release(error as Error);
    throw error;
  }
}

/** A stopped worker's lease counts (destination_leases), once nothing of it is in flight or unrecorded. */
export async function forgetWorkerLeases(pool: pg.Pool, workerId: string): Promise<void> {
  await pool.query('DELETE FROM destination_leases WHERE worker_id = $1', [workerId]);
}
