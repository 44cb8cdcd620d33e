/**
 * Contest documents over the JSON API: export → import → export round trip, validation errors
 * that name the exact JSON path, all-or-nothing import, slug clashes, malformed bodies, and who
 * may export and import (bearer tokens, revoked tokens, sessions with and without CSRF, roles).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { ContestDocument, type ContestDocumentInput } from '../../server/domain/contest-document.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { richContest } from './fixtures/rich-contest.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.destroy();
});

/** Rows in every table (sessions aside: signing in writes them, and they are not contest data). */
function rowCounts(): Record<string, number> {
  const tables = t.opened.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'session'")
    .all() as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    counts[name] = (t.opened.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
  }
  return counts;
}

/** A bearer token for a new organizer of `role`. */
async function tokenFor(role: 'owner' | 'admin' | 'host' | 'viewer') {
  const { email } = await t.organizer(role);
  return t.services.users.createToken(email);
}

function post(token: string, body: unknown) {
  return supertest(t.app)
    .post('/api/v1/contests')
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
}

function exportAs(token: string, slug: string) {
  return supertest(t.app).get(`/api/v1/contests/${slug}/export`).set('Authorization', `Bearer ${token}`);
}

describe('export → import → export', () => {
  it('stores every part of the document and reads it back unchanged', async () => {
    const { token } = await tokenFor('admin');
    const created = await post(token, richContest('rich-a'));
    expect(created.status).toBe(201);
    const exported = await exportAs(token, 'rich-a');
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual(ContestDocument.parse(richContest('rich-a')));
  });

  it('re-imports an export under another slug and exports the same JSON apart from the slug', async () => {
    const { token } = await tokenFor('admin');
    expect((await post(token, richContest('rich-a'))).status).toBe(201);
    const first = (await exportAs(token, 'rich-a')).body as ContestDocument;

    const created = await post(token, { ...first, slug: 'rich-b' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      slug: 'rich-b',
      url: 'http://127.0.0.1:3000/api/v1/contests/rich-b',
    });
    expect(created.headers.location).toBe('http://127.0.0.1:3000/api/v1/contests/rich-b');

    const second = (await exportAs(token, 'rich-b')).body as ContestDocument;
    expect(second.slug).toBe('rich-b');
    // Same text, key order included: the export is stable and carries no database ids.
    expect(JSON.stringify({ ...second, slug: first.slug })).toBe(JSON.stringify(first));
    expect(JSON.stringify(first)).not.toMatch(/"id"\s*:/);
  });

  it('sends the document as an attachment only when asked', async () => {
    const { token } = await tokenFor('viewer');
    await t.services.contestDocuments.importContest(richContest('rich-a'));
    const plain = await exportAs(token, 'rich-a');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-disposition']).toBeUndefined();
    const download = await exportAs(token, 'rich-a').query({ download: '1' });
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe('attachment; filename="rich-a.contest.json"');
    expect(download.headers['content-type']).toMatch(/^application\/json/);
    expect(download.body.slug).toBe('rich-a');
  });

  it('refuses an unknown value of download with the query field named', async () => {
    const { token } = await tokenFor('viewer');
    await t.services.contestDocuments.importContest(richContest('rich-a'));
    const res = await exportAs(token, 'rich-a').query({ download: 'yes' });
    expect(res.status).toBe(422);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['download']);
  });

  it('answers 404 contest-not-found for an unknown slug', async () => {
    const { token } = await tokenFor('viewer');
    const res = await exportAs(token, 'no-such-contest');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('contest-not-found');
  });
});

describe('import validation', () => {
  type Mutate = (doc: ContestDocumentInput) => void;
  const cases: [string, Mutate, string, string][] = [
    [
      'a step that does not divide the range',
      (d) => {
        d.rounds![0]!.criteria![1]!.step = 7;
      },
      'rounds[0].criteria[1].step',
      'step-does-not-divide-range',
    ],
    [
      'a project in an unknown track',
      (d) => {
        d.projects![2]!.trackKey = 'robotics';
      },
      'projects[2].trackKey',
      'unknown-reference',
    ],
    [
      'a duplicate judge key',
      (d) => {
        d.judges![3]!.key = d.judges![0]!.key;
      },
      'judges[3].key',
      'duplicate-key',
    ],
    [
      'a maximum below the minimum',
      (d) => {
        d.rounds![1]!.criteria![0]!.max = -1;
      },
      'rounds[1].criteria[0].max',
      'too-small',
    ],
    [
      'group weights that do not add up',
      (d) => {
        d.rounds![0]!.scoring!.groupWeights = { clinical: 50, academic: 30 };
      },
      'rounds[0].scoring.groupWeights',
      'must-sum-to-100',
    ],
    [
      'a tie-break naming an unknown criterion',
      (d) => {
        d.rounds![1]!.scoring!.tieBreaks![1]!.criterionKey = 'charisma';
      },
      'rounds[1].scoring.tieBreaks[1].criterionKey',
      'unknown-reference',
    ],
    [
      'a conflict with an unknown project',
      (d) => {
        d.conflicts![2]!.projectRef = 'P999';
      },
      'conflicts[2].projectRef',
      'unknown-reference',
    ],
    [
      'a bad leader phone',
      (d) => {
        d.projects![1]!.leader.phone = '12345';
      },
      'projects[1].leader.phone',
      'invalid-phone',
    ],
  ];

  it.each(cases)('names the exact path for %s and writes nothing', async (_name, mutate, path, code) => {
    const { token } = await tokenFor('admin');
    const doc = richContest();
    mutate(doc);
    const before = rowCounts();
    const res = await post(token, doc);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error.code).toBe('validation-failed');
    const fields = res.body.error.fields as { path: string; code: string; message: string }[];
    expect(fields.map((f) => ({ path: f.path, code: f.code }))).toEqual([{ path, code }]);
    expect(fields[0]!.message).toMatch(/\S/);
    expect(fields[0]!.message).not.toBe(`validation.${code}`);
    expect(rowCounts()).toEqual(before);
  });

  it('reports a missing slug and name as required, with messages in the caller’s language', async () => {
    const { token } = await tokenFor('admin');
    const res = await post(token, { tracks: [] }).set('Accept-Language', 'en');
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([
      { path: 'slug', code: 'required', message: 'This field is required' },
      { path: 'name', code: 'required', message: 'This field is required' },
    ]);
  });

  it('refuses a used slug with 409 naming the slug field, and writes nothing', async () => {
    const { token } = await tokenFor('admin');
    expect((await post(token, richContest('taken'))).status).toBe(201);
    const before = rowCounts();
    const other = richContest('taken');
    other.name = { zh: '另一个赛事', en: '' };
    const res = await post(token, other);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('slug-taken');
    expect(res.body.error.fields).toEqual([{ path: 'slug', code: 'duplicate-key', message: expect.any(String) }]);
    expect(rowCounts()).toEqual(before);
  });

  it('writes nothing when the database refuses a row halfway through the import', async () => {
    // The last rows written are conflicts: make the database refuse them, after every other part went in.
    t.opened.sqlite.exec(
      "CREATE TRIGGER refuse_conflicts BEFORE INSERT ON judge_conflict BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    const before = rowCounts();
    await expect(t.services.contestDocuments.importContest(richContest())).rejects.toThrow('refused');
    expect(rowCounts()).toEqual(before);

    const { token } = await tokenFor('admin');
    const afterToken = rowCounts();
    const res = await post(token, richContest());
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(rowCounts()).toEqual(afterToken);
    expect(await t.services.contests.list()).toEqual([]);
  });

  it('answers malformed JSON with 400 invalid-json', async () => {
    const { token } = await tokenFor('admin');
    const res = await supertest(t.app)
      .post('/api/v1/contests')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"slug": "broken",');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-json');
  });

  it('refuses a body over 5 MB with 413', async () => {
    const { token } = await tokenFor('admin');
    const doc = richContest();
    doc.projects![0]!.summary = 'x'.repeat(5 * 1024 * 1024);
    const res = await post(token, doc);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload-too-large');
  });
});

describe('who may export and import', () => {
  it('refuses export without credentials (401)', async () => {
    await t.services.contestDocuments.importContest(richContest('rich-a'));
    const res = await supertest(t.app).get('/api/v1/contests/rich-a/export');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(JSON.stringify(res.body)).not.toContain('zhou.leader');
  });

  it('refuses an import without credentials and writes nothing', async () => {
    const before = rowCounts();
    const res = await supertest(t.app).post('/api/v1/contests').send(richContest());
    // No cookie and no bearer token: nothing to forge, so authentication answers.
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(rowCounts()).toEqual(before);
  });

  it('refuses an unknown bearer token (401)', async () => {
    const res = await post('rs_not-a-real-token', richContest());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid-token');
  });

  it('refuses a revoked token (401), while a fresh one works', async () => {
    const { email } = await t.organizer('admin');
    const revoked = await t.services.users.createToken(email);
    await t.services.users.revokeToken(revoked.id);
    const res = await post(revoked.token, richContest());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid-token');
    expect((await exportAs(revoked.token, 'whatever')).status).toBe(401);

    const fresh = await t.services.users.createToken(email);
    expect((await post(fresh.token, richContest())).status).toBe(201);
  });

  it('lets a viewer export but not import (403 forbidden)', async () => {
    await t.services.contestDocuments.importContest(richContest('rich-a'));
    const { token } = await tokenFor('viewer');
    expect((await exportAs(token, 'rich-a')).status).toBe(200);
    const before = rowCounts();
    const res = await post(token, richContest('rich-b'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(rowCounts()).toEqual(before);
  });

  it('refuses an import by a host (edit needs admin)', async () => {
    const { token } = await tokenFor('host');
    const res = await post(token, richContest());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('accepts a session caller with x-csrf-token and refuses one without it (403)', async () => {
    const { agent, csrf } = await t.signedIn('admin');
    const before = rowCounts();
    const without = await agent.post('/api/v1/contests').send(richContest());
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('csrf-invalid');
    expect(rowCounts()).toEqual(before);

    const withToken = await agent.post('/api/v1/contests').set('x-csrf-token', csrf).send(richContest());
    expect(withToken.status).toBe(201);
    const exported = await agent.get(`/api/v1/contests/${withToken.body.slug}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.judges).toHaveLength(5);
  });

  it('answers a signed-out export request with JSON, not a redirect to the login page', async () => {
    await t.services.contestDocuments.importContest(richContest('rich-a'));
    const res = await supertest(t.app).get('/api/v1/contests/rich-a/export').set('Accept', 'text/html');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});
