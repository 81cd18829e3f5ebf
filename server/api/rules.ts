/**
 * Access rules, declared on every procedure and REST route and enforced in one place.
 *  - 'public'   anyone, signed in or not
 *  - 'signedIn' any signed-in person (no workspace involved)
 *  - a role     a member of the workspace named by the input's `workspaceId` holding at
 *               least that role (support < editor < admin); a non-member gets NOT_FOUND
 * A procedure with no rule is refused (deny by default).
 */
import type { TRole } from '../audit/actor.ts';

export type TRule = 'public' | 'signedIn' | TRole;

export interface TMeta {
  rule?: TRule;
}

export const WORKSPACE_RULES: readonly TRule[] = ['support', 'editor', 'admin'];

export function isWorkspaceRule(rule: TRule): rule is TRole {
  return WORKSPACE_RULES.includes(rule);
}
