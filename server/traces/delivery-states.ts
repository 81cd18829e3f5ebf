/**
 * One state per (event, destination), as support reads it: from the event's pipeline record
 * (blocked, filtered) and its jobs' latest transitions (pending, retrying, delivered,
 * discarded, archived). A replay creates a newer job; the newest job of a destination wins.
 */
import type { TDeliveryState } from './schemas.ts';

export interface TJobStateRow {
  event_id: string;
  destination_id: string;
  job_id: string;
  created_at: Date;
  expire_at: Date;
  state: string | null;
  attempt: number | null;
  status_code: number | null;
  error_code: string | null;
  at: Date | null;
  is_queued: boolean;
}

export interface TDestinationInfo {
  id: string;
  name: string;
  sourceId: string;
  type: string;
  /** Only an enabled destination can be re-sent to. */
  enabled: boolean;
}

export interface TStateOfDestination {
  destinationId: string;
  state: TDeliveryState;
  job: TJobStateRow | null;
  reason: string | null;
}

type TPipeline = Record<string, unknown>;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Destinations any stage left out, with "<stage>: <reason>" (stages record `skipped: [{ id, reason }]`). */
export function skippedByPipeline(pipeline: TPipeline): Map<string, string> {
  const skipped = new Map<string, string>();
  for (const [stage, decision] of Object.entries(pipeline)) {
    if (!isObject(decision) || !Array.isArray(decision.skipped)) continue;
    for (const entry of decision.skipped) {
      if (isObject(entry) && typeof entry.id === 'string' && !skipped.has(entry.id)) skipped.set(entry.id, `${stage}: ${typeof entry.reason === 'string' ? entry.reason : 'left out'}`);
    }
  }
  return skipped;
}

export function jobState(job: TJobStateRow): TDeliveryState {
  switch (job.state) {
    case 'succeeded':
      return 'delivered';
    case 'discarded':
      return 'discarded';
    case 'archived':
      return 'archived';
    case 'awaiting_retry':
      return 'retrying';
    case 'skipped':
      // The destination type would not send this event (a call type the partner does not take).
      return 'filtered';
    case null:
      return 'pending';
    default:
      // A `replayed` old job whose new one is not there (deleted): it was re-queued, treat as pending while queued.
      return job.is_queued ? 'pending' : 'archived';
  }
}

/** The state of each destination of the event's source, plus any destination that has a job for it. */
export function statesOfEvent({ pipeline, sourceId, jobs, destinations }: { pipeline: TPipeline; sourceId: string; jobs: TJobStateRow[]; destinations: TDestinationInfo[] }): TStateOfDestination[] {
  const newest = new Map<string, TJobStateRow>();
  for (const job of jobs) {
    const seen = newest.get(job.destination_id);
    if (!seen || seen.created_at.getTime() <= job.created_at.getTime()) newest.set(job.destination_id, job);
  }
  const droppedBy = typeof pipeline.droppedBy === 'string' ? pipeline.droppedBy : null;
  const skipped = skippedByPipeline(pipeline);
  const ids = new Set([...destinations.filter((d) => d.sourceId === sourceId).map((d) => d.id), ...newest.keys()]);
  const states: TStateOfDestination[] = [];
  for (const id of ids) {
    const job = newest.get(id) ?? null;
    if (job) states.push({ destinationId: id, state: jobState(job), job, reason: null });
    else if (droppedBy) states.push({ destinationId: id, state: 'blocked', job: null, reason: `${droppedBy} dropped the event` });
    else if (skipped.has(id)) states.push({ destinationId: id, state: 'filtered', job: null, reason: skipped.get(id)! });
    // Neither routed nor skipped: the destination was created after the event arrived.
  }
  return states;
}
