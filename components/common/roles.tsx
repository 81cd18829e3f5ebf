'use client';

/** What a member's role lets them do, said where it matters: badges, read-only hints, admin-only pages. */
import { Badge, LockIcon, Pane, Text } from 'evergreen-ui';
import { useWorkspace, type TRole } from '../shell/workspace-context.tsx';
import { PageHeader } from './page-header.tsx';
import { Empty } from './states.tsx';

const COLORS = { admin: 'purple', editor: 'blue', support: 'neutral' } as const;

export const ROLE_DESCRIPTIONS: Record<TRole, string> = {
  admin: 'Everything, including members, API tokens and the audit log',
  editor: 'Creates and changes sources and destinations',
  support: 'Can look at everything in the workspace, but not change it',
};

export function RoleBadge({ role }: { role: string }) {
  const color = role in COLORS ? COLORS[role as TRole] : 'neutral';
  return (
    <Badge color={color} data-testid="role-badge">
      {role}
    </Badge>
  );
}

/**
 * Shown where a member could change something if their role allowed it. By default the
 * change needs an editor; pass `isAllowed` for admin-only screens.
 */
export function ReadOnlyHint({ what = 'this', isAllowed }: { what?: string; isAllowed?: boolean }) {
  const { workspace, canEdit } = useWorkspace();
  if (isAllowed ?? canEdit) return null;
  return (
    <Pane
      display="flex"
      alignItems="center"
      gap={8}
      paddingX={12}
      paddingY={8}
      marginBottom={16}
      borderRadius={6}
      background="gray100"
      border="1px solid #E6E8F0"
      data-testid="read-only-hint"
    >
      <LockIcon color="muted" size={12} />
      <Text size={300} color="muted">
        Your role ({workspace.role}) can view but not change {what}.
      </Text>
    </Pane>
  );
}

/** What a non-admin sees on an admin-only settings page (reached by URL; the nav hides it). */
export function AdminOnly({ title }: { title: string }) {
  const { workspace } = useWorkspace();
  return (
    <>
      <PageHeader title={title} />
      <Empty
        icon={<LockIcon color="#8f95b2" />}
        title="Only admins can open this page"
        description={`Your role in ${workspace.name} is ${workspace.role}. Ask an admin if you need access.`}
      />
    </>
  );
}
