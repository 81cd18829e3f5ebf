'use client';

/** Change my password: the current one, a new one twice; every other session of mine ends. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Pane, TextInputField, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useFieldId } from '../common/use-field-id.ts';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import { NewPasswordFields, useNewPassword } from './new-password-fields.tsx';

export function ChangePasswordForm() {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const [currentPassword, setCurrentPassword] = useState('');
  const newPassword = useNewPassword();
  const [isSubmitted, setIsSubmitted] = useState(false);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: ({ sessionsEnded }) => {
        setCurrentPassword('');
        newPassword.clear();
        setIsSubmitted(false);
        toaster.success('Your password was changed', {
          description: sessionsEnded === 0 ? 'You were not signed in anywhere else.' : `You were signed out of ${sessionsEnded} other ${sessionsEnded === 1 ? 'session' : 'sessions'}.`,
        });
      },
    }),
  );
  const fields = fieldErrorsOf(change.error);
  const formError = change.isError && !fields.currentPassword && !fields.newPassword ? errorMessage(change.error) : null;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setIsSubmitted(true);
    change.reset();
    if (!currentPassword || !newPassword.isValid) return;
    change.mutate({ currentPassword, newPassword: newPassword.password });
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
        <NewPasswordFields value={newPassword} isSubmitted={isSubmitted} serverError={fields.newPassword} />
        <Button type="submit" appearance="primary" isLoading={change.isPending}>
          Change password
        </Button>
      </Pane>
    </form>
  );
}
