/**
 * Workspace roles and their ordering (support < editor < admin): the one place that spells
 * them. The values come from the database enum; every schema that carries a role uses ZRole.
 */
import { z } from 'zod';
import { Role } from '../db/generated/enums.ts';

export type TRole = Role;

export const ZRole = z.enum(Role);

/** Higher holds every right of lower. */
export const ROLE_RANK: Record<TRole, number> = { support: 1, editor: 2, admin: 3 };

export function hasRole(actual: TRole, required: TRole): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[required];
}
