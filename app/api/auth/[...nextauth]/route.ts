import NextAuth from 'next-auth';
import { authOptions } from '@/server/auth/next-auth.ts';

export const dynamic = 'force-dynamic';

type TRouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(req: Request, context: TRouteContext) {
  return NextAuth(authOptions())(req, context);
}

export { handler as GET, handler as POST };
