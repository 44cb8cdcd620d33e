/**
 * The public side of the JSON API: contest list and detail (drafts hidden from anonymous
 * callers, no private fields), JSON 404s, /healthz, the OpenAPI document built from the route
 * table, and the served JSON Schema of the contest document.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { latestMigration } from '../../db/migrations/index.js';
import { SESSION_COOKIE } from '../../server/app.js';
import { ContestDocument } from '../../server/domain/contest-document.js';
import { API_ROUTES } from '../../server/http/api/api.router.js';
import { openApiPath } from '../../server/http/api/openapi.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { checkJsonSchema } from './fixtures/json-schema-check.js';
import { privateStrings, richContest } from './fixtures/rich-contest.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
  await t.services.contestDocuments.importContest(richContest('open-contest'));
  const draft = richContest('secret-draft');
  draft.status = 'draft';
  await t.services.contestDocuments.importContest(draft);
});
afterEach(async () => {
  await t.destroy();
});

const anonymous = () => supertest(t.app);
const slugsOf = (body: { contests: { slug: string }[] }) => body.contests.map((c) => c.slug).sort();

describe('public contest list and detail', () => {
  it('lists non-draft contests to anonymous callers, with public fields only', async () => {
    const res = await anonymous().get('/api/v1/contests');
    expect(res.status).toBe(200);
    expect(slugsOf(res.body)).toEqual(['open-contest']);
    expect(Object.keys(res.body.contests[0]).sort()).toEqual(
      ['endsOn', 'name', 'organizer', 'slug', 'startsOn', 'status', 'theme', 'venue'].sort(),
    );
    expect(res.body.contests[0]).toMatchObject({
      slug: 'open-contest',
      venue: '副中心会议中心 3 号厅',
      startsOn: '2025-05-10',
      status: 'registration-open',
    });
  });

  it('lists drafts too for signed-in organizers (session or bearer token)', async () => {
    const { agent, email } = await t.signedIn('viewer');
    expect(slugsOf((await agent.get('/api/v1/contests')).body)).toEqual(['open-contest', 'secret-draft']);
    const { token } = await t.services.users.createToken(email);
    const viaToken = await anonymous().get('/api/v1/contests').set('Authorization', `Bearer ${token}`);
    expect(slugsOf(viaToken.body)).toEqual(['open-contest', 'secret-draft']);
  });

  it('shows a contest with tracks, rounds (names, kind, timings) and prize tier names only', async () => {
    const res = await anonymous().get('/api/v1/contests/open-contest');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'endsOn',
        'name',
        'organizer',
        'prizeTiers',
        'rounds',
        'slug',
        'startsOn',
        'status',
        'theme',
        'tracks',
        'venue',
      ].sort(),
    );
    expect(res.body.tracks.map((x: { key: string }) => x.key)).toEqual(['device', 'drug']);
    expect(res.body.rounds).toEqual([
      {
        key: 'prelim',
        name: { zh: '初赛网评', en: 'Preliminary review' },
        kind: 'review',
        pitchSeconds: 0,
        qaSeconds: 0,
      },
      {
        key: 'final',
        name: { zh: '决赛路演', en: 'Final roadshow' },
        kind: 'roadshow',
        pitchSeconds: 480,
        qaSeconds: 300,
      },
    ]);
    expect(res.body.prizeTiers).toEqual([
      { key: 'gold', name: { zh: '一等奖', en: 'First prize' } },
      { key: 'silver', name: { zh: '二等奖', en: 'Second prize' } },
      { key: 'merit', name: { zh: '优秀奖', en: 'Merit award' } },
      { key: 'audience', name: { zh: '最佳人气奖', en: 'Audience award' } },
    ]);
  });

  it('leaks no contacts, leader details, judges or conflicts', async () => {
    const secrets = privateStrings(richContest());
    expect(secrets.length).toBeGreaterThan(10);
    const { agent } = await t.signedIn('owner');
    const responses = [
      await anonymous().get('/api/v1/contests'),
      await anonymous().get('/api/v1/contests/open-contest'),
      // Signed-in organizers get the same public view here (the export is the private one).
      await agent.get('/api/v1/contests/secret-draft'),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      for (const secret of secrets) expect(res.text).not.toContain(secret);
      expect(res.text).not.toMatch(/"(judges|projects|conflicts|leader|email|phone)"/);
    }
  });

  it('hides a draft from anonymous callers (404) but shows it to organizers', async () => {
    const res = await anonymous().get('/api/v1/contests/secret-draft');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('contest-not-found');
    const { agent } = await t.signedIn('viewer');
    const seen = await agent.get('/api/v1/contests/secret-draft');
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('draft');
  });

  it('answers an unknown slug with a JSON 404, whatever the Accept header', async () => {
    for (const accept of ['application/json', 'text/html']) {
      const res = await anonymous().get('/api/v1/contests/no-such-contest').set('Accept', accept);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toMatchObject({ code: 'contest-not-found', fields: [] });
      expect(res.body.error.message).toBe('赛事不存在');
    }
  });
});

describe('/healthz', () => {
  it('reports the database, the latest migration and the app version', async () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const res = await anonymous().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: 'ok',
      schemaVersion: latestMigration,
      appVersion: pkg.version,
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 with database "error" when the database does not answer', async () => {
    t.opened.sqlite.close();
    const res = await anonymous().get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', database: 'error', schemaVersion: null });
  });
});

describe('OpenAPI document', () => {
  type Doc = {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    components: {
      schemas: Record<string, Record<string, unknown>>;
      securitySchemes: Record<string, Record<string, unknown>>;
    };
  };

  it('is OpenAPI 3.1 with every route of the route table, components and a bearer scheme', async () => {
    const res = await anonymous().get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(API_ROUTES.length).toBeGreaterThanOrEqual(7);
    for (const route of API_ROUTES) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op!.operationId).toBe(route.operationId);
      for (const status of route.errors) expect(op!.responses[String(status)]).toBeDefined();
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(documented.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    expect(documented).toContain('get /healthz');

    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Error',
        'ContestDocument',
        'ContestDocumentInput',
        'ContestSummary',
        'ContestDetail',
        'Health',
      ]),
    );
    expect(doc.components.securitySchemes.bearerAuth).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(doc.components.securitySchemes.sessionCookie).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }),
    );
  });

  it('describes errors as {error:{code,message,fields:[{path,code,message}]}}', async () => {
    const doc = (await anonymous().get('/api/openapi.json')).body as Doc;
    const error = doc.components.schemas.Error as {
      required: string[];
      properties: { error: { required: string[]; properties: { fields: { items: { required: string[] } } } } };
    };
    expect(error.required).toEqual(['error']);
    expect(error.properties.error.required).toEqual(['code', 'message', 'fields']);
    expect(error.properties.error.properties.fields.items.required).toEqual(['path', 'code', 'message']);
    // A real error body satisfies the documented schema.
    const notFound = await anonymous().get('/api/v1/contests/nope');
    expect(checkJsonSchema(error, notFound.body)).toEqual([]);
  });

  it('has only $refs that resolve', async () => {
    const doc = (await anonymous().get('/api/openapi.json')).body as Doc;
    const refs: string[] = [];
    JSON.stringify(doc, (key, value: unknown) => {
      if (key === '$ref') refs.push(value as string);
      return value;
    });
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split('/').at(-1)!], ref).toBeDefined();
    }
  });

  it('documents only routes that are served', async () => {
    const { email } = await t.organizer('viewer');
    const { token } = await t.services.users.createToken(email);
    for (const route of API_ROUTES) {
      const path = route.path.replace(':slug', 'open-contest');
      const res = await anonymous()[route.method](path).set('Authorization', `Bearer ${token}`);
      // A viewer may not import (403); casting a vote needs the audience device cookie (403); every
      // other route answers 200 here.
      const refused = route.access === 'edit' || route.operationId === 'castAudienceVote';
      expect(res.status, `${route.method} ${route.path}`).toBe(refused ? 403 : 200);
    }
  });
});

describe('contest JSON Schema', () => {
  type JsonSchema = Record<string, unknown> & { required: string[]; properties: Record<string, unknown> };
  const fetchSchema = async () => (await anonymous().get('/api/v1/schema/contest.json')).body as JsonSchema;

  it('is served with $schema, $id and a title', async () => {
    const res = await anonymous().get('/api/v1/schema/contest.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    expect(res.body.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(res.body.$id).toBe('http://127.0.0.1:3000/api/v1/schema/contest.json');
    expect(res.body.title).toMatch(/contest/i);
  });

  it('describes every top-level field of the fixture and requires only what the fixture has', async () => {
    const schema = await fetchSchema();
    const fixture = richContest();
    expect(schema.required.sort()).toEqual(['name', 'slug']);
    for (const key of schema.required) expect(fixture).toHaveProperty(key);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(fixture).sort());
  });

  it('accepts the fixture and an exported document, and rejects broken ones', async () => {
    const schema = await fetchSchema();
    expect(checkJsonSchema(schema, richContest())).toEqual([]);
    expect(checkJsonSchema(schema, ContestDocument.parse(richContest()))).toEqual([]);

    const broken = richContest() as Record<string, unknown> & ReturnType<typeof richContest>;
    broken.rounds![0]!.kind = 'party' as never;
    broken.judges![1]!.group = 'celebrity' as never;
    delete (broken as { name?: unknown }).name;
    expect(checkJsonSchema(schema, broken)).toEqual([
      '$: missing required name',
      '$.rounds[0].kind: not one of review, roadshow',
      '$.judges[1].group: not one of clinical, academic, investor, industry, other',
    ]);
  });
});
