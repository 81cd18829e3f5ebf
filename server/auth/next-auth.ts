/**
 * next-auth (v4) configuration: e-mail + password through the Credentials provider, a JWT
 * cookie that only carries a server-side session id, and sign-out that revokes that
 * session in the database (see sessions.ts).
 */
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { db } from '../db/client.ts';
import { env } from '../env.ts';
import { AppError } from '../errors/app-error.ts';
import { clientIpFromHeaders } from './client-ip.ts';
import { createAuthSession, revokeAuthSession } from './sessions.ts';
import { authenticate } from './sign-in.ts';

export const SESSION_COOKIE = 'switchyard.session';

function isSecure(): boolean {
  return (env().NEXTAUTH_URL ?? '').startsWith('https://');
}

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: env().SWITCHYARD_SESSION_HOURS * 3600 },
    pages: { signIn: '/signin', error: '/signin' },
    cookies: {
      sessionToken: {
        name: isSecure() ? `__Secure-${SESSION_COOKIE}` : SESSION_COOKIE,
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure: isSecure() },
      },
    },
    providers: [
      CredentialsProvider({
        name: 'E-mail',
        credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
          const ip = clientIpFromHeaders((name) => headers[name]) ?? 'unknown';
          try {
            const user = await authenticate({ db: db(), email: credentials?.email ?? '', password: credentials?.password ?? '', ip });
            const session = await createAuthSession({ db: db(), userId: user.id, ip, userAgent: headers['user-agent'] });
            return { id: user.id, email: user.email, name: user.name, sid: session.id };
          } catch (error) {
            // next-auth passes a thrown message to the sign-in form as `error`.
            if (error instanceof AppError) throw new Error(error.message);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user && 'sid' in user) token.sid = user.sid as string;
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub } };
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await revokeAuthSession({ db: db(), sessionId: String(token.sid) });
      },
    },
  };
}
