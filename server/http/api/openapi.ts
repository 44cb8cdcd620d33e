/**
 * Builds the OpenAPI 3.1 document from the API route table and the Zod schemas in schemas.ts
 * (components via `z.toJSONSchema`), and the standalone JSON Schema of the contest document.
 * Pure functions of their arguments: no Express, no database.
 */
import { z } from 'zod';
import { ContestDocument } from '../../domain/contest-document.js';
import type { ApiRoute, ErrorStatus } from './route-table.js';
import { componentDescriptions, requestSchemas, responseSchemas } from './schemas.js';

type JsonObject = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';
/** The session cookie's name (app.ts SESSION_COOKIE; a test keeps the two equal). */
export const SESSION_COOKIE_NAME = 'roadshow.sid';

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Malformed request (`invalid-json`)',
  401: 'Not signed in, or the bearer token is invalid or revoked (`unauthenticated`, `invalid-token`)',
  403: 'The role lacks the permission, or a session write lacks `x-csrf-token` (`forbidden`, `csrf-invalid`)',
  404: 'No such contest (`contest-not-found`)',
  409: 'The slug is already used (`slug-taken`)',
  413: 'The body is over 5 MB (`payload-too-large`)',
  422: 'Validation failed; `fields[].path` names each bad spot (`validation-failed`)',
};

/** `$schema` and `$id` belong to standalone documents, not to components. */
function component(schema: JsonObject, description?: string): JsonObject {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return description ? { description, ...rest } : rest;
}

function componentsOf(registry: typeof responseSchemas, io: 'input' | 'output'): JsonObject {
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `${COMPONENTS}${id}` });
  const out: JsonObject = {};
  for (const [id, schema] of Object.entries(schemas))
    out[id] = component(schema as JsonObject, componentDescriptions.get(id));
  return out;
}

/** A `$ref` to the schema's component when it has one, else the schema inlined. */
function schemaFor(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const id = (io === 'input' ? requestSchemas : responseSchemas).get(schema)?.id;
  if (id) return { $ref: `${COMPONENTS}${id}` };
  return component(z.toJSONSchema(schema, { io }) as JsonObject);
}

/** `/api/v1/contests/:slug` → `/api/v1/contests/{slug}` */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(route: ApiRoute): JsonObject[] {
  const out: JsonObject[] = [];
  const add = (where: 'path' | 'query', shape: Record<string, z.ZodType> | undefined) => {
    for (const [name, schema] of Object.entries(shape ?? {})) {
      const json = schemaFor(schema, 'input');
      out.push({
        name,
        in: where,
        required: where === 'path' || !schema.safeParse(undefined).success,
        ...(json.description ? { description: json.description } : {}),
        schema: json,
      });
    }
  };
  add('path', route.params?.shape as Record<string, z.ZodType> | undefined);
  add('query', route.query?.shape as Record<string, z.ZodType> | undefined);
  return out;
}

function security(route: ApiRoute): JsonObject[] {
  const signedIn = [{ bearerAuth: [] }, { sessionCookie: [] }];
  if (route.access === 'none') return [];
  if (route.access === 'optional') return [{}, ...signedIn];
  return signedIn;
}

function operation(route: ApiRoute): JsonObject {
  const responses: JsonObject = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    responses[status] = {
      description: doc.description,
      ...(doc.headers ? { headers: doc.headers } : {}),
      content: { [doc.contentType ?? 'application/json']: { schema: schemaFor(doc.schema, 'output') } },
    };
  }
  for (const status of route.errors) {
    responses[String(status)] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { 'application/json': { schema: { $ref: `${COMPONENTS}Error` } } },
    };
  }
  const params = parameters(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(params.length ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaFor(route.body, 'input') } },
          },
        }
      : {}),
    responses,
    security: security(route),
    ...(route.access === 'none' || route.access === 'optional' ? {} : { 'x-required-permission': route.access }),
  };
}

/** The OpenAPI 3.1 document of every route in the table. */
export function buildOpenApi(routes: readonly ApiRoute[], options: { publicUrl: string; version: string }): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Roadshow API',
      version: options.version,
      description:
        'Roadshow (路演评审系统) JSON API. Errors are `{ error: { code, message, fields } }` with stable kebab-case codes; messages follow `Accept-Language` / the `lang` cookie (zh-CN by default).',
    },
    servers: [{ url: options.publicUrl }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...componentsOf(responseSchemas, 'output'), ...componentsOf(requestSchemas, 'input') },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An organizer API token (`rs_…`); no CSRF token needed.',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE_NAME,
          description: 'A signed-in browser session; writes also need the `x-csrf-token` header.',
        },
      },
    },
  };
}

/** The JSON Schema (draft 2020-12) of a contest document as clients write it (defaults optional). */
export function contestJsonSchema(publicUrl: string): JsonObject {
  const { $schema, ...rest } = z.toJSONSchema(ContestDocument, { io: 'input' }) as JsonObject;
  return {
    $schema,
    $id: new URL('/api/v1/schema/contest.json', publicUrl).toString(),
    title: 'Roadshow contest document (roadshow.contest/v1)',
    description:
      'A whole contest: tracks, rounds with rubric and scoring rules, prize tiers, judges, projects and conflicts. Cross references use keys (tracks, rounds, judges) and refs (projects).',
    ...rest,
  };
}
