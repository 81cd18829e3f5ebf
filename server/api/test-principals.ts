/**
 * Test fixtures: two workspaces with a member of every role (and API tokens of every
 * role), plus ways to call the real tRPC HTTP handler as each of them.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { encode } from 'next-auth/jwt';
import superjson from 'superjson';
import type { TRole } from '../auth/roles.ts';
import { createAuthSession } from '../auth/sessions.ts';
import type { Db } from '../db/client.ts';
import { createApiToken } from '../tokens/api-tokens.ts';
import { env } from '../env.ts';
import { SESSION_COOKIE } from '../auth/next-auth.ts';
import { appRouter } from './root.ts';
import { createContext } from './trpc.ts';

export type TPrincipalName = 'anonymous' | TRole | 'outsider';

export interface TPrincipal {
  name: TPrincipalName;
  userId: string | null;
  cookie: string | null;
  token: string | null;
}

export interface TWorld {
  workspaceId: string;
  otherWorkspaceId: string;
  principals: Record<TPrincipalName, TPrincipal>;
}

const SYSTEM = { type: 'system' as const, id: null, label: 'test', role: 'admin' as const, ip: null };

export async function sessionCookieFor(db: Db, userId: string): Promise<string> {
  const session = await createAuthSession({ db, userId });
  const jwt = await encode({ token: { sub: userId, sid: session.id }, secret: env().NEXTAUTH_SECRET ?? '' });
  return `${SESSION_COOKIE}=${jwt}`;
}

async function member(db: Db, workspaceId: string, role: TRole, tag: string) {
  const user = await db.user.create({ data: { email: `${tag}-${role}-${Math.random().toString(36).slice(2)}@test.local`, name: `${role} ${tag}`, passwordHash: 'x' } });
  await db.membership.create({ data: { workspaceId, userId: user.id, role } });
  const { token } = await createApiToken({ db, workspaceId, actor: SYSTEM, name: `${tag}-${role}`, role });
  return { userId: user.id, cookie: await sessionCookieFor(db, user.id), token };
}

export async function createWorld(db: Db): Promise<TWorld> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const a = await db.workspace.create({ data: { name: 'Acme', slug: `acme-${suffix}` } });
  const b = await db.workspace.create({ data: { name: 'Globex', slug: `globex-${suffix}` } });
  const principals = {
    anonymous: { name: 'anonymous', userId: null, cookie: null, token: null },
    support: { name: 'support', ...(await member(db, a.id, 'support', 'a')) },
    editor: { name: 'editor', ...(await member(db, a.id, 'editor', 'a')) },
    admin: { name: 'admin', ...(await member(db, a.id, 'admin', 'a')) },
    outsider: { name: 'outsider', ...(await member(db, b.id, 'admin', 'b')) },
  } satisfies Record<TPrincipalName, TPrincipal>;
  return { workspaceId: a.id, otherWorkspaceId: b.id, principals };
}

export interface TTrpcResult {
  status: number;
  code: string | null;
  message: string | null;
  data: unknown;
}

/** Calls a procedure through the real tRPC fetch handler, as a browser on the same origin would. */
export async function callTrpc({
  db,
  path,
  type,
  input,
  cookie,
  origin = 'http://localhost:3000',
}: {
  db: Db;
  path: string;
  type: 'query' | 'mutation';
  input: unknown;
  cookie: string | null;
  origin?: string | null;
}): Promise<TTrpcResult> {
  const encoded = superjson.serialize(input);
  const url = type === 'query'
    ? `http://localhost:3000/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(encoded))}`
    : `http://localhost:3000/api/trpc/${path}`;
  const headers: Record<string, string> = { host: 'localhost:3000', 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  const req = new Request(url, { method: type === 'query' ? 'GET' : 'POST', headers, body: type === 'mutation' ? JSON.stringify(encoded) : undefined });
  const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => createContext({ req, db }) });
  const body = (await res.json()) as { result?: { data: unknown }; error?: { json: { message: string; data: { code: string } } } };
  if (body.error) return { status: res.status, code: body.error.json.data.code, message: body.error.json.message, data: null };
  return { status: res.status, code: null, message: null, data: body.result ? superjson.deserialize(body.result.data as never) : null };
}
