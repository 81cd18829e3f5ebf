'use client';

/** The workspace switcher in the top bar: every workspace the person belongs to, and "Create workspace". */
import { Button, CaretDownIcon, Menu, PlusIcon, Popover, Position, TickIcon } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { RoleBadge } from '../common/roles.tsx';
import { useWorkspace } from './workspace-context.tsx';

export function WorkspaceSwitcher() {
  const router = useRouter();
  const { workspace, workspaces } = useWorkspace();
  return (
    <Popover
      position={Position.BOTTOM_LEFT}
      content={({ close }) => (
        <Menu>
          <Menu.Group title="Workspaces">
            {workspaces.map((w) => (
              <Menu.Item
                key={w.id}
                icon={w.id === workspace.id ? TickIcon : undefined}
                secondaryText={<RoleBadge role={w.role} />}
                onSelect={() => {
                  close();
                  if (w.id !== workspace.id) router.push(`/w/${encodeURIComponent(w.slug)}`);
                }}
              >
                {w.name}
              </Menu.Item>
            ))}
          </Menu.Group>
          <Menu.Divider />
          <Menu.Group>
            <Menu.Item
              icon={PlusIcon}
              onSelect={() => {
                close();
                router.push('/workspaces/new');
              }}
            >
              Create workspace
            </Menu.Item>
          </Menu.Group>
        </Menu>
      )}
    >
      <Button appearance="minimal" iconAfter={CaretDownIcon} data-testid="workspace-switcher" maxWidth={320}>
        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontWeight: 600 }}>{workspace.name}</span>
      </Button>
    </Popover>
  );
}
