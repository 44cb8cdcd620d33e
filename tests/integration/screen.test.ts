/**
 * The big screen's state against a real listening server: the score reveal (step by step, judge
 * names only with the contest setting, refused while scores are hidden), the ceremony (steps
 * from the locked awards, lowest tier first; screens get the current step only), and resync —
 * a /screen socket that reconnects gets the current revision in its ack and catches up on the
 * reveal and ceremony steps through the snapshot (ETag/304); a socket that missed pushes sees
 * the gap in `previous` and catches up the same way. Screen control needs run-stage.
 */
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack, CeremonyView, LeaderboardSnapshot, Pushed, ScreenView } from '../../server/realtime/contract.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { recordScore, seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
let url: string;
let organizer: { kind: 'organizer'; id: number };
const sockets: Socket[] = [];

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 7, projects: 4 });
  organizer = { kind: 'organizer', id: (await t.organizer('admin')).id };
  await new Promise<void>((resolve) => t.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(t.httpServer.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  t.httpServer.closeAllConnections();
  t.services.stage.stop();
  await t.destroy();
});

const anonymous = () => supertest(t.app);
const judgeNames = () => Array.from({ length: 7 }, (_, i) => `评委${i + 1}`);
const revision = async () => (await t.services.contests.load(f.slug)).revision;

async function scoreProject(index: number, innovationBase: number): Promise<void> {
  await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[index] });
  await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
  for (let j = 0; j < f.judgeIds.length; j++) {
    if (index === 0 && j === 1) continue;
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

/** Three overall prize tiers, three scored projects, the awards locked. */
async function lockAwards(): Promise<void> {
  for (const [key, zh, precedence] of [
    ['first', '一等奖', 1],
    ['second', '二等奖', 2],
    ['third', '三等奖', 3],
  ] as const)
    await t.services.contests.editPart(f.slug, 'prizeTiers', {
      kind: 'add',
      input: { key, name: { zh }, scope: 'overall', quota: 1, precedence },
    });
  await scoreProject(1, 18);
  await scoreProject(2, 15);
  await scoreProject(3, 12);
  await t.services.awards.lock(f.slug, organizer, {});
}

function screenSocket(): Socket {
  const s = connect(`${url}/screen`, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(s);
  return s;
}

async function watching(s: Socket): Promise<Ack> {
  if (!s.connected)
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
  return (await s.timeout(5000).emitWithAck('contest:watch', f.slug)) as Ack;
}

function recorder(s: Socket) {
  const log = {
    screens: [] as Pushed<ScreenView>[],
    ceremonies: [] as Pushed<CeremonyView>[],
    boards: [] as Pushed<LeaderboardSnapshot>[],
  };
  s.on('screen:updated', (v: Pushed<ScreenView>) => log.screens.push(v));
  s.on('ceremony:updated', (v: Pushed<CeremonyView>) => log.ceremonies.push(v));
  s.on('leaderboard:updated', (v: Pushed<LeaderboardSnapshot>) => log.boards.push(v));
  return log;
}

async function screenState(etag?: string) {
  const req = anonymous().get(`/api/v1/contests/${f.slug}/screen`);
  if (etag) req.set('If-None-Match', etag);
  return req;
}

describe('score reveal', () => {
  it('steps judge totals one by one, strikes dropped marks and shows the final only at the end', async () => {
    await scoreProject(1, 16);
    await t.services.screen.act(f.slug, organizer, { action: 'reveal-start' });
    let view = await t.services.screen.view(f.slug);
    expect(view.shows).toBe('reveal');
    expect(view.reveal).toMatchObject({
      ref: 'RS-2024-0002',
      step: 0,
      count: 7,
      judges: [],
      final: null,
      named: false,
    });
    for (let i = 1; i <= 7; i++) {
      view = await t.services.screen.act(f.slug, organizer, { action: 'reveal-next' });
      expect(view.reveal!.judges).toHaveLength(i);
      expect(view.reveal!.final).toBeNull();
      expect(view.reveal!.judges.some((j) => j.dropped)).toBe(false);
    }
    view = await t.services.screen.act(f.slug, organizer, { action: 'reveal-next' });
    expect(view.reveal!.judges).toHaveLength(7);
    view = await t.services.screen.act(f.slug, organizer, { action: 'reveal-final' });
    const results = await t.services.results.roundResults(f.slug, 'final');
    const project = results.projects.find((p) => p.ref === 'RS-2024-0002')!;
    expect(view.reveal!.final).toEqual({ display: project.display, trimmed: true });
    expect(
      view
        .reveal!.judges.filter((j) => j.dropped)
        .map((j) => j.dropped)
        .sort(),
    ).toEqual(['high', 'low']);
    expect(view.reveal!.judges.map((j) => j.total).sort()).toEqual(project.judges.map((j) => j.total!).sort());
    // Without the contest setting: "评委 A…", no names.
    const text = JSON.stringify(view);
    for (const name of judgeNames()) expect(text).not.toContain(name);
    expect(view.reveal!.judges.map((j) => j.label)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);

    view = await t.services.screen.act(f.slug, organizer, { action: 'reveal-back' });
    expect(view.reveal!.final).toBeNull();
    expect(view.reveal!.judges).toHaveLength(7);
  });

  it('names the judges only when the contest shows judge marks on screen', async () => {
    await t.services.contests.updateContest(f.slug, {
      slug: f.slug,
      name: { zh: '现场测试赛' },
      status: 'live',
      settings: { showJudgeMarksOnScreen: true },
    });
    await scoreProject(1, 16);
    await t.services.screen.act(f.slug, organizer, { action: 'reveal-start' });
    const view = await t.services.screen.act(f.slug, organizer, { action: 'reveal-final' });
    expect(view.reveal!.named).toBe(true);
    expect(view.reveal!.judges.map((j) => j.name)).toEqual(judgeNames());
    expect(JSON.stringify(view)).not.toContain('marks');
  });

  it('is refused while the round hides scores, while scoring is open, and before it starts', async () => {
    await scoreProject(1, 16);
    await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[2] });
    await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
    const refused = (input: unknown) =>
      t.services.screen.act(f.slug, organizer, input).then(
        () => 'accepted',
        (e: { code: string }) => e.code,
      );
    expect(await refused({ action: 'reveal-next' })).toBe('reveal-not-started');
    expect(await refused({ action: 'reveal-start' })).toBe('reveal-scoring-open');
    await t.services.leaderboard.setPolicy(f.slug, organizer, { policy: 'hidden' });
    expect(await refused({ action: 'reveal-start', projectId: f.projectIds[1] })).toBe('release-hidden');
    await t.services.leaderboard.setPolicy(f.slug, organizer, { policy: 'live' });
    expect(await refused({ action: 'reveal-start', projectId: f.projectIds[1] })).toBe('accepted');
    await t.services.leaderboard.setPolicy(f.slug, organizer, { policy: 'frozen' });
    expect(await refused({ action: 'reveal-next' })).toBe('release-hidden');
    // A reveal in progress disappears from screens when the policy hides scores.
    expect((await t.services.screen.view(f.slug)).reveal).toBeNull();
  });

  it('the control API needs run-stage and answers JSON or redirects a plain form', async () => {
    await scoreProject(1, 16);
    const viewer = await t.signedIn('viewer');
    expect(
      (
        await viewer.agent
          .post(`/admin/contests/${f.slug}/screen`)
          .set('x-csrf-token', viewer.csrf)
          .set('accept', 'application/json')
          .send({ action: 'mode', mode: 'idle' })
      ).status,
    ).toBe(403);
    expect((await viewer.agent.get(`/admin/contests/${f.slug}/screen`)).status).toBe(200);
    const host = await t.signedIn('host');
    const json = await host.agent
      .post(`/admin/contests/${f.slug}/screen`)
      .set('x-csrf-token', host.csrf)
      .set('accept', 'application/json')
      .send({ action: 'mode', mode: 'idle' });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ mode: 'idle', shows: 'idle' });
    const form = await host.agent
      .post(`/admin/contests/${f.slug}/screen`)
      .type('form')
      .send({ _csrf: host.csrf, action: 'reveal-start', projectId: String(f.projectIds[1]) });
    expect(form.status).toBe(303);
    expect((await t.services.screen.view(f.slug)).reveal?.ref).toBe('RS-2024-0002');
    const bad = await host.agent
      .post(`/admin/contests/${f.slug}/screen`)
      .set('x-csrf-token', host.csrf)
      .set('accept', 'application/json')
      .send({ action: 'track', track: 'nope' });
    expect(bad.status).toBe(422);
    const entries = await t.services.ledger.entries(f.contestId);
    expect(entries.filter((e) => e.action === 'screen.changed')).toHaveLength(2);
  });
});

describe('ceremony', () => {
  it('builds the steps from the locked awards, lowest tier first; screens get only the current step', async () => {
    const before = await t.services.ceremony.view(f.slug);
    expect(before).toMatchObject({ lockId: null, step: 0, total: 0, current: null });
    await expect(t.services.ceremony.act(f.slug, organizer, { action: 'next' })).rejects.toMatchObject({
      code: 'results-not-locked',
    });
    await lockAwards();
    const console = await t.services.ceremony.console(f.slug);
    expect(console.steps.map((s) => s.tier.name.zh)).toEqual(['三等奖', '二等奖', '一等奖']);
    expect(console.steps.map((s) => s.winners.map((w) => w.ref))).toEqual([
      ['RS-2024-0004'],
      ['RS-2024-0003'],
      ['RS-2024-0002'],
    ]);

    const first = await t.services.ceremony.act(f.slug, organizer, { action: 'next' });
    expect(first.step).toBe(1);
    const view = await t.services.ceremony.view(f.slug);
    expect(view).toMatchObject({ step: 1, total: 3, current: { tier: { key: 'third' } } });
    expect(JSON.stringify(view)).not.toContain('项目2');
    expect(JSON.stringify(view)).not.toContain('项目3');

    await t.services.ceremony.act(f.slug, organizer, { action: 'next' });
    await t.services.ceremony.act(f.slug, organizer, { action: 'next' });
    expect((await t.services.ceremony.act(f.slug, organizer, { action: 'next' })).step).toBe(3);
    expect((await t.services.ceremony.act(f.slug, organizer, { action: 'back' })).step).toBe(2);
    expect((await t.services.ceremony.act(f.slug, organizer, { action: 'goto', step: 1 })).step).toBe(1);
    expect((await t.services.ceremony.act(f.slug, organizer, { action: 'reset' })).step).toBe(0);
    const stored = t.opened.sqlite.prepare('SELECT step, result_lock_id FROM ceremony_state').get() as Record<
      string,
      number
    >;
    expect(stored).toEqual({ step: 0, result_lock_id: console.lockId });
    const pages = await (await t.signedIn('viewer')).agent.get(`/admin/contests/${f.slug}/ceremony`);
    expect(pages.status).toBe(200);
    expect(pages.text).toContain('三等奖');
  });
  it('pushes a ceremony step to watching screens, and scores do not recompute the ceremony', async () => {
    await lockAwards();
    const s = screenSocket();
    const log = recorder(s);
    await watching(s);
    const views: string[] = [];
    const view = t.services.ceremony.view;
    t.services.ceremony.view = (slug) => {
      views.push(slug);
      return view(slug);
    };
    await t.services.ceremony.act(f.slug, organizer, { action: 'next' });
    await expect.poll(() => log.ceremonies.at(-1)?.step, { timeout: 5000 }).toBe(1);
    expect(views.length).toBeGreaterThan(0);

    views.length = 0;
    const before = log.boards.length;
    await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[0] });
    await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
    await recordScore(t.services, f, 0, 0, [12, 9]);
    await expect.poll(() => log.boards.length, { timeout: 5000 }).toBeGreaterThan(before);
    await t.realtime.broadcaster.flushNow();
    expect(views).toEqual([]);
  });
});

describe('resync', () => {
  it('a reconnecting screen gets the current revision and the current reveal and ceremony steps', async () => {
    await lockAwards();
    await t.services.screen.act(f.slug, organizer, { action: 'reveal-start', projectId: f.projectIds[1] });
    await t.services.screen.act(f.slug, organizer, { action: 'reveal-next' });
    await t.services.ceremony.act(f.slug, organizer, { action: 'next' });

    const first = screenSocket();
    const ack1 = await watching(first);
    expect(ack1).toEqual({ ok: true, revision: await revision() });
    const snap = await screenState();
    expect(snap.status).toBe(200);
    expect(snap.body.screen.reveal.step).toBe(1);
    expect(snap.body.ceremony.step).toBe(1);
    const etag = snap.headers.etag as string;
    expect(etag).toBe(`"${ack1.revision}"`);

    first.disconnect();
    // While the screen is away: two more judges revealed, the ceremony moves on.
    await t.services.screen.act(f.slug, organizer, { action: 'reveal-next' });
    await t.services.screen.act(f.slug, organizer, { action: 'reveal-next' });
    await t.services.ceremony.act(f.slug, organizer, { action: 'next' });

    const again = screenSocket();
    const ack2 = await watching(again);
    expect(ack2.ok).toBe(true);
    expect(ack2.revision).toBe(await revision());
    expect(ack2.revision!).toBeGreaterThan(ack1.revision!);
    // Newer than what it shows: it refetches the snapshot with its old ETag.
    const caughtUp = await screenState(etag);
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.revision).toBe(ack2.revision);
    expect(caughtUp.body.screen.reveal).toMatchObject({ step: 3, count: 7 });
    expect(caughtUp.body.screen.reveal.judges).toHaveLength(3);
    expect(caughtUp.body.ceremony).toMatchObject({ step: 2, current: { tier: { key: 'second' } } });
    // And the current snapshot is a cheap 304 from then on.
    expect((await screenState(caughtUp.headers.etag as string)).status).toBe(304);
  });

  it('a socket that missed pushes sees the gap in `previous` and catches up via the snapshot', async () => {
    await scoreProject(1, 16);
    const steady = screenSocket();
    const steadyLog = recorder(steady);
    await watching(steady);
    const flaky = screenSocket();
    const flakyLog = recorder(flaky);
    await watching(flaky);

    await t.services.screen.act(f.slug, organizer, { action: 'reveal-start' });
    await expect.poll(() => flakyLog.screens.at(-1)?.reveal?.step, { timeout: 5000 }).toBe(0);
    const flakyKnows = flakyLog.screens.at(-1)!.revision;
    flaky.disconnect();

    await t.services.screen.act(f.slug, organizer, { action: 'reveal-next' });
    await expect.poll(() => steadyLog.screens.at(-1)?.reveal?.step, { timeout: 5000 }).toBe(1);
    await t.services.screen.act(f.slug, organizer, { action: 'reveal-next' });
    await expect.poll(() => steadyLog.screens.at(-1)?.reveal?.step, { timeout: 5000 }).toBe(2);

    // The pushes form a chain: each names the revision of the one before it.
    for (let i = 1; i < steadyLog.screens.length; i++)
      expect(steadyLog.screens[i]!.previous).toBe(steadyLog.screens[i - 1]!.revision);

    // The flaky screen comes back (a new connection, no recovery) and keeps its old state.
    flaky.connect();
    await watching(flaky);
    await t.services.screen.act(f.slug, organizer, { action: 'reveal-next' });
    await expect.poll(() => flakyLog.screens.at(-1)?.reveal?.step, { timeout: 5000 }).toBe(3);
    const next = flakyLog.screens.at(-1)!;
    // The push names a revision newer than what the flaky screen had: a gap it must fill.
    expect(next.previous).toBeGreaterThan(flakyKnows);
    const snapshot = await anonymous()
      .get(`/api/v1/contests/${f.slug}/leaderboard`)
      .set('If-None-Match', `"${flakyKnows}"`);
    expect(snapshot.status).toBe(200);
    expect(snapshot.body.revision).toBe(await revision());
    expect(snapshot.body.overall.rows[0].ref).toBe('RS-2024-0002');
  });

  it('bursts of scores become a few pushes; every screen ends on the final board', async () => {
    const screens = [screenSocket(), screenSocket(), screenSocket()];
    const logs = screens.map(recorder);
    await Promise.all(screens.map(watching));
    await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[1] });
    await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
    await Promise.all(
      f.judgeIds.map((judgeId, j) =>
        t.services.scores.record(
          { judgeId, contestId: f.contestId },
          {
            submissionId: submissionId(),
            roundId: f.roundId,
            projectId: f.projectIds[1],
            marks: { innovation: 15 + (j % 3), team: 9 },
          },
        ),
      ),
    );
    const results = await t.services.results.roundResults(f.slug, 'final');
    const display = results.projects.find((p) => p.ref === 'RS-2024-0002')!.display;
    for (const log of logs) {
      await expect.poll(() => log.boards.at(-1)?.overall.rows[0]!.display, { timeout: 5000 }).toBe(display);
      expect(log.boards.length).toBeLessThanOrEqual(4);
      // Boards are pushed only when they change: the last one is at or after the last score.
      expect(log.boards.at(-1)!.revision).toBeGreaterThanOrEqual(results.revision);
    }
  });
});
