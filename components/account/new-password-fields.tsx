'use client';

/**
 * "New password" and "New password again", with the length rule and the match checked once
 * the form was submitted, and the server's verdict on the new password shown under it. Used
 * by the change-password form and the reset-password page.
 */
import { TextInputField } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { useFieldId } from '../common/use-field-id.ts';
import { MIN_PASSWORD_LENGTH, PASSWORD_HINT } from './password-hint.ts';

export interface TNewPassword {
  password: string;
  repeated: string;
  setPassword: (value: string) => void;
  setRepeated: (value: string) => void;
  /** Long enough and typed the same twice (the server checks the rest). */
  isValid: boolean;
  clear: () => void;
}

export function useNewPassword(): TNewPassword {
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  return {
    password,
    repeated,
    setPassword,
    setRepeated,
    isValid: password.length >= MIN_PASSWORD_LENGTH && repeated === password,
    clear: () => {
      setPassword('');
      setRepeated('');
    },
  };
}

export function NewPasswordFields({ value, isSubmitted, serverError, autoFocus = false }: { value: TNewPassword; isSubmitted: boolean; serverError?: string; autoFocus?: boolean }) {
  const fieldId = useFieldId();
  const tooShort = isSubmitted && value.password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined;
  const passwordError = tooShort ?? serverError;
  const mismatch = isSubmitted && value.repeated !== value.password ? 'The two new passwords are not the same.' : undefined;
  return (
    <>
      <TextInputField
        id={fieldId('new')}
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        hint={passwordError ? undefined : PASSWORD_HINT}
        value={value.password}
        onChange={(e: ChangeEvent<HTMLInputElement>) => value.setPassword(e.target.value)}
        isInvalid={Boolean(passwordError)}
        validationMessage={passwordError}
      />
      <TextInputField
        id={fieldId('repeat')}
        label="New password again"
        type="password"
        autoComplete="new-password"
        required
        value={value.repeated}
        onChange={(e: ChangeEvent<HTMLInputElement>) => value.setRepeated(e.target.value)}
        isInvalid={Boolean(mismatch)}
        validationMessage={mismatch}
      />
    </>
  );
}
