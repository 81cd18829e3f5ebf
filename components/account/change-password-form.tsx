'use client';

/** Change my password: the current one, a new one twice; every other session of mine ends. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Pane, TextInputField, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useFieldId } from '../common/use-field-id.ts';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import { MIN_PASSWORD_LENGTH, PASSWORD_HINT } from './password-hint.ts';

export function ChangePasswordForm() {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [isSubmitted, setIsSubmitted] = useState(false);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: ({ sessionsEnded }) => {
        setCurrentPassword('');
        setNewPassword('');
        setRepeated('');
        setIsSubmitted(false);
        toaster.success('Your password was changed', {
          description: sessionsEnded === 0 ? 'You were not signed in anywhere else.' : `You were signed out of ${sessionsEnded} other ${sessionsEnded === 1 ? 'session' : 'sessions'}.`,
        });
      },
    }),
  );
  const fields = fieldErrorsOf(change.error);
  const tooShort = isSubmitted && newPassword.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined;
  const mismatch = isSubmitted && repeated !== newPassword ? 'The two new passwords are not the same.' : undefined;
  const newError = tooShort ?? fields.newPassword;
  const formError = change.isError && !fields.currentPassword && !fields.newPassword ? errorMessage(change.error) : null;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setIsSubmitted(true);
    change.reset();
    if (!currentPassword || newPassword.length < MIN_PASSWORD_LENGTH || repeated !== newPassword) return;
    change.mutate({ currentPassword, newPassword });
  }

  return (
    <form onSubmit={onSubmit} noValidate data-testid="change-password-form">
      {formError && <Alert intent="danger" title={formError} marginBottom={20} />}
      <Pane maxWidth={420}>
        <TextInputField
          id={fieldId('current')}
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e: ChangeEvent<HTMLInputElement>) => setCurrentPassword(e.target.value)}
          isInvalid={Boolean(fields.currentPassword) || (isSubmitted && !currentPassword)}
          validationMessage={fields.currentPassword ? 'Your current password is not right.' : isSubmitted && !currentPassword ? 'Enter your current password.' : undefined}
        />
        <TextInputField
          id={fieldId('new')}
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          hint={newError ? undefined : PASSWORD_HINT}
          value={newPassword}
          onChange={(e: ChangeEvent<HTMLInputElement>) => setNewPassword(e.target.value)}
          isInvalid={Boolean(newError)}
          validationMessage={newError}
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
        <Button type="submit" appearance="primary" isLoading={change.isPending}>
          Change password
        </Button>
      </Pane>
    </form>
  );
}
