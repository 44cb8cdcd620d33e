/**
 * Publication (公示) and appeals (申诉) over HTTP on a seeded contest whose awards are locked:
 * the results page is 404 until an organizer publishes (ledger entry), then public without any
 * private data; an appeal before the deadline is stored with a reference and a private status
 * link; after the deadline it is refused with 409; organizers answer with a recorded decision
 * (actor in the row and the ledger), viewers may read but not answer.
 */
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, csrfFrom, csrfOf, type TestApp } from '../support/app.js';
import { SLUG, P, TITLE, INSTITUTION, seed } from '../support/results-fixture.js';

let now = Date.parse('2024-11-23T08:00:00Z');
let t: TestApp;
const anonymous = () => supertest.agent(t.app);
const ledger = () =>
  t.opened.sqlite.prepare('SELECT action, actor_kind, actor_id, payload FROM ledger_entry ORDER BY seq').all() as {
    action: string;
    actor_kind: string;
    actor_id: number | null;
    payload: string;
  }[];
const appeals = () =>
  t.opened.sqlite.prepare('SELECT * FROM appeal ORDER BY id').all() as {
    reference: string;
    contact: string;
    body: string;
    status: string;
    answer: string;
    answered_by: number | null;
    project_id: number | null;
  }[];

async function publish(deadline = '2024-11-28T18:00') {
  const { agent } = await t.signedIn('admin');
  const csrf = await csrfOf(agent, `/admin/contests/${SLUG}/publication`);
  return agent
    .post(`/admin/contests/${SLUG}/publication/publish`)
    .type('form')
    .send({ _csrf: csrf, appealDeadline: deadline });
}

async function fileAppeal(fields: Record<string, string>) {
  const agent = anonymous();
  const page = await agent.get(`/contests/${SLUG}/results`);
  const res = await agent
    .post(`/contests/${SLUG}/appeals`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
  return { agent, res };
}

beforeEach(async () => {
  now = Date.parse('2024-11-23T08:00:00Z');
  t = await buildTestApp({ clock: { now: () => new Date(now) } });
});
afterEach(async () => {
  t.services.stage.stop();
  await t.destroy();
});

describe('publishing results (公示)', () => {
  it('is not public before publishing, and cannot be published before the awards are locked', async () => {
    await seed(t, false);
    expect((await anonymous().get(`/contests/${SLUG}/results`)).status).toBe(404);
    const api = await anonymous().get(`/api/v1/contests/${SLUG}/published-results`);
    expect(api.status).toBe(200);
    expect(api.body).toEqual({ published: false, results: null });
    const res = await publish();
    expect(res.status).toBe(409);
    expect(res.text).toContain('尚无已锁定的结果');
    expect((await anonymous().get(`/contests/${SLUG}/results`)).status).toBe(404);
  });

  it('publishes with a deadline (ledger entry), then shows awards and rankings without private data', async () => {
    const { admin } = await seed(t);
    expect((await anonymous().get(`/contests/${SLUG}/results`)).status).toBe(404);
    const { agent } = await t.signedIn('admin');
    const form = await agent.get(`/admin/contests/${SLUG}/publication`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('发布公示');
    const res = await publish('2024-11-28T18:00');
    expect(res.status).toBe(303);

    const row = t.opened.sqlite.prepare('SELECT status, published_at, appeal_deadline FROM contest').get() as Record<
      string,
      string
    >;
    expect(row).toEqual({
      status: 'published',
      published_at: '2024-11-23T08:00:00.000Z',
      appeal_deadline: '2024-11-28T10:00:00.000Z', // 18:00 Beijing time
    });
    const entry = ledger().find((e) => e.action === 'results.published')!;
    expect(entry.actor_kind).toBe('organizer');
    expect(entry.actor_id).not.toBe(admin.id); // a second admin signed in for the form
    expect(JSON.parse(entry.payload)).toMatchObject({ appealDeadline: '2024-11-28T10:00:00.000Z' });

    const page = await anonymous().get(`/contests/${SLUG}/results`);
    expect(page.status).toBe(200);
    for (const text of [TITLE, INSTITUTION, '一等奖', '二等奖', '创新药品', '30.63', '30.00', '29.67', '29.00', '申诉'])
      expect(page.text).toContain(text);
    // No judge names, no judge totals, no contacts, no explanation formula.
    for (const text of ['评委1', '评委3', '13800138000', 'zhang.secret', 'trimmed mean', '33.00', '15.00'])
      expect(page.text).not.toContain(text);

    const api = await anonymous().get(`/api/v1/contests/${SLUG}/published-results`);
    expect(api.body.published).toBe(true);
    expect(api.body.results.rounds[0].awardGroups.map((g: { tierKey: string }) => g.tierKey)).toEqual([
      'first',
      'first',
      'second',
    ]);
    const json = JSON.stringify(api.body);
    for (const text of ['评委', '13800138000', 'zhang.secret', 'judges']) expect(json).not.toContain(text);
  });

  it('refuses a deadline in the past and keeps the contest unpublished', async () => {
    await seed(t);
    const res = await publish('2024-11-20T18:00');
    expect(res.status).toBe(422);
    expect(res.text).toContain('截止时间必须晚于现在');
    expect((await anonymous().get(`/contests/${SLUG}/results`)).status).toBe(404);
  });

  it('can be withdrawn with a reason, which hides the page again', async () => {
    await seed(t);
    await publish();
    const { agent } = await t.signedIn('admin');
    const csrf = await csrfOf(agent, `/admin/contests/${SLUG}/publication`);
    const res = await agent
      .post(`/admin/contests/${SLUG}/publication/unpublish`)
      .type('form')
      .send({ _csrf: csrf, reason: '发现录入错误' });
    expect(res.status).toBe(303);
    expect((await anonymous().get(`/contests/${SLUG}/results`)).status).toBe(404);
    expect(JSON.parse(ledger().find((e) => e.action === 'results.unpublished')!.payload)).toMatchObject({
      reason: '发现录入错误',
    });
  });
});

describe('appeals (申诉)', () => {
  beforeEach(async () => {
    await seed(t);
    expect((await publish('2024-11-28T18:00')).status).toBe(303);
  });

  it('before the deadline: stored with a reference and a private status link; the ledger holds no contact', async () => {
    const { agent, res } = await fileAppeal({
      name: '王五',
      contact: '13900139000',
      projectRef: P(2),
      body: '第二名项目的得分计算有误，请复核。',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/appeals\/status\?t=[A-Za-z0-9_-]{20,}&new=1$/);
    const [stored] = appeals();
    expect(stored).toMatchObject({
      contact: '13900139000',
      status: 'open',
      body: '第二名项目的得分计算有误，请复核。',
    });
    expect(stored!.reference).toMatch(/^SS-[A-Z2-9]{8}$/);
    expect(stored!.project_id).not.toBeNull();

    const status = await agent.get(res.headers.location!);
    expect(status.status).toBe(200);
    expect(status.text).toContain(stored!.reference);
    expect(status.text).toContain('处理中');
    expect(status.headers['cache-control']).toBe('no-store');

    const entry = ledger().find((e) => e.action === 'appeal.submitted')!;
    expect(entry.actor_kind).toBe('public');
    expect(entry.payload).toContain(stored!.reference);
    expect(entry.payload).not.toContain('13900139000');
    expect(entry.payload).not.toContain('王五');

    expect((await anonymous().get('/appeals/status?t=not-a-real-token')).status).toBe(404);
  });

  it('needs the CSRF token and valid fields', async () => {
    const noToken = await anonymous()
      .post(`/contests/${SLUG}/appeals`)
      .type('form')
      .send({ name: 'x', contact: 'y', body: 'z' });
    expect(noToken.status).toBe(403);
    const empty = await fileAppeal({ name: '', contact: '13900139000', body: '' });
    expect(empty.res.status).toBe(422);
    expect(empty.res.text).toContain('此项必填');
    const unknown = await fileAppeal({ name: '王五', contact: '13900139000', projectRef: 'NOPE-1', body: '复核' });
    expect(unknown.res.status).toBe(422);
    expect(unknown.res.text).toContain('没有这个项目编号');
    expect(appeals()).toHaveLength(0);
  });

  it('after the deadline: 409 with a message, nothing stored', async () => {
    now = Date.parse('2024-11-28T10:00:01Z');
    const page = await anonymous().get(`/contests/${SLUG}/results`);
    expect(page.text).toContain('申诉期已结束');
    const { res } = await fileAppeal({ name: '王五', contact: '13900139000', body: '迟到的申诉' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('申诉期已结束，不再受理申诉');
    expect(appeals()).toHaveLength(0);
  });

  it('organizers answer with a recorded decision (actor in row and ledger); once only', async () => {
    const { agent: appellant, res } = await fileAppeal({ name: '王五', contact: 'w5@example.test', body: '请复核。' });
    const reference = appeals()[0]!.reference;
    const { agent, id } = await t.signedIn('admin');
    const list = await agent.get(`/admin/contests/${SLUG}/appeals`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(reference);
    expect(list.text).toContain('w5@example.test'); // organizers see the contact
    const csrf = csrfFrom(list.text);
    const answer = await agent
      .post(`/admin/contests/${SLUG}/appeals/${reference}/answer`)
      .type('form')
      .send({ _csrf: csrf, decision: 'rejected', answer: '经复核，计分无误。' });
    expect(answer.status).toBe(303);
    expect(appeals()[0]).toMatchObject({ status: 'rejected', answer: '经复核，计分无误。', answered_by: id });
    const entry = ledger().find((e) => e.action === 'appeal.answered')!;
    expect(entry).toMatchObject({ actor_kind: 'organizer', actor_id: id });
    expect(JSON.parse(entry.payload)).toMatchObject({ reference, decision: 'rejected' });

    const status = await appellant.get(res.headers.location!);
    expect(status.text).toContain('经复核，计分无误。');
    expect(status.text).toContain('申诉不成立');

    const again = await agent
      .post(`/admin/contests/${SLUG}/appeals/${reference}/answer`)
      .type('form')
      .send({ _csrf: csrf, decision: 'upheld', answer: '改判' });
    expect(again.status).toBe(409);
    expect(appeals()[0]!.status).toBe('rejected');
  });

  it('needs a decision and an answer text', async () => {
    await fileAppeal({ name: '王五', contact: 'w5@example.test', body: '请复核。' });
    const reference = appeals()[0]!.reference;
    const { agent } = await t.signedIn('admin');
    const csrf = await csrfOf(agent, `/admin/contests/${SLUG}/appeals`);
    const res = await agent
      .post(`/admin/contests/${SLUG}/appeals/${reference}/answer`)
      .type('form')
      .send({ _csrf: csrf, decision: '', answer: '' });
    expect(res.status).toBe(422);
    expect(appeals()[0]!.status).toBe('open');
  });

  it('a viewer may read the appeals but not answer them (403)', async () => {
    await fileAppeal({ name: '王五', contact: 'w5@example.test', body: '请复核。' });
    const reference = appeals()[0]!.reference;
    const { agent } = await t.signedIn('viewer');
    const list = await agent.get(`/admin/contests/${SLUG}/appeals`);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('记录结论');
    const res = await agent
      .post(`/admin/contests/${SLUG}/appeals/${reference}/answer`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text), decision: 'upheld', answer: '成立' });
    expect(res.status).toBe(403);
    expect(appeals()[0]!.status).toBe('open');
    const publishAttempt = await agent
      .post(`/admin/contests/${SLUG}/publication/unpublish`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text), reason: 'x' });
    expect(publishAttempt.status).toBe(403);
  });
});
