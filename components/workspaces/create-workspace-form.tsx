'use client';

/** Creating a workspace; its creator becomes its admin. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Link as EvergreenLink, Pane, Text, TextInputField } from 'evergreen-ui';
import { signOut } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent, type FormEvent, type MouseEvent } from 'react';
import { AuthCard } from '../auth/auth-card.tsx';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import { useFieldId } from '../common/use-field-id.ts';

export function CreateWorkspaceForm({ backHref, userEmail }: { backHref: string | null; userEmail: string }) {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const create = useMutation(
    trpc.workspaces.create.mutationOptions({
      onSuccess: (workspace) => {
        router.push(`/w/${encodeURIComponent(workspace.slug)}`);
        router.refresh();
      },
    }),
  );
  const nameError = fieldErrorsOf(create.error).name;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim() });
  }

  return (
    <AuthCard
      title="Create a workspace"
      description="A workspace holds sources, destinations and the people who manage them. You'll be its admin."
      footer={
        <Text size={300} color="muted">
          Signed in as {userEmail} ·{' '}
          <EvergreenLink size={300} href="#" onClick={(e: MouseEvent) => { e.preventDefault(); void signOut({ callbackUrl: '/signin' }); }}>
            Sign out
          </EvergreenLink>
        </Text>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        {create.isError && !nameError && <Alert intent="danger" title={errorMessage(create.error)} marginBottom={20} />}
        <TextInputField id={fieldId('f1')} label="Workspace name" placeholder="e.g. Acme Production" autoFocus maxLength={80} value={name} onChange={(e: ChangeEvent<HTMLInputElement>) => setName(e.target.value)} isInvalid={Boolean(nameError)} validationMessage={nameError} />
        <Pane display="flex" gap={8}>
          <Button type="submit" appearance="primary" size="large" flex={1} isLoading={create.isPending || create.isSuccess} disabled={!name.trim()}>
            Create workspace
          </Button>
          {backHref && (
            <Button type="button" size="large" onClick={() => router.push(backHref)}>
              Cancel
            </Button>
          )}
        </Pane>
      </form>
    </AuthCard>
  );
}
