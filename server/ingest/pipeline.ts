/**
 * The ingest pipeline: ordered stages that each look at one normalized event, decide, and
 * record what they decided in the event's `pipeline` column so a trace can show it later.
 * Stages: suppression (GDPR, server/privacy) first, then routing (which destinations get
 * the event). Tracking-plan validation and destination filters slot in between in STAGES.
 * A stage may drop the event, which then is stored but gets no jobs; suppression alone
 * drops it from storage too (`isStored: false`): the caller only counts it.
 */
import { suppressedBy, type TSuppressionRules } from '../privacy/suppression-rules.ts';
import type { TNormalizedEvent } from './normalize.ts';
import type { TRoutableDestination, TSourceConfig } from './source-config.ts';

export interface TStageResult {
  /** What the stage decided, stored under its name in events.pipeline. */
  decision: Record<string, unknown>;
  /** False when the stage drops the event from delivery. */
  isKept: boolean;
  /** For routing: the destinations that get a job. */
  destinations?: TRoutableDestination[];
  /** False when the event must not even be stored (suppression); it is only counted. */
  isStored?: boolean;
}

/** The compiled rules of the event's workspace that stages consult (loaded before the pipeline runs). */
export interface TPipelineRules {
  suppression: TSuppressionRules;
}

export interface TStage {
  name: string;
  run: (event: TNormalizedEvent, source: TSourceConfig, rules: TPipelineRules) => TStageResult;
}

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

/** GDPR suppression: a suppressed subject's events are answered 200 but neither stored nor delivered. */
export const suppressionStage: TStage = {
  name: 'suppression',
  run: (event, _source, rules) => {
    const matched = suppressedBy(rules.suppression, event);
    if (matched === null) return { isKept: true, decision: { decision: 'pass' } };
    return { isKept: false, isStored: false, decision: { decision: 'suppress', reason: `the subject's ${matched.replace('_', ' ')} is suppressed by a privacy request` } };
  },
};

export const STAGES: TStage[] = [suppressionStage, routingStage];

export interface TPipelineOutcome {
  destinations: TRoutableDestination[];
  record: Record<string, unknown>;
  /** False when a stage (suppression) says the event must not be stored at all. */
  isStored: boolean;
}

export function runPipeline(event: TNormalizedEvent, source: TSourceConfig, rules: TPipelineRules, stages: TStage[] = STAGES): TPipelineOutcome {
  const record: Record<string, unknown> = {};
  let destinations: TRoutableDestination[] = [];
  for (const stage of stages) {
    const result = stage.run(event, source, rules);
    record[stage.name] = result.decision;
    if (!result.isKept) return { destinations: [], record: { ...record, droppedBy: stage.name }, isStored: result.isStored !== false };
    if (result.destinations) destinations = result.destinations;
  }
  return { destinations, record, isStored: true };
}
