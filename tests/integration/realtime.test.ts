/**
 * Socket.IO against a real listening server: judges (session from a link exchange), organizers
 * and a public screen watch one contest; 11 judges submit at once over HTTP and every socket
 * receives the final revision in a few coalesced pushes. Handshakes from a foreign Origin, /judge
 * without a judge session and /admin without an organizer are refused; malformed 'contest:watch'
 * payloads get a failed ack (or are ignored) while the server keeps serving everyone else.
 */
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ack, ProgressGrid, StageView } from '../../server/realtime/contract.js';
import { buildTestApp, csrfOf, login, type TestApp } from '../support/app.js';
import { recordScore, seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
let url: string;
const sockets: Socket[] = [];
const organizer = { kind: 'organizer' as const, id: 1 };

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services);
  await new Promise<void>((resolve) => t.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(t.httpServer.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  t.httpServer.closeAllConnections();
  await t.destroy();
});

/** The session cookie (name=value) a response sets. */
function sessionCookie(res: supertest.Response): string {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = header?.find((c) => c.startsWith('roadshow.sid='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

function socket(namespace: string, headers: Record<string, string> = {}, transports = ['websocket']): Socket {
  const s = connect(`${url}${namespace}`, {
    extraHeaders: headers,
    transports,
    forceNew: true,
    reconnection: false,
  });
  sockets.push(s);
  return s;
}

function connected(s: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
}

function refused(s: Socket): Promise<Error> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => reject(new Error('connected, but should have been refused')));
    s.once('connect_error', resolve);
  });
}

function watch(s: Socket, slug: unknown): Promise<Ack> {
  return s.timeout(5000).emitWithAck('contest:watch', slug) as Promise<Ack>;
}

/** Records every stage push a socket receives. */
function recorder(s: Socket) {
  const stages: StageView[] = [];
  const grids: (ProgressGrid & { connectedJudgeIds: number[] })[] = [];
  s.on('stage:updated', (v: StageView) => stages.push(v));
  s.on('progress:updated', (g: ProgressGrid & { connectedJudgeIds: number[] }) => grids.push(g));
  return {
    stages,
    grids,
    maxRevision: () => Math.max(0, ...stages.map((v) => v.revision)),
  };
}

async function signedInCookie(role: 'admin' | 'viewer' | 'host'): Promise<string> {
  const { email, password } = await t.organizer(role);
  const agent = supertest.agent(t.app);
  const res = await login(agent, email, password);
  expect(res.status).toBe(303);
  return sessionCookie(res);
}

/** Exchanges fresh links for every judge: an agent (for HTTP posts), its CSRF token and its cookie. */
async function judgeSessions() {
  const links = await t.services.judgeLinks.issue(f.contestId, f.judgeIds, 1);
  return Promise.all(
    links.map(async (link) => {
      const agent = supertest.agent(t.app);
      const res = await agent.get(new URL(link.url).pathname);
      expect(res.status).toBe(303);
      return { judgeId: link.judgeId, agent, cookie: sessionCookie(res), csrf: await csrfOf(agent, '/') };
    }),
  );
}

describe('pushes to watching sockets', () => {
  it('11 judges submit concurrently; every socket gets the final revision in coalesced pushes', async () => {
    await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[1] });
    await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
    const judges = await judgeSessions();

    const admin = socket('/admin', { cookie: await signedInCookie('viewer') });
    const screen = socket('/screen');
    const judgeSockets = judges.map((j) => socket('/judge', { cookie: j.cookie }));
    const all = [admin, screen, ...judgeSockets];
    const records = all.map(recorder);
    await Promise.all(all.map(connected));
    expect((await watch(admin, f.slug)).ok).toBe(true);
    expect((await watch(screen, f.slug)).ok).toBe(true);
    // Everyone has the current stage before the burst (judges get it on connection).
    await expect.poll(() => records.every((r) => r.stages.length > 0), { timeout: 5000 }).toBe(true);
    // The organizers see every judge connected.
    await expect
      .poll(() => new Set(records[0]!.grids.at(-1)?.connectedJudgeIds ?? []).size, { timeout: 5000 })
      .toBe(11);
    await new Promise((r) => setTimeout(r, 300));
    const before = records.map((r) => r.stages.length);
    const startRevision = (await t.services.contests.load(f.slug)).revision;

    const responses = await Promise.all(
      judges.map((j) =>
        j.agent
          .post('/api/v1/judge/scores')
          .set('x-csrf-token', j.csrf)
          .send({
            submissionId: submissionId(),
            roundId: f.roundId,
            projectId: f.projectIds[1],
            marks: { innovation: 17.5, team: 12 },
          }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(11).fill(201));

    // Every eligible judge is in: the automatic close is scheduled (one more revision).
    await expect.poll(async () => (await t.services.stage.view(f.slug)).autoCloseAt, { timeout: 5000 }).not.toBeNull();
    const finalRevision = (await t.services.contests.load(f.slug)).revision;
    expect(finalRevision).toBe(startRevision + 12);

    for (const [i, r] of records.entries()) {
      await expect
        .poll(() => r.maxRevision(), { timeout: 5000, message: `socket ${i}` })
        .toBeGreaterThanOrEqual(finalRevision);
    }
    const last = records[0]!.stages.at(-1)!;
    expect(last).toMatchObject({ phase: 'scoring', scoring: { eligible: 11, submitted: 11 } });
    expect(last.autoCloseAt).not.toBeNull();
    // Coalesced: far fewer pushes than scores on every socket.
    const pushes = records.map((r, i) => r.stages.length - before[i]!);
    expect(Math.max(...pushes)).toBeLessThan(11);
    expect(Math.min(...pushes)).toBeGreaterThan(0);
    // The organizers' progress feed shows all 11 sheets for the project.
    await expect
      .poll(() => records[0]!.grids.at(-1)?.projects.find((p) => p.id === f.projectIds[1])?.submitted, {
        timeout: 5000,
      })
      .toBe(11);
    // Pushes only carry public stage facts to the screen.
    expect(JSON.stringify(records[1]!.stages.at(-1))).not.toMatch(/phone|email|leader/);
  });
});

describe('handshake checks', () => {
  it('refuses a foreign Origin (websocket and polling) and accepts the same origin', async () => {
    const cookie = await signedInCookie('admin');
    await refused(socket('/admin', { cookie, origin: 'http://evil.example' }));
    await refused(socket('/admin', { cookie, origin: 'http://evil.example' }, ['polling']));
    await refused(socket('/screen', { origin: 'https://attacker.test:8443' }, ['polling']));
    await refused(socket('/admin', { cookie, origin: 'not a url' }));
    const same = socket('/admin', { cookie, origin: url });
    await connected(same);
    expect((await watch(same, f.slug)).ok).toBe(true);
  });

  it('refuses /judge without a judge session (none, an organizer, a revoked link) and /admin without an organizer', async () => {
    expect((await refused(socket('/judge'))).message).toBe('not-judge');
    expect((await refused(socket('/judge', { cookie: await signedInCookie('admin') }))).message).toBe('not-judge');
    const [judge] = await judgeSessions();
    await t.services.judgeLinks.revoke(f.contestId, judge!.judgeId, 1);
    expect((await refused(socket('/judge', { cookie: judge!.cookie }))).message).toBe('judge-link-invalid');
    expect((await refused(socket('/admin'))).message).toBe('unauthenticated');
    expect((await refused(socket('/admin', { cookie: judge!.cookie }))).message).toBe('unauthenticated');
  });
});

describe('malformed client commands', () => {
  it('answers bad contest:watch payloads with a failed ack, ignores ack-less ones, and keeps serving others', async () => {
    const cookie = await signedInCookie('viewer');
    const bad = socket('/admin', { cookie });
    const good = socket('/admin', { cookie });
    const screen = socket('/screen');
    await Promise.all([connected(bad), connected(good), connected(screen)]);

    expect(await watch(bad, 42)).toEqual({ ok: false, code: 'validation-failed' });
    expect(await watch(bad, { slug: f.slug })).toEqual({ ok: false, code: 'validation-failed' });
    expect(await watch(bad, 'x'.repeat(10_000))).toEqual({ ok: false, code: 'validation-failed' });
    expect(await watch(bad, null)).toEqual({ ok: false, code: 'validation-failed' });
    expect(await watch(bad, 'no-such-contest')).toEqual({ ok: false, code: 'contest-not-found' });
    expect(await watch(screen, ['live-test'])).toEqual({ ok: false, code: 'validation-failed' });
    // No ack at all, an ack in the wrong place, and unknown events: ignored without a crash.
    bad.emit('contest:watch', f.slug);
    bad.emit('contest:watch');
    bad.emit('contest:watch', (x: unknown) => x);
    bad.emit('no:such-event', { a: 1 });
    screen.emit('contest:watch', { toString: 1 });

    const goodRecord = recorder(good);
    expect((await watch(good, f.slug)).ok).toBe(true);
    expect((await watch(screen, f.slug)).ok).toBe(true);
    const screenRecord = recorder(screen);
    const view = await t.services.stage.act(f.slug, organizer, {
      kind: 'call',
      roundId: f.roundId,
      projectId: f.projectIds[0],
    });
    await expect.poll(() => goodRecord.maxRevision(), { timeout: 5000 }).toBeGreaterThanOrEqual(view.revision);
    await expect.poll(() => screenRecord.maxRevision(), { timeout: 5000 }).toBeGreaterThanOrEqual(view.revision);
    expect(bad.connected).toBe(true);
    expect(good.connected).toBe(true);
    // The socket that misbehaved still works once it asks properly.
    expect((await watch(bad, f.slug)).ok).toBe(true);
  });

  it('a payload over the size limit drops only that socket', async () => {
    const cookie = await signedInCookie('viewer');
    const huge = socket('/admin', { cookie });
    const other = socket('/admin', { cookie });
    await Promise.all([connected(huge), connected(other)]);
    const dropped = new Promise<string>((resolve) => huge.once('disconnect', (reason) => resolve(reason)));
    huge.emit('contest:watch', 'y'.repeat(200_000));
    expect(await dropped).toBe('transport close');
    expect(other.connected).toBe(true);
    expect((await watch(other, f.slug)).ok).toBe(true);
  });
});

describe('access ends with the link or the account', () => {
  it('revoking a judge link closes that judge’s open socket; disabling an organizer closes theirs', async () => {
    const [first, second] = await judgeSessions();
    const a = socket('/judge', { Cookie: first!.cookie });
    const b = socket('/judge', { Cookie: second!.cookie });
    await Promise.all([connected(a), connected(b)]);
    const aClosed = new Promise<string>((resolve) => a.once('disconnect', (reason) => resolve(reason)));
    await t.services.judgeLinks.revoke(f.contestId, first!.judgeId, 1);
    expect(await aClosed).toBe('io server disconnect');
    expect(b.connected).toBe(true);

    const { email, password, id } = await t.organizer('viewer');
    const agent = supertest.agent(t.app);
    const cookie = sessionCookie(await login(agent, email, password));
    const admin = socket('/admin', { Cookie: cookie });
    await connected(admin);
    const adminClosed = new Promise<string>((resolve) => admin.once('disconnect', (reason) => resolve(reason)));
    await t.services.users.setDisabled(id, true);
    expect(await adminClosed).toBe('io server disconnect');
  });

  it('pushes the stage view a score’s transaction read, unless a newer change came after it', async () => {
    await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[1] });
    await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
    const screen = socket('/screen');
    const record = recorder(screen);
    await connected(screen);
    expect((await watch(screen, f.slug)).ok).toBe(true);
    await expect.poll(() => record.stages.length, { timeout: 5000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300)); // past the coalescing window: the next flush is immediate
    const recomputed = vi.spyOn(t.services.stage, 'view');

    // A score alone: its own view goes out, no stage query after the commit.
    const carried: number[] = [];
    const off = t.services.events.on('score.recorded', (e) => carried.push(e.stage.revision));
    await recordScore(t.services, f, 0, 1, [17, 12]);
    const afterScore = await t.services.contests.load(f.slug);
    await expect.poll(() => record.maxRevision(), { timeout: 5000 }).toBe(afterScore.revision);
    expect(carried).toEqual([afterScore.revision]);
    expect(record.stages.at(-1)).toMatchObject({ phase: 'scoring', scoring: { eligible: 11, submitted: 1 } });
    expect(recomputed).not.toHaveBeenCalled();

    // A score, then a stage change before the next flush: the stage change is what screens get.
    await recordScore(t.services, f, 1, 1, [16, 11]);
    await t.services.stage.act(f.slug, organizer, { kind: 'close-scoring' });
    const final = (await t.services.contests.load(f.slug)).revision;
    await expect.poll(() => record.maxRevision(), { timeout: 5000 }).toBe(final);
    expect(record.stages.at(-1)).toMatchObject({ phase: 'closed', scoring: { eligible: 11, submitted: 2 } });
    expect(recomputed).toHaveBeenCalled();
    off();
  });
});
