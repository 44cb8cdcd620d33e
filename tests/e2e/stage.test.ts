/**
 * The host's stage console in real Chromium at 1280×800: call a project, start the pitch (the
 * timer counts down), open scoring; judges' scores (recorded through the services) update the
 * console's progress and the progress grid without a reload; close scoring; keyboard shortcuts.
 * Screenshots of the console, the progress grid and the QR card sheet (screen and print).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import { io as connect, type Socket } from 'socket.io-client';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  newPage,
  screenshot,
  SCREENSHOT_DIR,
  signIn,
  skipBrowserTests,
  startServer,
  type RunningServer,
} from '../support/browser.js';
import { seedLiveContest, submissionId, type LiveFixture } from '../support/fixtures.js';

let browser: Browser;
let server: RunningServer;
let f: LiveFixture;
const judgeSockets: Socket[] = [];

const marks = (i: number) => ({ innovation: 15 + (i % 5), team: 10 + (i % 4) });

async function score(judgeIndex: number, projectIndex: number) {
  return server.app.services.scores.record(
    { judgeId: f.judgeIds[judgeIndex]!, contestId: f.contestId },
    {
      submissionId: submissionId(),
      roundId: f.roundId,
      projectId: f.projectIds[projectIndex]!,
      marks: marks(judgeIndex),
    },
  );
}

/** Connects some judges' tablets (a socket with the session from their link), so they show as online. */
async function connectJudges(indexes: number[]) {
  const links = await server.app.services.judgeLinks.issue(
    f.contestId,
    indexes.map((i) => f.judgeIds[i]!),
    1,
  );
  for (const link of links) {
    const res = await fetch(link.url, { redirect: 'manual' });
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('roadshow.sid='))!
      .split(';')[0]!;
    const s = connect(`${server.url}/judge`, { extraHeaders: { cookie }, transports: ['websocket'], forceNew: true });
    judgeSockets.push(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
  }
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe.skipIf(skipBrowserTests)('stage console in Chromium', () => {
  let host: { email: string; password: string };
  let admin: { email: string; password: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    f = await seedLiveContest(server.app.services, { judges: 11, projects: 6 });
    host = await server.app.organizer('host');
    admin = await server.app.organizer('admin');
  });
  afterAll(async () => {
    for (const s of judgeSockets) s.disconnect();
    await browser?.close();
    await server?.stop();
  });

  it('calls a project, runs the pitch timer, opens scoring, follows scores live and closes scoring', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
    });
    try {
      await signIn(page, server.url, host.email, host.password);
      await page.goto(`${server.url}/admin/contests/${f.slug}/stage`);
      await expect.poll(() => page.locator('#conn').getAttribute('class')).toContain('is-online');
      await connectJudges([0, 2, 3, 4, 5, 6, 7]);

      // Nothing on stage: only "call" and "next" are possible.
      expect(await page.locator('#now-project').textContent()).toContain('尚未叫号');
      expect(await page.locator('button[data-action="start-pitch"]').isDisabled()).toBe(true);
      expect(await page.locator('button[data-action="next"]').isEnabled()).toBe(true);

      await page.locator(`button[data-action="call"][data-project-id="${f.projectIds[0]}"]`).click();
      await expect.poll(() => page.locator('#phase').textContent()).toBe('已上台');
      expect(await page.locator('#now-project .now-title').textContent()).toBe('项目1');
      expect(await page.locator('.order-row.is-current').getAttribute('data-project-id')).toBe(String(f.projectIds[0]));

      await page.locator('button[data-action="start-pitch"]').click();
      await expect.poll(() => page.locator('#phase').textContent()).toBe('陈述中');
      const first = await page.locator('#timer').textContent();
      expect(first).toMatch(/^0[45]:\d\d$/);
      await page.waitForTimeout(2100);
      const later = (await page.locator('#timer').textContent())!;
      expect(later < first!).toBe(true);
      expect(await page.locator('#timer-kind').textContent()).toBe('陈述');

      // Pause and resume, +1 minute.
      await page.locator('button[data-action="pause"]').click();
      await expect.poll(() => page.locator('#timer-kind').textContent()).toBe('陈述 · 已暂停');
      expect(await page.locator('button[data-action="pause"]').textContent()).toContain('继续');
      const paused = await page.locator('#timer').textContent();
      await page.locator('button[data-action="plus"]').click();
      await expect.poll(() => page.locator('#timer').textContent()).not.toBe(paused);
      await page.keyboard.press('Space');
      await expect.poll(() => page.locator('#timer-kind').textContent()).toBe('陈述');

      await page.locator('button[data-action="open-scoring"]').click();
      await expect.poll(() => page.locator('#phase').textContent()).toBe('评分中');
      // Judge 2 is recused from project 1: ten eligible.
      expect(await page.locator('#scoring-count').textContent()).toBe('0/10 已提交');
      expect(await page.locator('button[data-action="next"]').isDisabled()).toBe(true);
      expect(await page.locator('button[data-action="call"]').first().isDisabled()).toBe(true);

      for (const i of [0, 2, 3, 4, 5, 6, 7, 8]) await score(i, 0);
      await expect.poll(() => page.locator('#scoring-count').textContent(), { timeout: 5000 }).toBe('8/10 已提交');
      await expect
        .poll(() => page.locator('#scoring-missing .who').allTextContents(), { timeout: 5000 })
        .toEqual(['评委10', '评委11']);
      expect(await page.locator('#ledger-head').textContent()).toMatch(/^#\d+ [0-9a-f]{12}…[0-9a-f]{6}$/);
      const head = await server.app.services.ledger.head(f.contestId);
      await expect.poll(() => page.locator('#ledger-head').getAttribute('title')).toBe(head!.hash);
      await screenshot(page, 'stage/console-scoring-1280x800');
      expect(await seriousViolations(page)).toEqual([]);

      // A viewer-level conflict from another console: the error is shown translated.
      await server.app.services.stage.act(f.slug, { kind: 'organizer', id: 1 }, { kind: 'close-scoring' });
      await expect.poll(() => page.locator('#phase').textContent()).toBe('评分已关闭');
      await server.app.services.stage.act(
        f.slug,
        { kind: 'organizer', id: 1 },
        {
          kind: 'call',
          roundId: f.roundId,
          projectId: f.projectIds[0]!,
        },
      );
      await server.app.services.stage.act(f.slug, { kind: 'organizer', id: 1 }, { kind: 'open-scoring' });
      await expect.poll(() => page.locator('#phase').textContent()).toBe('评分中');

      // Close by hand with judges missing: the console asks first.
      page.once('dialog', (d) => {
        expect(d.message()).toContain('还有 2 位评委未提交');
        void d.accept();
      });
      await page.locator('button[data-action="close-scoring"]').click();
      await expect.poll(() => page.locator('#phase').textContent()).toBe('评分已关闭');
      expect(await page.locator('button[data-action="open-scoring"]').isDisabled()).toBe(true);

      // Keyboard: N calls the next project in the running order.
      await page.locator('body').click({ position: { x: 5, y: 300 } });
      await page.keyboard.press('n');
      await expect.poll(() => page.locator('#now-project .now-title').textContent()).toBe('项目2');
      expect(await page.locator('.order-row').first().locator('[data-state]').textContent()).toMatch(/^已评 8\/10$/);
      await page.keyboard.press('q');
      await expect.poll(() => page.locator('#phase').textContent()).toBe('答辩中');
      // Space pauses even while a button has focus (it must not press "start Q&A" again).
      await page.locator('button[data-action="start-qa"]').focus();
      const ledgerBefore = (await server.app.services.ledger.head(f.contestId))!.seq;
      await page.keyboard.press('Space');
      await expect.poll(() => page.locator('#timer-kind').textContent()).toBe('答辩 · 已暂停');
      expect((await server.app.services.ledger.entries(f.contestId, ledgerBefore)).map((e) => e.action)).toEqual([
        'stage.pause',
      ]);
      await page.keyboard.press('Space');
      await expect.poll(() => page.locator('#timer-kind').textContent()).toBe('答辩');
      await page.keyboard.press('o');
      await expect.poll(() => page.locator('#phase').textContent()).toBe('评分中');
      for (const i of [0, 1, 2, 3]) await score(i, 1);
      await expect.poll(() => page.locator('#scoring-count').textContent(), { timeout: 5000 }).toBe('4/11 已提交');
      await screenshot(page, 'stage/console-next-1280x800');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a viewer watches read-only, and the progress grid follows scores live', async () => {
    const viewer = await server.app.organizer('viewer');
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await signIn(page, server.url, viewer.email, viewer.password);
      await page.goto(`${server.url}/admin/contests/${f.slug}/stage`);
      await expect.poll(() => page.locator('#conn').getAttribute('class')).toContain('is-online');
      expect(await page.locator('button[data-action]:enabled').count()).toBe(0);
      expect(await page.locator('.readonly-note').textContent()).toContain('只读模式');
      await expect.poll(() => page.locator('#scoring-count').textContent()).toBe('4/11 已提交');

      // A stale push (an older revision) is ignored.
      const current = await server.app.services.stage.view(f.slug);
      server.app.io
        .of('/admin')
        .emit('stage:updated', { ...current, revision: current.revision - 5, phase: 'presenting', scoring: null });
      await page.waitForTimeout(400);
      expect(await page.locator('#phase').textContent()).toBe('评分中');
      expect(await page.locator('#scoring-count').textContent()).toBe('4/11 已提交');

      // The connection drops; a score lands meanwhile; the console catches up after reconnecting.
      for (const s of server.app.io.of('/admin').sockets.values()) s.conn.close();
      await score(6, 1);
      await expect.poll(() => page.locator('#scoring-count').textContent(), { timeout: 10_000 }).toBe('5/11 已提交');
      await expect.poll(() => page.locator('#conn').getAttribute('class')).toContain('is-online');

      await page.goto(`${server.url}/admin/contests/${f.slug}/progress`);
      await expect.poll(() => page.locator('#conn').getAttribute('class')).toContain('is-online');
      const cell = page.locator(`tr[data-project-id="${f.projectIds[1]}"] td.cell`).nth(5);
      expect(await cell.getAttribute('class')).toContain('is-pending');
      await score(5, 1);
      await expect.poll(() => cell.getAttribute('class'), { timeout: 5000 }).toContain('is-submitted');
      expect(await cell.textContent()).toBe('✓v1');
      await expect.poll(() => page.locator('#progress-online').textContent()).toBe('在线评委 7/11');
      expect(await page.locator('[data-unlock]').count()).toBe(0);

      // Once every eligible judge is in, the console counts down to the automatic close.
      server.app.opened.sqlite.prepare('UPDATE round SET auto_close_seconds = 45').run();
      await page.goto(`${server.url}/admin/contests/${f.slug}/stage`);
      await expect.poll(() => page.locator('#conn').getAttribute('class')).toContain('is-online');
      for (const i of [4, 7, 8, 9, 10]) await score(i, 1);
      await expect.poll(() => page.locator('#scoring-count').textContent(), { timeout: 5000 }).toBe('11/11 已提交');
      await expect
        .poll(() => page.locator('#auto-close').textContent(), { timeout: 5000 })
        .toMatch(/^全部评委已提交，4[0-5] 秒后自动关闭评分$/);
      await screenshot(page, 'stage/console-auto-close-viewer-1280x800');
    } finally {
      await context.close();
    }
  });

  it('an admin unlocks a sheet from the grid, and prints the QR card sheet', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await signIn(page, server.url, admin.email, admin.password);
      await page.goto(`${server.url}/admin/contests/${f.slug}/progress`);
      await expect.poll(() => page.locator('#conn').getAttribute('class')).toContain('is-online');
      await screenshot(page, 'stage/progress-grid-1280x800');

      await page.locator(`tr[data-project-id="${f.projectIds[0]}"] [data-unlock]`).first().click();
      await expect.poll(() => page.locator('#unlock-dialog').getAttribute('open')).toBe('');
      await page.locator('#unlock-dialog button[type="submit"]').click();
      expect(await page.locator('#unlock-error').textContent()).toBe('请填写至少 2 个字的理由');
      await page.locator('#unlock-reason').fill('评委示意第二项录入有误');
      await screenshot(page, 'stage/progress-unlock-dialog-1280x800');
      await page.locator('#unlock-dialog button[type="submit"]').click();
      await expect.poll(() => page.locator('#progress-flash').textContent()).toContain('已解锁：评委1');

      // A link issued on the links page is shown once, with its QR code.
      await page.goto(`${server.url}/admin/contests/${f.slug}/judges/links`);
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/issue')),
        page.locator(`tr[data-judge-id="${f.judgeIds[8]}"] button[type="submit"]`).first().click(),
      ]);
      await page.waitForLoadState('load');
      expect(await page.locator('#issued-url').textContent()).toMatch(/\/j\/[A-Za-z0-9_-]{20,}$/);
      expect(await page.locator('img.issued-qr').evaluate((i: HTMLImageElement) => i.naturalWidth > 0)).toBe(true);
      await screenshot(page, 'stage/links-issued-1280x800');

      await page.goto(`${server.url}/admin/contests/${f.slug}/ledger`);
      await page.locator('form button[type="submit"].primary').click();
      await page.waitForURL(/verify=1/);
      expect(await page.locator('#verify-result').textContent()).toContain('校验通过');
      await screenshot(page, 'stage/ledger-1280x800');

      await page.goto(`${server.url}/admin/contests/${f.slug}/judges/cards`);
      expect(await page.locator('.notice').textContent()).toContain('打印后链接仅显示这一次；重新生成会使旧卡片失效');
      page.once('dialog', (d) => {
        expect(d.message()).toContain('已发出的旧卡片会全部失效');
        void d.accept();
      });
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/judges/cards')),
        page.locator('form button[type="submit"].primary').click(),
      ]);
      await page.waitForLoadState('load');
      expect(await page.locator('.judge-card').count()).toBe(11);
      expect(await page.locator('.card-page').count()).toBe(2);
      // Every QR image decodes and has its natural size.
      const sizes = await page
        .locator('img.jc-qr')
        .evaluateAll((imgs) => (imgs as HTMLImageElement[]).map((i) => i.complete && i.naturalWidth > 0));
      expect(sizes.every(Boolean)).toBe(true);
      await screenshot(page, 'stage/cards-screen-1280x800');
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.cards-toolbar').isVisible()).toBe(false);
      expect(await page.locator('.topbar').isVisible()).toBe(false);
      const box = await page.locator('.card-page').first().boundingBox();
      // A4 at 96 dpi: 210 mm ≈ 794 px wide, 296 mm ≈ 1119 px tall; 2 × 4 cards.
      expect(Math.round(box!.width)).toBeGreaterThanOrEqual(790);
      expect(Math.round(box!.width)).toBeLessThanOrEqual(798);
      const cards = await page
        .locator('.card-page')
        .first()
        .locator('.judge-card')
        .evaluateAll((els) =>
          els.map((e) => {
            const r = e.getBoundingClientRect();
            return [Math.round(r.left), Math.round(r.top)];
          }),
        );
      expect(new Set(cards.map(([x]) => x)).size).toBe(2);
      expect(new Set(cards.map(([, y]) => y)).size).toBe(4);
      await screenshot(page, 'stage/cards-print-a4');
      // Printed for real: two A4 pages (8 + 3 cards).
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(2);
      fs.mkdirSync(path.join(SCREENSHOT_DIR, 'stage'), { recursive: true });
      fs.writeFileSync(path.join(SCREENSHOT_DIR, 'stage/cards-print.pdf'), pdf);
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await context.close();
    }
  });
});
