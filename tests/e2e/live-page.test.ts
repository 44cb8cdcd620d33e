/**
 * The audience phone page /live/:slug in real Chromium at 390×844: the project on stage with a
 * running timer and the leaderboard per track; stage changes and new scores arrive live without a
 * reload; the vote appears when the organizer opens it, counts once and then shows the voted
 * state (also after a reload); released counts; English; axe finds nothing serious or critical.
 * Screenshots go to tests/e2e/screenshots/live/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let actor: { kind: 'organizer'; id: number };
let host: { email: string; password: string; id: number };

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Records every judge's marks for a project and closes scoring. */
async function scoreProject(index: number, base: number) {
  const { services } = server.app;
  const projectId = f.projectIds[index]!;
  await services.stage.act(f.slug, actor, { kind: 'call', roundId: f.roundId, projectId });
  await services.stage.act(f.slug, actor, { kind: 'open-scoring' });
  for (const [j, judgeId] of f.judgeIds.entries()) {
    if (j === 1 && index === 0) continue; // judge 2 is recused from project 1
    await services.scores.record(
      { judgeId, contestId: f.contestId },
      {
        submissionId: submissionId(),
        roundId: f.roundId,
        projectId,
        marks: { innovation: Math.min(20, base + (j % 3)), team: Math.min(15, 8 + ((j + index) % 5)) },
      },
    );
  }
  if ((await services.stage.view(f.slug)).phase === 'scoring')
    await services.stage.act(f.slug, actor, { kind: 'close-scoring' });
}

/** What the phone shows now (the viewport, not the whole page), into screenshots/live/. */
async function viewportShot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOT_DIR, 'live', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
  });
  return errors;
}

describe.skipIf(skipBrowserTests)('audience phone page in Chromium', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    const { services } = server.app;
    f = await seedLiveContest(services, { judges: 5, projects: 6 });
    host = await server.app.organizer('host');
    actor = { kind: 'organizer', id: (await server.app.organizer('admin')).id };
    // Two tracks, so the board has a tab per track.
    await services.contests.editPart(f.slug, 'tracks', {
      kind: 'add',
      input: { key: 'device', name: { zh: '高端医疗器械', en: 'Medical devices' } },
    });
    const titles = [
      '智能心电预警平台',
      '骨科手术导航机器人',
      '肺结节AI辅助诊断',
      '可降解心脏支架',
      '术中超声影像系统',
      '基层慢病管理助手',
    ];
    for (const [i, title] of titles.entries()) {
      const ref = `RS-2024-${String(i + 1).padStart(4, '0')}`;
      await services.contests.editPart(f.slug, 'projects', {
        kind: 'update',
        key: ref,
        input: {
          ref,
          title,
          trackKey: i % 2 ? 'device' : 'ai',
          institution: ['首都医科大学附属医院', '北京通州区人民医院', '某医疗科技有限公司'][i % 3],
          leader: { name: `负责人${i + 1}`, phone: '13800138000' },
          status: 'approved',
        },
      });
    }
    await services.schedule.saveSettings(f.slug, 'final', actor, {
      scheduleStart: '2024-11-23T09:00',
      changeoverSeconds: 60,
    });
    await services.schedule.draw(f.slug, 'final', actor, { seed: '2024-11-23 路演抽签' });
    await scoreProject(0, 16);
    await scoreProject(1, 17);
    await scoreProject(2, 14);
    await scoreProject(3, 18);
    await services.stage.act(f.slug, actor, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[4]! });
    await services.stage.act(f.slug, actor, { kind: 'start-pitch' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the project on stage, its timer and the leaderboard, and follows the stage live', async () => {
    const { context, page } = await newPage(browser, 'phone');
    const errors = watchErrors(page);
    try {
      await page.goto(`${server.url}/live/${f.slug}`);
      await expect.poll(() => page.locator('#lp-conn').getAttribute('class')).toContain('is-online');
      expect(await page.locator('#lp-project .lp-project-title').textContent()).toBe('术中超声影像系统');
      expect(await page.locator('#lp-phase').textContent()).toBe('路演中');
      const first = (await page.locator('#lp-timer').textContent())!;
      expect(first).toMatch(/^0[45]:\d\d$/);
      await page.waitForTimeout(2100);
      expect((await page.locator('#lp-timer').textContent())! < first).toBe(true);

      // The board opens on the track of the project on stage; scores from the server's projection.
      expect(await page.locator('#lp-board-tabs a[aria-current="true"]').textContent()).toBe('AI+医疗健康');
      const rows = page.locator('#lp-board-body .lp-row');
      expect(await rows.count()).toBe(3);
      expect(await rows.first().locator('.lp-score').textContent()).toMatch(/^\d+\.\d\d/);
      await page.locator('#lp-board-tabs a[data-track="overall"]').click();
      await expect.poll(() => rows.count()).toBe(6);
      expect(await page.locator('#lp-order .lp-order-row.is-current .lp-row-title').textContent()).toBe(
        '术中超声影像系统',
      );
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'live/phone-now-390x844');

      // The host moves on: the page follows without a reload, and a new score reaches the board.
      const { services } = server.app;
      await services.stage.act(f.slug, actor, { kind: 'open-scoring' });
      await expect.poll(() => page.locator('#lp-phase').textContent(), { timeout: 5000 }).toBe('评委评分中');
      await expect.poll(() => page.locator('#lp-scoring').textContent(), { timeout: 5000 }).toBe('评委已评分 0/5');
      for (const [j, judgeId] of f.judgeIds.entries())
        await services.scores.record(
          { judgeId, contestId: f.contestId },
          {
            submissionId: submissionId(),
            roundId: f.roundId,
            projectId: f.projectIds[4]!,
            marks: { innovation: 20, team: 15 - (j % 2) },
          },
        );
      await expect
        .poll(() => page.locator('#lp-board-body .lp-row').first().locator('.lp-row-title').textContent(), {
          timeout: 5000,
        })
        .toBe('术中超声影像系统');
      await services.stage.act(f.slug, actor, { kind: 'close-scoring' });
      await services.stage.act(f.slug, actor, { kind: 'next' });
      await expect
        .poll(() => page.locator('#lp-project .lp-project-title').textContent(), { timeout: 5000 })
        .not.toBe('术中超声影像系统');
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets a phone vote once when the vote opens, then shows the voted state', async () => {
    const { context, page } = await newPage(browser, 'phone');
    const errors = watchErrors(page);
    try {
      await page.goto(`${server.url}/live/${f.slug}`);
      await expect.poll(() => page.locator('#lp-conn').getAttribute('class')).toContain('is-online');
      expect(await page.locator('#vote').isHidden()).toBe(true);

      // The organizer opens the vote: the card appears without a reload.
      await server.app.services.votes.act(f.slug, 'final', actor, 'open');
      await expect.poll(() => page.locator('#vote').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.locator('#lp-vote-body .lp-choice').count()).toBe(6);
      expect(await seriousViolations(page)).toEqual([]);

      await page.locator('.lp-choice', { hasText: '可降解心脏支架' }).click();
      await expect.poll(() => page.locator('#lp-vote-submit').textContent()).toBe('投给「可降解心脏支架」');
      await page.locator('#lp-vote-submit').scrollIntoViewIfNeeded();
      await viewportShot(page, 'phone-ballot-viewport-390x844');
      await page.locator('#lp-vote-submit').click();
      await expect
        .poll(() => page.locator('#lp-vote-body .lp-voted').textContent())
        .toContain('你已投票给「可降解心脏支架」');
      const voted = page.locator('#lp-vote-body button.lp-vote-button');
      expect(await voted.textContent()).toBe('已投票 ✓');
      expect(await voted.isDisabled()).toBe(true);
      expect(await page.locator('#lp-vote-body input[type="radio"]').count()).toBe(0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'live/phone-voted-390x844');
      await page.locator('#vote').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await viewportShot(page, 'phone-voted-viewport-390x844');
      expect(await seriousViolations(page)).toEqual([]);

      // One vote per device: a reload keeps the voted state; the API refuses a second vote.
      await page.reload();
      expect(await page.locator('#lp-vote-body .lp-voted').textContent()).toContain('可降解心脏支架');
      const again = await page.evaluate(async (slug) => {
        const csrf = document.getElementById('live-app')!.dataset.csrfToken!;
        const res = await fetch(`/api/v1/contests/${slug}/votes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ projectId: 1 }),
        });
        return { status: res.status, body: (await res.json()) as { error: { code: string } } };
      }, f.slug);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('already-voted');
      const stored = await server.app.opened.db.selectFrom('audience_vote').selectAll().execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.project_id).toBe(f.projectIds[3]);
      expect(errors.filter((e) => !e.startsWith('409 '))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows released counts, in English too, and the organizer’s page', async () => {
    const { services } = server.app;
    const second = await newPage(browser, 'phone');
    try {
      // A second device votes through the page.
      await second.page.goto(`${server.url}/live/${f.slug}`);
      await second.page.locator('.lp-choice', { hasText: '骨科手术导航机器人' }).click();
      await second.page.locator('#lp-vote-submit').click();
      await expect.poll(() => second.page.locator('#lp-vote-body .lp-voted').isVisible()).toBe(true);
    } finally {
      await second.context.close();
    }

    const admin = await newPage(browser, 'desktop');
    try {
      await signIn(admin.page, server.url, host.email, host.password);
      await admin.page.goto(`${server.url}/admin/contests/${f.slug}/votes`);
      expect(await admin.page.locator('#va-totals').textContent()).toBe('共 2 票：计入 2，暂扣 0');
      await screenshot(admin.page, 'live/admin-votes-open-1280x800');
      expect(await seriousViolations(admin.page)).toEqual([]);
      await admin.page.locator('button', { hasText: '结束投票' }).click();
      await admin.page.waitForURL(/votes\?round=final/);
      await admin.page.locator('button', { hasText: '公布票数' }).click();
      await admin.page.waitForURL(/votes\?round=final/);
      expect(await admin.page.locator('.flash').textContent()).toBe('票数已公布');
      await screenshot(admin.page, 'live/admin-votes-released-1280x800');
    } finally {
      await admin.context.close();
    }
    expect((await services.votes.publicState(f.slug, null)).released).toBe(true);

    const { context, page } = await newPage(browser, 'phone');
    try {
      await page.goto(`${server.url}/live/${f.slug}#vote`);
      const results = page.locator('#lp-vote-body .lp-result');
      expect(await results.count()).toBe(6);
      expect(await results.first().locator('.lp-result-votes').textContent()).toBe('1 票');
      await page.locator('#vote').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await viewportShot(page, 'phone-results-viewport-390x844');
      expect(await seriousViolations(page)).toEqual([]);

      await page.locator('.lang-switch button').click();
      await page.waitForLoadState('load');
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('#now-title').textContent()).toBe('Now presenting');
      expect(await page.locator('#lp-board-tabs a').first().textContent()).toBe('AI+医疗健康');
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'live/phone-en-390x844');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
