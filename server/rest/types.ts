/** The shape of a REST route of the public API (/api/v1). */
import type { z } from 'zod';
import type { TActor } from '../audit/actor.ts';
import type { Db } from '../db/client.ts';
import type { TRule } from '../api/rules.ts';

export type THttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface TRestContext {
  db: Db;
  /** The token's workspace; null only on public routes. */
  workspaceId: string;
  actor: TActor;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface TRestRoute {
  method: THttpMethod;
  /** OpenAPI-style path below /api/v1, e.g. `/sources/{id}`. */
  path: string;
  rule: TRule;
  summary: string;
  tag: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Response schema; omitted for 204 No Content. */
  response?: z.ZodType;
  status?: 200 | 201 | 204;
  handle: (ctx: TRestContext) => Promise<unknown>;
}
