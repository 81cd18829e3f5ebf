/** Who is making a change: a signed-in person or an API token, with the role they act in. */
import type { Role } from '../db/generated/enums.ts';

export type TRole = Role;

export interface TActor {
  type: 'user' | 'token' | 'system';
  id: string | null;
  label: string;
  role: TRole | null;
  ip: string | null;
}

export const ROLE_RANK: Record<TRole, number> = { support: 1, editor: 2, admin: 3 };

export function hasRole(actual: TRole, required: TRole): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[required];
}
