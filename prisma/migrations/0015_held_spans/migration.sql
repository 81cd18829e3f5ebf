-- Retry windows credited for held time (issue 12): while a destination is held (settings
-- that cannot work, paused by a Retry-After, breaker open) its jobs are not tried, so that
-- time must not use up their retry windows. One row per held span, with the destination's
-- total held time before it (a running sum), so that "how long was it held since this job
-- was created" is two index lookups: H(now) − H(job's created_at), where H(t) is
-- held_before_ms plus the part of the latest span started at or before t that lies before t.
-- ended_at is null while the span lasts until further notice (a hold, an open breaker); a
-- pause's span ends when the pause does.
CREATE TABLE destination_held_spans (
  destination_id uuid NOT NULL REFERENCES destinations (id) ON DELETE CASCADE ON UPDATE CASCADE,
  started_at timestamptz(3) NOT NULL,
  ended_at timestamptz(3),
  held_before_ms double precision NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (destination_id, started_at)
);
