/**
 * JSON API about the API and the service itself: the contest document's JSON Schema, the
 * OpenAPI document (built from the route table), and the health check load balancers and
 * monitors poll. Entries of the API route table (route-table.ts).
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { appliedMigrations, type Db } from '../../../db/database.js';
import { buildOpenApi, contestJsonSchema } from './openapi.js';
import { defineRoute, type ApiRoute } from './route-table.js';
import { Health, JsonDocument } from './schemas.js';

const packageJson = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
export const APP_VERSION = packageJson.version;

/**
 * Probes the database itself (not domain data, so no service): `SELECT 1`, then the latest
 * applied migration. Never throws: a failure reads as `database: 'error'`.
 */
async function health(db: Db): Promise<{ health: Health; error?: unknown }> {
  try {
    await sql`SELECT 1`.execute(db);
    const applied = await appliedMigrations(db);
    return { health: { status: 'ok', database: 'ok', schemaVersion: applied.at(-1) ?? null, appVersion: APP_VERSION } };
  } catch (error) {
    return { health: { status: 'error', database: 'error', schemaVersion: null, appVersion: APP_VERSION }, error };
  }
}

export const metaRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/schema/contest.json',
    operationId: 'getContestJsonSchema',
    summary: 'JSON Schema (draft 2020-12) of the contest document',
    description: 'The input side: fields with defaults are optional. Cross-reference rules are checked on import.',
    tag: 'schema',
    access: 'none',
    responses: {
      200: { description: 'The JSON Schema', schema: JsonDocument, contentType: 'application/schema+json' },
    },
    errors: [],
    handle({ deps }) {
      return { body: contestJsonSchema(deps.config.publicUrl) };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'schema',
    access: 'none',
    responses: { 200: { description: 'The OpenAPI document', schema: JsonDocument } },
    errors: [],
    handle({ deps, routes }) {
      return { body: buildOpenApi(routes, { publicUrl: deps.config.publicUrl, version: APP_VERSION }) };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'Health: the database answers; schema and app versions',
    tag: 'system',
    access: 'none',
    responses: {
      200: { description: 'Healthy', schema: Health },
      503: { description: 'The database does not answer', schema: Health },
    },
    errors: [],
    async handle({ res, deps }) {
      const { health: body, error } = await health(deps.services.db);
      res.set('Cache-Control', 'no-store');
      if (error) deps.logger.error({ err: error }, 'health check failed');
      return { status: body.status === 'ok' ? 200 : 503, body };
    },
  }),
];
