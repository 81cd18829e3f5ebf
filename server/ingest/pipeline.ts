/**
 * The ingest pipeline: ordered stages that each look at one normalized event, decide, and
 * record what they decided in the event's `pipeline` column so a trace can show it later.
 * Stages: suppression (GDPR, server/privacy), tracking plan (violations recorded; block, or
 * omit offending properties), routing (which destinations get the event), then destination
 * filters (per routed destination: drop, sample, or change what is sent). A stage may drop
 * the event, which then is stored (with its violations) but gets no jobs; suppression alone
 * drops it from storage too (`isStored: false`): the caller only counts it.
 *
 * Each stage writes `{ decision, reason, … }` under its name; a stage with nothing to say
 * (no filters on any routed destination) writes nothing, so events stay small.
 */
import { applyFilters, type TDestinationDecision, type TFilterStep } from '../filters/actions.ts';
import { suppressedBy, type TSuppressionRules } from '../privacy/suppression-rules.ts';
import { omitOffending, type TViolation } from '../tracking-plans/validate.ts';
import type { TNormalizedEvent } from './normalize.ts';
import type { TRoutableDestination, TSourceConfig } from './source-config.ts';

export interface TStageResult {
  /** What the stage decided, stored under its name in events.pipeline. */
  decision: Record<string, unknown>;
  /** False when the stage drops the event from delivery. */
  isKept: boolean;
  /** The destinations that get a job from here on (routing selects them; filters may remove some). */
  destinations?: TRoutableDestination[];
  /** Per destination id: the payload (JSON) to send instead of the stored event, when a stage changed it. */
  payloads?: Map<string, string>;
  /** The event as later stages see it and destinations get it, when a stage changed it for everyone. */
  payload?: Record<string, unknown>;
  /** Tracking-plan violations to store with the event. */
  violations?: TViolationRecord[];
  /** False when the event must not even be stored (suppression); it is only counted. */
  isStored?: boolean;
}

/** The compiled rules of the event's workspace that stages consult (loaded before the pipeline runs). */
export interface TPipelineRules {
  suppression: TSuppressionRules;
}

export interface TViolationRecord extends TViolation {
  trackingPlanId: string;
  planVersion: number;
  isBlocked: boolean;
}

export interface TPipelineState {
  /** The destinations selected so far. */
  routed: TRoutableDestination[];
  /** The event as it stands (the stored payload unless a stage changed it). */
  payload: Record<string, unknown>;
}

export interface TStage {
  name: string;
  /** Returns null when the stage does not apply to this event (nothing is recorded). */
  run: (event: TNormalizedEvent, source: TSourceConfig, rules: TPipelineRules, state: TPipelineState) => TStageResult | null;
}

/** GDPR suppression: a suppressed subject's events are answered 200 but neither stored nor delivered. */
export const suppressionStage: TStage = {
  name: 'suppression',
  run: (event, _source, rules) => {
    const matched = suppressedBy(rules.suppression, event);
    if (matched === null) return { isKept: true, decision: { decision: 'pass' } };
    return { isKept: false, isStored: false, decision: { decision: 'suppress', reason: `the subject's ${matched.replace('_', ' ')} is suppressed by a privacy request` } };
  },
};

/** How many violations an event's pipeline record lists (all are stored in `violations`). */
const RECORDED_VIOLATIONS = 20;

/**
 * The source's tracking plan: an unplanned track event or a violation is recorded; the
 * source's enforcement blocks the event (stored with its violations, no jobs), omits the
 * offending properties from what is sent, or lets it through.
 */
export const trackingPlanStage: TStage = {
  name: 'trackingPlan',
  run: (event, source, _rules, state) => {
    const enforcement = source.trackingPlan;
    if (!enforcement) return null;
    const { plan } = enforcement;
    const { isPlanned, violations } = plan.check({ type: event.type, name: event.name, payload: state.payload });
    const schemaViolations = violations.filter((v) => v.kind !== 'unplanned_event');
    const blockedBy = !isPlanned && enforcement.unplannedEvents === 'block' ? 'unplanned' : schemaViolations.length > 0 && enforcement.violations === 'block' ? 'violations' : null;
    const isOmitting = !blockedBy && schemaViolations.length > 0 && enforcement.violations === 'omit';
    const payload = isOmitting ? omitOffending(state.payload, schemaViolations) : undefined;
    const records = violations.map((v) => ({ ...v, trackingPlanId: plan.id, planVersion: plan.version, isBlocked: blockedBy !== null }));
    const decision = blockedBy ? 'blocked' : violations.length === 0 ? 'valid' : isOmitting && payload !== state.payload ? 'omitted' : 'violations';
    const reason = blockedBy === 'unplanned'
      ? `blocked: “${event.name}” is not in the tracking plan`
      : blockedBy === 'violations'
        ? `blocked: ${schemaViolations.length} violation${schemaViolations.length === 1 ? '' : 's'} of the tracking plan`
        : violations.length === 0
          ? 'matches the tracking plan'
          : decision === 'omitted'
            ? `offending properties omitted (${schemaViolations.length} violation${schemaViolations.length === 1 ? '' : 's'})`
            : `${violations.length} violation${violations.length === 1 ? '' : 's'}, let through`;
    return {
      isKept: blockedBy === null,
      payload: payload !== state.payload ? payload : undefined,
      violations: records,
      // A valid event (nearly all of them) records only the plan version: its id and an empty
      // list made the governed bench row cross Postgres's 2 KB TOAST threshold (bench/README.md).
      decision: decision === 'valid'
        ? { decision, reason, planVersion: plan.version }
        : {
            decision,
            reason,
            trackingPlanId: plan.id,
            planVersion: plan.version,
            violations: violations.slice(0, RECORDED_VIOLATIONS).map(({ kind, path, rule, message }) => ({ kind, path, rule, message })),
          },
    };
  },
};

/** The integrations object decides, by destination name first, then type label, then "All". */
export function isSelectedByIntegrations(integrations: Record<string, unknown>, destination: TRoutableDestination): boolean {
  for (const key of [destination.name, destination.typeLabel, destination.type]) {
    if (key in integrations) return integrations[key] !== false;
  }
  return integrations.All !== false;
}

export const routingStage: TStage = {
  name: 'routing',
  run: (event, source) => {
    const selected: TRoutableDestination[] = [];
    const skipped: Array<{ id: string; reason: 'disabled' | 'integrations' }> = [];
    for (const destination of source.destinations) {
      if (!destination.enabled) skipped.push({ id: destination.id, reason: 'disabled' });
      else if (!isSelectedByIntegrations(event.integrations, destination)) skipped.push({ id: destination.id, reason: 'integrations' });
      else selected.push(destination);
    }
    return { isKept: true, destinations: selected, decision: { selected: selected.map((d) => d.id), skipped } };
  },
};

/** What the filters stage records for one destination. */
export interface TDestinationFilterRecord {
  decision: TDestinationDecision;
  reason: string;
  filters: TFilterStep[];
}

const isNotable = (record: TDestinationFilterRecord) => record.decision !== 'kept' || record.filters.some((step) => step.effect === 'sampled_in' || step.effect === 'broken');

/**
 * Destination filters, per routed destination, in each destination's filter order. The
 * stage's decision is `filtered` when some destination does not get the event (dropped or
 * sampled out), `changed` when some gets a changed event, `passed` otherwise.
 *
 * When no filter did anything (the common case) the record is one line with how many filters
 * ran; otherwise it holds every destination's decision and every filter's step. Writing all
 * steps for every event doubled the stored row (≈1.1 KB for 10 filters, pushing rows past
 * TOAST's 2 KB) and cost 45 % of ingest throughput in the benchmark.
 */
export const filtersStage: TStage = {
  name: 'filters',
  run: (_event, _source, _rules, { routed, payload }) => {
    if (!routed.some((destination) => destination.filters.length > 0)) return null;
    const kept: TRoutableDestination[] = [];
    const payloads = new Map<string, string>();
    const destinations: Record<string, TDestinationFilterRecord> = {};
    let filtered = 0;
    let changed = 0;
    let evaluated = 0;
    let isAnyNotable = false;
    for (const destination of routed) {
      if (destination.filters.length === 0) {
        kept.push(destination);
        continue;
      }
      const outcome = applyFilters(destination.filters, payload);
      const record: TDestinationFilterRecord = { decision: outcome.decision, reason: outcome.reason, filters: outcome.steps };
      destinations[destination.id] = record;
      evaluated += outcome.steps.length;
      isAnyNotable ||= isNotable(record);
      if (outcome.decision === 'dropped' || outcome.decision === 'sampled_out') {
        filtered++;
        continue;
      }
      kept.push(destination);
      if (outcome.changed) {
        changed++;
        payloads.set(destination.id, JSON.stringify(outcome.changed));
      }
    }
    if (!isAnyNotable) {
      const count = Object.keys(destinations).length;
      return { isKept: true, destinations: kept, decision: { decision: 'passed', reason: `none of ${evaluated} filter${evaluated === 1 ? '' : 's'} on ${count} destination${count === 1 ? '' : 's'} acted` } };
    }
    const decision = filtered > 0 ? 'filtered' : changed > 0 ? 'changed' : 'passed';
    const reason = filtered > 0
      ? `not sent to ${filtered} of ${routed.length} destination${routed.length === 1 ? '' : 's'}${changed > 0 ? `; changed for ${changed}` : ''}`
      : changed > 0 ? `properties changed for ${changed} destination${changed === 1 ? '' : 's'}` : 'no filter dropped or changed the event';
    return { isKept: true, destinations: kept, payloads: payloads.size > 0 ? payloads : undefined, decision: { decision, reason, destinations } };
  },
};

export const STAGES: TStage[] = [suppressionStage, trackingPlanStage, routingStage, filtersStage];

export interface TPipelineOutcome {
  destinations: TRoutableDestination[];
  record: Record<string, unknown>;
  /** Per destination id: what to send instead of the stored payload. */
  payloads?: Map<string, string>;
  violations?: TViolationRecord[];
  /** False when a stage (suppression) says the event must not be stored at all. */
  isStored: boolean;
}

export function runPipeline(event: TNormalizedEvent, source: TSourceConfig, rules: TPipelineRules, stages: TStage[] = STAGES): TPipelineOutcome {
  const record: Record<string, unknown> = {};
  const state: TPipelineState = { routed: [], payload: event.payload };
  let payloads: Map<string, string> | undefined;
  let violations: TViolationRecord[] | undefined;
  for (const stage of stages) {
    const result = stage.run(event, source, rules, state);
    if (!result) continue;
    record[stage.name] = result.decision;
    if (result.violations?.length) violations = [...(violations ?? []), ...result.violations];
    if (!result.isKept) return { destinations: [], record: { ...record, droppedBy: stage.name }, violations, isStored: result.isStored !== false };
    if (result.destinations) state.routed = result.destinations;
    if (result.payload) state.payload = result.payload;
    if (result.payloads) payloads = result.payloads;
  }
  if (state.payload !== event.payload) {
    // A stage changed the event for everyone: every destination a filter did not change gets it.
    const shared = JSON.stringify(state.payload);
    payloads ??= new Map();
    for (const destination of state.routed) if (!payloads.has(destination.id)) payloads.set(destination.id, shared);
  }
  return { destinations: state.routed, record, payloads, violations, isStored: true };
}
