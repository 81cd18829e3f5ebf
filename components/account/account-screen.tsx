'use client';

/** The signed-in person's account: who they are, and changing their password. */
import { Card } from '../common/card.tsx';
import { PageHeader } from '../common/page-header.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';

export function AccountScreen() {
  const { user } = useWorkspace();
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${user.name} (${user.email}).`} />
      <Card title="Change password" description="Changing it signs you out everywhere else: other browsers and devices need the new password.">
        <ChangePasswordForm />
      </Card>
    </>
  );
}
