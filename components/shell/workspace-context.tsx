'use client';

/**
 * The workspace a page belongs to, the signed-in person and their role in it. Provided by
 * the server-rendered workspace layout, read by every workspace screen.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { TWorkspace } from '../trpc/types.ts';

/** A workspace role, as the server defines it (server/auth/roles.ts). */
export type TRole = TWorkspace['role'];

export interface TWorkspaceSummary {
  id: string;
  name: string;
  slug: string;
  role: TRole;
}

export interface TShellUser {
  name: string;
  email: string;
}

export interface TWorkspaceContext {
  workspace: TWorkspaceSummary;
  workspaces: TWorkspaceSummary[];
  user: TShellUser;
}

const WorkspaceContext = createContext<TWorkspaceContext | null>(null);

export function WorkspaceProvider({ value, children }: { value: TWorkspaceContext; children: ReactNode }) {
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): TWorkspaceContext & { canEdit: boolean; isAdmin: boolean; href: (...parts: string[]) => string } {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace must be used inside a workspace page');
  const { role, slug } = value.workspace;
  return {
    ...value,
    canEdit: role === 'admin' || role === 'editor',
    isAdmin: role === 'admin',
    href: (...parts) => ['/w', encodeURIComponent(slug), ...parts].join('/'),
  };
}
