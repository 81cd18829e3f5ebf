/**
 * A second source for the "governed" ingest phase: the same two webhook destinations, each
 * with 5 enabled filters evaluated on every event, and a tracking plan of 200 events
 * (bench/lib/governed-plan.ts) enforced with "block" for unplanned events and violations.
 * Four conditions do not match the bench event and one matches with a property removal of
 * a path the event lacks, and the event is valid against the plan, so every rule is
 * compiled once, evaluated on every event and recorded, and the same rows are written as
 * without them: the figure prices the rules, not fewer jobs.
 */
import { createDb } from '../../server/db/client.ts';
import { createFilter } from '../../server/filters/filters.ts';
import { createIngestFixture } from '../../server/ingest/test-fixtures.ts';
import type { TFilterInput } from '../../server/filters/filters.ts';
import { createTrackingPlan, setSourceTrackingPlan } from '../../server/tracking-plans/plans.ts';
import { GOVERNED_PLAN } from './governed-plan.ts';

export const GOVERNED_FILTERS: TFilterInput[] = [
  { title: 'No test events', if: 'event in ["Test Event", "Debug"] or properties.isTest = true', action: { type: 'drop' } },
  { title: 'No bots', if: 'lowercase(context.userAgent) contains "bot" or context.userAgent match "*Headless*"', action: { type: 'drop' } },
  { title: 'Sample page views', if: 'type = "page" and not userId exists', action: { type: 'sample', percent: 0.1, path: 'anonymousId' } },
  { title: 'Big orders only', if: 'event = "Order Completed" and properties.total < 1 and length(properties.products) > 10', action: { type: 'drop' } },
  { title: 'No e-mail on checkout', if: 'context.page.path match "/checkout/*"', action: { type: 'drop_properties', paths: ['properties.email', 'traits.email'] } },
];

export async function createGovernedSource(url: string) {
  const db = createDb(url, { max: 2 });
  const fixture = await createIngestFixture(db);
  for (const destination of fixture.destinations) {
    for (const input of GOVERNED_FILTERS) await createFilter({ db, workspaceId: fixture.workspaceId, actor: fixture.actor, destinationId: destination.id, input });
  }
  const plan = await createTrackingPlan({ db, workspaceId: fixture.workspaceId, actor: fixture.actor, input: GOVERNED_PLAN });
  await setSourceTrackingPlan({ db, workspaceId: fixture.workspaceId, actor: fixture.actor, sourceId: fixture.sourceId, input: { trackingPlanId: plan.id, unplannedEvents: 'block', violations: 'block' } });
  await db.$disconnect();
  return { ...fixture, planEvents: GOVERNED_PLAN.rules.events.length };
}
