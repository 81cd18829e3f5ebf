-- Delivery under partial failure (issue 12): what every worker knows about how a
-- destination is coping, shared through Postgres so that all workers obey one limit.
--  * concurrency / rate: the adaptive limits (AIMD), null while the configured ones apply;
--  * paused_until: a Retry-After on a 429 or 503 pauses the whole destination;
--  * the breaker: opened on a failure rate over a one-minute window (two buckets), probed
--    one request at a time from next_probe_at on, closed by any success;
--  * held_*: a configuration problem of the destination (blocked address, unknown host,
--    missing credential) holds its jobs until its settings change (destinations.updated_at
--    moves past held_settings_at).
CREATE TABLE destination_flow (
  destination_id uuid PRIMARY KEY REFERENCES destinations (id) ON DELETE CASCADE ON UPDATE CASCADE,
  concurrency double precision,
  rate double precision,
  rate_step double precision,
  limit_reason text,
  limit_changed_at timestamptz(3),
  last_decrease_at timestamptz(3),
  last_increase_at timestamptz(3),
  last_throttled_at timestamptz(3),
  paused_until timestamptz(3),
  pause_reason text,
  window_started_at timestamptz(3) NOT NULL,
  window_attempts integer NOT NULL DEFAULT 0,
  window_failures integer NOT NULL DEFAULT 0,
  window_successes integer NOT NULL DEFAULT 0,
  previous_attempts integer NOT NULL DEFAULT 0,
  previous_failures integer NOT NULL DEFAULT 0,
  previous_successes integer NOT NULL DEFAULT 0,
  recent_started_at timestamptz(3) NOT NULL,
  recent_attempts integer NOT NULL DEFAULT 0,
  recent_rate double precision,
  breaker_opened_at timestamptz(3),
  breaker_reason text,
  next_probe_at timestamptz(3),
  probe_delay_ms integer NOT NULL DEFAULT 1000,
  probe_claimed_at timestamptz(3),
  held_code text,
  held_reason text,
  held_at timestamptz(3),
  held_settings_at timestamptz(3),
  updated_at timestamptz(3) NOT NULL
);

-- Due retries, served beside new jobs (half the room each) and first when probing: a
-- partial index so that finding them never walks a backlog of first attempts. Leased rows
-- (lease_owner set) are not in it, so claiming a first attempt costs no extra index write.
CREATE INDEX job_queue_retries_idx ON job_queue (destination_id, run_at) WHERE attempt > 0 AND lease_owner IS NULL;
