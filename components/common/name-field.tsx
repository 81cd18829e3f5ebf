'use client';

/**
 * A name input with a character counter. Over the limit it says so instead of cutting the
 * text (a pasted 440-character name is not silently shortened mid-word); the server's
 * message for the field (taken, too long) shows in the same place.
 */
import { TextInputField } from 'evergreen-ui';
import type { ChangeEvent } from 'react';

export function nameLengthProblem(value: string, max: number): string | undefined {
  const length = value.trim().length;
  return length > max ? `Use at most ${max} characters; this name has ${length}.` : undefined;
}

export function NameField({
  id,
  label = 'Name',
  value,
  onChange,
  max,
  serverError,
  placeholder,
  isDisabled,
  autoFocus,
  flex,
}: {
  id: string;
  label?: string;
  value: string;
  onChange: (value: string) => void;
  max: number;
  serverError?: string;
  placeholder?: string;
  isDisabled?: boolean;
  autoFocus?: boolean;
  flex?: number;
}) {
  const problem = nameLengthProblem(value, max) ?? serverError;
  return (
    <TextInputField
      id={id}
      flex={flex}
      label={label}
      placeholder={placeholder}
      autoFocus={autoFocus}
      disabled={isDisabled}
      value={value}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      isInvalid={Boolean(problem)}
      validationMessage={problem}
      hint={problem ? undefined : `${value.trim().length} / ${max} characters`}
      data-testid="name-input"
      marginBottom={0}
    />
  );
}
