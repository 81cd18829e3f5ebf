/**
 * Claims due jobs, fairly across destinations (one virtual queue per destination, and a
 * destination has one source, so per (source, destination)): for each destination the
 * worker asks for, up to min(wanted, maxInFlight − jobs leased anywhere) of its oldest due
 * jobs, locked with FOR UPDATE SKIP LOCKED so concurrent workers never take the same job,
 * leased for $4 seconds. A worker that dies loses its leases when they expire, and the
 * jobs are claimed again. Returns each job with its event's payload.
 * $1 destination ids, $2 their maxInFlight, $3 how many this worker wants, $4 lease seconds, $5 worker id.
 */
export const CLAIM_JOBS = /* sql */ `
WITH wanted AS (
  SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[]) AS w(destination_id, max_in_flight, want)
),
leased AS (
  SELECT destination_id, count(*)::int AS n FROM job_queue
   WHERE lease_expires_at > now() AND destination_id = ANY($1::uuid[])
   GROUP BY destination_id
),
room AS (
  SELECT w.destination_id, LEAST(w.want, w.max_in_flight - COALESCE(l.n, 0)) AS n
    FROM wanted w LEFT JOIN leased l USING (destination_id)
),
picked AS (
  SELECT q.job_id
    FROM room r
    CROSS JOIN LATERAL (
      SELECT job_id FROM job_queue
       WHERE destination_id = r.destination_id AND run_at <= now()
         AND (lease_expires_at IS NULL OR lease_expires_at < now())
       ORDER BY run_at
       LIMIT GREATEST(r.n, 0)
       FOR UPDATE SKIP LOCKED
    ) q
   WHERE r.n > 0
),
claimed AS (
  UPDATE job_queue q
     SET lease_owner = $5, lease_expires_at = now() + make_interval(secs => $4), attempt = q.attempt + 1
    FROM picked p
   WHERE q.job_id = p.job_id
  RETURNING q.job_id, q.job_created_at, q.destination_id, q.source_id, q.attempt
)
SELECT c.job_id, c.job_created_at, c.destination_id, c.source_id, c.attempt, j.expire_at, e.message_id, e.payload::text AS payload
  FROM claimed c
  JOIN jobs j ON j.id = c.job_id AND j.created_at = c.job_created_at
  LEFT JOIN events e ON e.id = j.event_id AND e.received_at = j.event_received_at
`;

export interface TClaimedRow {
  job_id: string;
  job_created_at: Date;
  destination_id: string;
  source_id: string;
  attempt: number;
  expire_at: Date;
  message_id: string | null;
  payload: string | null;
}
