/**
 * The ingest pipeline: ordered stages that each look at one normalized event, decide, and
 * record what they decided in the event's `pipeline` column so a trace can show it later.
 * Today it has one stage, routing (which destinations get the event). Suppression (GDPR),
 * tracking-plan validation and destination filters are later stages that slot in before
 * routing in STAGES; a stage may drop the event, which then is stored but gets no jobs.
 */
import type { TNormalizedEvent } from './normalize.ts';
import type { TRoutableDestination, TSourceConfig } from './source-config.ts';

export interface TStageResult {
  /** What the stage decided, stored under its name in events.pipeline. */
  decision: Record<string, unknown>;
  /** False when the stage drops the event from delivery. */
  isKept: boolean;
  /** For routing: the destinations that get a job. */
  destinations?: TRoutableDestination[];
}

export interface TStage {
  name: string;
  run: (event: TNormalizedEvent, source: TSourceConfig) => TStageResult;
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

export const STAGES: TStage[] = [routingStage];

export interface TPipelineOutcome {
  destinations: TRoutableDestination[];
  record: Record<string, unknown>;
}

export function runPipeline(event: TNormalizedEvent, source: TSourceConfig, stages: TStage[] = STAGES): TPipelineOutcome {
  const record: Record<string, unknown> = {};
  let destinations: TRoutableDestination[] = [];
  for (const stage of stages) {
    const result = stage.run(event, source);
    record[stage.name] = result.decision;
    if (!result.isKept) return { destinations: [], record: { ...record, droppedBy: stage.name } };
    if (result.destinations) destinations = result.destinations;
  }
  return { destinations, record };
}
