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

/**
 * How a procedure is also served by the public REST API under /api/v1 (with a bearer token
 * whose workspace fills `workspaceId`). Path parameters are named after input fields
 * (`/sources/{sourceId}`); other input comes from the query string (GET, DELETE) or the
 * JSON body. The procedure's output is the response body. Procedures without `rest` are
 * served to the browser only.
 */
export interface TRestMeta {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path below /api/v1. */
  path: string;
  summary: string;
  tags: string[];
  /** Success status; default 200 (201 for a create, 204 for no content). */
  status?: 200 | 201 | 202 | 204;
}

export interface TMeta {
  rule?: TRule;
  rest?: TRestMeta;
}

export const WORKSPACE_RULES: readonly TRule[] = ['support', 'editor', 'admin'];

export function isWorkspaceRule(rule: TRule): rule is TRole {
  return WORKSPACE_RULES.includes(rule);
}
