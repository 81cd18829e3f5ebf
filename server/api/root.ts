/** All tRPC routers, registered by hand. */
import { accountRouter } from './routers/account.ts';
import { auditRouter } from './routers/audit.ts';
import { destinationsRouter } from './routers/destinations.ts';
import { eventsRouter } from './routers/events.ts';
import { filtersRouter } from './routers/filters.ts';
import { membersRouter } from './routers/members.ts';
import { privacyRouter } from './routers/privacy.ts';
import { sourcesRouter } from './routers/sources.ts';
import { tokensRouter } from './routers/tokens.ts';
import { trackingPlansRouter } from './routers/tracking-plans.ts';
import { tracesRouter } from './routers/traces.ts';
import { workspacesRouter } from './routers/workspaces.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  workspaces: workspacesRouter,
  account: accountRouter,
  members: membersRouter,
  sources: sourcesRouter,
  destinations: destinationsRouter,
  events: eventsRouter,
  filters: filtersRouter,
  trackingPlans: trackingPlansRouter,
  traces: tracesRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  privacy: privacyRouter,
});

export type AppRouter = typeof appRouter;
