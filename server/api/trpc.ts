/**
 * The tRPC spine: context (db, session user, client IP, origin), the error formatter that
 * maps AppError codes, and the one middleware that enforces each procedure's declared rule.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import type { TActor } from '../audit/actor.ts';
import { clientIpFromHeaders } from '../auth/client-ip.ts';
import { parseCookieHeader, sessionCookieFrom, userFromSessionCookie } from '../auth/current-user.ts';
import { hasRole, type TRole } from '../auth/roles.ts';
import type { TSessionUser } from '../auth/sessions.ts';
import { db as defaultDb, type Db } from '../db/client.ts';
import { AppError } from '../errors/app-error.ts';
import { ERROR_TABLE, issuesOfZod } from '../errors/error-table.ts';
import type { TTokenPrincipal } from '../tokens/api-tokens.ts';
import { isWorkspaceRule, type TMeta } from './rules.ts';

export interface TContext {
  db: Db;
  user: TSessionUser | null;
  /** The API token of a REST call (server/rest); null for the browser. */
  token: TTokenPrincipal | null;
  ip: string | null;
  /** Whether the request came from another origin (mutations from one are refused). */
  isCrossOrigin: boolean;
}

export async function createContext({ req, db = defaultDb() }: { req: Request; db?: Db }): Promise<TContext> {
  return contextFromHeaders({ headers: req.headers, url: req.url, db });
}

/** The context of a request known by its headers (a server-rendered page has no Request object). */
export async function contextFromHeaders({ headers, url, db = defaultDb() }: { headers: Pick<Headers, 'get'>; url?: string; db?: Db }): Promise<TContext> {
  const cookie = sessionCookieFrom((name) => parseCookieHeader(headers.get('cookie')).get(name));
  return {
    db,
    user: await userFromSessionCookie({ db, cookie }),
    token: null,
    ip: clientIpFromHeaders((name) => headers.get(name)),
    isCrossOrigin: isCrossOrigin(headers, url),
  };
}

function isCrossOrigin(headers: Pick<Headers, 'get'>, url: string | undefined): boolean {
  if (headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = headers.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== (headers.get('host') ?? (url ? new URL(url).host : null));
  } catch {
    return true;
  }
}

/** AppError thrown by domain code becomes the tRPC error of the code's row in the error table. */
export function toTrpcError(error: unknown): unknown {
  if (error instanceof AppError) return new TRPCError({ code: ERROR_TABLE[error.code].trpc, message: error.message, cause: error });
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
          ? issuesOfZod(cause)
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

/** The person (session) or API token calling; UNAUTHORIZED when neither. */
function actorOf(ctx: TContext): TActor {
  if (ctx.token) return { type: 'token', id: ctx.token.tokenId, label: `token:${ctx.token.name}`, role: ctx.token.role, ip: ctx.ip };
  if (ctx.user) return { type: 'user', id: ctx.user.id, label: ctx.user.email, role: null, ip: ctx.ip };
  throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
}

/** The caller's role in a workspace, or null when it is not theirs (a token belongs to one workspace). */
async function roleIn(ctx: TContext, workspaceId: string): Promise<TRole | null> {
  if (ctx.token) return ctx.token.workspaceId === workspaceId ? ctx.token.role : null;
  if (!ctx.user) return null;
  const membership = await ctx.db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId: ctx.user.id } } });
  return membership?.role ?? null;
}

/** Enforces the declared rule. Adds `actor` (and `workspace` for workspace rules). */
const enforceRule = t.middleware(async ({ ctx, meta, type, getRawInput, next }) => {
  const rule = meta?.rule;
  if (!rule) throw new TRPCError({ code: 'FORBIDDEN', message: 'This procedure declares no access rule.' });
  if (type === 'mutation' && ctx.isCrossOrigin) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-origin requests may not change anything.' });
  }
  const scope: TScope = { actor: null, workspace: null };
  if (rule !== 'public') scope.actor = actorOf(ctx);
  if (scope.actor && isWorkspaceRule(rule)) {
    const parsed = ZWorkspaceInput.safeParse(await getRawInput());
    if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', message: 'workspaceId is required' });
    const role = await roleIn(ctx, parsed.data.workspaceId);
    if (!role) throw new TRPCError({ code: 'NOT_FOUND', message: 'workspace not found' });
    if (!hasRole(role, rule)) {
      const who = ctx.token ? 'This token\'s role' : 'Your role';
      throw new TRPCError({ code: 'FORBIDDEN', message: `${who} (${role}) cannot do this; it needs ${rule}.` });
    }
    scope.actor.role = role;
    scope.workspace = { id: parsed.data.workspaceId, role };
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
