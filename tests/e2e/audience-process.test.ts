/**
 * The audience pages in real Chromium with the audience process on (the app plus the forked
 * audience server, as main.ts starts them): /live/:slug connects to the audience origin, not to the
 * app (long-polling across origins with CORS, then the WebSocket upgrade, both under the page's
 * CSP), and shows the project on stage changing after the host calls the next one. The big screen
 * connects there too. No console errors or CSP violations.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.js';
import { startAudienceProcess, type AudienceProcess } from '../../server/realtime/audience-process.js';
import { launchBrowser, newPage, skipBrowserTests, startServer, type RunningServer } from '../support/browser.js';
import { seedLiveContest, type LiveFixture } from '../support/fixtures.js';
import { distinctPorts } from '../support/ports.js';

let browser: Browser;
let server: RunningServer;
let audience: AudienceProcess;
let audienceUrl: string;
let f: LiveFixture;
let actor: { kind: 'organizer'; id: number };

/** Socket.IO traffic of a page (polling requests and WebSockets), and its errors. */
function watchTraffic(page: Page): { socketUrls: string[]; errors: string[] } {
  const socketUrls: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => r.url().includes('/socket.io/') && socketUrls.push(r.url()));
  page.on('websocket', (ws) => socketUrls.push(ws.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // CSP and CORS refusals arrive as console errors; the app serves no favicon.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text());
  });
  return { socketUrls, errors };
}

describe.skipIf(skipBrowserTests)('audience pages served by the audience process, in Chromium', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    const [port, relayPort] = await distinctPorts(2);
    audienceUrl = `http://127.0.0.1:${port}`;
    server = await startServer({
      config: {
        audience: { process: 'child', port: port!, url: audienceUrl, relay: { port: relayPort!, host: '127.0.0.1' } },
      },
    });
    const { config } = server.app;
    audience = await startAudienceProcess(server.app, config.audience!, {
      host: config.host,
      publicUrl: config.publicUrl,
      logger: createLogger('silent'),
    });
    f = await seedLiveContest(server.app.services, { judges: 3, projects: 3 });
    actor = { kind: 'organizer', id: (await server.app.organizer('host')).id };
    await server.app.services.stage.act(f.slug, actor, {
      kind: 'call',
      roundId: f.roundId,
      projectId: f.projectIds[0]!,
    });
  });

  afterAll(async () => {
    await audience?.close();
    await server?.stop();
    await browser?.close();
  });

  it('/live follows the stage over the audience origin', async () => {
    const { context, page } = await newPage(browser, 'phone');
    const traffic = watchTraffic(page);
    try {
      await page.goto(`${server.url}/live/${f.slug}`);
      await expect.poll(() => page.locator('#lp-conn').getAttribute('class')).toContain('is-online');
      expect(await page.locator('#lp-project .lp-project-title').textContent()).toBe('项目1');

      await server.app.services.stage.act(f.slug, actor, { kind: 'next' });
      await expect
        .poll(() => page.locator('#lp-project .lp-project-title').textContent(), { timeout: 5000 })
        .toBe('项目2');

      const audienceHost = new URL(audienceUrl).host;
      expect(new Set(traffic.socketUrls.map((u) => new URL(u).host))).toEqual(new Set([audienceHost]));
      expect(traffic.socketUrls.some((u) => u.startsWith(`http://${audienceHost}/`))).toBe(true);
      expect(traffic.socketUrls.some((u) => u.startsWith(`ws://${audienceHost}/`))).toBe(true);
      expect(traffic.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the big screen connects to the audience origin too', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    const traffic = watchTraffic(page);
    try {
      await page.goto(`${server.url}/screen/${f.slug}`);
      await expect.poll(() => page.locator('#pr-title').textContent()).toBe('项目2');
      await server.app.services.stage.act(f.slug, actor, { kind: 'next' });
      await expect.poll(() => page.locator('#pr-title').textContent(), { timeout: 5000 }).toBe('项目3');
      expect(new Set(traffic.socketUrls.map((u) => new URL(u).host))).toEqual(new Set([new URL(audienceUrl).host]));
      expect(traffic.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
