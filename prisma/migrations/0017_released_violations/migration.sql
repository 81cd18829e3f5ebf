-- A replay of blocked events (server/ingest/blocked-replay.ts) releases events the tracking
-- plan blocked at ingest. Their violation rows stay (they did break the plan then, and
-- is_blocked says what ingest did) and now say when the event was released, so the
-- violations page counts "N blocked, M released by replay" and offers a replay only for
-- what is still blocked. Nullable, no default: adding it rewrites nothing.
ALTER TABLE violations ADD COLUMN released_at timestamptz(3);
