/**
 * The public REST API's route table. Each route declares its access rule; the dispatcher
 * (dispatch.ts) authenticates the bearer token, enforces the rule and validates input;
 * handlers call the same domain functions as the tRPC procedures.
 */
import { z } from 'zod';
import { listAuditEntries } from '../audit/audit.ts';
import { getDestinationActivity, ZDestinationActivity } from '../delivery/activity.ts';
import { createReplay, ZReplayInput } from '../delivery/replays.ts';
import { listEvents, ZEventFilter, ZEventView } from '../events/list-events.ts';
import { createDestination, deleteDestination, getDestination, listDestinations, rotateSigningSecret, updateDestination } from '../destinations/destinations.ts';
import { addWriteKey, createSource, deleteSource, getSource, listSources, revokeWriteKey, updateSource } from '../sources/sources.ts';
import {
  listOf,
  ZAuditEntry,
  ZDestination,
  ZDestinationCreate,
  ZDestinationCreated,
  ZDestinationUpdate,
  ZSource,
  ZSourceCreate,
  ZSourceUpdate,
  ZWorkspaceInfo,
  ZWriteKey,
} from './schemas.ts';
import type { TRestRoute } from './types.ts';

export const REST_ROUTES: TRestRoute[] = [
  {
    method: 'GET', path: '/workspace', rule: 'support', tag: 'Workspace', summary: 'The workspace and role of the calling token',
    response: ZWorkspaceInfo,
    handle: async ({ db, workspaceId, actor }) => {
      const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
      return { id: workspace.id, name: workspace.name, slug: workspace.slug, token: { name: actor.label.replace(/^token:/, ''), role: actor.role } };
    },
  },
  {
    method: 'GET', path: '/sources', rule: 'support', tag: 'Sources', summary: 'List sources with their write keys',
    response: listOf(ZSource),
    handle: async ({ db, workspaceId }) => ({ data: await listSources({ db, workspaceId }) }),
  },
  {
    method: 'POST', path: '/sources', rule: 'editor', tag: 'Sources', summary: 'Create a source (it gets one write key)',
    body: ZSourceCreate, response: ZSource, status: 201,
    handle: ({ db, workspaceId, actor, body }) => createSource({ db, workspaceId, actor, name: (body as z.infer<typeof ZSourceCreate>).name }),
  },
  {
    method: 'GET', path: '/sources/{id}', rule: 'support', tag: 'Sources', summary: 'Get a source',
    response: ZSource,
    handle: ({ db, workspaceId, params }) => getSource({ db, workspaceId, sourceId: params.id }),
  },
  {
    method: 'PATCH', path: '/sources/{id}', rule: 'editor', tag: 'Sources', summary: 'Rename, enable or disable a source',
    body: ZSourceUpdate, response: ZSource,
    handle: ({ db, workspaceId, actor, params, body }) => updateSource({ db, workspaceId, actor, sourceId: params.id, ...(body as z.infer<typeof ZSourceUpdate>) }),
  },
  {
    method: 'DELETE', path: '/sources/{id}', rule: 'editor', tag: 'Sources', summary: 'Delete a source and its destinations',
    status: 204,
    handle: ({ db, workspaceId, actor, params }) => deleteSource({ db, workspaceId, actor, sourceId: params.id }),
  },
  {
    method: 'POST', path: '/sources/{id}/write-keys', rule: 'editor', tag: 'Sources', summary: 'Add a write key (rotate without downtime: add, deploy, revoke the old one)',
    response: ZWriteKey, status: 201,
    handle: ({ db, workspaceId, actor, params }) => addWriteKey({ db, workspaceId, actor, sourceId: params.id }),
  },
  {
    method: 'DELETE', path: '/sources/{id}/write-keys/{key}', rule: 'editor', tag: 'Sources', summary: 'Revoke a write key (by its value or id); the last active key cannot be revoked',
    response: ZWriteKey,
    handle: ({ db, workspaceId, actor, params }) => revokeWriteKey({ db, workspaceId, actor, sourceId: params.id, keyIdOrValue: params.key }),
  },
  {
    method: 'GET', path: '/destinations', rule: 'support', tag: 'Destinations', summary: 'List destinations (secrets masked)',
    query: z.object({ sourceId: z.uuid().optional() }), response: listOf(ZDestination),
    handle: async ({ db, workspaceId, query }) => ({ data: await listDestinations({ db, workspaceId, sourceId: query.sourceId as string | undefined }) }),
  },
  {
    method: 'POST', path: '/destinations', rule: 'editor', tag: 'Destinations', summary: 'Create a destination; a webhook\'s signing secret is returned by this response only',
    body: ZDestinationCreate, response: ZDestinationCreated, status: 201,
    handle: async ({ db, workspaceId, actor, body }) => {
      const { destination, signingSecret } = await createDestination({ db, workspaceId, actor, input: body as z.infer<typeof ZDestinationCreate> });
      return { ...destination, signingSecret };
    },
  },
  {
    method: 'GET', path: '/destinations/{id}', rule: 'support', tag: 'Destinations', summary: 'Get a destination (secrets masked)',
    response: ZDestination,
    handle: ({ db, workspaceId, params }) => getDestination({ db, workspaceId, destinationId: params.id }),
  },
  {
    method: 'PATCH', path: '/destinations/{id}', rule: 'editor', tag: 'Destinations', summary: 'Update a destination; omitted fields keep their values, a header set to null keeps its stored value',
    body: ZDestinationUpdate, response: ZDestination,
    handle: ({ db, workspaceId, actor, params, body }) => updateDestination({ db, workspaceId, actor, destinationId: params.id, patch: body as z.infer<typeof ZDestinationUpdate> }),
  },
  {
    method: 'DELETE', path: '/destinations/{id}', rule: 'editor', tag: 'Destinations', summary: 'Delete a destination',
    status: 204,
    handle: ({ db, workspaceId, actor, params }) => deleteDestination({ db, workspaceId, actor, destinationId: params.id }),
  },
  {
    method: 'GET', path: '/destinations/{id}/activity', rule: 'support', tag: 'Destinations', summary: 'Deliveries of the last hour by outcome, the queue, and the latest attempts',
    response: ZDestinationActivity,
    handle: ({ db, workspaceId, params }) => getDestinationActivity({ db, workspaceId, destinationId: params.id }),
  },
  {
    method: 'POST', path: '/destinations/{id}/replays', rule: 'editor', tag: 'Destinations', summary: 'Re-deliver archived and/or discarded events created in a time range',
    body: ZReplayInput, response: z.object({ replayId: z.string(), queued: z.number().int() }), status: 201,
    handle: ({ db, workspaceId, actor, params, body }) => createReplay({ db, workspaceId, actor, destinationId: params.id, input: body as z.infer<typeof ZReplayInput> }),
  },
  {
    method: 'POST', path: '/destinations/{id}/signing-secret', rule: 'editor', tag: 'Destinations', summary: 'Rotate the signing secret: the new one is returned once; the old one keeps signing for 24 h',
    response: z.object({ signingSecret: z.string(), previousValidUntil: z.date() }), status: 201,
    handle: async ({ db, workspaceId, actor, params }) => {
      const { signingSecret, previousValidUntil } = await rotateSigningSecret({ db, workspaceId, actor, destinationId: params.id });
      return { signingSecret, previousValidUntil };
    },
  },
  {
    method: 'GET', path: '/events', rule: 'support', tag: 'Events', summary: 'Stored events, newest first (keyset pagination: pass nextCursor as cursor)',
    query: ZEventFilter.pick({ sourceId: true, userId: true, anonymousId: true, messageId: true, type: true }).extend({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(200).optional(),
    }),
    response: z.object({ data: z.array(ZEventView), nextCursor: z.string().nullable() }),
    handle: async ({ db, workspaceId, query }) => {
      const { limit, cursor, ...filter } = query as z.infer<typeof ZEventFilter> & { limit: number; cursor?: string };
      const { events, nextCursor } = await listEvents({ db, workspaceId, filter, limit, cursor });
      return { data: events, nextCursor };
    },
  },
  {
    method: 'GET', path: '/audit-entries', rule: 'admin', tag: 'Audit', summary: 'The audit trail, newest first (keyset pagination)',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().regex(/^\d+$/).optional(), action: z.string().max(80).optional() }),
    response: z.object({ data: z.array(ZAuditEntry), nextCursor: z.string().nullable() }),
    handle: async ({ db, workspaceId, query }) => {
      const { entries, nextCursor } = await listAuditEntries({ db, workspaceId, limit: query.limit as number, cursor: query.cursor as string | undefined, action: query.action as string | undefined });
      return { data: entries, nextCursor };
    },
  },
];
