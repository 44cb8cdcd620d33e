/**
 * The schedule in real Chromium, on the demo contest (4 tracks, 24 projects, 11 judges): the
 * organizer draws the final's running order through the form, the run-of-show prints (print
 * media at 1280×800 and an A4 PDF) with only the table, the public schedule reads well on a
 * 390×844 phone without sideways scrolling, and the conflict matrix fits one console page.
 * Screenshots go to tests/e2e/screenshots/schedule/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { DEMO_SLUG, seedDemoIfEmpty } from '../../server/services/demo.service.js';
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

let browser: Browser;
let server: RunningServer;
const email = 'schedule-admin@example.test';
const password = 'correct horse battery staple';
const SEED = '2024-11-22 决赛 抽签 现场公证员：张三';
const admin = `/admin/contests/${DEMO_SLUG}`;

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.skipIf(skipBrowserTests)('the roadshow schedule in Chromium', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    await seedDemoIfEmpty(server.app.services);
    await server.app.services.users.create({ email, displayName: '赛务负责人', role: 'admin' }, password);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws the running order through the form and prints the run-of-show on A4', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await signIn(page, server.url, email, password);
      await page.goto(`${server.url}${admin}/schedule/final`);
      await page.getByLabel('开始时间').fill('2024-11-22T09:00');
      await page.getByLabel('换场时间（秒）').fill('60');
      await Promise.all([page.waitForURL(/#settings$/), page.getByRole('button', { name: '保存' }).click()]);
      await page.getByLabel('抽签种子').fill(SEED);
      await Promise.all([page.waitForURL(/#order$/), page.getByRole('button', { name: '抽签', exact: true }).click()]);
      expect(await page.getByText('抽签完成，出场顺序已更新').isVisible()).toBe(true);
      expect(await page.locator('.order-table tbody tr:not(.group-row)').count()).toBe(24);
      expect(await page.locator('code.seed').first().textContent()).toBe(SEED);
      await screenshot(page, 'schedule/admin-round-1280x800');
      await page.goto(`${server.url}${admin}/schedule/final?move=RS-2024-0001&to=1#reorder`);
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'moveReason');
      expect(await page.locator('#f-projectRef').inputValue()).toBe('RS-2024-0001');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'schedule/admin-reorder-1280x800.png') });
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto(`${server.url}${admin}/schedule/final/print`);
      expect(await page.locator('table.ros tbody tr:not(.ros-group)').count()).toBe(24);
      const first = page.locator('table.ros tbody tr:not(.ros-group)').first().locator('td');
      expect(await first.allTextContents()).toEqual(
        expect.arrayContaining(['1', '09:00', '09:00–09:05', '09:05–09:10']),
      );
      await screenshot(page, 'schedule/run-of-show-screen-1280x800');

      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.topbar').isVisible()).toBe(false);
      expect(await page.locator('.print-bar').isVisible()).toBe(false);
      expect(await page.locator('table.ros').isVisible()).toBe(true);
      await screenshot(page, 'schedule/run-of-show-print-1280x800');

      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      fs.mkdirSync(path.join(SCREENSHOT_DIR, 'schedule'), { recursive: true });
      fs.writeFileSync(path.join(SCREENSHOT_DIR, 'schedule/run-of-show.pdf'), pdf);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(pages).toBeLessThanOrEqual(2);
    } finally {
      await context.close();
    }
  });

  it('shows the public schedule on a 390×844 phone without sideways scrolling', async () => {
    const { context, page } = await newPage(browser, 'phone');
    try {
      const res = await page.goto(`${server.url}/contests/${DEMO_SLUG}/schedule`);
      expect(res?.status()).toBe(200);
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('路演时间表');
      expect(await page.locator('.ps-order li').count()).toBe(24);
      expect(await page.locator('.ps-order li').first().locator('.ps-time').textContent()).toBe('09:00');
      expect(await page.getByText(SEED).first().isVisible()).toBe(true);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // No phone number: 11 digits standing alone (a random CSRF token's hex may hold such a digit run inside it).
      expect(await page.content()).not.toMatch(/(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/);
      await screenshot(page, 'schedule/public-390x844');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'schedule/public-390x844-top.png') });
      await page.locator('.ps-draw').first().scrollIntoViewIfNeeded();
      await page.locator('.ps-rerun summary').first().click();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'schedule/public-390x844-draw.png') });
      await page.locator('#algorithm-title').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'schedule/public-390x844-algorithm.png') });
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the conflict matrix of 11 judges × 24 projects on one console page', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await signIn(page, server.url, email, password);
      await page.goto(`${server.url}${admin}/conflicts`);
      expect(await page.locator('table.conflict-matrix thead th.m-judge').count()).toBe(11);
      expect(await page.locator('table.conflict-matrix tbody tr:not(.m-track)').count()).toBe(24);
      const matrix = await page.locator('.matrix-wrap').boundingBox();
      expect(matrix && matrix.width).toBeLessThanOrEqual(1280);
      const scroll = await page.locator('.matrix-wrap').evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(scroll).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'schedule/conflicts-1280x800.png') });
      await screenshot(page, 'schedule/conflicts-full-1280x800');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
