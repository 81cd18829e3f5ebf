import { identityKeySql } from '../identity.ts';

/**
 * The identity rows of events, computed in SQL from the event rows themselves, the same
 * digests ingest computes in TypeScript (server/traces/identity.ts `identitiesOf`): the
 * message ID, the user ID, an alias call's previousId (as a user ID), the anonymous ID, and
 * the e-mails at traits.email, context.traits.email and properties.email (lower-cased,
 * trimmed). `source` names a relation with `workspace_id, id, received_at, message_id,
 * type, user_id, anonymous_id, payload` (a CTE over RETURNING rows, or events themselves).
 *
 * Every path that stores events without the ingest statement must write these rows too
 * (`INSERT_IDENTITIES_OF_EVENTS`, or `identityRowsSql` inside its own statement), or support
 * search and privacy deletions cannot find its events: `server/privacy/event-writers.test.ts`
 * fails when a new one does not. The privacy deletion uses the same rows to remove them.
 */
export function identityRowsSql(source: string, workspaceSql = 'src.workspace_id'): string {
  return /* sql */ `
SELECT DISTINCT src.received_at, src.id, ${identityKeySql(workspaceSql, 'k.kind', 'k.value')} AS identity
  FROM ${source} src
  CROSS JOIN LATERAL (VALUES
    ('message', src.message_id), ('user', src.user_id), ('anon', src.anonymous_id),
    ('user', CASE WHEN src.type = 'alias' THEN src.payload ->> 'previousId' END),
    ('email', lower(btrim(src.payload #>> '{traits,email}'))),
    ('email', lower(btrim(src.payload #>> '{context,traits,email}'))),
    ('email', lower(btrim(src.payload #>> '{properties,email}')))) AS k(kind, value)
 WHERE k.value IS NOT NULL AND k.value <> ''`;
}

/** Writes the identity rows of the stored events $1 (uuid[]); rows already there are kept. Returns one row per row written. */
export const INSERT_IDENTITIES_OF_EVENTS = /* sql */ `
WITH chosen AS (SELECT e.workspace_id, e.id, e.received_at, e.message_id, e.type, e.user_id, e.anonymous_id, e.payload FROM events e WHERE e.id = ANY($1::uuid[]))
INSERT INTO event_identities (identity, received_at, event_id)
SELECT r.identity, r.received_at, r.id FROM (${identityRowsSql('chosen')}) r
ON CONFLICT DO NOTHING
RETURNING 1`;
