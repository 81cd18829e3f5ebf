'use client';

/** The frame of every workspace screen: top bar, side navigation, and the page. */
import { Pane } from 'evergreen-ui';
import { Suspense, type ReactNode } from 'react';
import { GlobalSearch } from '../traces/global-search.tsx';
import { SideNav } from './side-nav.tsx';
import { Brand, BrandDivider } from './brand.tsx';
import { UserMenu } from './user-menu.tsx';
import { WorkspaceSwitcher } from './workspace-switcher.tsx';
import { useWorkspace, WorkspaceProvider, type TWorkspaceContext } from './workspace-context.tsx';

function TopBar() {
  const { href } = useWorkspace();
  return (
    <Pane
      is="header"
      height={56}
      flexShrink={0}
      display="flex"
      alignItems="center"
      paddingX={20}
      background="white"
      borderBottom="1px solid #E6E8F0"
      position="sticky"
      top={0}
      zIndex={10}
    >
      <Brand href={href()} />
      <BrandDivider />
      <WorkspaceSwitcher />
      <Suspense fallback={null}>
        <GlobalSearch />
      </Suspense>
      <Pane flex={1} />
      <UserMenu />
    </Pane>
  );
}

export function AppShell({ value, children }: { value: TWorkspaceContext; children: ReactNode }) {
  return (
    <WorkspaceProvider value={value}>
      <Pane minHeight="100vh" display="flex" flexDirection="column">
        <TopBar />
        <Pane display="flex" flex={1} minHeight={0}>
          <SideNav />
          <Pane is="main" flex={1} minWidth={0} paddingX={40} paddingTop={32} paddingBottom={64}>
            <Pane maxWidth={1160} marginX="auto">
              {children}
            </Pane>
          </Pane>
        </Pane>
      </Pane>
    </WorkspaceProvider>
  );
}
