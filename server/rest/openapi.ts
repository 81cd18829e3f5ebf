/** The OpenAPI 3.1 document of the public REST API, generated from the procedures' REST metadata and zod schemas. */
import { z } from 'zod';
import { ZErrorBody } from '../errors/error-table.ts';
import { REST_ROUTES, type TRestRoute } from './routes.ts';

type TJsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): TJsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'date') {
        jsonSchema.type = 'string';
        jsonSchema.format = 'date-time';
      }
    },
  }) as TJsonSchema;
  return rest;
}

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Invalid input',
  '401': 'Missing, unknown or revoked token',
  '403': 'The token\'s role does not allow this',
  '404': 'Not found in this token\'s workspace',
};

function parametersOf(route: TRestRoute): TJsonSchema[] {
  const pathSchemas = z.object(Object.fromEntries(Object.values(route.params).map((field) => [field, route.fields[field]])));
  const pathProperties = toSchema(pathSchemas, 'input').properties as Record<string, TJsonSchema>;
  const path = Object.entries(route.params).map(([name, field]) => ({ name, in: 'path', required: true, schema: pathProperties[field] }));
  if (!route.query) return path;
  const query = toSchema(route.query, 'input');
  const required = new Set((query.required as string[] | undefined) ?? []);
  return [
    ...path,
    ...Object.entries(query.properties as Record<string, TJsonSchema>).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema })),
  ];
}

function operationOf(route: TRestRoute): TJsonSchema {
  const errorRef = { $ref: '#/components/schemas/Error' };
  return {
    operationId: route.procedure,
    summary: route.summary,
    tags: route.tags,
    description: `Requires a token with role ${route.rule} or higher.`,
    parameters: parametersOf(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
    responses: {
      [String(route.status)]: route.file
        ? {
            description: 'The file (saved under the name in content-disposition)',
            headers: { 'content-disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } } },
            content: { [route.file.contentType.split(';')[0].trim()]: { schema: { type: 'string' } } },
          }
        : route.response
          ? { description: 'OK', content: { 'application/json': { schema: toSchema(route.response, 'output') } } }
          : { description: 'No content' },
      ...Object.fromEntries(Object.entries(ERROR_STATUSES).map(([code, description]) => [code, { description, content: { 'application/json': { schema: errorRef } } }])),
    },
  };
}

let cached: TJsonSchema | undefined;

export function buildOpenApiDocument(): TJsonSchema {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of REST_ROUTES) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operationOf(route);
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard API',
      version: '1',
      description: 'Configure Switchyard from code: sources, write keys, destinations, events, audit trail. Authenticate with `Authorization: Bearer <token>`; tokens belong to one workspace and carry one role.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: toSchema(ZErrorBody, 'output') },
    },
  };
  return cached;
}
