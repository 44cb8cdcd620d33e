/**
 * An organizer sets up a contest in real Chromium at 1280×800: signs in, creates a contest,
 * adds a track, a round with two criteria (one with level descriptors) and a prize tier, sees a
 * validation error keep what was typed, switches to English and back. Screenshots of each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
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

beforeAll(async () => {
  if (skipBrowserTests) return;
  browser = await launchBrowser();
  server = await startServer();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const field = page.locator(`[name="${name}"]`);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

async function submit(page: Page): Promise<void> {
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('main form button[type="submit"].primary').first().click(),
  ]);
}

describe.skipIf(skipBrowserTests)('contest setup in the organizer console', () => {
  it('creates a contest with a track, a round with two criteria and a prize tier, in Chinese and English', async () => {
    const { email, password } = await server.app.organizer('admin');
    const { page } = await newPage(browser, 'desktop');
    await signIn(page, server.url, email, password);
    await page.goto(`${server.url}/admin/contests/new`);
    expect(await text(page, 'h1')).toContain('新建赛事');

    // A bad slug comes back with the typed values kept and a Chinese message next to the field.
    await fill(page, { 'name.zh': '2025 城市副中心医学创新大赛', slug: 'Bad Slug!' });
    await submit(page);
    expect(await page.locator('[name="name.zh"]').inputValue()).toBe('2025 城市副中心医学创新大赛');
    expect(await page.locator('#f-slug').getAttribute('aria-invalid')).toBe('true');
    expect(await text(page, '.field.has-error .error')).toContain('小写字母');
    await screenshot(page, 'setup-01-contest-error-zh');

    await fill(page, { slug: 'medtech-2025', 'name.en': '2025 Sub-center Medical Innovation Contest', venue: '通州' });
    await submit(page);
    expect(new URL(page.url()).pathname).toBe('/admin/contests/medtech-2025');
    await screenshot(page, 'setup-02-overview-zh');

    await page.goto(`${server.url}/admin/contests/medtech-2025/tracks/new`);
    await fill(page, { key: 'devices', 'name.zh': '高端医疗器械', 'name.en': 'High-end medical devices' });
    await submit(page);
    expect(await text(page, 'main')).toContain('高端医疗器械');

    await page.goto(`${server.url}/admin/contests/medtech-2025/rounds/new`);
    await fill(page, { key: 'final', 'name.zh': '决赛', 'name.en': 'Final', kind: 'roadshow' });
    await submit(page);

    await page.goto(`${server.url}/admin/contests/medtech-2025/rounds/final/criteria/new`);
    await fill(page, {
      key: 'innovation',
      'name.zh': '创新性',
      'name.en': 'Innovation',
      max: '20',
      step: '0.5',
      levelsText:
        '18-20 | 国际领先 | World-leading\n12-17.5 | 国内先进 | Nationally advanced\n0-11.5 | 一般 | Ordinary',
    });
    await submit(page);
    await page.goto(`${server.url}/admin/contests/medtech-2025/rounds/final/criteria/new`);
    await fill(page, { key: 'clinical', 'name.zh': '临床应用价值', 'name.en': 'Clinical value', max: '25', step: '1' });
    await submit(page);
    expect(await text(page, 'main')).toContain('创新性');
    expect(await text(page, 'main')).toContain('临床应用价值');
    await screenshot(page, 'setup-03-round-zh');

    await page.goto(`${server.url}/admin/contests/medtech-2025/prize-tiers/new`);
    await fill(page, {
      key: 'first',
      'name.zh': '一等奖',
      'name.en': 'First prize',
      scope: 'track',
      quota: '1',
      precedence: '1',
    });
    await submit(page);
    expect(await text(page, 'main')).toContain('一等奖');

    const stored = await server.app.services.contests.load('medtech-2025');
    expect(stored.doc.tracks.map((t) => t.key)).toEqual(['devices']);
    expect(stored.doc.rounds[0]!.criteria.map((c) => [c.key, c.max, c.step])).toEqual([
      ['innovation', 20, 0.5],
      ['clinical', 25, 1],
    ]);
    expect(stored.doc.rounds[0]!.criteria[0]!.levels).toHaveLength(3);
    expect(stored.doc.prizeTiers.map((p) => [p.key, p.quota, p.precedence])).toEqual([['first', 1, 1]]);

    // English, persisting across navigation, then back to Chinese.
    await page.goto(`${server.url}/admin/contests/medtech-2025/rounds/final`);
    await Promise.all([page.waitForLoadState('load'), page.locator('.lang-switch button').click()]);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await text(page, 'main')).toContain('Innovation');
    await page.goto(`${server.url}/admin/contests/medtech-2025`);
    expect(await text(page, 'header')).toContain('Log out');
    expect(await text(page, 'main')).toContain('2025 Sub-center Medical Innovation Contest');
    await screenshot(page, 'setup-04-overview-en');
    await Promise.all([page.waitForLoadState('load'), page.locator('.lang-switch button').click()]);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await text(page, 'header')).toContain('退出登录');
    await page.context().close();
  });
});
