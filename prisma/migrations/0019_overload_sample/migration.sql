-- Issue 14 (the soak's stalls): a partner answering a small share of requests with 503 at
-- random is not overloaded by us, but every such answer cut its concurrency, which fell to
-- ~10 in flight and stalled delivery. Concurrency is now judged on a sample of outcomes
-- (at least ~250 ms of them, server/delivery/flow.ts): how many went out and how many said
-- "too many at once" since the sample started, shared by every worker like the rest of the row.
ALTER TABLE destination_flow
  ADD COLUMN load_sample_started_at timestamptz(3),
  ADD COLUMN load_sample_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN load_sample_overloaded integer NOT NULL DEFAULT 0;
