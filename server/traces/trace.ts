/**
 * One event's whole path as one read: received (as sent, client, timestamps), every pipeline
 * decision (rendered generically, so new stages show without code here), and per
 * destination the job's state and every attempt with the request sent, the answer and the
 * retry decision in words. A member of another workspace gets NOT_FOUND for any event id.
 */
import type { Db } from '../db/client.ts';
import { notFound } from '../errors/app-error.ts';
import type { TAsSent } from '../ingest/normalize.ts';
import { STAGES } from '../ingest/pipeline.ts';
import type { TSentRequest } from './sent-request.ts';
import { decisionInWords, windowInWords } from './decision-words.ts';
import { jobState, statesOfEvent, type TJobStateRow } from './delivery-states.ts';
import { explainTimestamp, rebuildAsSent } from './received.ts';
import type { TAttempt, TDeliveryTrace, TTrace } from './schemas.ts';
import { workspaceDestinations, type TEventSummaryRow } from './search.ts';
import { TRACE_EVENT, TRACE_HELD, TRACE_JOBS, TRACE_TRANSITIONS } from './sql/trace.ts';

interface TEventRow extends TEventSummaryRow {
  sent_at: Date | null;
  original_timestamp: Date | null;
  payload: unknown;
  /** The payload as the worker sends it (jsonb's text form). */
  payload_text: string;
  client_ip: string | null;
  user_agent: string | null;
  as_sent: TAsSent | null;
}

interface TJobRow {
  id: string;
  created_at: Date;
  destination_id: string;
  expire_at: Date;
  /** The job's own payload when a destination filter changed the event for it (then that is what was sent). */
  job_payload: string | null;
  queued_run_at: Date | null;
  lease_owner: string | null;
}

interface TTransitionRow {
  job_id: string;
  attempt: number;
  state: string;
  at: Date;
  status_code: number | null;
  error_code: string | null;
  latency_ms: number | null;
  response_excerpt: string | null;
  retry_at: Date | null;
  request: TSentRequest | null;
  /** The destination type's reading of the answer (or why it skipped the event). */
  explanation: string | null;
}

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Event ids are UUIDv7 stamped with receivedAt, the partition key: the lookup is one primary-key probe. */
export function receivedAtOfEventId(eventId: string): Date | null {
  if (!UUID7.test(eventId)) return null;
  return new Date(Number.parseInt(eventId.replaceAll('-', '').slice(0, 12), 16));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function pipelineSteps(pipeline: Record<string, unknown>, names: Map<string, string>): TTrace['pipeline'] {
  const droppedBy = typeof pipeline.droppedBy === 'string' ? pipeline.droppedBy : null;
  const name = (id: unknown) => (typeof id === 'string' ? (names.get(id) ?? 'a deleted destination') : String(id));
  // jsonb keeps keys in its own order (shorter first), not the order stages ran: put them back in the pipeline's order, stages it no longer has last.
  const rank = (stage: string) => {
    const index = STAGES.findIndex((s) => s.name === stage);
    return index === -1 ? STAGES.length : index;
  };
  return Object.entries(pipeline)
    .filter(([stage]) => stage !== 'droppedBy')
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([stage, details]) => {
      const d = isObject(details) ? details : {};
      const decision = typeof d.decision === 'string' ? d.decision : droppedBy === stage ? 'dropped' : 'passed';
      let reason = typeof d.reason === 'string' ? d.reason : null;
      if (!reason) {
        const parts: string[] = [];
        if (Array.isArray(d.selected)) parts.push(d.selected.length ? `sent to ${d.selected.map(name).join(', ')}` : 'sent to no destination');
        if (Array.isArray(d.skipped)) for (const s of d.skipped) if (isObject(s)) parts.push(`left out ${name(s.id)}${typeof s.reason === 'string' ? ` (${s.reason})` : ''}`);
        reason = parts.length ? parts.join('; ') : null;
      }
      return { stage, decision, reason, details };
    });
}

function requestOf(request: TSentRequest | null, payload: string, firstBodies: Map<string, string>): TAttempt['request'] {
  if (!request) return null;
  const { body } = request;
  if (body.is === 'event') return { method: request.method, url: request.url, headers: request.headers, body: payload, bodyIs: 'event' };
  if (body.is === 'stored') return { method: request.method, url: request.url, headers: request.headers, body: body.text, bodyIs: 'built' };
  const first = firstBodies.get(body.digest);
  return { method: request.method, url: request.url, headers: request.headers, body: first ?? null, bodyIs: first ? 'built' : 'unknown' };
}

/** The kept answer headers; attempts recorded before headers were kept had only Retry-After. */
function responseHeadersOf(request: TSentRequest | null): Record<string, string> {
  if (request?.responseHeaders) return request.responseHeaders;
  return request?.retryAfterSeconds != null ? { 'retry-after': String(request.retryAfterSeconds) } : {};
}

function summaryOf(state: TDeliveryTrace['state'], attempts: TAttempt[], reason: string | null, queuedRunAt: Date | null): string {
  const last = attempts.filter((a) => a.state !== 'replayed').at(-1);
  switch (state) {
    case 'delivered':
      return `Delivered at attempt ${last?.attempt ?? 1}${last?.statusCode ? ` (HTTP ${last.statusCode})` : ''}.`;
    case 'retrying':
      return `Retrying after ${attempts.length} failed attempt${attempts.length === 1 ? '' : 's'}${queuedRunAt ? `; next attempt at ${queuedRunAt.toISOString().slice(11, 19)} UTC` : ''}.`;
    case 'pending':
      return 'Waiting for its first attempt.';
    case 'discarded':
      return last?.decision ?? 'Discarded.';
    case 'archived':
      return last?.decision ?? 'Archived; it can be replayed.';
    case 'filtered':
      return `Not sent: ${reason ?? 'a pipeline stage left this destination out'}.`;
    case 'blocked':
      return `Not sent: ${reason ?? 'the event was dropped before delivery'}.`;
  }
}

/**
 * Each job's retry window as the worker applies it: `expire_at` moved on by the time its
 * destination was held (Retry-After pauses, settings that could not work) since the job was
 * created, up to now for a job still queued, else up to its last outcome. heldMs is null
 * when that is no longer known (held spans older than any job can need are pruned).
 */
async function retryWindows(db: Db, jobs: TJobRow[], transitions: TTransitionRow[]): Promise<Map<string, { endsAt: Date; heldMs: number | null }>> {
  if (jobs.length === 0) return new Map();
  const endedAt = jobs.map((job) => {
    if (job.queued_run_at !== null) return null;
    const last = transitions.filter((t) => t.job_id === job.id && t.state !== 'replayed').at(-1);
    return (last?.at ?? job.created_at).toISOString();
  });
  const rows = await db.$queryRawUnsafe<Array<{ job_id: string; held_ms: number | null }>>(
    TRACE_HELD,
    jobs.map((job) => job.id),
    jobs.map((job) => job.destination_id),
    jobs.map((job) => job.created_at.toISOString()),
    endedAt,
  );
  const held = new Map(rows.map((row) => [row.job_id, row.held_ms === null ? null : Math.round(row.held_ms)]));
  return new Map(jobs.map((job) => {
    const heldMs = held.get(job.id) ?? null;
    return [job.id, { endsAt: new Date(job.expire_at.getTime() + (heldMs ?? 0)), heldMs }];
  }));
}

export async function getTrace({ db, workspaceId, eventId }: { db: Db; workspaceId: string; eventId: string }): Promise<TTrace> {
  const receivedAt = receivedAtOfEventId(eventId);
  if (!receivedAt || Number.isNaN(receivedAt.getTime())) throw notFound('event');
  const [event] = await db.$queryRawUnsafe<TEventRow[]>(TRACE_EVENT, receivedAt, eventId, workspaceId);
  if (!event) throw notFound('event');
  const [jobs, destinations, source] = await Promise.all([
    db.$queryRawUnsafe<TJobRow[]>(TRACE_JOBS, event.id, event.received_at),
    workspaceDestinations(db, workspaceId),
    db.source.findFirst({ where: { id: event.source_id, workspaceId }, select: { name: true } }),
  ]);
  const transitions = jobs.length ? await db.$queryRawUnsafe<TTransitionRow[]>(TRACE_TRANSITIONS, jobs.map((j) => j.id), event.received_at) : [];
  const windows = await retryWindows(db, jobs, transitions);
  const payloadText = event.payload_text;
  const names = new Map(destinations.map((d) => [d.id, d.name]));
  const byId = new Map(destinations.map((d) => [d.id, d]));

  const jobStates: TJobStateRow[] = jobs.map((job) => {
    const last = transitions.filter((t) => t.job_id === job.id).at(-1) ?? null;
    return { event_id: event.id, destination_id: job.destination_id, job_id: job.id, created_at: job.created_at, expire_at: windows.get(job.id)!.endsAt, state: last?.state ?? null, attempt: last?.attempt ?? null, status_code: last?.status_code ?? null, error_code: last?.error_code ?? null, at: last?.at ?? null, is_queued: job.queued_run_at !== null };
  });
  const pipeline = event.pipeline ?? {};
  const deliveries: TDeliveryTrace[] = statesOfEvent({ pipeline, sourceId: event.source_id, jobs: jobStates, destinations }).map((s) => {
    // Every job of this destination (a replay adds one), oldest first, attempts in order.
    const destinationJobs = jobs.filter((j) => j.destination_id === s.destinationId);
    const firstBodies = new Map<string, string>();
    const attempts: TAttempt[] = [];
    for (const job of destinationJobs) {
      for (const t of transitions.filter((row) => row.job_id === job.id)) {
        if (t.request?.body.is === 'stored') firstBodies.set(t.request.body.digest, t.request.body.text);
        attempts.push({
          attempt: t.attempt,
          at: t.at,
          state: t.state,
          isReplay: destinationJobs.indexOf(job) > 0,
          request: requestOf(t.request, job.job_payload ?? payloadText, firstBodies),
          statusCode: t.status_code,
          errorCode: t.error_code,
          latencyMs: t.latency_ms,
          responseExcerpt: t.response_excerpt,
          retryAfterSeconds: t.request?.retryAfterSeconds ?? null,
          responseHeaders: responseHeadersOf(t.request),
          retryAt: t.retry_at,
          decision: [decisionInWords({ state: t.state, attempt: t.attempt, statusCode: t.status_code, errorCode: t.error_code, retryAt: t.retry_at, retryAfterSeconds: t.request?.retryAfterSeconds ?? null, responseExcerpt: t.state === 'skipped' ? (t.explanation ?? t.response_excerpt) : t.response_excerpt, expireAt: windows.get(job.id)!.endsAt }), t.state !== 'skipped' && t.explanation ? `The destination says: ${t.explanation}` : null].filter(Boolean).join(' '),
        });
      }
    }
    const newest = destinationJobs.at(-1) ?? null;
    const window = newest ? windows.get(newest.id)! : null;
    const state = s.job ? jobState(s.job) : s.state;
    return {
      destinationId: s.destinationId,
      destinationName: names.get(s.destinationId) ?? 'deleted destination',
      destinationType: byId.get(s.destinationId)?.type ?? null,
      state,
      summary: summaryOf(state, attempts, s.reason, newest?.queued_run_at ?? null),
      jobId: newest?.id ?? null,
      expireAt: window?.endsAt ?? null,
      heldMs: window?.heldMs ?? null,
      windowNote: newest && window ? windowInWords({ ...window, scheduledEnd: newest.expire_at }) : null,
      attempts,
    };
  });
  return {
    event: { id: event.id, messageId: event.message_id, type: event.type, name: event.name, userId: event.user_id, anonymousId: event.anonymous_id, email: event.email, sourceId: event.source_id, sourceName: source?.name ?? 'deleted source', payload: event.payload },
    received: {
      asSent: rebuildAsSent(event.payload, event.as_sent),
      hadWriteKey: Boolean(event.as_sent?.hadWriteKey),
      added: event.as_sent?.added ?? [],
      clientIp: event.client_ip,
      userAgent: event.user_agent,
      receivedAt: event.received_at,
      sentAt: event.sent_at,
      originalTimestamp: event.original_timestamp,
      timestamp: event.timestamp,
      timestampExplained: explainTimestamp({ receivedAt: event.received_at, sentAt: event.sent_at, originalTimestamp: event.original_timestamp, timestamp: event.timestamp }),
    },
    pipeline: pipelineSteps(pipeline, names),
    deliveries,
    isPending: deliveries.some((d) => d.state === 'pending' || d.state === 'retrying'),
  };
}

/** The event's identity for actions on it (re-send), or NOT_FOUND outside the workspace. */
export async function findEvent({ db, workspaceId, eventId }: { db: Db; workspaceId: string; eventId: string }): Promise<{ id: string; receivedAt: Date; sourceId: string }> {
  const receivedAt = receivedAtOfEventId(eventId);
  if (!receivedAt || Number.isNaN(receivedAt.getTime())) throw notFound('event');
  const event = await db.event.findFirst({ where: { receivedAt, id: eventId, workspaceId }, select: { id: true, receivedAt: true, sourceId: true } });
  if (!event) throw notFound('event');
  return event;
}

/** The event a delivery job belongs to (the destination page links attempts to traces by job). */
export async function findEventOfJob({ db, workspaceId, jobId }: { db: Db; workspaceId: string; jobId: string }): Promise<string> {
  // job_transitions' primary key leads with job_id and carries job_created_at, the jobs partition key.
  const [row] = await db.$queryRawUnsafe<Array<{ event_id: string }>>(
    `SELECT j.event_id FROM jobs j
      WHERE j.id = $1::uuid AND j.workspace_id = $2::uuid
        AND j.created_at = (SELECT t.job_created_at FROM job_transitions t WHERE t.job_id = $1::uuid LIMIT 1)`,
    jobId,
    workspaceId,
  );
  if (!row) throw notFound('delivery');
  return row.event_id;
}
