'use client';

/** Creating an invite link with a role; the link is shown once, ready to copy. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Dialog, Pane, Paragraph, TextInputField, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { CopyField } from '../common/copy-field.tsx';
import { RoleBadge } from '../common/roles.tsx';
import { useWorkspace, type TRole } from '../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import { RolePicker } from './role-picker.tsx';
import { useFieldId } from '../common/use-field-id.ts';

export function InviteDialog({ isShown, onClose }: { isShown: boolean; onClose: () => void }) {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const [role, setRole] = useState<TRole>('editor');
  const [email, setEmail] = useState('');
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: async () => {
        toaster.success('Invite link created');
        await queryClient.invalidateQueries(trpc.members.invites.queryFilter());
      },
      onError: (error) => toaster.danger('The invite could not be created', { description: errorMessage(error) }),
    }),
  );
  const created = invite.data;

  function reset() {
    invite.reset();
    setEmail('');
    setRole('editor');
  }

  return (
    <Dialog
      isShown={isShown}
      title={created ? 'Share this invite link' : `Invite someone to ${workspace.name}`}
      width={620}
      onCloseComplete={() => {
        reset();
        onClose();
      }}
      footer={({ close }) =>
        created ? (
          <Pane display="flex" gap={8} justifyContent="flex-end" width="100%">
            <Button onClick={reset}>Create another</Button>
            <Button appearance="primary" onClick={close}>Done</Button>
          </Pane>
        ) : (
          <Pane display="flex" gap={8} justifyContent="flex-end" width="100%">
            <Button onClick={close}>Cancel</Button>
            <Button appearance="primary" isLoading={invite.isPending} onClick={() => invite.mutate({ workspaceId: workspace.id, role, email: email.trim() || null })}>
              Create invite link
            </Button>
          </Pane>
        )
      }
    >
      {created ? (
        <>
          <Paragraph marginBottom={12}>
            Send this link to the person you are inviting. They join as <RoleBadge role={created.invite.role} />
            {created.invite.email ? ` and must use ${created.invite.email}` : ''}.
          </Paragraph>
          <CopyField value={created.url} testId="invite-url" />
          <Alert intent="warning" title="This link is shown only once" marginTop={16}>
            It works once and expires in 7 days. You can revoke it under Pending invites.
          </Alert>
        </>
      ) : (
        <>
          <RolePicker value={role} onChange={setRole} />
          <TextInputField id={fieldId('f1')}
            label="E-mail (optional)"
            description="Only someone signing in with this address can use the link. Leave empty for anyone with the link."
            type="email"
            placeholder="name@company.com"
            value={email}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setEmail(e.target.value)}
            isInvalid={Boolean(fieldErrorsOf(invite.error).email)}
            validationMessage={fieldErrorsOf(invite.error).email}
            marginBottom={0}
          />
        </>
      )}
    </Dialog>
  );
}
