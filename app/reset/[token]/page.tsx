import type { Metadata } from 'next';
import { ResetPassword } from '@/components/auth/reset-password.tsx';
import { describeSignInReset } from '@/server/auth/sign-in-resets.ts';
import { db } from '@/server/db/client.ts';
import { AppError } from '@/server/errors/app-error.ts';

export const metadata: Metadata = { title: 'Choose a new password' };

async function loadReset(token: string) {
  try {
    return { reset: await describeSignInReset({ db: db(), token }), problem: null };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return { reset: null, problem: error.message };
    throw error;
  }
}

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { reset, problem } = await loadReset(token);
  return <ResetPassword token={token} reset={reset ? { email: reset.email } : null} problem={problem} />;
}
