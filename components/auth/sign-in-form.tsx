'use client';

/** E-mail + password sign-in through next-auth's Credentials provider. */
import { Alert, Button, Link as EvergreenLink, Paragraph, Text, TextInputField } from 'evergreen-ui';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { AuthCard } from './auth-card.tsx';
import { useFieldId } from '../common/use-field-id.ts';

/** next-auth's own error codes, for when it redirects here instead of throwing our message. */
const NEXT_AUTH_ERRORS: Record<string, string> = {
  CredentialsSignin: 'E-mail or password is incorrect.',
  SessionRequired: 'Please sign in to continue.',
  Default: 'Signing in failed. Please try again.',
};

export function describeSignInError(error: string | null | undefined): string | null {
  if (!error) return null;
  return NEXT_AUTH_ERRORS[error] ?? error;
}

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string | null }) {
  const fieldId = useFieldId();
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(describeSignInError(initialError));
  const [isSubmitting, setIsSubmitting] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setIsSubmitting(true);
    setError(null);
    const result = await signIn('credentials', { redirect: false, email, password });
    if (!result || result.error || !result.ok) {
      setError(describeSignInError(result?.error) ?? NEXT_AUTH_ERRORS.Default);
      setIsSubmitting(false);
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <AuthCard
      title="Sign in to Switchyard"
      description="Use the e-mail and password of your Switchyard account."
      footer={
        <Paragraph size={300} color="muted">
          New here? Ask an admin of your workspace for an invite link. The first admin&apos;s password is printed when Switchyard starts for the first time.
        </Paragraph>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        {error && (
          <Alert intent="danger" title={error} marginBottom={20} data-testid="signin-error" />
        )}
        <TextInputField id={fieldId('f1')} label="E-mail" type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e: ChangeEvent<HTMLInputElement>) => setEmail(e.target.value)} />
        <TextInputField id={fieldId('f2')} label="Password" type="password" name="password" autoComplete="current-password" required value={password} onChange={(e: ChangeEvent<HTMLInputElement>) => setPassword(e.target.value)} />
        <Button type="submit" appearance="primary" size="large" width="100%" isLoading={isSubmitting} disabled={!email || !password}>
          Sign in
        </Button>
        {callbackUrl.startsWith('/invite/') && (
          <Text is="p" size={300} color="muted" marginTop={16} textAlign="center">
            After signing in you&apos;ll return to your invite. No account yet?{' '}
            <EvergreenLink href={callbackUrl} size={300}>
              Create one from the invite
            </EvergreenLink>
            .
          </Text>
        )}
      </form>
    </AuthCard>
  );
}
