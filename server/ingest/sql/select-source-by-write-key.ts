/**
 * A source's routing config in one round trip: the source, its tracking plan (id, version,
 * enforcement: the rules are read only when the version is new) and its destinations with
 * their enabled filters (in run order). The tracking API looks it up by write key; a replay
 * of blocked events (blocked-replay.ts) by source id.
 */
const SOURCE_CONFIG = /* sql */ `
SELECT s.id AS source_id,
       s.workspace_id,
       s.name AS source_name,
       s.enabled AS source_enabled,
       (SELECT json_agg(json_build_object('id', d.id, 'name', d.name, 'type', d.type, 'enabled', d.enabled, 'delivery', d.delivery,
                         'filters', (SELECT json_agg(json_build_object('id', f.id, 'title', f.title, 'version', f.version, 'condition', f.condition, 'action', f.action)
                                                     ORDER BY f.position, f.created_at)
                                       FROM destination_filters f WHERE f.destination_id = d.id AND f.enabled))
                ORDER BY d.created_at)
          FROM destinations d WHERE d.source_id = s.id) AS destinations,
       (SELECT json_build_object('id', p.id, 'version', p.version, 'unplannedEvents', stp.unplanned_events, 'violations', stp.violations)
          FROM source_tracking_plans stp JOIN tracking_plans p ON p.id = stp.tracking_plan_id
         WHERE stp.source_id = s.id) AS tracking_plan`;

/** $1: the write key (active keys only). */
export const SELECT_SOURCE_BY_WRITE_KEY = /* sql */ `${SOURCE_CONFIG}
  FROM write_keys k
  JOIN sources s ON s.id = k.source_id
 WHERE k.key = $1 AND k.revoked_at IS NULL
`;

/** $1: the source id, $2: its workspace id. */
export const SELECT_SOURCE_BY_ID = /* sql */ `${SOURCE_CONFIG}
  FROM sources s
 WHERE s.id = $1::uuid AND s.workspace_id = $2::uuid
`;
