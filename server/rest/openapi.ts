/** The OpenAPI 3.1 document of the public REST API, generated from the route table's zod schemas. */
import { z } from 'zod';
import { REST_ROUTES } from './routes.ts';
import { ZError } from './schemas.ts';

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

let cached: TJsonSchema | undefined;

export function buildOpenApiDocument(): TJsonSchema {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  const errorRef = { $ref: '#/components/schemas/Error' };
  for (const route of REST_ROUTES) {
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries((route.query ? toSchema(route.query, 'input').properties : {}) as Record<string, TJsonSchema>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      })),
    ];
    const status = String(route.status ?? 200);
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      description: `Requires a token with role ${route.rule} or higher.`,
      parameters,
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
      responses: {
        [status]: route.response
          ? { description: 'OK', content: { 'application/json': { schema: toSchema(route.response, 'output') } } }
          : { description: 'No content' },
        ...Object.fromEntries(Object.entries(ERROR_STATUSES).map(([code, description]) => [code, { description, content: { 'application/json': { schema: errorRef } } }])),
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard API',
      version: '1',
      description: 'Configure Switchyard from code: sources, write keys, destinations, audit trail. Authenticate with `Authorization: Bearer <token>`; tokens belong to one workspace and carry one role.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: toSchema(ZError, 'output') },
    },
  };
  return cached;
}
