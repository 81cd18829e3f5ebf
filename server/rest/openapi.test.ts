/**
 * /api/v1/openapi.json is a valid OpenAPI 3.1 document (checked by an OpenAPI schema
 * validator) that lists every procedure declaring REST metadata, each with its request
 * and response schemas; and the generator refuses metadata it could not serve.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../api/root.ts';
import type { TMeta } from '../api/rules.ts';
import { router, workspaceProcedure } from '../api/trpc.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { restRoutesOf } from './routes.ts';

type TOperation = {
  operationId: string;
  summary: string;
  tags: string[];
  parameters: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: { 'application/json': { schema: { type: string; properties: Record<string, unknown> } } } };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }>; headers?: Record<string, unknown> }>;
};

const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, TOperation>> };
const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
const declared = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: TMeta } }>)
  .filter(([, p]) => p._def.meta?.rest)
  .map(([name, p]) => ({ name, rest: p._def.meta!.rest! }));

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator does reject a broken document: a response that is not an object.
    const broken = structuredClone(doc) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    broken.paths['/sources'].get.responses['200'] = 'OK';
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('lists exactly the procedures that declare REST metadata, one operation each', () => {
    expect(declared.length).toBeGreaterThanOrEqual(18);
    expect(operations.map((o) => o.op.operationId).sort()).toEqual(declared.map((d) => d.name).sort());
    for (const { name, rest } of declared) {
      const operation = operations.find((o) => o.op.operationId === name)!;
      expect({ name, method: operation.method, path: operation.path, summary: operation.op.summary, tags: operation.op.tags }).toEqual({
        name, method: rest.method, path: rest.path, summary: rest.summary, tags: rest.tags,
      });
    }
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s documents its parameters, request and response', (_name, { path, method, op }) => {
    for (const [, placeholder] of path.matchAll(/\{(\w+)\}/g)) {
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: placeholder, in: 'path', required: true, schema: expect.objectContaining({ type: 'string' }) }));
    }
    const [status, success] = Object.entries(op.responses).find(([code]) => code.startsWith('2'))!;
    const rest = declared.find((d) => d.name === op.operationId)!.rest;
    if (status === '204') expect(success.content).toBeUndefined();
    else if (rest.file) {
      // A file route documents the file's media type and the header that names it.
      expect(success.content?.[rest.file.contentType.split(';')[0]].schema).toEqual({ type: 'string' });
      expect(success.headers).toHaveProperty('content-disposition');
    } else expect(success.content?.['application/json'].schema).toMatchObject({ type: expect.any(String) });
    if (['POST', 'PATCH', 'PUT'].includes(method) && op.requestBody) expect(op.requestBody.content['application/json'].schema).toMatchObject({ type: 'object' });
    for (const code of ['400', '401', '403', '404']) expect(op.responses[code]).toBeDefined();
  });

  it('documents request bodies and query strings field by field', () => {
    const create = doc.paths['/destinations'].post;
    expect(Object.keys(create.requestBody!.content['application/json'].schema.properties)).toEqual(['sourceId', 'type', 'name', 'settings', 'enabled', 'delivery']);
    const events = doc.paths['/events'].get;
    expect(events.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(expect.arrayContaining(['sourceId', 'userId', 'messageId', 'limit', 'cursor']));
    expect(events.parameters.some((p) => p.name === 'workspaceId')).toBe(false);
    const list = doc.paths['/sources'].get.responses['200'].content!['application/json'].schema;
    expect(list).toMatchObject({ type: 'object', properties: { data: { type: 'array' } } });
  });
});

describe('REST metadata the generator refuses', () => {
  const input = z.object({ sourceId: z.uuid() });
  it.each([
    ['a placeholder naming no input field', router({ p: workspaceProcedure('support').meta({ rest: { method: 'GET', path: '/x/{nope}', summary: 's', tags: [] } }).input(input).query(() => 1) }), /names no input field/],
    ['two procedures on one route', router({
      a: workspaceProcedure('support').meta({ rest: { method: 'GET', path: '/x/{sourceId}', summary: 's', tags: [] } }).input(input).query(() => 1),
      b: workspaceProcedure('support').meta({ rest: { method: 'GET', path: '/x/{id}', params: { id: 'sourceId' }, summary: 's', tags: [] } }).input(input).query(() => 1),
    }), /Two procedures serve/],
    ['a file route whose output is not ZFile', router({ p: workspaceProcedure('support').meta({ rest: { method: 'GET', path: '/x/{sourceId}', summary: 's', tags: [], file: { contentType: 'text/plain' } } }).input(input).output(z.object({ code: z.string() })).query(() => ({ code: '' })) }), /needs \.output\(ZFile\)/],
  ])('%s', (_label, badRouter, message) => {
    expect(() => restRoutesOf(badRouter)).toThrow(message);
  });
});
