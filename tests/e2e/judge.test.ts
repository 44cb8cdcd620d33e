/**
 * The judge's tablet in real Chromium at 1024×768 and 768×1024 (and a phone at 390×844): the
 * judge opens a private link, the project the host calls appears by itself, the judge scores with
 * the touch controls, confirms in the in-page dialog and gets a receipt; then scores another
 * project while offline (context.setOffline), sees it pending in the outbox, comes back online and
 * the server ends with exactly one version for that submission; revises; the window closes and
 * the sheet locks; the host calls the next project and the tablet follows without a reload.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  newPage,
  screenshot,
  SCREENSHOT_DIR,
  skipBrowserTests,
  startServer,
  type RunningServer,
  type ViewportName,
} from '../support/browser.js';
import { seedLiveContest, type LiveFixture } from '../support/fixtures.js';

let browser: Browser;
let server: RunningServer;
let hostId: number;

declare global {
  interface Window {
    __judgeMarker?: string;
  }
}

/** The live fixture plus level descriptors on "innovation" (the quick picks use them). */
async function contest(slug: string): Promise<LiveFixture> {
  const services = server.app.services;
  const f = await seedLiveContest(services, { slug, judges: 3, projects: 4 });
  await services.contests.editPart(
    slug,
    'criteria',
    {
      kind: 'update',
      key: 'innovation',
      input: {
        key: 'innovation',
        name: { zh: '创新性', en: 'Innovation' },
        description: '与国内外现有方案相比的原创程度',
        max: 20,
        step: 0.5,
        levels: [
          { min: 18, max: 20, label: { zh: '国际领先 / 原创突破', en: 'Internationally leading' } },
          { min: 14, max: 17.5, label: { zh: '国内领先，明显改进', en: 'Nationally leading' } },
          { min: 8, max: 13.5, label: { zh: '有一定创新，属改良型', en: 'Incremental' } },
          { min: 0, max: 7.5, label: { zh: '创新不足', en: 'Little novelty' } },
        ],
      },
    },
    'final',
  );
  return f;
}

function host(f: LiveFixture) {
  return (action: Record<string, unknown>) =>
    server.app.services.stage.act(f.slug, { kind: 'organizer', id: hostId }, action);
}

async function openLink(f: LiveFixture, judgeIndex: number, preset: ViewportName) {
  const [link] = await server.app.services.judgeLinks.issue(f.contestId, [f.judgeIds[judgeIndex]!], hostId);
  const { context, page } = await newPage(browser, preset);
  const res = await page.goto(link!.url);
  expect(res?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe('/judge');
  await page.locator('#conn[data-state="online"]').waitFor();
  return { context, page };
}

async function viewportShot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

const card = (page: Page, key: string) => page.locator(`.crit[data-key="${key}"]`);
const markOf = async (page: Page, key: string) => (await card(page, key).locator('.mark-value').textContent())?.trim();
const titleOf = async (page: Page) => (await page.locator('#stage-title').textContent())?.trim();
const waitTitle = (page: Page, title: string) =>
  page.waitForFunction((want) => document.querySelector('#stage-title')?.textContent?.trim() === want, title);

async function tap(page: Page, key: string, name: string | RegExp): Promise<void> {
  await card(page, key)
    .getByRole('button', { name, exact: typeof name === 'string' })
    .click();
}

async function submitAndConfirm(page: Page, shot?: string): Promise<void> {
  await page.locator('#submit').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  expect((await dialog.locator('#confirm-title').textContent())?.trim()).toBe('确认提交评分');
  if (shot) await viewportShot(page, shot);
  await dialog.getByRole('button', { name: '确认提交' }).click();
  await dialog.waitFor({ state: 'detached' });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

function rows(sql: string, ...params: unknown[]) {
  return server.app.opened.sqlite.prepare(sql).all(...params) as Record<string, unknown>[];
}

describe.skipIf(skipBrowserTests)('the judge tablet in Chromium', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    hostId = (await server.app.organizer('host')).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const tablets: [ViewportName, string][] = [
    ['tabletLandscape', '1024x768'],
    ['tabletPortrait', '768x1024'],
  ];

  for (const [preset, size] of tablets) {
    it(`scores live, survives going offline and follows the stage at ${size}`, async () => {
      const f = await contest(`judge-e2e-${size}`);
      const act = host(f);
      const judgeId = f.judgeIds[0]!;
      const { context, page } = await openLink(f, 0, preset);
      try {
        expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
        await waitTitle(page, '等待主持人呼叫项目');
        await page.evaluate(() => {
          window.__judgeMarker = 'no-reload';
        });
        await viewportShot(page, `judge/${size}-0-waiting`);

        // The host calls a project and starts the pitch: it appears by itself.
        await act({ kind: 'call', roundId: f.roundId, projectId: f.projectIds[1] });
        await act({ kind: 'start-pitch' });
        await waitTitle(page, '项目2');
        expect(await page.locator('.stage-track').textContent()).toBe('AI+医疗健康');
        expect(await page.locator('.stage-inst').textContent()).toBe('医院2');
        await page.locator('.phase-pill', { hasText: '项目陈述' }).waitFor();
        const timer = await page.locator('#timer-value').textContent();
        expect(timer).toMatch(/^0[45]:\d\d$/);
        await page.locator('#banner', { hasText: '等待主持人开启评分' }).waitFor();

        // Not scored looks unlike any mark; submit waits for every criterion and the window.
        expect(await card(page, 'innovation').getAttribute('data-scored')).toBe('false');
        expect(await markOf(page, 'innovation')).toBe('—');
        expect(await page.locator('#submit').isDisabled()).toBe(true);
        await tap(page, 'innovation', /^18–20/);
        expect(await markOf(page, 'innovation')).toBe('19');
        await card(page, 'innovation').locator('button.plus').click();
        expect(await markOf(page, 'innovation')).toBe('19.5');
        expect(
          await card(page, 'innovation')
            .getByRole('button', { name: /^18–20/ })
            .getAttribute('aria-pressed'),
        ).toBe('true');
        expect(await page.locator('#total-value').textContent()).toBe('19.5');
        expect(await page.locator('#submit').isDisabled()).toBe(true);
        await tap(page, 'team', '12');
        await card(page, 'team').locator('button.plus').click();
        expect(await markOf(page, 'team')).toBe('13');
        expect(await page.locator('#total-value').textContent()).toBe('32.5');
        expect((await page.locator('.total-max').textContent())?.trim()).toBe('/ 35');
        expect(await page.locator('#submit').isDisabled()).toBe(true);
        await page.getByRole('button', { name: '投资意向' }).click();
        expect(await page.getByRole('button', { name: '投资意向' }).getAttribute('aria-pressed')).toBe('true');
        await page.locator('#comment').fill('临床需求明确，建议补充多中心数据。');
        await viewportShot(page, `judge/${size}-1-pitch-marked`);
        expect(await seriousViolations(page)).toEqual([]);

        // Scoring opens: submit, confirm in the page, receipt.
        await act({ kind: 'open-scoring' });
        await page.locator('#banner[data-state="open"]').waitFor();
        await page.waitForFunction(() => !(document.querySelector('#submit') as HTMLButtonElement | null)?.disabled);
        await submitAndConfirm(page, `judge/${size}-2-confirm`);
        const receipt = page.locator('.status-card.done');
        await receipt.waitFor();
        expect(await receipt.textContent()).toContain('已提交');
        expect(await receipt.textContent()).toMatch(/第 1 版 · \d\d:\d\d:\d\d 送达/);
        expect(await page.locator('.sheet.readonly').count()).toBe(1);
        expect(
          rows('SELECT * FROM score_version WHERE judge_id = ? AND project_id = ?', judgeId, f.projectIds[1]),
        ).toHaveLength(1);
        await page.evaluate(() => window.scrollTo(0, 0));
        await viewportShot(page, `judge/${size}-3-receipt`);
        expect(await seriousViolations(page)).toEqual([]);

        // Next project; the judge goes offline, scores it, and it waits in the outbox.
        await act({ kind: 'close-scoring' });
        await page.locator('#banner[data-state="closed"]').waitFor();
        await act({ kind: 'call', roundId: f.roundId, projectId: f.projectIds[2] });
        await act({ kind: 'open-scoring' });
        await waitTitle(page, '项目3');
        await page.locator('#banner[data-state="open"]').waitFor();
        await context.setOffline(true);
        await page.locator('#conn[data-state="offline"]').waitFor();
        await tap(page, 'innovation', /^14–17.5/);
        await card(page, 'innovation').locator('button.minus').click();
        expect(await markOf(page, 'innovation')).toBe('15.5');
        await tap(page, 'team', '9');
        expect(await page.locator('#total-value').textContent()).toBe('24.5');
        await submitAndConfirm(page);
        const pending = page.locator('.status-card.pending');
        await pending.waitFor();
        expect(await pending.textContent()).toContain('已保存在本机，等待发送');
        expect((await page.locator('#pending').textContent())?.trim()).toBe('待发送 1');
        const id = await pending.getAttribute('data-submission-id');
        expect(id).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
        const stored = await page.evaluate(
          () =>
            new Promise<number>((resolve, reject) => {
              const open = indexedDB.open('roadshow-judge-outbox');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const count = open.result.transaction('entries').objectStore('entries').count();
                count.onsuccess = () => resolve(count.result);
                count.onerror = () => reject(count.error);
              };
            }),
        );
        expect(stored).toBe(1);
        await page.waitForTimeout(1500); // a retry or two fail while offline
        expect(rows('SELECT * FROM score_version WHERE project_id = ?', f.projectIds[2])).toHaveLength(0);
        await page.evaluate(() => window.scrollTo(0, 0));
        await viewportShot(page, `judge/${size}-4-offline-pending`);

        await context.setOffline(false);
        await page.locator('.status-card.done').waitFor({ timeout: 20_000 });
        await page.locator('#pending').waitFor({ state: 'hidden' });
        await page.locator('#conn[data-state="online"]').waitFor({ timeout: 20_000 });
        expect(rows('SELECT * FROM score_version WHERE submission_id = ?', id)).toHaveLength(1);
        expect(
          rows('SELECT * FROM score_version WHERE judge_id = ? AND project_id = ?', judgeId, f.projectIds[2]),
        ).toHaveLength(1);

        // Revise while the window is open: a new submission, version 2.
        await page.getByRole('button', { name: '修改评分' }).click();
        await card(page, 'team').locator('button.plus').click();
        expect(await page.locator('#total-value').textContent()).toBe('25.5');
        await submitAndConfirm(page);
        await page.locator('.status-card.done[data-version="2"]').waitFor();
        const versions = rows(
          'SELECT version, submission_id FROM score_version WHERE judge_id = ? AND project_id = ? ORDER BY version',
          judgeId,
          f.projectIds[2],
        );
        expect(versions.map((v) => v.version)).toEqual([1, 2]);
        expect(versions[1]!.submission_id).not.toBe(id);

        // The window closes: locked, read-only.
        await act({ kind: 'close-scoring' });
        await page.locator('#banner[data-state="closed"]').waitFor();
        await page.locator('.status-card.done.locked').waitFor();
        expect(await page.getByRole('button', { name: '修改评分' }).count()).toBe(0);
        expect(await page.locator('.sheet.readonly button.step').count()).toBe(0);

        // The project list: scored / not scored / recused for this judge, with own totals.
        await page.getByRole('button', { name: '项目列表' }).click();
        const drawer = page.getByRole('dialog');
        await drawer.waitFor();
        expect(await drawer.locator('.plist-item[data-status="scored"]').count()).toBe(2);
        expect(await drawer.locator('.plist-item[data-status="not-scored"]').count()).toBe(2);
        expect(await drawer.locator('.plist-item[aria-current="true"] .plist-total b').textContent()).toBe('25.5');
        await viewportShot(page, `judge/${size}-5-projects`);
        expect(await seriousViolations(page)).toEqual([]);
        await drawer.getByRole('button', { name: '关闭' }).click();
        await drawer.waitFor({ state: 'detached' });

        // The host calls the next project: the tablet follows without a reload.
        await act({ kind: 'call', roundId: f.roundId, projectId: f.projectIds[3] });
        await waitTitle(page, '项目4');
        expect(await page.evaluate(() => window.__judgeMarker)).toBe('no-reload');
        expect(await titleOf(page)).toBe('项目4');
        expect(await markOf(page, 'innovation')).toBe('—');
      } finally {
        await context.close();
      }
    });
  }

  it('greets a visitor without a judge session with a friendly page', async () => {
    const { context, page } = await newPage(browser, 'tabletPortrait');
    try {
      const res = await page.goto(`${server.url}/judge`);
      expect(res?.status()).toBe(401);
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('请扫描您的评委二维码');
      await viewportShot(page, 'judge/768x1024-welcome');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is usable on a phone (390×844) and shows a recusal', async () => {
    const f = await contest('judge-e2e-phone');
    const act = host(f);
    // Judge 2 (index 1) is recused from project 1 (index 0).
    const { context, page } = await openLink(f, 1, 'phone');
    try {
      await act({ kind: 'call', roundId: f.roundId, projectId: f.projectIds[0] });
      await waitTitle(page, '项目1');
      await page.locator('.recused', { hasText: '您已回避此项目' }).waitFor();
      await viewportShot(page, 'judge/390x844-recused');

      await act({ kind: 'call', roundId: f.roundId, projectId: f.projectIds[1] });
      await act({ kind: 'start-qa' });
      await waitTitle(page, '项目2');
      await tap(page, 'innovation', /^8–13.5/);
      expect(await markOf(page, 'innovation')).toBe('11');
      await viewportShot(page, 'judge/390x844-marking');
      await screenshot(page, 'judge/390x844-full');
      const tooSmall = await page.evaluate(
        () =>
          [...document.querySelectorAll<HTMLElement>('.crit button, .sheet-bar button, .toggle')]
            .map((b) => b.getBoundingClientRect())
            .filter((r) => r.width > 0 && (r.height < 48 || r.width < 48)).length,
      );
      expect(tooSmall).toBe(0);

      // English, through the language switch (a reload): the unsent marks are still there.
      await page.waitForTimeout(400);
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/lang'),
        page.locator('form.lang-switch button[type="submit"]').click(),
      ]);
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe('/judge');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await waitTitle(page, '项目2');
      await page.locator('#banner', { hasText: 'Waiting for the host to open scoring' }).waitFor();
      expect(await markOf(page, 'innovation')).toBe('11');
      expect((await card(page, 'team').locator('.mark-unit').textContent())?.trim()).toBe('Not scored');
      expect((await page.locator('.total-label').textContent())?.trim()).toBe('Total');
      await viewportShot(page, 'judge/390x844-en');
    } finally {
      await context.close();
    }
  });
});
