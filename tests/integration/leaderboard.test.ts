/**
 * The audience leaderboard over HTTP and the /screen socket: the release policy per round
 * (hidden / live / frozen / revealed) and that nothing it hides leaks — no score or rank while
 * hidden, no score recorded after the freeze until the reveal, never a judge's name or mark or a
 * contact; ETag = revision with 304 on If-None-Match; each policy change is a ledger entry and
 * a revision bump; organizers only (run-stage) may change it; drafts and unknown slugs are 404.
 */
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack, LeaderboardSnapshot, Pushed } from '../../server/realtime/contract.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
const organizer = { kind: 'organizer' as const, id: 1 };
const sockets: Socket[] = [];

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 7, projects: 4 });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  if (t.httpServer.listening) t.httpServer.closeAllConnections();
  t.services.stage.stop();
  await t.destroy();
});

const anonymous = () => supertest(t.app);
const board = async (query = '') => anonymous().get(`/api/v1/contests/${f.slug}/leaderboard${query}`);
const judgeNames = () => Array.from({ length: 7 }, (_, i) => `评委${i + 1}`);

/** Calls a project, opens scoring, every eligible judge submits, closes scoring. */
async function scoreProject(index: number, innovationBase: number): Promise<void> {
  await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[index] });
  await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
  for (let j = 0; j < f.judgeIds.length; j++) {
    if (index === 0 && j === 1) continue; // judge 2 is recused from project 1
    await t.services.scores.record(
      { judgeId: f.judgeIds[j]!, contestId: f.contestId },
      {
        submissionId: submissionId(),
        roundId: f.roundId,
        projectId: f.projectIds[index],
        marks: { innovation: innovationBase + (j % 3) * 0.5, team: 8 + (j % 5) },
      },
    );
  }
  await t.services.stage.act(f.slug, organizer, { kind: 'close-scoring' });
}

/** The full (organizer-only) displayed score of a project, to look for in audience payloads. */
async function fullDisplay(index: number): Promise<string> {
  const results = await t.services.results.roundResults(f.slug, 'final');
  const p = results.projects.find((x) => x.projectId === f.projectIds[index]);
  return p!.display!;
}

async function hostAgent() {
  return t.signedIn('host');
}

async function setPolicy(policy: string, roundKey = 'final') {
  const { agent, csrf } = await hostAgent();
  const res = await agent
    .post(`/admin/contests/${f.slug}/release`)
    .set('x-csrf-token', csrf)
    .set('accept', 'application/json')
    .send({ roundKey, policy });
  expect(res.status, res.text).toBe(200);
  return res.body as { revision: number; changed: boolean; snapshot: LeaderboardSnapshot };
}

describe('GET /api/v1/contests/:slug/leaderboard', () => {
  it('is public, live by default, per track and overall, with the contest revision as ETag', async () => {
    await scoreProject(1, 16);
    await scoreProject(2, 12);
    const res = await board();
    expect(res.status).toBe(200);
    const body = res.body as LeaderboardSnapshot;
    const revision = (await t.services.contests.load(f.slug)).revision;
    expect(body.revision).toBe(revision);
    expect(res.headers.etag).toBe(`"${revision}"`);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(body).toMatchObject({ policy: 'live', frozen: false, scoresShown: true, round: { key: 'final' } });
    expect(body.overall.rows.slice(0, 2).map((r) => [r.ref, r.rank, r.display])).toEqual([
      ['RS-2024-0002', 1, await fullDisplay(1)],
      ['RS-2024-0003', 2, await fullDisplay(2)],
    ]);
    expect(body.overall.rows.slice(2).every((r) => r.display === null && r.rank === null)).toBe(true);
    expect(body.tracks.map((tr) => tr.key)).toEqual(['ai']);
    expect(body.tracks[0]!.rows).toHaveLength(4);
  });

  it('answers 304 to If-None-Match with the current revision, 200 once the revision moved', async () => {
    const first = await board();
    const etag = first.headers.etag as string;
    const again = await anonymous().get(`/api/v1/contests/${f.slug}/leaderboard`).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const weak = await anonymous().get(`/api/v1/contests/${f.slug}/leaderboard`).set('If-None-Match', `W/${etag}`);
    expect(weak.status).toBe(304);

    await scoreProject(1, 15);
    const later = await anonymous().get(`/api/v1/contests/${f.slug}/leaderboard`).set('If-None-Match', etag);
    expect(later.status).toBe(200);
    expect(later.body.revision).toBeGreaterThan(first.body.revision);
    expect(later.headers.etag).toBe(`"${later.body.revision}"`);
    expect(later.body.overall.rows[0].display).toBe(await fullDisplay(1));
  });

  it('revision increases with every score and policy change, and the cache follows it', async () => {
    const seen: number[] = [(await board()).body.revision];
    await scoreProject(1, 15);
    seen.push((await board()).body.revision);
    await setPolicy('hidden');
    seen.push((await board()).body.revision);
    await setPolicy('live');
    seen.push((await board()).body.revision);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
  });

  it('is a 404 for unknown slugs and drafts (organizers may read drafts)', async () => {
    expect((await anonymous().get('/api/v1/contests/nope/leaderboard')).status).toBe(404);
    await t.services.contests.createContest({ slug: 'draft-one', name: { zh: '草稿赛事' } });
    const draft = await anonymous().get('/api/v1/contests/draft-one/leaderboard');
    expect(draft.status).toBe(404);
    expect(draft.body.error.code).toBe('contest-not-found');
    expect((await anonymous().get('/screen/draft-one')).status).toBe(404);
    expect((await anonymous().get('/screen/nope')).status).toBe(404);
    const { agent } = await t.signedIn('viewer');
    const asOrganizer = await agent.get('/api/v1/contests/draft-one/leaderboard');
    expect(asOrganizer.status).toBe(200);
    expect(asOrganizer.body.round).toBeNull();
  });
});

describe('release policy', () => {
  it('hidden: no score, no rank, no prize zone, running order only', async () => {
    await scoreProject(2, 17);
    await scoreProject(1, 12);
    const scores = [await fullDisplay(1), await fullDisplay(2)];
    await setPolicy('hidden');
    const body = (await board()).body as LeaderboardSnapshot;
    expect(body).toMatchObject({ policy: 'hidden', scoresShown: false, frozen: false });
    expect(body.overall.rows.map((r) => r.ref)).toEqual([
      'RS-2024-0001',
      'RS-2024-0002',
      'RS-2024-0003',
      'RS-2024-0004',
    ]);
    const text = JSON.stringify(body);
    for (const s of scores) expect(text).not.toContain(s);
    expect(text).not.toMatch(/"rank":\d/);
    expect(text).not.toContain('prizeZone');
  });

  it('frozen: the board of the freeze point; later scores stay out until revealed', async () => {
    await scoreProject(1, 14);
    const before = await fullDisplay(1);
    const frozen = await setPolicy('frozen');
    expect(frozen.snapshot).toMatchObject({ policy: 'frozen', frozen: true });
    expect(frozen.snapshot.frozenAt).toEqual(expect.any(String));

    await scoreProject(2, 19);
    await scoreProject(3, 9);
    const after = [await fullDisplay(2), await fullDisplay(3)];
    const body = (await board()).body as LeaderboardSnapshot;
    expect(body.policy).toBe('frozen');
    expect(body.revision).toBeGreaterThan(frozen.revision);
    expect(body.overall.rows.map((r) => [r.ref, r.display])).toEqual([
      ['RS-2024-0002', before],
      ['RS-2024-0001', null],
      ['RS-2024-0003', null],
      ['RS-2024-0004', null],
    ]);
    const text = JSON.stringify(body);
    for (const s of after) expect(text).not.toContain(s);

    const revealed = await setPolicy('revealed');
    expect(revealed.snapshot).toMatchObject({ policy: 'revealed', frozen: false, frozenAt: null });
    const now = (await board()).body as LeaderboardSnapshot;
    expect(now.overall.rows[0]!.ref).toBe('RS-2024-0003');
    expect(now.overall.rows[0]!.display).toBe(after[0]);
  });

  it('unfreezing drops the stored board; freezing again stores a new one', async () => {
    await scoreProject(1, 14);
    await setPolicy('frozen');
    await scoreProject(2, 18);
    await setPolicy('live');
    const round = t.opened.sqlite
      .prepare('SELECT release_policy, frozen_snapshot, frozen_at FROM round WHERE id = ?')
      .get(f.roundId) as Record<string, unknown>;
    expect(round).toEqual({ release_policy: 'live', frozen_snapshot: null, frozen_at: null });
    await setPolicy('frozen');
    await setPolicy('frozen');
    const again = (await board()).body as LeaderboardSnapshot;
    expect(again.overall.rows[0]!.display).toBe(await fullDisplay(2));
  });

  it('never carries judge names, judge marks or contacts, under any policy', async () => {
    await t.services.contests.updateContest(f.slug, {
      slug: f.slug,
      name: { zh: '现场测试赛' },
      status: 'live',
      settings: { showJudgeMarksOnScreen: true },
    });
    await t.services.contests.editPart(f.slug, 'projects', {
      kind: 'update',
      key: 'RS-2024-0002',
      input: {
        ref: 'RS-2024-0002',
        title: '项目2',
        trackKey: 'ai',
        institution: '医院2',
        leader: { name: '负责人2', phone: '13912345678', email: 'lead2@example.cn' },
        status: 'approved',
      },
    });
    await scoreProject(1, 16);
    const results = await t.services.results.roundResults(f.slug, 'final');
    const totals = results.projects.find((p) => p.ref === 'RS-2024-0002')!.judges.map((j) => j.total!);
    for (const policy of ['live', 'hidden', 'frozen', 'revealed']) {
      await setPolicy(policy);
      const text = JSON.stringify((await board()).body);
      for (const s of [...judgeNames(), '13912345678', 'lead2@example.cn', '负责人2', 'marks', 'judges'])
        expect(text, `${policy}: ${s}`).not.toContain(s);
      for (const total of totals) expect(text, `${policy}: a judge total`).not.toContain(`"${total}"`);
    }
  });

  it('is recorded in the ledger with a revision bump; setting the same policy again is a no-op', async () => {
    const before = (await t.services.contests.load(f.slug)).revision;
    const out = await setPolicy('hidden');
    expect(out).toMatchObject({ changed: true, revision: before + 1 });
    const entries = await t.services.ledger.entries(f.contestId);
    expect(entries.at(-1)).toMatchObject({
      action: 'release.changed',
      actor: { kind: 'organizer' },
      payload: { roundKey: 'final', from: 'live', to: 'hidden' },
    });
    const same = await setPolicy('hidden');
    expect(same).toMatchObject({ changed: false, revision: before + 1 });
    expect(await t.services.ledger.entries(f.contestId)).toHaveLength(entries.length);
    expect((await t.services.ledger.verify(f.contestId)).ok).toBe(true);
  });

  it('needs run-stage: viewers get 403, anonymous callers 401, bad input 422', async () => {
    const viewer = await t.signedIn('viewer');
    const denied = await viewer.agent
      .post(`/admin/contests/${f.slug}/release`)
      .set('x-csrf-token', viewer.csrf)
      .set('accept', 'application/json')
      .send({ policy: 'hidden' });
    expect(denied.status).toBe(403);
    const anon = await anonymous()
      .post(`/admin/contests/${f.slug}/release`)
      .set('accept', 'application/json')
      .send({ policy: 'hidden' });
    expect([401, 403]).toContain(anon.status);
    const host = await hostAgent();
    const bad = await host.agent
      .post(`/admin/contests/${f.slug}/release`)
      .set('x-csrf-token', host.csrf)
      .set('accept', 'application/json')
      .send({ policy: 'secret' });
    expect(bad.status).toBe(422);
    const unknownRound = await host.agent
      .post(`/admin/contests/${f.slug}/release`)
      .set('x-csrf-token', host.csrf)
      .set('accept', 'application/json')
      .send({ policy: 'hidden', roundKey: 'nope' });
    expect(unknownRound.status).toBe(404);
  });

  it('works as a plain form too (redirect back to the control page)', async () => {
    const { agent, csrf } = await hostAgent();
    const res = await agent
      .post(`/admin/contests/${f.slug}/release`)
      .type('form')
      .send({ _csrf: csrf, roundKey: 'final', policy: 'hidden' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/contests/${f.slug}/screen`);
    expect((await board()).body.policy).toBe('hidden');
  });
});

describe('the leaderboard over the /screen socket', () => {
  let url: string;
  beforeEach(async () => {
    await new Promise<void>((resolve) => t.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(t.httpServer.address() as AddressInfo).port}`;
  });

  async function watcher() {
    const s = connect(`${url}/screen`, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(s);
    const boards: Pushed<LeaderboardSnapshot>[] = [];
    s.on('leaderboard:updated', (b: Pushed<LeaderboardSnapshot>) => boards.push(b));
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    const ack = (await s.timeout(5000).emitWithAck('contest:watch', f.slug)) as Ack;
    expect(ack.ok).toBe(true);
    return { s, boards, last: () => boards.at(-1) };
  }

  const currentRevision = async () => (await t.services.contests.load(f.slug)).revision;

  it('pushes the live board after scores, coalesced, with the latest revision', async () => {
    const w = await watcher();
    await scoreProject(1, 16);
    const revision = await currentRevision();
    await expect.poll(() => w.last()?.revision, { timeout: 5000 }).toBe(revision);
    expect(w.last()!.overall.rows[0]).toMatchObject({ ref: 'RS-2024-0002', display: await fullDisplay(1) });
    // 6 scores and 3 stage changes became far fewer pushes.
    expect(w.boards.length).toBeLessThan(9);
    const revisions = w.boards.map((b) => b.revision);
    expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
    for (let i = 1; i < w.boards.length; i++) expect(w.boards[i]!.previous).toBe(w.boards[i - 1]!.revision);
  });

  it('pushes nothing hidden: no score while hidden, no post-freeze score while frozen', async () => {
    const w = await watcher();
    await setPolicy('hidden');
    await expect.poll(() => w.last()?.policy, { timeout: 5000 }).toBe('hidden');
    const hiddenPushes = w.boards.length;
    await scoreProject(1, 15);
    await new Promise((r) => setTimeout(r, 400));
    const hiddenScore = await fullDisplay(1);
    // A hidden board does not change with scores: nothing was pushed.
    expect(w.boards.length).toBe(hiddenPushes);

    await setPolicy('frozen');
    await expect.poll(() => w.last()?.policy, { timeout: 5000 }).toBe('frozen');
    expect(w.last()!.overall.rows[0]!.display).toBe(hiddenScore);
    const frozenPushes = w.boards.length;
    await scoreProject(2, 19);
    const postFreeze = await fullDisplay(2);
    await new Promise((r) => setTimeout(r, 400));

    const pushed = JSON.stringify(w.boards);
    expect(pushed).not.toContain(postFreeze);
    for (const name of judgeNames()) expect(pushed).not.toContain(name);
    // While hidden, no push carried the score.
    expect(JSON.stringify(w.boards.filter((b) => b.policy === 'hidden'))).not.toContain(hiddenScore);
    // A frozen board does not change with new scores, so nothing more was pushed.
    expect(w.boards.length).toBe(frozenPushes);

    await setPolicy('revealed');
    await expect.poll(() => w.last()?.policy, { timeout: 5000 }).toBe('revealed');
    expect(w.last()!.overall.rows[0]!.display).toBe(postFreeze);
  });
});
