/**
 * A team registers on a phone (390×844) in real Chromium: the form, a field error kept filled
 * in, the live summary counter, a generated PDF deck, the confirmation with its reference number,
 * then the private status link opened in a fresh browser (no cookies) and one edit through it.
 * Screenshots go to tests/e2e/screenshots/registration-*.png; axe must find nothing serious and
 * the page must not scroll sideways or break the CSP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import {
  signIn,
  launchBrowser,
  newPage,
  screenshot,
  skipBrowserTests,
  startServer,
  type RunningServer,
} from '../support/browser.js';

const SLUG = 'bj-medtech-2024';
let browser: Browser;
let server: RunningServer;
let dataDir: string;

function makePdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(24).text('Retina AI screening - roadshow deck');
    doc.end();
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Collects CSP violations, script errors and missing assets (the browser's own favicon probe aside). */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    if (r.status() === 404 && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`404 ${r.url()}`);
  });
  return problems;
}

const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe.skipIf(skipBrowserTests)('team registration on a phone', () => {
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roadshow-reg-e2e-'));
    browser = await launchBrowser();
    server = await startServer({ config: { dataDir } });
    const c = server.app.services.contests;
    await c.createContest({
      slug: SLUG,
      name: { zh: '2024北京城市副中心创新医学转化大赛', en: '2024 Beijing Sub-center Medical Innovation Contest' },
      status: 'registration-open',
      startsOn: '2024-11-20',
    });
    for (const [key, zh] of [
      ['device', '高端医疗器械'],
      ['drug', '创新药品'],
      ['diagnosis', '前沿诊疗技术'],
      ['ai', 'AI+医疗健康'],
    ])
      await c.editPart(SLUG, 'tracks', { kind: 'add', input: { key, name: { zh } } });
    await server.app.opened.db
      .updateTable('contest')
      .set({ registration_closes_at: '2099-12-31T16:00:00.000Z' })
      .where('slug', '=', SLUG)
      .execute();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers a team with a deck, shows the reference, and the status link works in a fresh browser', async () => {
    const deck = await makePdf();
    const { context, page } = await newPage(browser, 'phone');
    const problems = watchProblems(page);
    const link = { url: '' };
    try {
      const res = await page.goto(`${server.url}/contests/${SLUG}/register`);
      expect(res?.status()).toBe(200);
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('项目报名');
      expect(await noSideways(page)).toBe(true);
      await screenshot(page, 'registration-form-390x844');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByLabel('项目名称').fill('基于深度学习的眼底病变AI筛查系统');
      await page.getByLabel('赛道').selectOption('ai');
      await page.getByLabel('申报单位').fill('首都医科大学附属北京友谊医院');
      await page.getByLabel('发展阶段').selectOption('clinical-trial');
      await page.getByLabel('负责人姓名').fill('李华');
      await page.getByLabel('手机号').fill('1380013');
      await page.getByLabel('邮箱').fill('lihua@example.cn');
      await page.getByLabel('团队成员（每行一人）').fill('王敏 | 临床负责人\n张伟 | 算法工程师\n赵磊 | 产品经理');
      const summary =
        '面向基层医疗机构的眼底照片AI辅助筛查系统，可识别糖尿病视网膜病变等常见眼底病变，已在三家医院开展前瞻性临床验证。';
      await page.getByLabel('项目简介').fill(summary);
      expect((await page.locator('#summary-counter').textContent())?.trim()).toBe(`已输入 ${summary.length} / 1000 字`);
      await page
        .getByLabel('路演 PDF')
        .setInputFiles({ name: '眼底AI路演.pdf', mimeType: 'application/pdf', buffer: deck });
      await page.getByLabel(/我确认以上信息真实有效/).check();

      // A bad mobile number: the form comes back (422) filled in, the phone field marked.
      const [bad] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: '提交报名' }).click(),
      ]);
      expect(bad.status()).toBe(422);
      await page.waitForLoadState('load');
      expect(await page.getByLabel('项目名称').inputValue()).toBe('基于深度学习的眼底病变AI筛查系统');
      expect(await page.getByLabel('手机号').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByText('请输入 11 位中国大陆手机号').first().isVisible()).toBe(true);
      expect(await page.getByText('请重新选择').isVisible()).toBe(true);
      expect(await noSideways(page)).toBe(true);
      await screenshot(page, 'registration-error-390x844');

      await page.getByLabel('手机号').fill('138 0013 8000');
      await page
        .getByLabel('路演 PDF')
        .setInputFiles({ name: '眼底AI路演.pdf', mimeType: 'application/pdf', buffer: deck });
      await Promise.all([
        page.waitForURL((u) => u.pathname.startsWith('/r/')),
        page.getByRole('button', { name: '提交报名' }).click(),
      ]);
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('报名成功');
      expect((await page.locator('[data-ref]').textContent())?.trim()).toBe('RS-2024-0001');
      expect(await page.locator('[data-ref]').isVisible()).toBe(true);
      link.url = (await page.locator('[data-status-link]').textContent())?.trim() ?? '';
      expect(link.url).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
      expect(await noSideways(page)).toBe(true);
      await screenshot(page, 'registration-confirmation-390x844');
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    const stored = fs.readdirSync(path.join(dataDir, 'uploads'));
    expect(stored).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, 'uploads', stored[0]!)).equals(deck)).toBe(true);

    // The status link in a browser that never saw the form.
    const fresh = await newPage(browser, 'phone');
    const freshProblems = watchProblems(fresh.page);
    try {
      const res = await fresh.page.goto(`${server.url}${new URL(link.url).pathname}`);
      expect(res?.status()).toBe(200);
      expect((await fresh.page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('报名状态');
      expect((await fresh.page.locator('[data-ref]').textContent())?.trim()).toBe('RS-2024-0001');
      expect(await fresh.page.getByText('报名已提交，等待主办方审核。').isVisible()).toBe(true);
      expect(await fresh.page.getByText('眼底AI路演.pdf').isVisible()).toBe(true);
      expect(await noSideways(fresh.page)).toBe(true);
      await screenshot(fresh.page, 'registration-status-390x844');
      expect(await seriousViolations(fresh.page)).toEqual([]);

      await Promise.all([
        fresh.page.waitForURL((u) => u.pathname.endsWith('/edit')),
        fresh.page.getByRole('link', { name: '修改报名信息' }).click(),
      ]);
      expect(await fresh.page.getByLabel('手机号').inputValue()).toBe('13800138000');
      await fresh.page.getByLabel('申报单位').fill('首都医科大学附属北京友谊医院（通州院区）');
      await Promise.all([
        fresh.page.waitForURL((u) => !u.pathname.endsWith('/edit')),
        fresh.page.getByRole('button', { name: '保存修改' }).click(),
      ]);
      expect(await fresh.page.getByText('修改已保存').isVisible()).toBe(true);
      expect(await fresh.page.getByText('首都医科大学附属北京友谊医院（通州院区）').isVisible()).toBe(true);
      await screenshot(fresh.page, 'registration-status-edited-390x844');
      expect(freshProblems).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });
  it('an organizer approves the registration in the review queue, recorded with the decision', async () => {
    const { email, password } = await server.app.organizer('admin');
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await signIn(page, server.url, email, password);
      await page.goto(`${server.url}/admin/contests/${SLUG}/review`);
      expect(await page.getByText('RS-2024-0001').first().isVisible()).toBe(true);
      await screenshot(page, 'registration-review-queue-1280x800');
      await Promise.all([
        page.waitForLoadState('load'),
        page
          .getByRole('button', { name: /RS-2024-0001/ })
          .first()
          .click(),
      ]);
      const row = await server.app.opened.db
        .selectFrom('project')
        .select(['status'])
        .where('ref', '=', 'RS-2024-0001')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('approved');
      const decisions = await server.app.opened.db.selectFrom('review_decision').selectAll().execute();
      expect(decisions.map((d) => d.decision)).toEqual(['approve']);
      await screenshot(page, 'registration-approved-1280x800');
    } finally {
      await context.close();
    }
  });
});
