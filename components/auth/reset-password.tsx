'use client';

/** Using a sign-in reset link: choose a new password, then sign in with it at once. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Paragraph, TextInputField } from 'evergreen-ui';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH, PASSWORD_HINT } from '../account/password-hint.ts';
import { useFieldId } from '../common/use-field-id.ts';
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
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const router = useRouter();
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [signInError, setSignInError] = useState<string | null>(null);
  const complete = useMutation(
    trpc.account.completeReset.mutationOptions({
      onSuccess: async () => {
        const result = await signIn('credentials', { redirect: false, email, password });
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
  const tooShort = isSubmitted && password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined;
  const passwordError = tooShort ?? fields.newPassword;
  const mismatch = isSubmitted && repeated !== password ? 'The two passwords are not the same.' : undefined;
  const formError = complete.isError && !fields.newPassword ? errorMessage(complete.error) : signInError;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setIsSubmitted(true);
    complete.reset();
    if (password.length < MIN_PASSWORD_LENGTH || repeated !== password) return;
    complete.mutate({ token, newPassword: password });
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      {formError && <Alert intent="danger" title={formError} marginBottom={20} data-testid="reset-error" />}
      <input type="email" name="email" autoComplete="username" value={email} readOnly hidden />
      <TextInputField
        id={fieldId('new')}
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        autoFocus
        hint={passwordError ? undefined : PASSWORD_HINT}
        value={password}
        onChange={(e: ChangeEvent<HTMLInputElement>) => setPassword(e.target.value)}
        isInvalid={Boolean(passwordError)}
        validationMessage={passwordError}
      />
      <TextInputField
        id={fieldId('repeat')}
        label="New password again"
        type="password"
        autoComplete="new-password"
        required
        value={repeated}
        onChange={(e: ChangeEvent<HTMLInputElement>) => setRepeated(e.target.value)}
        isInvalid={Boolean(mismatch)}
        validationMessage={mismatch}
      />
      <Button type="submit" appearance="primary" size="large" width="100%" isLoading={complete.isPending || complete.isSuccess}>
        Set password and sign in
      </Button>
    </form>
  );
}
