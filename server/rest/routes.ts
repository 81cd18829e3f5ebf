/**
 * The public REST API's routes, read off the tRPC procedures that declare `meta.rest`
 * (see TRestMeta in server/api/rules.ts). Nothing here is written per endpoint: a new
 * endpoint is a procedure with REST metadata. A procedure whose metadata cannot be served
 * (a placeholder naming no input field, a rule that is not a workspace role, an input that
 * is not an object) fails here, when the module loads.
 */
import { z } from 'zod';
import { appRouter } from '../api/root.ts';
import { isWorkspaceRule, ZFile, type TMeta, type TRestMeta } from '../api/rules.ts';
import type { TRole } from '../auth/roles.ts';

export interface TRestRoute {
  /** The procedure's path in the router, e.g. `sources.get`. */
  procedure: string;
  method: TRestMeta['method'];
  /** OpenAPI-style path below /api/v1, e.g. `/sources/{id}`. */
  path: string;
  summary: string;
  tags: string[];
  rule: TRole;
  status: NonNullable<TRestMeta['status']>;
  /** Path placeholder → the input field it fills. */
  params: Record<string, string>;
  /** Every input field but `workspaceId` (which the token fills), merged from the procedure's inputs. */
  fields: z.ZodRawShape;
  /** Input read from the query string (GET, DELETE), if the procedure takes any beyond the path. */
  query?: z.ZodObject;
  /** Input read from the JSON body (other methods), if the procedure takes any beyond the path. */
  body?: z.ZodObject;
  /** The response body; omitted for 204. An array output is wrapped as `{ data: [...] }`. */
  response?: z.ZodType;
  isList: boolean;
  /** Set when the procedure returns a file (`ZFile`): sent as its content with this type, not as JSON. */
  file?: { contentType: string };
}

interface TProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  meta?: TMeta;
  inputs: unknown[];
  output?: unknown;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function inputShape(name: string, inputs: unknown[]): z.ZodRawShape {
  const shape: z.ZodRawShape = {};
  for (const input of inputs) {
    if (!(input instanceof z.ZodObject)) throw new Error(`${name}: a REST procedure's inputs must be z.object schemas`);
    Object.assign(shape, input.shape);
  }
  return shape;
}

function toRoute(name: string, def: TProcedureDef, rest: TRestMeta): TRestRoute {
  const rule = def.meta?.rule;
  if (!rule || !isWorkspaceRule(rule)) throw new Error(`${name}: a REST procedure needs a workspace role as its rule, not ${rule}`);
  const { workspaceId: _workspaceId, ...fields } = inputShape(name, def.inputs);
  const params: Record<string, string> = {};
  for (const [, placeholder] of rest.path.matchAll(/\{(\w+)\}/g)) {
    const field = rest.params?.[placeholder] ?? placeholder;
    if (!(field in fields)) throw new Error(`${name}: path placeholder {${placeholder}} names no input field`);
    params[placeholder] = field;
  }
  const pathFields = new Set(Object.values(params));
  const otherFields = Object.fromEntries(Object.entries(fields).filter(([field]) => !pathFields.has(field)));
  const hasInput = Object.keys(otherFields).length > 0;
  const status = rest.status ?? 200;
  const output = def.output instanceof z.ZodType ? def.output : undefined;
  const isList = output instanceof z.ZodArray;
  if (rest.file && output !== ZFile) throw new Error(`${name}: a REST procedure that answers with a file needs .output(ZFile)`);
  return {
    procedure: name,
    method: rest.method,
    path: rest.path,
    summary: rest.summary,
    tags: rest.tags,
    rule,
    status,
    params,
    fields,
    ...(hasInput && METHODS_WITH_BODY.has(rest.method) ? { body: z.object(otherFields) } : {}),
    ...(hasInput && !METHODS_WITH_BODY.has(rest.method) ? { query: z.object(otherFields) } : {}),
    ...(status !== 204 && output ? { response: isList ? z.object({ data: output }) : output } : {}),
    isList,
    ...(rest.file ? { file: rest.file } : {}),
  };
}

/** The REST routes of a router: one for each procedure that declares `meta.rest`. */
export function restRoutesOf(router: { _def: { procedures: object } }): TRestRoute[] {
  const procedures = router._def.procedures as Record<string, { _def: TProcedureDef }>;
  const routes = Object.entries(procedures).flatMap(([name, { _def }]) => (_def.meta?.rest ? [toRoute(name, _def, _def.meta.rest)] : []));
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path.replace(/\{\w+\}/g, '{}')}`;
    if (seen.has(key)) throw new Error(`Two procedures serve ${route.method} ${route.path}`);
    seen.add(key);
  }
  return routes;
}

export const REST_ROUTES: TRestRoute[] = restRoutesOf(appRouter);
