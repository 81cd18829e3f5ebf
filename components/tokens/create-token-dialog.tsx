'use client';

/** Creating an API token: name and role, then the token once with a curl example. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Dialog, Pane, Paragraph, TextInputField, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { CopyField } from '../common/copy-field.tsx';
import { RolePicker } from '../members/role-picker.tsx';
import { useWorkspace, type TRole } from '../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import { useFieldId } from '../common/use-field-id.ts';

export function CreateTokenDialog({ isShown, onClose, baseUrl }: { isShown: boolean; onClose: () => void; baseUrl: string }) {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const [name, setName] = useState('');
  const [role, setRole] = useState<TRole>('editor');
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async () => {
        toaster.success('API token created');
        await queryClient.invalidateQueries(trpc.tokens.list.queryFilter());
      },
      onError: (error) => toaster.danger('The token could not be created', { description: errorMessage(error) }),
    }),
  );
  const created = create.data;
  const nameError = fieldErrorsOf(create.error).name;

  return (
    <Dialog
      isShown={isShown}
      title={created ? `Token “${created.apiToken.name}” created` : 'Create API token'}
      width={640}
      onCloseComplete={() => {
        create.reset();
        setName('');
        setRole('editor');
        onClose();
      }}
      footer={({ close }) => (
        <Pane display="flex" gap={8} justifyContent="flex-end" width="100%">
          {created ? (
            <Button appearance="primary" onClick={close}>I have copied it</Button>
          ) : (
            <>
              <Button onClick={close}>Cancel</Button>
              <Button appearance="primary" disabled={!name.trim()} isLoading={create.isPending} onClick={() => create.mutate({ workspaceId: workspace.id, name: name.trim(), role })}>
                Create token
              </Button>
            </>
          )}
        </Pane>
      )}
    >
      {created ? (
        <>
          <Paragraph marginBottom={12}>Use it as a bearer token. It acts as {created.apiToken.role} in {workspace.name}.</Paragraph>
          <CopyField value={created.token} testId="api-token" />
          <Paragraph size={300} color="muted" marginTop={20} marginBottom={8}>Try it:</Paragraph>
          <CopyField value={`curl -H "Authorization: Bearer ${created.token}" ${baseUrl}/api/v1/sources`} testId="api-token-curl" />
          <Alert intent="warning" title="You won't see this token again" marginTop={16}>
            Switchyard stores only a hash of it. Keep it in your secret store; if it is lost, revoke it and create a new one.
          </Alert>
        </>
      ) : (
        <>
          <TextInputField id={fieldId('f1')}
            label="Name"
            description="Say what uses it, so you know what breaks if you revoke it."
            placeholder="e.g. Terraform in CI"
            value={name}
            maxLength={80}
            autoFocus
            onChange={(e: ChangeEvent<HTMLInputElement>) => setName(e.target.value)}
            isInvalid={Boolean(nameError)}
            validationMessage={nameError}
          />
          <RolePicker value={role} onChange={setRole} name="token-role" />
        </>
      )}
    </Dialog>
  );
}
