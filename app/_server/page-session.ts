/**
 * Session and workspace resolution for server-rendered pages. Every page under /w/[slug]
 * calls `requireWorkspace` with its own path, so a signed-out visitor is sent to /signin
 * and brought back to exactly that page afterwards; someone who is not a member of the
 * workspace gets a 404 (the same answer as for a workspace that does not exist).
 */
import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { sessionCookieFrom, userFromSessionCookie } from '@/server/auth/current-user.ts';
import type { TSessionUser } from '@/server/auth/sessions.ts';
import { db } from '@/server/db/client.ts';
import { listMyWorkspaces, type TWorkspaceView } from '@/server/workspaces/workspaces.ts';

export const currentUser = cache(async (): Promise<TSessionUser | null> => {
  const store = await cookies();
  return userFromSessionCookie({ db: db(), cookie: sessionCookieFrom((name) => store.get(name)?.value) });
});

export const myWorkspaces = cache(async (userId: string): Promise<TWorkspaceView[]> => listMyWorkspaces({ db: db(), userId }));

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
  workspace: TWorkspaceView;
  workspaces: TWorkspaceView[];
}

export async function requireWorkspace(slug: string, path: string): Promise<TWorkspacePageContext> {
  const user = await requireUser(path);
  const workspaces = await myWorkspaces(user.id);
  const workspace = workspaces.find((w) => w.slug === slug);
  if (!workspace) notFound();
  return { user, workspace, workspaces };
}

export function workspacePath(slug: string, ...parts: string[]): string {
  return ['/w', encodeURIComponent(slug), ...parts.map(encodeURIComponent)].join('/');
}
