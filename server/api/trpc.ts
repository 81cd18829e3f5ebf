/**
 * The tRPC spine: context (db, session user, client IP, origin), the error formatter that
 * maps AppError codes, and the one middleware that enforces each procedure's declared rule.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { hasRole, type TActor, type TRole } from '../audit/actor.ts';
import { clientIpFromHeaders } from '../auth/client-ip.ts';
import { parseCookieHeader, sessionCookieFrom, userFromSessionCookie } from '../auth/current-user.ts';
import type { TSessionUser } from '../auth/sessions.ts';
import { db as defaultDb, type Db } from '../db/client.ts';
import { AppError, type TAppErrorCode } from '../errors/app-error.ts';
import { isWorkspaceRule, type TMeta } from './rules.ts';

export interface TContext {
  db: Db;
  user: TSessionUser | null;
  ip: string | null;
  /** Whether the request came from another origin (mutations from one are refused). */
  isCrossOrigin: boolean;
}

export async function createContext({ req, db = defaultDb() }: { req: Request; db?: Db }): Promise<TContext> {
  const cookie = sessionCookieFrom((name) => parseCookieHeader(req.headers.get('cookie')).get(name));
  return {
    db,
    user: await userFromSessionCookie({ db, cookie }),
    ip: clientIpFromHeaders((name) => req.headers.get(name)),
    isCrossOrigin: isCrossOrigin(req),
  };
}

function isCrossOrigin(req: Request): boolean {
  if (req.headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = req.headers.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== (req.headers.get('host') ?? new URL(req.url).host);
  } catch {
    return true;
  }
}

const TRPC_CODES: Record<TAppErrorCode, TRPCError['code']> = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_REQUEST: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export function toTrpcError(error: unknown): unknown {
  if (error instanceof AppError) return new TRPCError({ code: TRPC_CODES[error.code], message: error.message, cause: error });
  return error;
}

const t = initTRPC
  .context<TContext>()
  .meta<TMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const fieldErrors =
        cause instanceof ZodError
          ? Object.fromEntries(cause.issues.map((issue) => [issue.path.join('.'), issue.message]))
          : cause instanceof AppError
            ? (cause.issues ?? null)
            : null;
      const message = error.code === 'INTERNAL_SERVER_ERROR' && !(cause instanceof AppError) ? 'Something went wrong on our side.' : shape.message;
      return { ...shape, message, data: { ...shape.data, stack: undefined, fieldErrors } };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

const ZWorkspaceInput = z.object({ workspaceId: z.uuid() });

interface TScope {
  actor: TActor | null;
  workspace: { id: string; role: TRole } | null;
}

/** Enforces the declared rule. Adds `actor` (and `workspace` for workspace rules). */
const enforceRule = t.middleware(async ({ ctx, meta, type, getRawInput, next }) => {
  const rule = meta?.rule;
  if (!rule) throw new TRPCError({ code: 'FORBIDDEN', message: 'This procedure declares no access rule.' });
  if (type === 'mutation' && ctx.isCrossOrigin) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-origin requests may not change anything.' });
  }
  const scope: TScope = { actor: null, workspace: null };
  if (rule !== 'public') {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
    scope.actor = { type: 'user', id: ctx.user.id, label: ctx.user.email, role: null, ip: ctx.ip };
  }
  if (scope.actor && ctx.user && isWorkspaceRule(rule)) {
    const parsed = ZWorkspaceInput.safeParse(await getRawInput());
    if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', message: 'workspaceId is required' });
    const membership = await ctx.db.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: parsed.data.workspaceId, userId: ctx.user.id } },
    });
    if (!membership) throw new TRPCError({ code: 'NOT_FOUND', message: 'workspace not found' });
    if (!hasRole(membership.role, rule)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `Your role (${membership.role}) cannot do this; it needs ${rule}.` });
    }
    scope.actor.role = membership.role;
    scope.workspace = { id: membership.workspaceId, role: membership.role };
  }
  return next({ ctx: scope });
});

/** Maps AppError thrown by domain code to tRPC errors. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTrpcError(result.error.cause instanceof AppError ? result.error.cause : result.error);
  return result;
});

const base = t.procedure.use(mapErrors).use(enforceRule);

export const publicProcedure = base.meta({ rule: 'public' });
export const signedInProcedure = base.meta({ rule: 'signedIn' }).use(({ ctx, next }) => {
  if (!ctx.actor || !ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  return next({ ctx: { actor: ctx.actor, user: ctx.user } });
});

/** A procedure on one workspace, for members holding at least `role`. */
export function workspaceProcedure(role: TRole) {
  return base
    .meta({ rule: role })
    .input(ZWorkspaceInput)
    .use(({ ctx, next }) => {
      if (!ctx.actor || !ctx.workspace) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
      return next({ ctx: { actor: ctx.actor, workspace: ctx.workspace } });
    });
}
