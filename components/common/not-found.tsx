'use client';

/** 404 pages: the same answer for "does not exist" and "not yours to see". */
import { Button, Paragraph, SearchIcon } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { AuthCard } from '../auth/auth-card.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { PageHeader } from './page-header.tsx';
import { Empty } from './states.tsx';

/** Outside a workspace (or for a workspace the visitor is not a member of). */
export function NotFoundCard() {
  return (
    <AuthCard title="Page not found" description="This page doesn't exist, or it belongs to a workspace you are not a member of.">
      <Paragraph size={300} color="muted" marginBottom={20}>
        If someone sent you this link, ask them to invite you to their workspace.
      </Paragraph>
      <Button is="a" href="/" appearance="primary" size="large" width="100%">
        Go to Switchyard
      </Button>
    </AuthCard>
  );
}

/** A missing source or destination inside a workspace: keep the shell, explain, offer a way back. */
export function WorkspaceNotFound() {
  const router = useRouter();
  const { workspace, href } = useWorkspace();
  return (
    <>
      <PageHeader title="Page not found" />
      <Empty
        icon={<SearchIcon color="#8f95b2" />}
        title="There is nothing here"
        description={`It may have been deleted, or the link points to something outside ${workspace.name}.`}
        action={<Button onClick={() => router.push(href('sources'))}>Back to sources</Button>}
      />
    </>
  );
}
