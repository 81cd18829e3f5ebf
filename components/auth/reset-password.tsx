'use client';

/** Using a sign-in reset link: choose a new password, then sign in with it at once. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Paragraph } from 'evergreen-ui';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { NewPasswordFields, useNewPassword } from '../account/new-password-fields.tsx';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import { AuthCard } from './auth-card.tsx';

export function ResetPassword({ token, reset, problem }: { token: string; reset: { email: string } | null; problem: string | null }) {
  if (!reset) {
    return (
      <AuthCard title="This reset link doesn't work" description={problem ?? 'This sign-in reset link is not valid any more.'}>
        <Paragraph size={300} color="muted" marginBottom={20}>
          Reset links work once and expire after a day; a newer link replaces an older one.
        </Paragraph>
        <Button is="a" href="/signin" width="100%" size="large">
          Go to sign-in
        </Button>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" description={`For ${reset.email}. Afterwards you are signed out everywhere else.`}>
      <ResetForm token={token} email={reset.email} />
    </AuthCard>
  );
}

function ResetForm({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const newPassword = useNewPassword();
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [signInError, setSignInError] = useState<string | null>(null);
  const complete = useMutation(
    trpc.account.completeReset.mutationOptions({
      onSuccess: async () => {
        const result = await signIn('credentials', { redirect: false, email, password: newPassword.password });
        if (!result?.ok || result.error) {
          setSignInError('Your password was changed, but signing in failed. Please sign in.');
          return router.push('/signin');
        }
        router.replace('/');
        router.refresh();
      },
    }),
  );
  const fields = fieldErrorsOf(complete.error);
  const formError = complete.isError && !fields.newPassword ? errorMessage(complete.error) : signInError;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setIsSubmitted(true);
    complete.reset();
    if (!newPassword.isValid) return;
    complete.mutate({ token, newPassword: newPassword.password });
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      {formError && <Alert intent="danger" title={formError} marginBottom={20} data-testid="reset-error" />}
      <input type="email" name="email" autoComplete="username" value={email} readOnly hidden />
      <NewPasswordFields value={newPassword} isSubmitted={isSubmitted} serverError={fields.newPassword} autoFocus />
      <Button type="submit" appearance="primary" size="large" width="100%" isLoading={complete.isPending || complete.isSuccess}>
        Set password and sign in
      </Button>
    </form>
  );
}
