/**
 * The big screen in real Chromium at 1920×1080, on the demo contest (4 tracks, 24 projects, 11
 * judges): a judge's submission (services.scores.record) reaches the screen's DOM within one
 * second; the presenting state with a long title and the countdown; the full score reveal (judge
 * totals one by one, dropped high and low struck through, the final score); the leaderboard per
 * track and overall with prize zones and a rank change; frozen and hidden boards; the ceremony
 * forward and back. A screenshot of each state goes to tests/e2e/screenshots/screen/. The host's
 * control pages are driven in a second page for the reveal keys and the ceremony console.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_SLUG, demoContest } from '../../server/demo/demo-contest.js';
import { ContestDocument } from '../../server/domain/contest-document.js';
import type { LoadedContest } from '../../server/services/contest.service.js';
import { AppError } from '../../server/errors.js';
import {
  launchBrowser,
  newPage,
  screenshot,
  signIn,
  skipBrowserTests,
  startServer,
  type RunningServer,
} from '../support/browser.js';
import { submissionId } from '../support/fixtures.js';

const LONG_TITLE =
  '基于多模态医学影像与深度学习的早期肺癌智能筛查、精准分型与随访管理一体化临床转化平台（多中心前瞻性验证版）';
const WEIGHTS: [string, number, number][] = [
  ['innovation', 20, 20],
  ['science', 20, 20],
  ['clinical', 25, 25],
  ['market', 20, 20],
  ['team', 15, 15],
];

/** Marks summing to `total` (0–100), spread over the demo rubric in proportion to each maximum. */
function marksFor(total: number): Record<string, number> {
  const marks: Record<string, number> = {};
  let left = total;
  for (const [key, max] of WEIGHTS) {
    marks[key] = Math.min(max, Math.floor((total * max) / 100));
    left -= marks[key]!;
  }
  for (const [key, max] of WEIGHTS) {
    const add = Math.min(left, max - marks[key]!);
    marks[key]! += add;
    left -= add;
  }
  return marks;
}

let browser: Browser;
let server: RunningServer;
let loaded: LoadedContest;
let roundId: number;
let order: number[];
let screenContext: BrowserContext;
let screen: Page;
let hostContext: BrowserContext;
let host: Page;
const organizer = { kind: 'organizer' as const, id: 1 };
const pageErrors: string[] = [];

const services = () => server.app.services;
const projectId = (index: number) => order[index]!;

/** Every eligible judge (recused ones are refused and skipped) submits; the totals vary per judge. */
async function scoreAll(index: number, base: number, judges?: number[]): Promise<void> {
  const ids = loaded.doc.judges.map((j) => loaded.ids.judges.get(j.key)!);
  for (const [j, judgeId] of ids.entries()) {
    if (judges && !judges.includes(j)) continue;
    try {
      await services().scores.record(
        { judgeId, contestId: loaded.id },
        {
          submissionId: submissionId(),
          roundId,
          projectId: projectId(index),
          marks: marksFor(base + ((j * 7) % 11) - 5),
        },
      );
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'recused')) throw err;
    }
  }
}

async function stage(action: Record<string, unknown>) {
  return services().stage.act(DEMO_SLUG, organizer, action);
}

async function runProject(index: number, base: number): Promise<void> {
  await stage({ kind: 'call', roundId, projectId: projectId(index) });
  await stage({ kind: 'open-scoring' });
  await scoreAll(index, base);
  await stage({ kind: 'close-scoring' });
}

async function screenAct(input: Record<string, unknown>) {
  return services().screen.act(DEMO_SLUG, organizer, input);
}

const shows = () => screen.locator('#screen-app').getAttribute('class');
const visible = (id: string) => screen.locator(`#${id}`).isVisible();

async function shot(name: string): Promise<void> {
  // Let entrance animations finish before the picture.
  await screen.waitForTimeout(1000);
  // Nothing may spill off the projector: the page is exactly one screen.
  const size = await screen.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.scrollHeight,
  ]);
  expect(size, name).toEqual([1920, 1080]);
  await screenshot(screen, `screen/${name}`);
}

describe.skipIf(skipBrowserTests)('big screen in Chromium at 1920×1080', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    await services().contestDocuments.importContest(ContestDocument.parse(demoContest()));
    const doc = ContestDocument.parse(demoContest());
    const first = doc.projects.find((p) => p.trackKey === 'ai')!;
    await services().contests.editPart(DEMO_SLUG, 'projects', {
      kind: 'update',
      key: first.ref,
      input: { ...first, title: LONG_TITLE },
    });
    loaded = await services().contests.load(DEMO_SLUG);
    roundId = loaded.ids.rounds.get('final')!;
    const results = await services().results.compute(DEMO_SLUG, 'final');
    order = results.inputs.lineup.map((l) => l.id);
    // Most of the field has pitched already; the long-titled AI project and a few others have not.
    const longIndex = order.indexOf(loaded.ids.projects.get(first.ref)!);
    for (let i = 0; i < order.length; i++) if (i !== longIndex && i % 6 !== 5) await runProject(i, 70 + ((i * 5) % 19));
    order = [...order.filter((_, i) => i === longIndex), ...order.filter((_, i) => i !== longIndex)];

    ({ context: screenContext, page: screen } = await newPage(browser, 'projector'));
    screen.on('pageerror', (e) => pageErrors.push(e.message));
    screen.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    const account = await server.app.organizer('host');
    ({ context: hostContext, page: host } = await newPage(browser, 'desktop'));
    await signIn(host, server.url, account.email, account.password);
  });

  afterAll(async () => {
    await screenContext?.close();
    await hostContext?.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows the contest and a QR code for phones while idle', async () => {
    await screenAct({ action: 'mode', mode: 'idle' });
    await screen.goto(`${server.url}/screen/${DEMO_SLUG}`);
    await expect.poll(shows).toContain('shows-idle');
    expect(await screen.locator('#idle-name').textContent()).toContain('北京城市副中心创新医学转化大赛');
    const qr = await screen.locator('.idle-qr img').getAttribute('src');
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await screen.locator('.idle-url').textContent()).toContain(`/live/${DEMO_SLUG}`);
    await shot('01-idle');
  });

  it('follows the stage: a called project with a long title and the pitch countdown', async () => {
    await screenAct({ action: 'mode', mode: 'auto' });
    await stage({ kind: 'call', roundId, projectId: projectId(0) });
    await stage({ kind: 'start-pitch' });
    await expect.poll(shows).toContain('shows-presenting');
    await expect.poll(() => screen.locator('#pr-title').textContent()).toBe(LONG_TITLE);
    const title = screen.locator('#pr-title');
    expect(await title.getAttribute('class')).toContain('is-very-long');
    // The whole title fits: no clipping of the clamped block, nothing wider than the screen.
    const box = (await title.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1920);
    // Clamped to at most four lines, and no line is cut off (less than half a line overflows).
    const [scroll, client, line] = await title.evaluate((el) => [
      el.scrollHeight,
      el.clientHeight,
      parseFloat(getComputedStyle(el).lineHeight),
    ]);
    expect(scroll - client, `title ${scroll} px tall in a ${client} px box`).toBeLessThan(line! / 2);
    expect(Math.round(client! / line!)).toBeLessThanOrEqual(4);
    const first = (await screen.locator('#pr-timer').textContent())!;
    expect(first).toMatch(/^0[45]:\d\d$/);
    await screen.waitForTimeout(1300);
    expect((await screen.locator('#pr-timer').textContent())! < first).toBe(true);
    expect(await screen.locator('#pr-timer-kind').textContent()).toBe('项目陈述');
    expect(await screen.locator('#pr-team').textContent()).toContain('负责人');
    expect(await screen.evaluate(() => document.documentElement.scrollWidth)).toBe(1920);
    await shot('02-presenting');
  });

  it('a judge’s submission appears on the screen within one second', async () => {
    await stage({ kind: 'open-scoring' });
    await expect.poll(shows).toContain('shows-scoring');
    await expect.poll(() => screen.locator('#sg-submitted').textContent()).toBe('0');
    const eligible = Number(await screen.locator('#sg-eligible').textContent());
    expect(eligible).toBeGreaterThanOrEqual(9);
    const ref = [...loaded.ids.projects].find(([, id]) => id === projectId(0))![0];
    const recused = new Set(loaded.doc.conflicts.filter((c) => c.projectRef === ref).map((c) => c.judgeKey));
    const judges = loaded.doc.judges.flatMap((j, i) => (recused.has(j.key) ? [] : [i])).slice(0, 4);
    const latencies: number[] = [];
    for (const [n, judge] of judges.entries()) {
      const expected = String(n + 1);
      await screen.evaluate((want) => {
        const el = document.getElementById('sg-submitted')!;
        const w = window as unknown as { changedAt?: number };
        delete w.changedAt;
        new MutationObserver((_m, observer) => {
          if (el.textContent === want) {
            w.changedAt = Date.now();
            observer.disconnect();
          }
        }).observe(el, { childList: true, characterData: true, subtree: true });
      }, expected);
      const started = Date.now();
      await scoreAll(0, 84, [judge]);
      await screen.waitForFunction(() => (window as unknown as { changedAt?: number }).changedAt !== undefined, null, {
        timeout: 3000,
      });
      const changedAt = await screen.evaluate(() => (window as unknown as { changedAt: number }).changedAt);
      latencies.push(changedAt - started);
    }
    console.log(`score → screen DOM latency (ms): ${latencies.join(', ')}`);
    for (const ms of latencies) expect(ms).toBeLessThan(1000);
    expect(await screen.locator('.sg-dot.is-in').count()).toBe(4);
    await shot('03-scoring');
  });

  it('runs the full score reveal: totals one by one, dropped high and low struck, the final score', async () => {
    await scoreAll(0, 84);
    await stage({ kind: 'close-scoring' }).catch(() => undefined);
    await expect.poll(shows).toContain('shows-leaderboard');
    const count = (await services().results.roundResults(DEMO_SLUG, 'final')).projects
      .find((p) => p.projectId === projectId(0))!
      .judges.filter((j) => j.status === 'scored').length;

    await host.goto(`${server.url}/admin/contests/${DEMO_SLUG}/screen`);
    await host.locator('#reveal-project').selectOption(String(projectId(0)));
    await host.locator('form:has(#reveal-project) button[type="submit"]').click();
    await expect.poll(shows).toContain('shows-reveal');
    await expect.poll(() => screen.locator('.rv-judge.is-waiting').count()).toBe(count);
    await shot('04-reveal-start');

    await host.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 1; i <= count; i++) {
      await host.keyboard.press('ArrowRight');
      await expect.poll(() => screen.locator('.rv-judge.is-shown').count(), { timeout: 3000 }).toBe(i);
      expect(await screen.locator('.rv-judge.is-dropped').count()).toBe(0);
      expect(await visible('rv-final')).toBe(false);
      if (i === 5) await shot('05-reveal-mid');
    }
    expect(await screen.locator('.rv-judge .rv-who').first().textContent()).toBe('评委 A');
    await host.keyboard.press('f');
    await expect.poll(() => visible('rv-final')).toBe(true);
    const full = (await services().results.roundResults(DEMO_SLUG, 'final')).projects.find(
      (p) => p.projectId === projectId(0),
    )!;
    expect(await screen.locator('#rv-final-score').textContent()).toBe(full.display);
    expect(await screen.locator('.rv-judge.is-dropped').count()).toBe(2);
    expect(
      await screen.locator('.rv-judge.is-high .rv-total').evaluate((el) => getComputedStyle(el).textDecorationLine),
    ).toBe('line-through');
    expect(await screen.locator('.rv-judge.is-high .rv-drop').textContent()).toBe('去掉最高分');
    expect(await screen.locator('.rv-judge.is-low .rv-drop').textContent()).toBe('去掉最低分');
    expect(await host.locator('#reveal-status').textContent()).toContain(full.display!);
    // No judge names on screen without the contest setting.
    const text = (await screen.locator('#sc-reveal').textContent())!;
    for (const j of loaded.doc.judges) expect(text).not.toContain(j.name);
    await shot('06-reveal-final');
    await screenshot(host, 'screen/control-reveal-1280x800');
  });

  it('shows the leaderboard per track and overall, prize zones marked, a rank change animated', async () => {
    await screenAct({ action: 'reveal-clear' });
    await screenAct({ action: 'mode', mode: 'leaderboard' });
    await screenAct({ action: 'track', track: 'overall' });
    await expect.poll(shows).toContain('shows-leaderboard');
    await expect.poll(() => screen.locator('#lb-title').textContent()).toBe('总榜');
    expect(await screen.locator('.lb-row').count()).toBe(24);
    expect(await screen.locator('#lb-rows').getAttribute('class')).toContain('is-two-col');
    // The demo's prize tiers are per track: the overall board marks no prize zone.
    expect(await screen.locator('.lb-row.has-zone').count()).toBe(0);
    expect(await screen.locator('#sc-policy').textContent()).toBe('实时');
    // Nothing spills over the bottom or the right edge.
    const last = (await screen.locator('.lb-row').last().boundingBox())!;
    expect(last.y + last.height).toBeLessThanOrEqual(1080);
    expect(last.x + last.width).toBeLessThanOrEqual(1920);
    await shot('07-leaderboard-overall');

    await screenAct({ action: 'track', track: 'ai' });
    await expect.poll(() => screen.locator('#lb-title').textContent()).toBe('AI+医疗健康');
    expect(await screen.locator('.lb-row.has-zone.zone-1').count()).toBe(1);
    expect(await screen.locator('.lb-row').first().locator('.lb-zone').textContent()).toBe('一等奖区');
    const before = await screen.locator('.lb-row .lb-name').allTextContents();
    // A project still to pitch in this track scores high and goes to the top: the rows it passes move (▼).
    const waiting = (await services().leaderboard.snapshot(DEMO_SLUG)).tracks
      .find((tr) => tr.key === 'ai')!
      .rows.find((r) => r.display === null)!;
    const index = order.indexOf(loaded.ids.projects.get(waiting.ref)!);
    await screen.evaluate(() => {
      const w = window as unknown as { moved?: number };
      w.moved = 0;
      for (const row of document.querySelectorAll('.lb-row')) {
        const original = row.animate.bind(row);
        row.animate = (frames, options) => {
          if (JSON.stringify(frames).includes('translate')) w.moved! += 1;
          return original(frames, options);
        };
      }
    });
    await runProject(index, 96);
    await screenAct({ action: 'mode', mode: 'leaderboard' }).catch(() => undefined);
    await expect
      .poll(() => screen.locator('.lb-row .lb-name').first().textContent(), { timeout: 3000 })
      .toBe(waiting.title);
    // The rows it passed moved down one place each (the newcomer itself had no earlier rank).
    expect(await screen.locator('.lb-row').nth(1).locator('.lb-delta').textContent()).toBe('▼1');
    expect(await screen.evaluate(() => (window as unknown as { moved: number }).moved)).toBeGreaterThan(0);
    expect(await screen.locator('.lb-row .lb-name').allTextContents()).not.toEqual(before);
    await shot('08-leaderboard-track');
  });

  it('freezes: the board stops changing and says so', async () => {
    await services().leaderboard.setPolicy(DEMO_SLUG, organizer, { policy: 'frozen' });
    await expect
      .poll(() => screen.locator('#lb-note').textContent())
      .toMatch(/^已封榜 · 榜单停在 \d\d:\d\d，暂停更新$/);
    expect(await screen.locator('#sc-policy').textContent()).toBe('已封榜');
    const frozenRows = await screen.locator('.lb-row').allTextContents();
    const waiting = (await services().leaderboard.snapshot(DEMO_SLUG)).tracks
      .find((tr) => tr.key === 'ai')!
      .rows.find((r) => r.display === null);
    if (waiting) {
      await runProject(order.indexOf(loaded.ids.projects.get(waiting.ref)!), 97);
      await screenAct({ action: 'mode', mode: 'leaderboard' });
      await screen.waitForTimeout(800);
      expect(await screen.locator('.lb-row').allTextContents()).toEqual(frozenRows);
    }
    await shot('09-frozen');
  });

  it('hides scores: running order and “scoring in progress” only', async () => {
    await services().leaderboard.setPolicy(DEMO_SLUG, organizer, { policy: 'hidden' });
    await expect.poll(() => screen.locator('#lb-note').textContent()).toBe('评分进行中，成绩将在稍后公布');
    expect((await screen.locator('.lb-row .lb-score').allTextContents()).every((s) => s === '')).toBe(true);
    expect(await screen.locator('.lb-row .lb-rank').first().textContent()).toBe('1');
    await shot('10-hidden');
  });

  it('runs the ceremony forward and back from the presenter console', async () => {
    await services().leaderboard.setPolicy(DEMO_SLUG, organizer, { policy: 'revealed' });
    // The remaining projects pitch, then the awards are locked.
    const snapshot = await services().leaderboard.snapshot(DEMO_SLUG);
    for (const row of snapshot.overall.rows.filter((r) => r.display === null))
      await runProject(order.indexOf(loaded.ids.projects.get(row.ref)!), 74);
    await services().awards.lock(DEMO_SLUG, organizer, {});
    const steps = (await services().ceremony.console(DEMO_SLUG)).steps;
    expect(steps.length).toBeGreaterThan(4);
    expect(steps[0]!.tier.name.zh).toBe('优秀奖');
    expect(steps.at(-1)!.tier.name.zh).toBe('一等奖');

    await host.goto(`${server.url}/admin/contests/${DEMO_SLUG}/ceremony`);
    await host.locator('button[name="mode"][value="ceremony"]').click();
    await expect.poll(shows).toContain('shows-ceremony');
    expect(await visible('cm-title-card')).toBe(true);
    await shot('11-ceremony-title');

    await host.locator('button[name="action"][value="next"]').click();
    await expect.poll(() => screen.locator('#cm-tier').textContent()).toBe('优秀奖');
    await expect.poll(() => host.locator('.cm-item.is-current').getAttribute('data-step')).toBe('1');
    expect(await screen.locator('.cm-winner').count()).toBe(steps[0]!.winners.length);
    await shot('12-ceremony-first-step');

    // Forward with the keyboard to the first prizes, back one step, forward again.
    await host.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 2; i <= steps.length; i++) {
      await host.keyboard.press('ArrowRight');
      await expect
        .poll(() => screen.locator('#cm-progress').textContent(), { timeout: 3000 })
        .toBe(`${i} / ${steps.length}`);
      const step = steps[i - 1]!;
      expect(await screen.locator('#cm-tier').textContent()).toBe(step.tier.name.zh);
      if (step.tier.key === 'third' && step.track?.key === 'devices') await shot('13-ceremony-third');
    }
    expect(await screen.locator('#cm-tier').getAttribute('class')).toContain('level-1');
    await host.keyboard.press('ArrowLeft');
    await expect.poll(() => screen.locator('#cm-progress').textContent()).toBe(`${steps.length - 1} / ${steps.length}`);
    expect(await screen.locator('#cm-tier').textContent()).toBe(steps.at(-2)!.tier.name.zh);
    await host.keyboard.press('ArrowRight');
    await expect.poll(() => screen.locator('#cm-progress').textContent()).toBe(`${steps.length} / ${steps.length}`);
    expect(await screen.locator('#cm-track').textContent()).toBe(steps.at(-1)!.track!.name.zh);
    await shot('14-ceremony-final');
    await screenshot(host, 'screen/ceremony-console-1280x800');

    // A late screen (a new page) shows the current step at once.
    const late = await newPage(browser, 'projector');
    try {
      await late.page.goto(`${server.url}/screen/${DEMO_SLUG}`);
      await expect
        .poll(() => late.page.locator('#cm-progress').textContent())
        .toBe(`${steps.length} / ${steps.length}`);
      expect(await late.page.locator('#cm-tier').textContent()).toBe('一等奖');
    } finally {
      await late.context.close();
    }
  });

  it('the screen logged no errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
