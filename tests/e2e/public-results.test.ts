/**
 * Published results in real Chromium, on the demo contest (4 tracks, 24 projects, 11 judges)
 * after every judge has scored the final, the awards are locked and the results published: the
 * 公示 page reads well on a 390×844 phone and at 1280×800 (no sideways scrolling, no serious
 * axe violations, no judge names or phone numbers), the certificate verification page, the
 * organizer's publication page, and the first certificate of the merged PDF rendered to PNG with
 * `pdftoppm -png -r 60`. Screenshots go to tests/e2e/screenshots/public-results/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG, seedDemoIfEmpty } from '../../server/services/demo.service.js';
import { verifyResultsPackage } from '../../server/services/results-package.service.js';
import type { Services } from '../../server/services/index.js';
import {
  SCREENSHOT_DIR,
  launchBrowser,
  newPage,
  screenshot,
  signIn,
  skipBrowserTests,
  startServer,
  type RunningServer,
} from '../support/browser.js';
import { submissionId } from '../support/fixtures.js';

let browser: Browser;
let server: RunningServer;
const email = 'publication-admin@example.test';
const password = 'correct horse battery staple';
const SHOTS = path.join(SCREENSHOT_DIR, 'public-results');
let verifyCode = '';

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Deterministic marks in [55%, 95%] of each criterion's maximum, on its step. */
function mark(seed: number, max: number, step: number): number {
  const x = Math.sin(seed) * 10_000;
  const r = x - Math.floor(x);
  return Math.round((max * (0.55 + 0.4 * r)) / step) * step;
}

/** Every panel judge scores every project of the final; then the awards are locked and published. */
async function scoreLockPublish(services: Services, organizerId: number): Promise<void> {
  const actor = { kind: 'organizer' as const, id: organizerId };
  const computed = await services.results.compute(DEMO_SLUG, 'final');
  const { loaded, lineup, panel, roundId, round } = computed.inputs;
  let n = 1;
  for (const entry of lineup) {
    await services.stage.act(DEMO_SLUG, actor, { kind: 'call', roundId, projectId: entry.id });
    await services.stage.act(DEMO_SLUG, actor, { kind: 'open-scoring' });
    for (const judge of panel) {
      const marks = Object.fromEntries(round.criteria.map((c) => [c.key, mark(n++, c.max, c.step)]));
      try {
        await services.scores.record(
          { judgeId: judge.id, contestId: loaded.id },
          { submissionId: submissionId(), roundId, projectId: entry.id, marks },
        );
      } catch {
        // A recused judge cannot score this project.
      }
    }
    await new Promise((r) => setTimeout(r, 20));
    if ((await services.stage.view(DEMO_SLUG)).phase === 'scoring')
      await services.stage.act(DEMO_SLUG, actor, { kind: 'close-scoring' });
  }
  for (const needed of (await services.results.dryRun(DEMO_SLUG, 'final')).decisionsNeeded)
    await services.results.decide(DEMO_SLUG, actor, {
      roundKey: 'final',
      kind: 'cutoff',
      scopeKey: needed.scope,
      refs: needed.refs,
      reason: '评委组长依据临床应用价值裁定',
    });
  const locked = await services.awards.lock(DEMO_SLUG, actor, { roundKey: 'final' });
  verifyCode = locked.awards[0]!.verifyCode;
  await services.publication.publish(DEMO_SLUG, organizerId, {
    appealDeadline: new Date(Date.now() + 5 * 24 * 3600_000).toISOString(),
  });
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe.skipIf(skipBrowserTests)('published results in Chromium', () => {
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    server = await startServer();
    await seedDemoIfEmpty(server.app.services);
    const { id } = await server.app.services.users.create(
      { email, displayName: '赛务负责人', role: 'admin' },
      password,
    );
    await scoreLockPublish(server.app.services, id);
  }, 120_000);
  afterAll(async () => {
    server?.app.services.stage.stop();
    await browser?.close();
    await server?.stop();
  });

  it('reads well on a 390×844 phone and at 1280×800, with nothing private', async () => {
    for (const preset of ['phone', 'desktop'] as const) {
      const { context, page } = await newPage(browser, preset);
      try {
        const res = await page.goto(`${server.url}/contests/${DEMO_SLUG}/results`);
        expect(res?.status()).toBe(200);
        expect(await page.locator('.pr-tier').count()).toBeGreaterThan(3);
        expect(await page.locator('.pr-table tbody tr').count()).toBeGreaterThanOrEqual(20);
        const text = await page.locator('main').innerText();
        expect(text).toContain('一等奖');
        expect(text).toContain('申诉截止');
        for (const secret of ['王建国', '李秀兰', '1380000', '@example']) expect(text).not.toContain(secret);
        await noSidewaysScroll(page);
        expect(await seriousViolations(page)).toEqual([]);
        const size = preset === 'phone' ? '390x844' : '1280x800';
        await screenshot(page, `public-results/results-${size}`);
        // The appeal form at the bottom, as a phone shows it.
        await page.locator('#appeal').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, `appeal-form-${size}.png`) });
      } finally {
        await context.close();
      }
    }
  });

  it('files an appeal from the phone and shows its private status page', async () => {
    const { context, page } = await newPage(browser, 'phone');
    try {
      await page.goto(`${server.url}/contests/${DEMO_SLUG}/results`);
      await page.getByLabel('姓名').fill('王五');
      await page.getByLabel('联系方式').fill('13900139000');
      await page.getByLabel('申诉内容').fill('我们对创新药品赛道第二名的得分有疑问，请组委会复核评分记录。');
      await Promise.all([
        page.waitForURL(/\/appeals\/status\?t=/),
        page.getByRole('button', { name: '提交申诉' }).click(),
      ]);
      const text = await page.locator('main').innerText();
      expect(text).toMatch(/申诉已收到，编号 SS-[A-Z2-9]{8}/);
      await noSidewaysScroll(page);
      await screenshot(page, 'public-results/appeal-status-390x844');
    } finally {
      await context.close();
    }
  });

  it('verifies a certificate on the phone', async () => {
    const { context, page } = await newPage(browser, 'phone');
    try {
      const res = await page.goto(`${server.url}/verify/${verifyCode}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('main').innerText()).toContain('证书有效');
      await noSidewaysScroll(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'public-results/verify-390x844');
      const missing = await page.goto(`${server.url}/verify/AAAAAAAAAAAAAAAA`);
      expect(missing?.status()).toBe(404);
      await screenshot(page, 'public-results/verify-missing-390x844');
    } finally {
      await context.close();
    }
  });

  it('shows the organizer’s publication page with certificates and exports', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await signIn(page, server.url, email, password);
      await page.goto(`${server.url}/admin/contests/${DEMO_SLUG}/publication`);
      const text = await page.locator('main').innerText();
      expect(text).toContain('下载全部证书');
      expect(text).toContain('下载成绩核验包');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'public-results/admin-publication-1280x800');
      await page.goto(`${server.url}/admin/contests/${DEMO_SLUG}/appeals`);
      await screenshot(page, 'public-results/admin-appeals-1280x800');
    } finally {
      await context.close();
    }
  });

  it('renders the certificates PDF (one page per award) to PNG with the Chinese text', async () => {
    const file = await server.app.services.certificates.contestPdf(DEMO_SLUG);
    const pdfPath = path.join(SHOTS, 'certificates.pdf');
    fs.writeFileSync(pdfPath, file.pdf);
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(file.count);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdfPath, path.join(SHOTS, 'certificate')]);
    const pngs = fs.readdirSync(SHOTS).filter((f) => /^certificate-\d+\.png$/.test(f));
    expect(pngs.length).toBe(2);
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('荣获');
    expect(text.replace(/\s+/g, '')).toContain('北京城市副中心创新医学转化大赛');
  });

  it('builds a results package of the whole demo contest (two rounds) that verifies', async () => {
    const pkg = await server.app.services.resultsPackage.build(DEMO_SLUG);
    const outcome = verifyResultsPackage(JSON.parse(JSON.stringify(pkg)));
    expect(outcome.mismatches).toEqual([]);
    expect(outcome.rounds).toBe(2);
    expect(outcome.awards).toBeGreaterThan(8);
  });
});
