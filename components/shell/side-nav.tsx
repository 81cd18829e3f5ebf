'use client';

/** Left navigation. Admin-only settings are not shown to other roles. */
import { DashboardIcon, DataLineageIcon, DocumentIcon, HeatGridIcon, KeyIcon, Pane, PeopleIcon, SearchIcon, SendToIcon, ShieldIcon, Text, TickCircleIcon, type IconComponent } from 'evergreen-ui';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useWorkspace } from './workspace-context.tsx';

interface TNavItem {
  label: string;
  path: string;
  icon: IconComponent;
  isAdminOnly?: boolean;
}

const MAIN: TNavItem[] = [
  { label: 'Overview', path: '', icon: DashboardIcon },
  { label: 'Sources', path: 'sources', icon: DataLineageIcon },
  { label: 'Destinations', path: 'destinations', icon: SendToIcon },
  { label: 'Tracking plans', path: 'tracking-plans', icon: TickCircleIcon },
  { label: 'Event search', path: 'events', icon: SearchIcon },
  { label: 'Delivery health', path: 'health', icon: HeatGridIcon },
];

const SETTINGS: TNavItem[] = [
  { label: 'Members', path: 'settings/members', icon: PeopleIcon },
  { label: 'API tokens', path: 'settings/tokens', icon: KeyIcon, isAdminOnly: true },
  { label: 'Privacy', path: 'settings/privacy', icon: ShieldIcon, isAdminOnly: true },
  { label: 'Audit log', path: 'settings/audit', icon: DocumentIcon, isAdminOnly: true },
];

function NavLink({ item, href, isActive }: { item: TNavItem; href: string; isActive: boolean }) {
  const Icon = item.icon;
  return (
    <Link href={href} style={{ textDecoration: 'none', display: 'block' }} aria-current={isActive ? 'page' : undefined}>
      <Pane
        display="flex"
        alignItems="center"
        gap={10}
        height={36}
        paddingX={12}
        borderRadius={6}
        background={isActive ? '#EBF0FF' : 'transparent'}
        selectors={{ '&:hover': { backgroundColor: isActive ? '#EBF0FF' : '#F4F5F9' } }}
      >
        <Icon size={14} color={isActive ? '#3366FF' : '#8f95b2'} />
        <Text size={400} fontWeight={isActive ? 600 : 500} color={isActive ? '#2952CC' : '#474d66'}>
          {item.label}
        </Text>
      </Pane>
    </Link>
  );
}

export function SideNav() {
  const pathname = usePathname();
  const { href, isAdmin } = useWorkspace();
  const render = (item: TNavItem) => {
    const target = item.path ? href(item.path) : href();
    // The overview is the workspace's own path: active there only, not under every page.
    const isActive = pathname === target || (item.path !== '' && pathname.startsWith(`${target}/`));
    return <NavLink key={item.path} item={item} href={target} isActive={isActive} />;
  };
  return (
    <Pane is="nav" aria-label="Workspace" width={232} flexShrink={0} background="white" borderRight="1px solid #E6E8F0" paddingX={12} paddingY={20}>
      <Pane display="flex" flexDirection="column" gap={2} position="sticky" top={76}>
        {MAIN.map(render)}
        <Text size={300} fontWeight={600} color="#8f95b2" textTransform="uppercase" letterSpacing="0.06em" paddingX={12} marginTop={24} marginBottom={6}>
          Settings
        </Text>
        {SETTINGS.filter((item) => isAdmin || !item.isAdminOnly).map(render)}
      </Pane>
    </Pane>
  );
}
