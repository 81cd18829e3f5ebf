/**
 * Calling procedures from the server: server-rendered pages (app/_server/page-session.ts)
 * and the REST adapter (server/rest) go through the same rule middleware, schemas and
 * handlers as the browser's HTTP calls, so every read is checked by the rule the access
 * matrix tests.
 */
import { appRouter } from './root.ts';
import { createCallerFactory } from './trpc.ts';

export const createCaller = createCallerFactory(appRouter);
export type TCaller = ReturnType<typeof createCaller>;
