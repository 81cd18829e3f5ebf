/**
 * Access rules, declared on every procedure and REST route and enforced in one place.
 *  - 'public'   anyone, signed in or not
 *  - 'signedIn' any signed-in person (no workspace involved)
 *  - a role     a member of the workspace named by the input's `workspaceId` holding at
 *               least that role (support < editor < admin); a non-member gets NOT_FOUND
 * A procedure with no rule is refused (deny by default).
 */
import { z } from 'zod';
import { ROLE_RANK, type TRole } from '../auth/roles.ts';

export type TRule = 'public' | 'signedIn' | TRole;

/**
 * How a procedure is also served by the public REST API under /api/v1 (server/rest, which
 * also generates /api/v1/openapi.json from this and the procedure's zod schemas):
 *  - the bearer token's workspace fills `workspaceId`; its role is checked against `rule`;
 *  - path parameters are named after input fields (`/destinations/{destinationId}/stats`);
 *  - the rest of the input comes from the query string (GET, DELETE: use `z.coerce` for
 *    numbers) or the JSON body (other methods; unknown top-level fields are refused);
 *  - the procedure's output is the response body; an array output is sent as
 *    `{ "data": [...] }` (return `{ data, nextCursor }` yourself for a paged list);
 *  - errors are `{ error, message, issues? }` with the status of server/errors/error-table.ts;
 *    an input that fails validation on a path parameter answers 404.
 * Procedures without `rest` are served to the browser only.
 */
export interface TRestMeta {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path below /api/v1. */
  path: string;
  summary: string;
  tags: string[];
  /** Success status; default 200 (201 for a create, 204 for no content). */
  status?: 200 | 201 | 202 | 204;
  /**
   * Only for paths published before the naming rule: placeholder → input field, e.g.
   * `{ id: 'sourceId' }` for `/sources/{id}`. New paths name the field in the placeholder.
   */
  params?: Record<string, string>;
  /**
   * The procedure returns a file (its output is `ZFile`: filename and content): the REST
   * route answers with the content itself as the body, this content type, and
   * `content-disposition: attachment` with the filename, instead of JSON.
   */
  file?: { contentType: string };
}

/** A file a procedure hands out (see TRestMeta.file); in tRPC it is this object. */
export const ZFile = z.object({
  filename: z.string().describe('The name to save the file as'),
  content: z.string().describe('The file as text'),
});
export type TFile = z.infer<typeof ZFile>;

export interface TMeta {
  rule?: TRule;
  rest?: TRestMeta;
}

export function isWorkspaceRule(rule: TRule): rule is TRole {
  return rule in ROLE_RANK;
}
