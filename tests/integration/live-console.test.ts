/**
 * The contest-day organizer pages and their API over HTTP: a host runs the stage and a viewer
 * cannot (403, nothing written); the console, progress, links, cards and ledger pages render;
 * judge links are issued (shown once, QR embedded as a data: image), re-issued and revoked only
 * with 'edit'; an unlock needs 'edit' and a written reason; the ledger page verifies the chain.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let t: TestApp;
let f: LiveFixture;
beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services);
});
afterEach(async () => {
  await t.destroy();
});

const marks = { innovation: 18.5, team: 13 };
const ledgerCount = () => (t.opened.sqlite.prepare('SELECT count(*) AS n FROM ledger_entry').get() as { n: number }).n;
const stageRow = () => t.opened.sqlite.prepare('SELECT * FROM stage_state').get();
const page = (slug: string, rest: string) => `/admin/contests/${slug}${rest}`;
const api = (rest: string) => `/api/v1/contests/${f.slug}${rest}`;

async function post(agent: supertest.Agent, csrf: string, url: string, body: unknown) {
  return agent
    .post(url)
    .set('x-csrf-token', csrf)
    .send(body as object);
}

/** The `seen` digest an issuing form carries (it stops a resubmitted form from re-issuing). */
function seenIn(html: string, action: string): string {
  const at = html.indexOf(`action="${action}"`);
  const match = at >= 0 ? /name="seen" value="([0-9a-f]+)"/.exec(html.slice(at)) : null;
  if (!match?.[1]) throw new Error(`no issuing form for ${action}`);
  return match[1];
}

/** The link token out of a page that shows a freshly issued URL. */
function tokensIn(html: string): string[] {
  return [...html.matchAll(/\/j\/([A-Za-z0-9_-]{20,100})/g)].map((m) => m[1]!);
}

describe('stage actions', () => {
  it('a host runs the stage; a viewer gets 403 and nothing is written', async () => {
    const host = await t.signedIn('host');
    const viewer = await t.signedIn('viewer');
    const call = { kind: 'call', roundId: f.roundId, projectId: f.projectIds[0] };

    const before = { ledger: ledgerCount(), stage: stageRow() };
    const refused = await post(viewer.agent, viewer.csrf, api('/stage'), call);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect({ ledger: ledgerCount(), stage: stageRow() }).toEqual(before);

    const called = await post(host.agent, host.csrf, api('/stage'), call);
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({ phase: 'presenting', projectId: f.projectIds[0], project: { title: '项目1' } });
    const pitch = await post(host.agent, host.csrf, api('/stage'), { kind: 'start-pitch' });
    expect(pitch.body.timer).toMatchObject({ kind: 'pitch', durationMs: 300_000, running: true });
    expect((await post(host.agent, host.csrf, api('/stage'), { kind: 'open-scoring' })).body.phase).toBe('scoring');

    // A phase conflict is a 409 with the translated message the console shows.
    const conflict = await post(host.agent, host.csrf, api('/stage'), { kind: 'start-qa' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ code: 'stage-conflict', message: '现场状态已变化，请刷新后重试' });

    // Without the CSRF header the session cannot act.
    const noCsrf = await host.agent.post(api('/stage')).send({ kind: 'close-scoring' });
    expect(noCsrf.status).toBe(403);
    expect((await viewer.agent.get(api('/stage'))).body.phase).toBe('scoring');
  });

  it('renders the console for a host (actions enabled by script) and read-only for a viewer', async () => {
    const host = await t.signedIn('host');
    const viewer = await t.signedIn('viewer');
    await t.services.stage.act(
      f.slug,
      { kind: 'organizer', id: host.id },
      {
        kind: 'call',
        roundId: f.roundId,
        projectId: f.projectIds[1],
      },
    );
    const res = await host.agent.get(page(f.slug, '/stage'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('现场控制台');
    expect(res.text).toContain('data-can-run="1"');
    expect(res.text).toContain('/static/build/stage.js');
    expect(res.text).toContain('/static/css/live.css');
    for (const label of ['开始陈述', '开始答辩', '开启评分', '关闭评分', '下一个', '+1 分钟', '−1 分钟'])
      expect(res.text).toContain(label);
    expect(res.text).toMatch(/class="order-row is-current" data-project-id="\d+"/);
    expect(res.text).toContain('项目2');
    expect(res.text).toMatch(/账本头/);
    expect(res.text).not.toMatch(/style=/);

    // English works throughout, including the messages handed to the browser code.
    const en = await host.agent.get(page(f.slug, '/stage')).set('accept-language', 'en');
    for (const label of ['Stage console', 'Start pitch', 'Open scoring', 'Running order', 'Ledger head'])
      expect(en.text).toContain(label);
    expect(en.text).toContain('&quot;live.stage.submitted&quot;:&quot;{submitted}/{eligible} submitted&quot;');

    const ro = await viewer.agent.get(page(f.slug, '/stage'));
    expect(ro.status).toBe(200);
    expect(ro.text).toContain('data-can-run=""');
    expect(ro.text).toContain('只读模式');
  });

  it('redirects anonymous visitors to the login page', async () => {
    const res = await (await import('supertest')).default(t.app).get(page(f.slug, '/stage')).set('accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/login\?next=/);
  });
});

describe('progress and unlocks', () => {
  it('shows the grid with versions and recusals, and pending counts', async () => {
    const viewer = await t.signedIn('viewer');
    await t.services.stage.act(
      f.slug,
      { kind: 'organizer', id: 1 },
      {
        kind: 'call',
        roundId: f.roundId,
        projectId: f.projectIds[0],
      },
    );
    await t.services.stage.act(f.slug, { kind: 'organizer', id: 1 }, { kind: 'open-scoring' });
    await t.services.scores.record(
      { judgeId: f.judgeIds[0]!, contestId: f.contestId },
      { submissionId: submissionId(), roundId: f.roundId, projectId: f.projectIds[0], marks },
    );
    const res = await viewer.agent.get(page(f.slug, '/progress'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('评分进度');
    expect(res.text).toContain('评委11');
    expect(res.text).toMatch(/class="cell is-submitted"[^>]*>✓<small>v1<\/small>/);
    expect(res.text).toMatch(/class="cell is-recused"/);
    expect(res.text).toContain('已提交 1/43 份，待提交 42 份');
    // A viewer sees no unlock buttons.
    expect(res.text).not.toContain('data-unlock');
    const admin = await t.signedIn('admin');
    expect((await admin.agent.get(page(f.slug, '/progress'))).text).toContain('data-unlock');
  });

  it('unlocking needs edit and a reason, and lands in the ledger', async () => {
    const host = await t.signedIn('host');
    const admin = await t.signedIn('admin');
    await t.services.stage.act(
      f.slug,
      { kind: 'organizer', id: 1 },
      {
        kind: 'call',
        roundId: f.roundId,
        projectId: f.projectIds[1],
      },
    );
    await t.services.stage.act(f.slug, { kind: 'organizer', id: 1 }, { kind: 'open-scoring' });
    await t.services.scores.record(
      { judgeId: f.judgeIds[3]!, contestId: f.contestId },
      { submissionId: submissionId(), roundId: f.roundId, projectId: f.projectIds[1], marks },
    );
    await t.services.stage.act(f.slug, { kind: 'organizer', id: 1 }, { kind: 'close-scoring' });
    const body = { roundId: f.roundId, projectId: f.projectIds[1], judgeId: f.judgeIds[3] };
    const before = ledgerCount();

    expect((await post(host.agent, host.csrf, api('/unlocks'), { ...body, reason: '录入错误' })).status).toBe(403);
    const noReason = await post(admin.agent, admin.csrf, api('/unlocks'), { ...body, reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(ledgerCount()).toBe(before);

    const ok = await post(admin.agent, admin.csrf, api('/unlocks'), { ...body, reason: '评委口头要求更正' });
    expect(ok.status).toBe(201);
    expect(ledgerCount()).toBe(before + 1);
    const ledger = await admin.agent.get(page(f.slug, '/ledger'));
    expect(ledger.text).toContain('解锁评分表');
    expect(ledger.text).toContain('理由：评委口头要求更正');
  });
});

describe('judge links and QR cards', () => {
  it('issues a link shown once with its QR, re-issues (old one dies) and revokes, only with edit', async () => {
    const viewer = await t.signedIn('viewer');
    const host = await t.signedIn('host');
    const admin = await t.signedIn('admin');
    const judge = f.judgeIds[2]!;
    const links = page(f.slug, '/judges/links');

    const list = await viewer.agent.get(links);
    expect(list.status).toBe(200);
    expect(list.text).toContain('评委3');
    expect(list.text).toContain('未生成');
    expect(list.text).not.toContain(`${links}/${judge}/issue`);

    const before = ledgerCount();
    for (const who of [viewer, host]) {
      const res = await who.agent.post(`${links}/${judge}/issue`).type('form').send({ _csrf: who.csrf });
      expect(res.status).toBe(403);
    }
    expect(ledgerCount()).toBe(before);

    const issue = `${links}/${judge}/issue`;
    const firstForm = { _csrf: admin.csrf, seen: seenIn((await admin.agent.get(links)).text, issue) };
    const issued = await admin.agent.post(issue).type('form').send(firstForm);
    expect(issued.status).toBe(200);
    expect(issued.headers['cache-control']).toContain('no-store');
    expect(issued.text).toContain('此链接仅显示这一次');
    // Handlebars escapes '=' (base64 padding) as &#x3D; in attributes; browsers decode it.
    expect(issued.text).toMatch(/<img class="issued-qr" src="data:image\/svg\+xml;base64,([A-Za-z0-9+/]|&#x3D;)+"/);
    const [token] = tokensIn(issued.text);
    expect(token).toBeDefined();
    expect(token!.length).toBeGreaterThanOrEqual(22);
    // Shown once: the list afterwards has the status, not the URL.
    const after = await admin.agent.get(links);
    expect(tokensIn(after.text)).toEqual([]);
    expect(after.text).toContain('已生成');
    expect(after.text).toContain('尚未使用');

    // The same form sent again (a reload of the result page) changes nothing.
    const ledgerAfterIssue = ledgerCount();
    const resent = await admin.agent.post(issue).type('form').send(firstForm);
    expect(resent.status).toBe(303);
    expect(resent.headers.location).toBe(`${links}?stale=1`);
    expect((await admin.agent.get(resent.headers.location!)).text).toContain('页面已过期');
    expect(ledgerCount()).toBe(ledgerAfterIssue);

    const judgeAgent = (await import('supertest')).default.agent(t.app);
    expect((await judgeAgent.get(`/j/${token}`)).status).toBe(303);
    const used = await admin.agent.get(links);
    expect(used.text).toContain('最近使用');

    const again = await admin.agent
      .post(issue)
      .type('form')
      .send({ _csrf: admin.csrf, seen: seenIn(used.text, issue) });
    const [second] = tokensIn(again.text);
    expect(second).not.toBe(token);
    expect((await judgeAgent.get(`/j/${token}`)).status).toBe(404);

    const revoked = await admin.agent.post(`${links}/${judge}/revoke`).type('form').send({ _csrf: admin.csrf });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.location).toBe(`${links}?revoked=j3`);
    expect((await admin.agent.get(revoked.headers.location!)).text).toContain('已撤销 评委3 的评委链接');
    expect((await judgeAgent.get(`/j/${second}`)).status).toBe(404);
    const actions = (
      t.opened.sqlite.prepare('SELECT action FROM ledger_entry ORDER BY seq').all() as { action: string }[]
    ).map((r) => r.action);
    expect(actions).toEqual(['judge-link.issued', 'judge-link.issued', 'judge-link.revoked']);

    // Unknown judge ids (or another contest's) are 404s.
    expect(
      (await admin.agent.post(`${links}/999999/issue`).type('form').send({ _csrf: admin.csrf, seen: 'x' })).status,
    ).toBe(404);
  });

  it('prints a sheet of QR cards for every judge, 8 per A4 page, with fresh links that end the old ones', async () => {
    const viewer = await t.signedIn('viewer');
    const admin = await t.signedIn('admin');
    const cards = page(f.slug, '/judges/cards');
    const intro = await viewer.agent.get(cards);
    expect(intro.status).toBe(200);
    expect(intro.text).toContain('打印后链接仅显示这一次；重新生成会使旧卡片失效');
    expect(intro.text).not.toContain('生成链接并排版打印');
    expect((await viewer.agent.post(cards).type('form').send({ _csrf: viewer.csrf })).status).toBe(403);

    const [old] = await t.services.judgeLinks.issue(f.contestId, [f.judgeIds[0]!], admin.id);
    const oldToken = old!.url.split('/j/')[1]!;
    const form = { _csrf: admin.csrf, seen: seenIn((await admin.agent.get(cards)).text, cards) };
    const sheet = await admin.agent.post(cards).type('form').send(form);
    expect(sheet.status).toBe(200);
    expect(sheet.text).toContain('打印后链接仅显示这一次；重新生成会使旧卡片失效');
    expect(sheet.text).toContain('用平板相机扫码进入评分');
    expect(sheet.text.match(/<article class="judge-card">/g)).toHaveLength(11);
    expect(sheet.text.match(/<section class="card-page"/g)).toHaveLength(2);
    expect(sheet.text.match(/src="data:image\/svg\+xml;base64,/g)).toHaveLength(11);
    expect(sheet.text).toContain('现场测试赛');
    // The URLs are only inside the QR images; decode them and try each.
    const svgs = [...sheet.text.matchAll(/src="data:image\/svg\+xml;base64,((?:[A-Za-z0-9+/]|&#x3D;)+)"/g)].map((m) =>
      Buffer.from(m[1]!.replaceAll('&#x3D;', '='), 'base64').toString('utf8'),
    );
    expect(svgs).toHaveLength(11);
    expect(svgs.every((svg) => svg.startsWith('<svg'))).toBe(true);
    const status = await t.services.judgeLinks.status(f.contestId);
    expect(status.every((s) => s.issuedAt !== null)).toBe(true);
    expect(await t.services.judgeLinks.exchange(oldToken)).toBeNull();
    // No URL appears as text on the sheet: only inside the QR codes.
    expect(tokensIn(sheet.text)).toEqual([]);

    // Reloading the sheet (the same form again) must not invalidate the cards just printed.
    const resent = await admin.agent.post(cards).type('form').send(form);
    expect(resent.status).toBe(303);
    expect(resent.headers.location).toBe(`${cards}?stale=1`);
    expect(await t.services.judgeLinks.status(f.contestId)).toEqual(status);
    expect((await admin.agent.get(resent.headers.location!)).text).toContain('本次未做任何更改');
  });
});

describe('ledger page', () => {
  it('shows the head hash, recent entries and a verification that finds a flipped byte', async () => {
    const viewer = await t.signedIn('viewer');
    await t.services.stage.act(
      f.slug,
      { kind: 'organizer', id: viewer.id },
      {
        kind: 'call',
        roundId: f.roundId,
        projectId: f.projectIds[1],
      },
    );
    await t.services.stage.act(f.slug, { kind: 'organizer', id: viewer.id }, { kind: 'open-scoring' });
    for (const i of [2, 3]) {
      await t.services.scores.record(
        { judgeId: f.judgeIds[i]!, contestId: f.contestId },
        { submissionId: submissionId(), roundId: f.roundId, projectId: f.projectIds[1], marks },
      );
    }
    const head = (await t.services.ledger.head(f.contestId))!;
    const url = page(f.slug, '/ledger');
    const res = await viewer.agent.get(url);
    expect(res.status).toBe(200);
    expect(res.text).toContain(head.hash);
    expect(res.text).toContain('第 4 条');
    expect(res.text).toContain('叫号上台');
    expect(res.text).toContain('项目 RS-2024-0002');
    expect(res.text).toContain('评委 · 评委3');

    const good = await viewer.agent.get(`${url}?verify=1`);
    expect(good.text).toContain('校验通过：4 条记录完整');

    const row = t.opened.sqlite.prepare('SELECT payload FROM ledger_entry WHERE seq = 3').get() as { payload: string };
    t.opened.sqlite
      .prepare('UPDATE ledger_entry SET payload = ? WHERE seq = 3')
      .run(row.payload.replace('1850', '1950'));
    const bad = await viewer.agent.get(`${url}?verify=1`);
    expect(bad.text).toContain('校验失败：第 3 条记录异常');

    // The JSON head the console footer refreshes from.
    expect((await viewer.agent.get(api('/ledger/head'))).body.head).toEqual({ seq: 4, hash: head.hash });
  });
});
