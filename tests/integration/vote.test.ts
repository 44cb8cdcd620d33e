/**
 * The audience vote (人气奖) over HTTP: organizers open / close / release per round (ledger
 * entries); one vote per device per round through the signed device cookie (a second post → 409,
 * nothing counted twice); closed → 409; per-IP rate limit → 429; bursts held and reviewed;
 * counts absent from every public payload until released; cross-site posts refused; held votes
 * kept out of the audience award tier.
 */
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEVICE_COOKIE } from '../../server/services/vote.service.js';
import { buildTestApp, csrfFrom, type TestApp } from '../support/app.js';
import { seedLiveContest, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
let host: { agent: supertest.Agent; csrf: string };

const votesUrl = (slug = 'live-test') => `/api/v1/contests/${slug}/votes`;

async function setup(options: Parameters<typeof buildTestApp>[0] = {}) {
  t = await buildTestApp(options);
  f = await seedLiveContest(t.services, { projects: 4 });
  host = await t.signedIn('host');
}

afterEach(async () => {
  await t?.destroy();
});

/** A phone: its own cookies (device + session), the CSRF token of the page it opened. */
async function device(ip?: string) {
  const agent = supertest.agent(t.app);
  const page = await agent.get('/live/live-test').set(ip ? { 'X-Forwarded-For': ip } : {});
  expect(page.status).toBe(200);
  const csrf = csrfFrom(page.text);
  const vote = (projectId: number) => {
    const req = agent.post(votesUrl()).set('x-csrf-token', csrf).send({ projectId });
    return ip ? req.set('X-Forwarded-For', ip) : req;
  };
  return { agent, csrf, page, vote };
}

async function organizer(action: 'open' | 'close' | 'release' | 'hide', round = 'final') {
  return host.agent.post(`/admin/contests/live-test/votes/${round}/${action}`).type('form').send({ _csrf: host.csrf });
}

async function storedVotes() {
  return t.opened.db.selectFrom('audience_vote').selectAll().orderBy('id').execute();
}

async function ledgerActions() {
  return (await t.services.ledger.entries(f.contestId)).map((e) => e.action);
}

describe('opening and closing', () => {
  beforeEach(() => setup());

  it('opens and closes per round with ledger entries; only hosts and above may', async () => {
    const viewer = await t.signedIn('viewer');
    const refused = await viewer.agent
      .post('/admin/contests/live-test/votes/final/open')
      .type('form')
      .send({ _csrf: viewer.csrf });
    expect(refused.status).toBe(403);

    const page = await host.agent.get('/admin/contests/live-test/votes');
    expect(page.status).toBe(200);
    expect(page.text).toContain('开放投票');

    expect((await organizer('open')).status).toBe(303);
    const open = await supertest(t.app).get(votesUrl());
    expect(open.body).toMatchObject({ status: 'open', round: { key: 'final' }, voted: null, released: false });
    expect(open.body.ballot.map((b: { ref: string }) => b.ref)).toEqual([
      'RS-2024-0001',
      'RS-2024-0002',
      'RS-2024-0003',
      'RS-2024-0004',
    ]);

    const phone = await device();
    expect((await phone.vote(f.projectIds[1]!)).status).toBe(201);
    expect((await organizer('close')).status).toBe(303);
    expect((await supertest(t.app).get(votesUrl())).body.status).toBe('closed');

    const entries = await t.services.ledger.entries(f.contestId);
    const closed = entries.find((e) => e.action === 'vote.closed');
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['vote.opened', 'vote.closed']));
    expect(closed?.payload).toMatchObject({ roundKey: 'final', counted: { 'RS-2024-0002': 1 }, held: 0, total: 1 });
    expect((closed?.payload as { votesSha256: string }).votesSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await t.services.ledger.verify(f.contestId)).ok).toBe(true);

    // Closing again is refused with a clear code; an organizer's browser without a device cookie cannot vote.
    expect((await organizer('close')).status).toBe(409);
    const again = await host.agent
      .post('/api/v1/contests/live-test/votes')
      .set('x-csrf-token', host.csrf)
      .send({ projectId: f.projectIds[0] });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('device-unknown');
  });

  it('keeps one round open at a time', async () => {
    await t.services.contests.editPart('live-test', 'rounds', {
      kind: 'add',
      input: { key: 'semi', name: { zh: '复赛' }, kind: 'roadshow', pitchSeconds: 300, qaSeconds: 300 },
    });
    await organizer('open');
    const other = await organizer('open', 'semi');
    expect(other.status).toBe(409);
    expect(other.text).toContain('决赛');
  });
});

describe('one vote per device', () => {
  beforeEach(async () => {
    await setup();
    await organizer('open');
  });

  it('counts a device once (409 already-voted, nothing counted twice) and a new device again', async () => {
    const phone = await device();
    const first = await phone.vote(f.projectIds[0]!);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      roundKey: 'final',
      projectId: f.projectIds[0],
      state: { voted: { projectId: f.projectIds[0] } },
    });

    const second = await phone.vote(f.projectIds[1]!);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already-voted');
    expect(second.body.error.message).toContain('一票');
    expect(await storedVotes()).toHaveLength(1);

    // The same device reloading the page keeps its cookie and its vote.
    const reload = await phone.agent.get('/live/live-test');
    expect(reload.text).toContain('已投票');
    expect((await phone.vote(f.projectIds[2]!)).status).toBe(409);

    const other = await device();
    expect((await other.vote(f.projectIds[1]!)).status).toBe(201);
    const tally = await host.agent.get(`${votesUrl()}/tally`);
    expect(tally.body.totals).toEqual({ counted: 2, held: 0, all: 2 });
    expect(await storedVotes()).toHaveLength(2);
  });

  it('stores only HMACs of the device and the address; the cookie is signed, httpOnly, SameSite=Lax, long-lived', async () => {
    const phone = await device();
    const setCookie = (phone.page.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith(`${DEVICE_COOKIE}=`),
    )!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)?.[1])).toBeGreaterThan(300 * 24 * 3600);
    const value = decodeURIComponent(setCookie.split(';')[0]!.slice(DEVICE_COOKIE.length + 1));
    const [id] = value.split('.');
    await phone.vote(f.projectIds[0]!);
    const [row] = await storedVotes();
    expect(row!.device_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(id);
    expect(JSON.stringify(row)).not.toContain('127.0.0.1');

    // A forged or tampered cookie is no device (the session and its token are fine).
    const stranger = await supertest(t.app).get('/live/live-test');
    const session = (stranger.headers['set-cookie'] as unknown as string[])
      .find((c) => c.startsWith('roadshow.sid='))!
      .split(';')[0]!;
    const tampered = `${id}.${'A'.repeat(43)}`;
    const res = await supertest(t.app)
      .post(votesUrl())
      .set('Cookie', `${session}; ${DEVICE_COOKIE}=${tampered}`)
      .set('x-csrf-token', csrfFrom(stranger.text))
      .send({ projectId: f.projectIds[0] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('device-unknown');
    expect(await storedVotes()).toHaveLength(1);
  });

  it('refuses a project outside the ballot (422) and a malformed body (422)', async () => {
    const phone = await device();
    expect((await phone.vote(999_999)).status).toBe(422);
    const bad = await phone.agent.post(votesUrl()).set('x-csrf-token', phone.csrf).send({ projectId: 'x' });
    expect(bad.status).toBe(422);
    expect(await storedVotes()).toHaveLength(0);
  });

  it('works as a plain form too, with the same rules', async () => {
    const phone = await device();
    const posted = await phone.agent
      .post('/live/live-test/vote')
      .type('form')
      .send({ _csrf: phone.csrf, projectId: String(f.projectIds[2]) });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('/live/live-test#vote');
    const after = await phone.agent.get('/live/live-test');
    expect(after.text).toContain('投票成功');
    expect(after.text).toContain('你已投票给「项目3」');
    const twice = await phone.agent
      .post('/live/live-test/vote')
      .type('form')
      .send({ _csrf: phone.csrf, projectId: String(f.projectIds[1]) });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('已在本轮投过票');
    expect(await storedVotes()).toHaveLength(1);
  });
});

describe('closed votes', () => {
  beforeEach(() => setup());

  it('answers 409 vote-closed before opening and after closing', async () => {
    const phone = await device();
    const early = await phone.vote(f.projectIds[0]!);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('vote-closed');
    await organizer('open');
    await organizer('close');
    const late = await phone.vote(f.projectIds[0]!);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('vote-closed');
    const form = await phone.agent
      .post('/live/live-test/vote')
      .type('form')
      .send({ _csrf: phone.csrf, projectId: String(f.projectIds[0]) });
    expect(form.status).toBe(409);
    expect(await storedVotes()).toHaveLength(0);
  });
});

describe('rate limit per IP', () => {
  beforeEach(() => setup());

  it('answers 429 after 20 posts a minute from one address, whatever the device', async () => {
    await organizer('open');
    const phones = [];
    for (let i = 0; i < 21; i++) phones.push(await device());
    const statuses: number[] = [];
    for (const [i, phone] of phones.entries()) statuses.push((await phone.vote(f.projectIds[i % 4]!)).status);
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
    const last = await phones[20]!.vote(f.projectIds[0]!);
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('rate-limited');
    expect(await storedVotes()).toHaveLength(20);
  });
});

describe('bursts', () => {
  beforeEach(() => setup({ config: { trustProxy: true } }));

  it('holds the votes beyond 10 from one address, shows them to the organizer and lets them count', async () => {
    await organizer('open');
    for (let i = 0; i < 12; i++) expect((await (await device('10.1.1.1')).vote(f.projectIds[0]!)).status).toBe(201);
    expect((await (await device('10.1.1.2')).vote(f.projectIds[1]!)).status).toBe(201);

    const tally = (await host.agent.get(`${votesUrl()}/tally`)).body;
    expect(tally.totals).toEqual({ counted: 11, held: 2, all: 13 });
    expect(tally.groups).toHaveLength(1);
    expect(tally.groups[0]).toMatchObject({ reason: 'ip-burst', votes: 2, held: 2 });
    const page = await host.agent.get('/admin/contests/live-test/votes');
    expect(page.text).toContain('集中投票');
    expect(page.text).toContain('计入这些票');

    const accept = await host.agent
      .post('/admin/contests/live-test/votes/final/review')
      .type('form')
      .send({ _csrf: host.csrf, group: tally.groups[0].key, action: 'accept' });
    expect(accept.status).toBe(303);
    expect((await host.agent.get(`${votesUrl()}/tally`)).body.totals).toEqual({ counted: 13, held: 0, all: 13 });
    // A later vote from that address is held again; the accepted ones stay counted.
    expect((await (await device('10.1.1.1')).vote(f.projectIds[0]!)).status).toBe(201);
    expect((await host.agent.get(`${votesUrl()}/tally`)).body.totals).toEqual({ counted: 13, held: 1, all: 14 });

    await host.agent
      .post('/admin/contests/live-test/votes/final/review')
      .type('form')
      .send({ _csrf: host.csrf, group: tally.groups[0].key, action: 'hold' });
    expect((await host.agent.get(`${votesUrl()}/tally`)).body.totals).toEqual({ counted: 11, held: 3, all: 14 });
    expect(await ledgerActions()).toEqual(expect.arrayContaining(['vote.accepted', 'vote.held']));
  });

  it('holds a sudden spike for one project from many addresses', async () => {
    await organizer('open');
    for (let i = 0; i < 31; i++) await (await device(`10.2.0.${i + 1}`)).vote(f.projectIds[2]!);
    const tally = (await host.agent.get(`${votesUrl()}/tally`)).body;
    expect(tally.totals).toEqual({ counted: 30, held: 1, all: 31 });
    expect(tally.groups[0]).toMatchObject({ reason: 'project-spike', project: { ref: 'RS-2024-0003' }, held: 1 });
  });
});

describe('counts before and after release', () => {
  beforeEach(() => setup());

  it('keeps counts out of public payloads and pages until released', async () => {
    await organizer('open');
    const phone = await device();
    await phone.vote(f.projectIds[0]!);
    await (await device()).vote(f.projectIds[0]!);
    await (await device()).vote(f.projectIds[3]!);

    const early = await organizer('release');
    expect(early.status).toBe(409);
    expect(early.text).toContain('请先结束投票');

    const publicBody = (await phone.agent.get(votesUrl())).body;
    expect(publicBody.voted).toEqual({ projectId: f.projectIds[0] });
    expect(publicBody).not.toHaveProperty('results');
    const text = JSON.stringify(publicBody);
    for (const leak of ['results', 'counted', 'held', '"votes"', 'tally']) expect(text).not.toContain(leak);
    const html = (await phone.agent.get('/live/live-test')).text;
    expect(html).toContain('已投票');
    expect(html).not.toContain('lp-results');
    // (The page's message catalog for its script contains "{n} 票" templates, not counts.)
    expect(html.replace(/data-i18n="[^"]*"/, '')).not.toMatch(/\d+ 票/);
    // The tally is for organizers only.
    expect((await supertest(t.app).get(`${votesUrl()}/tally`)).status).toBe(401);

    await organizer('close');
    const closedHtml = (await phone.agent.get('/live/live-test')).text;
    expect(closedHtml).toContain('结果待主办方公布');
    expect(JSON.stringify((await supertest(t.app).get(votesUrl())).body)).not.toContain('results');

    expect((await organizer('release')).status).toBe(303);
    const released = (await supertest(t.app).get(votesUrl())).body;
    expect(released.released).toBe(true);
    expect(released.results.slice(0, 2)).toEqual([
      { projectId: f.projectIds[0], ref: 'RS-2024-0001', votes: 2 },
      { projectId: f.projectIds[3], ref: 'RS-2024-0004', votes: 1 },
    ]);
    const releasedHtml = (await supertest(t.app).get('/live/live-test')).text;
    expect(releasedHtml).toContain('2 票');
    expect(await ledgerActions()).toEqual(expect.arrayContaining(['vote.released']));

    await organizer('hide');
    expect((await supertest(t.app).get(votesUrl())).body).not.toHaveProperty('results');
  });

  it('answers with an ETag that changes with the revision and this device’s vote', async () => {
    await organizer('open');
    const phone = await device();
    const first = await phone.agent.get(votesUrl());
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"v\d+-0"$/);
    expect((await phone.agent.get(votesUrl()).set('If-None-Match', etag)).status).toBe(304);
    await phone.vote(f.projectIds[0]!);
    expect((await phone.agent.get(votesUrl()).set('If-None-Match', etag)).status).toBe(200);
  });
});

describe('cross-site posts', () => {
  beforeEach(async () => {
    await setup();
    await organizer('open');
  });

  it('refuses a cross-site POST whatever it carries, and counts nothing', async () => {
    const phone = await device();
    // A browser marks it: refused before anything else.
    const marked = await phone.agent
      .post(votesUrl())
      .set('Sec-Fetch-Site', 'cross-site')
      .set('x-csrf-token', phone.csrf)
      .send({ projectId: f.projectIds[0] });
    expect(marked.status).toBe(403);
    // Cookies but no token (another site cannot read it).
    const noToken = await phone.agent.post(votesUrl()).send({ projectId: f.projectIds[0] });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf-invalid');
    const formNoToken = await phone.agent.post('/live/live-test/vote').type('form').send({ projectId: '1' });
    expect(formNoToken.status).toBe(403);
    // What a SameSite=Lax cross-site post sends: no cookies at all.
    const bare = await supertest(t.app).post(votesUrl()).send({ projectId: f.projectIds[0] });
    expect(bare.status).toBe(403);
    expect(bare.body.error.code).toBe('device-unknown');
    const bareForm = await supertest(t.app)
      .post('/live/live-test/vote')
      .type('form')
      .send({ projectId: String(f.projectIds[0]) });
    expect(bareForm.status).toBe(403);
    expect(await storedVotes()).toHaveLength(0);
  });
});

describe('the audience award tier', () => {
  beforeEach(() => setup({ config: { trustProxy: true } }));

  it('is filled from counted votes only (held votes excluded) when the awards are locked', async () => {
    await t.services.contests.editPart('live-test', 'prizeTiers', {
      kind: 'add',
      input: { key: 'popular', name: { zh: '人气奖' }, scope: 'overall', quota: 1, precedence: 1, audience: true },
    });
    await organizer('open');
    // Project 3: 12 votes from one address (10 counted, 2 held); project 2: 11 from different addresses.
    for (let i = 0; i < 12; i++) await (await device('10.3.0.1')).vote(f.projectIds[2]!);
    for (let i = 0; i < 11; i++) await (await device(`10.4.0.${i + 1}`)).vote(f.projectIds[1]!);
    await organizer('close');

    expect(await t.services.votes.audienceVotes('live-test', 'final')).toEqual([
      { ref: 'RS-2024-0002', votes: 11 },
      { ref: 'RS-2024-0003', votes: 10 },
    ]);
    const locked = await t.services.awards.lock('live-test', { kind: 'organizer', id: 1 }, {});
    const popular = locked.awards.filter((a) => a.tierKey === 'popular');
    expect(popular.map((a) => a.projectRef)).toEqual(['RS-2024-0002']);
  });
});
