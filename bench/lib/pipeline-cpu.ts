/**
 * CPU per event of the ingest pipeline alone, in this process (`process.cpuUsage`), for the
 * bench event through the plain source's config (2 destinations, no rules) and through the
 * governed one (the 200-event plan, 5 filters on each of the 2 destinations), beside what
 * normalising the event costs. Deterministic where the throughput phases are not: it says
 * what the rules cost, whatever the neighbours on the machine do.
 */
import { compileFilter } from '../../server/filters/actions.ts';
import { normalizeEvent } from '../../server/ingest/normalize.ts';
import { runPipeline } from '../../server/ingest/pipeline.ts';
import type { TRoutableDestination, TSourceConfig } from '../../server/ingest/source-config.ts';
import { EMPTY_SUPPRESSION_RULES } from '../../server/privacy/suppression-rules.ts';
import { compilePlan } from '../../server/tracking-plans/validate.ts';
import { eventJson } from './events.ts';
import { GOVERNED_FILTERS } from './governed.ts';
import { GOVERNED_PLAN } from './governed-plan.ts';

function cpuMicros(run: () => void, times: number): number {
  for (let i = 0; i < Math.min(times, 2000); i++) run(); // warm up the JIT
  const start = process.cpuUsage();
  for (let i = 0; i < times; i++) run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / times;
}

export function measurePipelineCpu(times = 100_000): { normalizeUs: number; plainUs: number; governedUs: number } {
  const destination = (n: number, filters: boolean): TRoutableDestination => ({
    id: `00000000-0000-7000-8000-00000000000${n}`, name: `Hook ${n}`, type: 'webhook', typeLabel: 'Webhook', enabled: true, retryWindowSeconds: 14_400,
    filters: filters ? GOVERNED_FILTERS.map((f, i) => compileFilter({ id: `f-${n}-${i}`, title: f.title, version: 1, condition: f.if, action: f.action })) : [],
  });
  const base = { sourceId: 's', workspaceId: 'w', sourceName: 'Bench', enabled: true };
  const plain: TSourceConfig = { ...base, destinations: [destination(1, false), destination(2, false)], trackingPlan: null };
  const governed: TSourceConfig = {
    ...base,
    destinations: [destination(1, true), destination(2, true)],
    trackingPlan: { plan: compilePlan({ id: 'p', version: 1, rules: GOVERNED_PLAN.rules }), unplannedEvents: 'block', violations: 'block' },
  };
  const rules = { suppression: EMPTY_SUPPRESSION_RULES };
  const receivedAt = new Date();
  const events = Array.from({ length: 1000 }, () => normalizeEvent(JSON.parse(eventJson()), { receivedAt }));
  const check = runPipeline(events[0], governed, rules);
  if ('droppedBy' in check.record || check.destinations.length !== 2) throw new Error(`the governed rules drop the bench event: ${JSON.stringify(check.record)}`);
  let i = 0;
  return {
    normalizeUs: cpuMicros(() => normalizeEvent(JSON.parse(eventJson()), { receivedAt }), Math.floor(times / 5)),
    plainUs: cpuMicros(() => runPipeline(events[i++ % events.length], plain, rules), times),
    governedUs: cpuMicros(() => runPipeline(events[i++ % events.length], governed, rules), times),
  };
}
