-- Issue 14: one btree entry fewer per accepted event. The dedupe window's expiry
-- (purgeDedupe, server/events/partitions.ts) is the only reader of received_at, and rows
-- arrive in time order, so a BRIN index (a min/max per 128 pages) finds the expired rows.
-- The purge unsummarizes each range it deletes from, since the freed space is refilled
-- with new rows and a BRIN summary only ever widens.
DROP INDEX event_dedupe_received_at_idx;
CREATE INDEX event_dedupe_received_at_idx ON event_dedupe USING brin (received_at) WITH (autosummarize = on);
