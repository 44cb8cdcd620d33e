/**
 * Judge access and scoring over HTTP: the link exchange (new session id, token out of the
 * address bar, no referrer), friendly pages for unknown/revoked links and anonymous visitors,
 * revocation ending a live session, CSRF on score posts, exactly-once receipts, and refusals
 * (another judge's sheet, window closed, off-step marks) with nothing written.
 */
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
let organizerId: number;

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 5, projects: 3 });
  organizerId = (await t.organizer('admin')).id;
});
afterEach(async () => {
  await t.destroy();
});

const SESSION = 'roadshow.sid';
const host = { kind: 'organizer' as const, id: 1 };

function sessionCookie(res: supertest.Response): string | undefined {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  return raw?.find((c) => c.startsWith(`${SESSION}=`))?.split(';')[0];
}

async function linkFor(judgeIndex: number): Promise<string> {
  const [issued] = await t.services.judgeLinks.issue(f.contestId, [f.judgeIds[judgeIndex]!], organizerId);
  return new URL(issued!.url).pathname;
}

/** A browser-like agent signed in as judge `i` through its link, with the page's CSRF token. */
async function judgeAgent(i: number): Promise<{ agent: supertest.Agent; csrf: string; path: string }> {
  const agent = supertest.agent(t.app);
  const path = await linkFor(i);
  await agent.get(path).expect(303);
  const page = await agent.get('/judge').expect(200);
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error('no csrf meta on /judge');
  return { agent, csrf, path };
}

async function openScoringOn(projectIndex: number): Promise<void> {
  await t.services.stage.act(f.slug, host, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[projectIndex] });
  await t.services.stage.act(f.slug, host, { kind: 'open-scoring' });
}

const versions = () =>
  t.opened.sqlite.prepare('SELECT * FROM score_version ORDER BY id').all() as Record<string, unknown>[];
const ledgerCount = () => (t.opened.sqlite.prepare('SELECT count(*) AS n FROM ledger_entry').get() as { n: number }).n;

describe('judge links', () => {
  it('starts a new session and redirects 303 to /judge with the token gone', async () => {
    const agent = supertest.agent(t.app);
    const before = sessionCookie(await agent.get('/'));
    expect(before).toBeDefined();
    const path = await linkFor(0);
    const res = await agent.get(path);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/judge');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toContain('no-store');
    const after = sessionCookie(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const page = await agent.get('/judge');
    expect(page.status).toBe(200);
    expect(page.text).toContain('现场测试赛');
    expect(page.text).toContain('评委1');
    expect(page.text).toContain('/static/build/judge.js');
    expect(page.text).not.toContain(path.slice(3));
  });

  it('answers an unknown link with a friendly 404 page and no referrer', async () => {
    const res = await supertest(t.app).get('/j/this-link-does-not-exist-1234567890');
    expect(res.status).toBe(404);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('评委链接无效');
    expect(res.text).toContain('请联系现场工作人员');
  });

  it('refuses a revoked link (friendly 404) and ends the session it had started', async () => {
    const { agent, path } = await judgeAgent(2);
    expect((await agent.get('/api/v1/judge/state')).status).toBe(200);

    await t.services.judgeLinks.revoke(f.contestId, f.judgeIds[2]!, organizerId);
    const state = await agent.get('/api/v1/judge/state');
    expect(state.status).toBe(401);
    expect(state.body.error.code).toBe('not-judge');

    const again = await supertest(t.app).get(path);
    expect(again.status).toBe(404);
    expect(again.text).toContain('评委链接无效');

    const page = await agent.get('/judge');
    expect(page.status).toBe(401);
    expect(page.text).toContain('请扫描您的评委二维码');
  });

  it('shows anonymous visitors of /judge a friendly page asking for the QR code', async () => {
    const res = await supertest(t.app).get('/judge');
    expect(res.status).toBe(401);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('请扫描您的评委二维码');
    expect(res.text).not.toContain('/static/build/judge.js');
    const en = await supertest(t.app).get('/judge').set('Cookie', 'lang=en');
    expect(en.text).toContain('Please scan your judge QR code');
  });
});

describe('score posts', () => {
  const body = (over: Record<string, unknown> = {}) => ({
    submissionId: submissionId(),
    roundId: f.roundId,
    projectId: f.projectIds[1],
    marks: { innovation: 18.5, team: 13 },
    comment: '临床需求明确',
    interest: ['investment', 'clinical-pilot'],
    ...over,
  });

  it('needs the x-csrf-token header', async () => {
    await openScoringOn(1);
    const { agent } = await judgeAgent(3);
    const res = await agent.post('/api/v1/judge/scores').send(body());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf-invalid');
    expect(versions()).toHaveLength(0);
  });

  it('answers 201 with a receipt, and a replay 200 with the same score id', async () => {
    await openScoringOn(1);
    const { agent, csrf } = await judgeAgent(3);
    const sent = body();
    const first = await agent.post('/api/v1/judge/scores').set('x-csrf-token', csrf).send(sent);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      submissionId: sent.submissionId,
      projectId: f.projectIds[1],
      judgeId: f.judgeIds[3],
      version: 1,
      replay: false,
    });
    const replay = await agent.post('/api/v1/judge/scores').set('x-csrf-token', csrf).send(sent);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ scoreId: first.body.scoreId, version: 1, replay: true });
    expect(versions()).toHaveLength(1);

    const state = await agent.get('/api/v1/judge/state');
    const row = state.body.projects.find((p: { id: number }) => p.id === f.projectIds[1]);
    expect(row).toMatchObject({ status: 'scored', version: 1, marks: { innovation: 18.5, team: 13 } });
  });

  it("refuses judge A posting judge B's sheet (403) with nothing written", async () => {
    await openScoringOn(1);
    const { agent, csrf } = await judgeAgent(3);
    const ledgerBefore = ledgerCount();
    const res = await agent
      .post('/api/v1/judge/scores')
      .set('x-csrf-token', csrf)
      .send(body({ judgeId: f.judgeIds[4] }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('not-your-sheet');
    expect(versions()).toHaveLength(0);
    expect(ledgerCount()).toBe(ledgerBefore);
  });

  it('refuses a score after the window closed (409)', async () => {
    await openScoringOn(1);
    await t.services.stage.act(f.slug, host, { kind: 'close-scoring' });
    const { agent, csrf } = await judgeAgent(3);
    const res = await agent.post('/api/v1/judge/scores').set('x-csrf-token', csrf).send(body());
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'round-closed', message: '本项目的评分已关闭' });
    expect(versions()).toHaveLength(0);
  });

  it('refuses an off-step mark (422) naming marks.<key>, translated for the session', async () => {
    await openScoringOn(1);
    const { agent, csrf } = await judgeAgent(3);
    const res = await agent
      .post('/api/v1/judge/scores')
      .set('x-csrf-token', csrf)
      .send(body({ marks: { innovation: 18.25, team: 13 } }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('score-out-of-range');
    expect(res.body.error.fields).toEqual([
      expect.objectContaining({ path: 'marks.innovation', code: 'off-step', message: '分值不符合该评分项的步长' }),
    ]);
    expect(versions()).toHaveLength(0);
  });
});
