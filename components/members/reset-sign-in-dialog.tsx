'use client';

/** An admin's "Reset sign-in" for a member: confirm, then a one-time link shown once, like invites. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Dialog, Pane, Paragraph, Strong } from 'evergreen-ui';
import { CopyField } from '../common/copy-field.tsx';
import { formatDateTime } from '../common/format.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TMember } from '../trpc/types.ts';

export function ResetSignInDialog({ member, onClose }: { member: TMember | null; onClose: () => void }) {
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  const reset = useMutation(trpc.members.resetSignIn.mutationOptions());
  const created = reset.data;

  return (
    <Dialog
      isShown={member !== null}
      title={created ? `Send this link to ${member?.name ?? 'the member'}` : `Reset sign-in for ${member?.name ?? 'member'}?`}
      width={620}
      onCloseComplete={() => {
        reset.reset();
        onClose();
      }}
      footer={({ close }) =>
        created ? (
          <Pane display="flex" justifyContent="flex-end" width="100%">
            <Button appearance="primary" onClick={close}>Done</Button>
          </Pane>
        ) : (
          <Pane display="flex" gap={8} justifyContent="flex-end" width="100%">
            <Button onClick={close}>Cancel</Button>
            <Button appearance="primary" intent="danger" isLoading={reset.isPending} onClick={() => member && reset.mutate({ workspaceId: workspace.id, userId: member.userId })}>
              Create reset link
            </Button>
          </Pane>
        )
      }
    >
      {created ? (
        <>
          <Paragraph marginBottom={12}>
            With this link <Strong>{created.email}</Strong> chooses a new password. Using it signs them out everywhere.
          </Paragraph>
          <CopyField value={created.url} testId="reset-url" />
          <Alert intent="warning" title="This link is shown only once" marginTop={16}>
            It works once and expires on {formatDateTime(created.expiresAt)}. Creating another link makes this one stop working.
          </Alert>
        </>
      ) : (
        <>
          {reset.isError && <Alert intent="danger" title={errorMessage(reset.error)} marginBottom={16} data-testid="reset-error" />}
          <Paragraph>
            For a member who cannot sign in. You get a one-time link to send to {member?.email}; with it they choose a new password. Their current password keeps working until they use the link.
          </Paragraph>
        </>
      )}
    </Dialog>
  );
}
