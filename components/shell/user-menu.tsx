'use client';

/** The signed-in person: name, e-mail, role in this workspace, Change password and Sign out. */
import { Avatar, Button, CaretDownIcon, KeyIcon, LogOutIcon, Menu, Pane, Popover, Position, Text, toaster } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { RoleBadge } from '../common/roles.tsx';
import { useWorkspace } from './workspace-context.tsx';

export function UserMenu() {
  const { user, workspace, href } = useWorkspace();
  const router = useRouter();
  const [isSigningOut, setIsSigningOut] = useState(false);

  async function onSignOut() {
    setIsSigningOut(true);
    try {
      await signOut({ callbackUrl: '/signin' });
    } catch {
      setIsSigningOut(false);
      toaster.danger('Signing out failed. Please try again.');
    }
  }

  return (
    <Popover
      position={Position.BOTTOM_RIGHT}
      content={({ close }) => (
        <Menu>
          <Pane paddingX={16} paddingY={12} borderBottom="1px solid #E6E8F0" maxWidth={280}>
            <Text display="block" fontWeight={600} data-testid="user-menu-name">
              {user.name}
            </Text>
            <Text display="block" size={300} color="muted" marginBottom={8} style={{ overflowWrap: 'anywhere' }}>
              {user.email}
            </Text>
            <Pane display="flex" alignItems="center" gap={6}>
              <Text size={300} color="muted">
                Role in {workspace.name}:
              </Text>
              <RoleBadge role={workspace.role} />
            </Pane>
          </Pane>
          <Menu.Group>
            <Menu.Item
              icon={KeyIcon}
              onSelect={() => {
                close();
                router.push(href('account'));
              }}
            >
              Change password
            </Menu.Item>
            <Menu.Item
              icon={LogOutIcon}
              intent="danger"
              disabled={isSigningOut}
              onSelect={() => {
                close();
                void onSignOut();
              }}
            >
              Sign out
            </Menu.Item>
          </Menu.Group>
        </Menu>
      )}
    >
      <Button appearance="minimal" iconAfter={CaretDownIcon} data-testid="user-menu" paddingX={8}>
        <Pane display="flex" alignItems="center" gap={8}>
          <Avatar name={user.name} size={26} />
          <Text fontWeight={500}>{user.name}</Text>
          <RoleBadge role={workspace.role} />
        </Pane>
      </Button>
    </Popover>
  );
}
