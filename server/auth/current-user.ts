/**
 * Resolves the signed-in person from a request's cookies: decode next-auth's JWT, then
 * check its session id against the auth_sessions table. A signed-out or revoked session
 * resolves to null even though the cookie is still a valid JWT.
 */
import { decode } from 'next-auth/jwt';
import type { Db } from '../db/client.ts';
import { env } from '../env.ts';
import { SESSION_COOKIE } from './next-auth.ts';
import { resolveAuthSession, type TSessionUser } from './sessions.ts';

export function sessionCookieFrom(getCookie: (name: string) => string | undefined): string | undefined {
  return getCookie(`__Secure-${SESSION_COOKIE}`) ?? getCookie(SESSION_COOKIE);
}

export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (!cookies.has(name)) cookies.set(name, decodeURIComponent(part.slice(index + 1).trim()));
  }
  return cookies;
}

export async function userFromSessionCookie({ db, cookie }: { db: Db; cookie: string | undefined }): Promise<TSessionUser | null> {
  if (!cookie) return null;
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) return null;
  let token;
  try {
    token = await decode({ token: cookie, secret });
  } catch {
    return null;
  }
  if (!token?.sid || typeof token.sid !== 'string') return null;
  return resolveAuthSession({ db, sessionId: token.sid });
}
