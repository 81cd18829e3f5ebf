import type pg from 'pg';

/**
 * Claims due jobs, fairly across destinations (one virtual queue per destination, and a
 * destination has one source, so per (source, destination)): for each destination the
 * worker asks for, up to min(wanted, maxInFlight − jobs leased anywhere) of its oldest due
 * jobs, locked with FOR UPDATE SKIP LOCKED so concurrent workers never take the same job,
 * leased for $4 seconds. A worker that dies loses its leases when they expire, and the
 * jobs are claimed again. A destination with a rate limit also spends from its shared token
 * bucket (destination_rate_budgets: refilled at `rate` per second, holding at most one
 * second's worth, and at least one request), so the limit holds across all workers, not per worker. Returns each job
 * with the payload to send: the job's own when a filter changed it, else its event's. Run it through `claimJobs`, which makes the maxInFlight check
 * and the bucket hold across workers.
 * $1 destination ids, $2 their maxInFlight, $3 how many this worker wants, $4 lease seconds,
 * $5 worker id, $6 their rate limits per second (null: none).
 */
export const CLAIM_JOBS = /* sql */ `
WITH wanted AS (
  SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $6::float8[]) AS w(destination_id, max_in_flight, want, rate)
),
budget AS (
  -- Holds at most a second's worth, and at least one request (a rate below 1/s still sends).
  SELECT w.destination_id,
         LEAST(GREATEST(w.rate, 1), COALESCE(b.tokens + extract(epoch FROM now() - b.refilled_at) * w.rate, GREATEST(w.rate, 1))) AS tokens
    FROM wanted w LEFT JOIN destination_rate_budgets b USING (destination_id)
   WHERE w.rate IS NOT NULL
),
leased AS (
  SELECT destination_id, count(*)::int AS n FROM job_queue
   WHERE lease_expires_at > now() AND destination_id = ANY($1::uuid[])
   GROUP BY destination_id
),
room AS (
  SELECT w.destination_id, LEAST(w.want, w.max_in_flight - COALESCE(l.n, 0), floor(b.tokens)::int) AS n
    FROM wanted w LEFT JOIN leased l USING (destination_id) LEFT JOIN budget b USING (destination_id)
),
picked AS (
  SELECT q.ctid
    FROM room r
    CROSS JOIN LATERAL (
      SELECT ctid FROM job_queue
       WHERE destination_id = r.destination_id AND run_at <= now()
         AND (lease_expires_at IS NULL OR lease_expires_at < now())
       ORDER BY run_at
       LIMIT GREATEST(r.n, 0)
       FOR UPDATE SKIP LOCKED
    ) q
   WHERE r.n > 0
),
claimed AS (
  -- ctid = ANY(ARRAY(...)) (a TID scan: the rows are locked, so they cannot move) and the
  -- LATERAL ... LIMIT 1 lookups below keep every access a direct fetch or an index lookup
  -- by key: joined plainly, the planner (which cannot know how many rows the LIMITs above
  -- let through) hashes whole job_queue and jobs partitions, which makes every claim cost
  -- O(backlog + the day's jobs) instead of O(jobs claimed).
  UPDATE job_queue q
     SET lease_owner = $5, lease_expires_at = now() + make_interval(secs => $4), attempt = q.attempt + 1
   WHERE q.ctid = ANY (ARRAY(SELECT ctid FROM picked))
  RETURNING q.job_id, q.job_created_at, q.destination_id, q.source_id, q.attempt
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
       (extract(epoch FROM j.expire_at) * 1000)::float8 AS expire_ms, e.message_id,
       -- A job's own payload (a filter changed the event for this destination) wins; none
       -- is sent once the event itself is gone (deleted for privacy, or dropped with its partition).
       CASE WHEN e.payload IS NULL THEN NULL ELSE COALESCE(j.payload::text, e.payload) END AS payload
  FROM claimed c
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
  /** When the retry window ends, in epoch milliseconds. */
  expire_ms: number;
  message_id: string | null;
  payload: string | null;
}

/** Namespace ('sywk') of the advisory locks that let one worker at a time claim for a destination. */
const CLAIM_LOCK_SPACE = 0x7379776b;

/** $1 destination ids; returns those whose claim lock this transaction got (never waits). */
export const LOCK_DESTINATIONS = /* sql */ `
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
  { ids, limits, wants, rates, leaseSeconds, workerId }: { ids: string[]; limits: number[]; wants: number[]; rates: Array<number | null>; leaseSeconds: number; workerId: string },
): Promise<TClaimedRow[]> {
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
      : await client.query<TClaimedRow>(CLAIM_JOBS, [keep.map((i) => ids[i]), keep.map((i) => limits[i]), keep.map((i) => wants[i]), leaseSeconds, workerId, keep.map((i) => rates[i])]);
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
