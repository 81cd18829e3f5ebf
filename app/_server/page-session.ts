/**
 * Session and workspace resolution for server-rendered pages. Every page under /w/[slug]
 * calls `requireWorkspace` with its own path, so a signed-out visitor is sent to /signin
 * and brought back to exactly that page afterwards; someone who is not a member of the
 * workspace gets a 404 (the same answer as for a workspace that does not exist).
 *
 * Pages read data only through `pageCaller()`: the tRPC procedures called in-process as
 * the visitor, so each read passes the procedure's access rule (server/api/caller.ts).
 */
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import type { TWorkspace } from '@/components/trpc/types.ts';
import { createCaller, type TCaller } from '@/server/api/caller.ts';
import { contextFromHeaders } from '@/server/api/trpc.ts';
import type { TSessionUser } from '@/server/auth/sessions.ts';

const pageContext = cache(async () => contextFromHeaders({ headers: await headers() }));

/** The procedures, called as the visitor of this page. */
export const pageCaller = cache(async (): Promise<TCaller> => createCaller(await pageContext()));

export const currentUser = cache(async (): Promise<TSessionUser | null> => (await pageContext()).user);

/** The signed-in visitor's workspaces. */
export const myWorkspaces = cache(async (): Promise<TWorkspace[]> => (await (await pageCaller()).workspaces.me()).workspaces);

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeCallbackUrl(value: string | string[] | undefined, fallback = '/'): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\')) return fallback;
  return url;
}

export function signInUrl(callbackUrl: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`;
}

export async function requireUser(path: string): Promise<TSessionUser> {
  const user = await currentUser();
  if (!user) redirect(signInUrl(path));
  return user;
}

export interface TWorkspacePageContext {
  user: TSessionUser;
  workspace: TWorkspace;
  workspaces: TWorkspace[];
}

export async function requireWorkspace(slug: string, path: string): Promise<TWorkspacePageContext> {
  const user = await requireUser(path);
  const workspaces = await myWorkspaces();
  const workspace = workspaces.find((w) => w.slug === slug);
  if (!workspace) notFound();
  return { user, workspace, workspaces };
}

export function workspacePath(slug: string, ...parts: string[]): string {
  return ['/w', encodeURIComponent(slug), ...parts.map(encodeURIComponent)].join('/');
}
