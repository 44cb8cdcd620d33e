/**
 * Stored XSS, in real Chromium. A payload corpus (script tags, attribute breakouts, javascript:
 * URLs, template-injection strings, SVG onload, srcdoc iframes, RTL-override and line-separator
 * tricks, full-width look-alikes) goes into every user-controlled field reachable from outside:
 * the contest document imported over the JSON API (contest, tracks, rounds, criteria and level
 * labels, prize tiers, judges, projects, members, conflict reasons), CSV import rows, the public
 * registration API, judges' comments through the score API and an appeal through the public form.
 * Then every page that shows them is opened — organizer lists and forms, review, import preview,
 * conflict matrix, results, stage console, screen control, the judge's tablet page, the big
 * screen, the audience phone page, the public schedule, results and status pages — and each must
 * show the text literally: no dialog, no injected element (no on… attribute, no img[src=x], no
 * iframe, no inline script, no javascript: link). Last, the CSP itself is shown to block inline
 * script and inline handlers in the browser.
 */
import supertest from 'supertest';
import { stringify } from 'csv-stringify/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, login } from '../support/app.js';
import {
  launchBrowser,
  newPage,
  signIn,
  skipBrowserTests,
  startServer,
  type RunningServer,
} from '../support/browser.js';
import { submissionId } from '../support/fixtures.js';

const PAYLOADS = [
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(2)>`,
  `javascript:alert(3)`,
  `{{constructor.constructor('alert(4)')()}}`,
  `<svg onload=alert(5)>`,
  `\u202E<img src=x onerror=alert(6)>\u2028'";</script><script>alert(6)</script>`,
  `＜script＞alert(7)＜/script＞<iframe srcdoc="<script>alert(7)</script>">`,
  `<a href="javascript:alert(8)">x</a><details open ontoggle=alert(8)>`,
  `'-alert(9)-'\`\${alert(9)}\`</textarea><style>*{color:red}</style>`,
];
const P = (i: number) => PAYLOADS[i % PAYLOADS.length]!;
/** The CSV file's name, also shown on the import pages. */
const FILE_NAME = '<img src=x onerror=alert(10)>.csv';
/** Payloads without invisible characters, easy to find in a page's text. */
const VISIBLE = [...PAYLOADS.filter((p) => !/[\u202E\u2028]/.test(p)), FILE_NAME];

const LIVE = 'xss-live';
const REG = 'xss-reg';
const today = new Date().toISOString().slice(0, 10);

function liveDocument() {
  return {
    format: 'roadshow.contest/v1',
    slug: LIVE,
    name: { zh: `路演大赛${P(0)}`, en: `Roadshow ${P(1)}` },
    theme: { zh: P(2), en: P(3) },
    organizer: P(4),
    venue: P(5),
    startsOn: today,
    endsOn: today,
    status: 'live',
    tracks: [{ key: 'ai', name: { zh: `赛道${P(6)}`, en: P(7) }, description: P(8) }],
    rounds: [
      {
        key: 'final',
        name: { zh: `决赛${P(1)}`, en: P(2) },
        kind: 'roadshow',
        pitchSeconds: 300,
        qaSeconds: 300,
        criteria: [
          {
            key: 'innovation',
            name: { zh: `创新${P(3)}`, en: P(4) },
            description: P(5),
            min: 0,
            max: 20,
            step: 0.5,
            weight: 1,
            levels: [{ min: 0, max: 20, label: { zh: P(6), en: P(7) } }],
          },
          { key: 'team', name: { zh: `团队${P(8)}`, en: '' }, min: 0, max: 15, step: 1, weight: 1 },
        ],
      },
    ],
    prizeTiers: [
      {
        key: 'first',
        name: { zh: `一等奖${P(0)}`, en: P(1) },
        scope: 'overall',
        quotaKind: 'count',
        quota: 1,
        precedence: 1,
      },
    ],
    judges: [1, 2, 3].map((i) => ({
      key: `j${i}`,
      name: `评委${i}${P(i)}`,
      title: P(i + 1),
      institution: `单位${i}${P(i + 2)}`,
      isHeadJudge: i === 1,
    })),
    projects: [1, 2, 3].map((i) => ({
      ref: `P00${i}`,
      title: `项目${i}${P(i + 3)}`,
      trackKey: 'ai',
      institution: `医院${i}${P(i + 4)}`,
      leader: { name: `负责人${i}${P(i + 5)}` },
      members: [{ name: `成员${i}${P(i + 6)}`, role: P(i + 7) }],
      summary: PAYLOADS.join(' '),
      status: i === 3 ? 'submitted' : 'approved',
    })),
    conflicts: [{ judgeKey: 'j2', projectRef: 'P001', reason: `同单位${P(2)}` }],
  };
}

const regDocument = {
  format: 'roadshow.contest/v1',
  slug: REG,
  name: { zh: `报名赛${P(5)}`, en: '' },
  status: 'registration-open',
  tracks: [{ key: 'ai', name: { zh: `AI赛道${P(1)}`, en: '' } }],
};

let browser: Browser;
let server: RunningServer;
let owner: { email: string; password: string; id: number };
let ownerPage: Page;
let ownerContext: BrowserContext;
let judgePage: Page;
let judgeContext: BrowserContext;
let regStatusPath = '';
let appealStatusPath = '';
let importBatchPath = '';

const api = () => supertest(server.app.app);

describe.skipIf(skipBrowserTests)('stored XSS payloads stay inert in Chromium', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    const services = server.app.services;
    owner = await server.app.organizer('owner');
    const { token } = await services.users.createToken(owner.email, 'xss');
    const bearer = { Authorization: `Bearer ${token}` };

    // The contest documents, over the JSON API.
    for (const doc of [liveDocument(), regDocument]) {
      const res = await api().post('/api/v1/contests').set(bearer).send(doc);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const loaded = await services.contests.load(LIVE);
    const roundId = loaded.ids.rounds.get('final')!;
    const projectIds = ['P001', 'P002'].map((ref) => loaded.ids.projects.get(ref)!);
    const judgeIds = ['j1', 'j2', 'j3'].map((key) => loaded.ids.judges.get(key)!);

    // A registration through the public API (no cookies: no CSRF token needed).
    const reg = await api()
      .post(`/api/v1/contests/${REG}/registrations`)
      .send({
        title: `报名项目${P(0)}`,
        trackKey: 'ai',
        institution: `报名单位${P(1)}`,
        leader: { name: `报名人${P(4)}`, phone: '13800138000', email: 'team@example.cn' },
        members: [{ name: `队员${P(5)}`, role: P(6) }],
        stage: 'prototype',
        summary: PAYLOADS.join('\n'),
        consent: true,
      });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    regStatusPath = new URL(reg.body.statusUrl as string).pathname;

    // CSV rows through the organizer's upload form, then confirmed.
    const agent = supertest.agent(server.app.app);
    expect((await login(agent, owner.email, owner.password)).status).toBe(303);
    const csrf = csrfFrom((await agent.get(`/admin/contests/${REG}/import`)).text);
    const header = ['项目名称', '赛道', '申报单位', '负责人', '手机', '邮箱', '团队成员', '阶段', '简介', '打星'];
    const rows = [2, 3, 7].map((i) => [
      `导入项目${P(i)}`,
      'ai',
      `导入单位${P(i + 1)}`,
      `导入负责人${i}`,
      `1390000000${i}`,
      `lead${i}@example.com`,
      `导入成员${i}|${P(i + 2).replace(/[|;]/g, '')}`,
      '原型/样机',
      P(i + 3),
      '否',
    ]);
    const upload = await agent
      .post(`/admin/contests/${REG}/import`)
      .set('x-csrf-token', csrf)
      .attach('file', Buffer.from(stringify([header, ...rows]), 'utf8'), {
        filename: FILE_NAME,
        contentType: 'text/csv',
      });
    expect(upload.status, upload.text.slice(0, 3000)).toBe(303);
    importBatchPath = String(upload.headers.location);
    const confirm = await agent.post(`${importBatchPath}/confirm`).type('form').send({ _csrf: csrf });
    expect(confirm.status, confirm.text.slice(0, 3000)).toBe(303);

    // Judges score over HTTP with hostile comments; the host drives the stage over the API.
    const stage = (body: object) => api().post(`/api/v1/contests/${LIVE}/stage`).set(bearer).send(body);
    const links = await api().post(`/api/v1/contests/${LIVE}/judge-links`).set(bearer).send({ judgeIds });
    expect(links.status).toBe(201);
    const judges = await Promise.all(
      (links.body.links as { judgeId: number; url: string }[]).map(async (l) => {
        const judgeAgent = supertest.agent(server.app.app);
        await judgeAgent.get(new URL(l.url).pathname).expect(303);
        const page = await judgeAgent.get('/judge').expect(200);
        const token = /<meta name="csrf-token" content="([^"]+)"/.exec(page.text)![1]!;
        return { judgeId: l.judgeId, agent: judgeAgent, csrf: token };
      }),
    );
    for (const [pi, projectId] of projectIds.entries()) {
      expect((await stage({ kind: 'call', roundId, projectId })).status).toBe(200);
      expect((await stage({ kind: 'open-scoring' })).status).toBe(200);
      for (const [ji, j] of judges.entries()) {
        if (pi === 0 && ji === 1) continue; // j2 is recused from P001
        const res = await j.agent
          .post('/api/v1/judge/scores')
          .set('x-csrf-token', j.csrf)
          .send({
            submissionId: submissionId(),
            roundId,
            projectId,
            marks: { innovation: 10 + pi * 5 + ji, team: 5 + ji },
            comment: `点评${P(pi + ji)}`,
          });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      await new Promise((r) => setTimeout(r, 50));
      if ((await services.stage.view(LIVE)).phase === 'scoring') await stage({ kind: 'close-scoring' });
    }
    // Leave project 1 on stage, so the screens and the judge page show its title.
    await stage({ kind: 'call', roundId, projectId: projectIds[0] });

    // Running order, locked awards, publication, and an appeal through the public form.
    const actor = { kind: 'organizer' as const, id: owner.id };
    await services.schedule.saveSettings(LIVE, 'final', actor, {
      scheduleStart: `${today}T09:00`,
      changeoverSeconds: 60,
    });
    await services.schedule.draw(LIVE, 'final', actor, { seed: 'xss 抽签' });
    await services.awards.lock(LIVE, actor, {});
    const deadline = new Date(Date.now() + 7 * 24 * 3600 * 1000 + 8 * 3600 * 1000).toISOString().slice(0, 16);
    await services.publication.publish(LIVE, owner.id, { appealDeadline: deadline });
    const visitor = supertest.agent(server.app.app);
    const resultsPage = await visitor.get(`/contests/${LIVE}/results`).expect(200);
    const appeal = await visitor
      .post(`/contests/${LIVE}/appeals`)
      .type('form')
      .send({
        _csrf: csrfFrom(resultsPage.text),
        name: `申诉人${P(1)}`,
        contact: `x@example.com${P(0)}`.slice(0, 100),
        projectRef: 'P001',
        body: PAYLOADS.join('\n'),
      });
    expect(appeal.status, appeal.text.slice(0, 2000)).toBe(303);
    appealStatusPath = String(appeal.headers.location);

    // The browsers: the owner signed in through the form; judge 3 through a fresh link.
    ({ context: ownerContext, page: ownerPage } = await newPage(browser, 'desktop'));
    await signIn(ownerPage, server.url, owner.email, owner.password);
    ({ context: judgeContext, page: judgePage } = await newPage(browser, 'tabletLandscape'));
    const [fresh] = await services.judgeLinks.issue(loaded.id, [judgeIds[2]!], owner.id);
    await judgePage.goto(fresh!.url);
    await judgePage.waitForURL((u) => u.pathname === '/judge');
  }, 120_000);

  afterAll(async () => {
    await ownerContext?.close();
    await judgeContext?.close();
    await browser?.close();
    await server?.stop();
  });

  /** Opens `path` and reports every sign of a payload that came alive, plus whether any shows literally. */
  async function inspect(page: Page, path: string) {
    const dialogs: string[] = [];
    const onDialog = (d: { message(): string; dismiss(): Promise<void> }) => {
      dialogs.push(d.message());
      void d.dismiss();
    };
    page.on('dialog', onDialog);
    try {
      const res = await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
      // Client-rendered parts (stage, screens, judge page) draw right after their module loads.
      await page.waitForLoadState('networkidle', { timeout: 800 }).catch(() => undefined);
      const found = await page.evaluate(() => {
        const bad: string[] = [];
        for (const el of Array.from(document.querySelectorAll('*'))) {
          const tag = el.tagName.toLowerCase();
          for (const a of el.getAttributeNames()) if (/^on/i.test(a)) bad.push(`<${tag} ${a}>`);
          if (tag === 'img' && el.getAttribute('src') === 'x') bad.push('<img src=x>');
          if (tag === 'iframe' || tag === 'object' || tag === 'embed') bad.push(`<${tag}>`);
          if (tag === 'script' && !(el as HTMLScriptElement).src) bad.push('inline <script>');
          if (tag === 'style') bad.push('<style>');
          if (tag === 'details' && el.hasAttribute('open') && el.textContent === '') bad.push('<details open>');
          const href = el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? '';
          if (/^\s*javascript:/i.test(href)) bad.push(`<${tag}> javascript: URL`);
        }
        const values = Array.from(document.querySelectorAll('input, textarea')).map(
          (e) => (e as HTMLInputElement).value,
        );
        return { bad, text: `${document.title}\n${document.body.innerText}\n${values.join('\n')}` };
      });
      const literal = VISIBLE.filter((p) => found.text.includes(p)).length;
      return { status: res?.status() ?? 0, dialogs, bad: found.bad, literal };
    } finally {
      page.off('dialog', onDialog);
    }
  }

  const ownerPages = () => [
    '/admin/contests',
    `/admin/contests/${LIVE}`,
    `/admin/contests/${LIVE}/tracks`,
    `/admin/contests/${LIVE}/tracks/ai/edit`,
    `/admin/contests/${LIVE}/rounds`,
    `/admin/contests/${LIVE}/rounds/final`,
    `/admin/contests/${LIVE}/rounds/final/criteria/innovation/edit`,
    `/admin/contests/${LIVE}/prize-tiers`,
    `/admin/contests/${LIVE}/judges`,
    `/admin/contests/${LIVE}/judges/j1/edit`,
    `/admin/contests/${LIVE}/judges/links`,
    `/admin/contests/${LIVE}/projects`,
    `/admin/contests/${LIVE}/projects/P001/edit`,
    `/admin/contests/${LIVE}/conflicts`,
    `/admin/contests/${LIVE}/conflicts/j2%2FP001/edit`,
    `/admin/contests/${LIVE}/schedule/final`,
    `/admin/contests/${LIVE}/schedule/final/print`,
    `/admin/contests/${LIVE}/stage`,
    `/admin/contests/${LIVE}/progress`,
    `/admin/contests/${LIVE}/screen`,
    `/admin/contests/${LIVE}/ceremony`,
    `/admin/contests/${LIVE}/votes`,
    `/admin/contests/${LIVE}/results/final`,
    `/admin/contests/${LIVE}/results/final/projects/P001`,
    `/admin/contests/${LIVE}/results/final/compare`,
    `/admin/contests/${LIVE}/results/final/awards`,
    `/admin/contests/${LIVE}/publication`,
    `/admin/contests/${LIVE}/appeals`,
    `/admin/contests/${LIVE}/ledger`,
    `/admin/contests/${REG}/review`,
    `/admin/contests/${REG}/review/RS-${today.slice(0, 4)}-0001`,
    `/admin/contests/${REG}/projects`,
    importBatchPath,
  ];

  const publicPages = () => [
    `/screen/${LIVE}`,
    `/live/${LIVE}`,
    `/contests/${LIVE}/schedule`,
    `/contests/${LIVE}/results`,
    appealStatusPath,
    `/contests/${REG}/register`,
    regStatusPath,
    `${regStatusPath}/edit`,
  ];

  it('organizer pages show every payload as text', async () => {
    const problems: string[] = [];
    for (const path of ownerPages()) {
      const r = await inspect(ownerPage, path);
      if (r.status !== 200) problems.push(`${path}: HTTP ${r.status}`);
      if (r.dialogs.length) problems.push(`${path}: dialog ${r.dialogs.join(', ')}`);
      if (r.bad.length) problems.push(`${path}: ${[...new Set(r.bad)].join(', ')}`);
      if (r.literal === 0) problems.push(`${path}: no payload shown literally`);
    }
    expect(problems).toEqual([]);
  });

  it('public pages (big screen, phone, schedule, results, status links) show every payload as text', async () => {
    const { context, page } = await newPage(browser, 'phone');
    try {
      const problems: string[] = [];
      for (const path of publicPages()) {
        const r = await inspect(page, path);
        if (r.status !== 200) problems.push(`${path}: HTTP ${r.status}`);
        if (r.dialogs.length) problems.push(`${path}: dialog ${r.dialogs.join(', ')}`);
        if (r.bad.length) problems.push(`${path}: ${[...new Set(r.bad)].join(', ')}`);
        if (r.literal === 0) problems.push(`${path}: no payload shown literally`);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the judge's tablet page shows names, titles and its own comments as text", async () => {
    const r = await inspect(judgePage, '/judge');
    expect(r.status).toBe(200);
    expect(r.dialogs).toEqual([]);
    expect(r.bad).toEqual([]);
    expect(r.literal).toBeGreaterThan(0);
  });

  it('the CSP blocks inline script and inline event handlers in the browser', async () => {
    await ownerPage.goto(`${server.url}/admin/contests`);
    const outcome = await ownerPage.evaluate(
      () =>
        new Promise<{ violations: string[]; inline: unknown; handler: unknown }>((resolve) => {
          const violations: string[] = [];
          document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
          const w = window as unknown as { __inline?: number; __handler?: number };
          const s = document.createElement('script');
          s.textContent = 'window.__inline = 1';
          document.body.append(s);
          const b = document.createElement('button');
          b.setAttribute('onclick', 'window.__handler = 1');
          document.body.append(b);
          b.click();
          setTimeout(() => resolve({ violations, inline: w.__inline, handler: w.__handler }), 300);
        }),
    );
    expect(outcome.inline).toBeUndefined();
    expect(outcome.handler).toBeUndefined();
    expect(outcome.violations.some((d) => d.startsWith('script-src'))).toBe(true);
  });
});
