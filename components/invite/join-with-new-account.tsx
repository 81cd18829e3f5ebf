'use client';

/** Creating an account from an invite link, then signing in with it automatically. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, TextInputField } from 'evergreen-ui';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TInviteSummary } from './accept-invite.tsx';
import { useFieldId } from '../common/use-field-id.ts';

const MIN_PASSWORD = 10;

export function JoinWithNewAccount({ token, invite }: { token: string; invite: TInviteSummary }) {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const [email, setEmail] = useState(invite.email ?? '');
  const [password, setPassword] = useState('');
  const [isPasswordTouched, setIsPasswordTouched] = useState(false);
  const [signInError, setSignInError] = useState<string | null>(null);
  const join = useMutation(
    trpc.members.acceptInviteAsNewUser.mutationOptions({
      onSuccess: async ({ slug }) => {
        const result = await signIn('credentials', { redirect: false, email, password });
        if (!result?.ok || result.error) {
          setSignInError('Your account was created, but signing in failed. Please sign in.');
          return router.push(`/signin?callbackUrl=${encodeURIComponent(`/w/${slug}`)}`);
        }
        router.replace(`/w/${encodeURIComponent(slug)}`);
        router.refresh();
      },
    }),
  );
  const fields = fieldErrorsOf(join.error);
  const isPasswordShort = password.length < MIN_PASSWORD;
  const passwordError = fields.password ?? (isPasswordTouched && isPasswordShort ? `Use at least ${MIN_PASSWORD} characters` : undefined);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setIsPasswordTouched(true);
    if (isPasswordShort || !name.trim() || !email.trim()) return;
    join.mutate({ token, name: name.trim(), email: email.trim(), password });
  }

  const formError = join.isError && !fields.email && !fields.password ? errorMessage(join.error) : signInError;
  return (
    <form onSubmit={onSubmit} noValidate>
      {formError && <Alert intent="danger" title={formError} marginBottom={20} data-testid="join-error" />}
      <TextInputField id={fieldId('f1')} label="Your name" name="name" autoComplete="name" required autoFocus value={name} onChange={(e: ChangeEvent<HTMLInputElement>) => setName(e.target.value)} isInvalid={Boolean(fields.name)} validationMessage={fields.name} />
      <TextInputField id={fieldId('f2')}
        label="E-mail"
        name="email"
        type="email"
        autoComplete="username"
        required
        readOnly={Boolean(invite.email)}
        description={invite.email ? 'This invite is for this address.' : undefined}
        value={email}
        onChange={(e: ChangeEvent<HTMLInputElement>) => setEmail(e.target.value)}
        isInvalid={Boolean(fields.email)}
        validationMessage={fields.email ? `E-mail ${fields.email}` : undefined}
      />
      <TextInputField id={fieldId('f3')}
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint={passwordError ? undefined : `At least ${MIN_PASSWORD} characters.`}
        value={password}
        onChange={(e: ChangeEvent<HTMLInputElement>) => setPassword(e.target.value)}
        onBlur={() => setIsPasswordTouched(password.length > 0)}
        isInvalid={Boolean(passwordError)}
        validationMessage={passwordError}
      />
      <Button type="submit" appearance="primary" size="large" width="100%" isLoading={join.isPending || join.isSuccess} disabled={!name.trim() || !email.trim() || !password}>
        Create account and join
      </Button>
    </form>
  );
}
