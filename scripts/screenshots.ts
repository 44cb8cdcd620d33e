/**
 * Captures the main pages into tests/e2e/screenshots/manual/ for people to look at.
 *
 *   npx tsx scripts/screenshots.ts                  # starts a fresh app (in-memory database)
 *   npx tsx scripts/screenshots.ts --base http://127.0.0.1:3000 --email a@b.c --password '…'
 *
 * With --base the organizer credentials come from --email/--password (or ROADSHOW_EMAIL and
 * ROADSHOW_PASSWORD); without them only the public pages are captured. Add pages to `shots`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { seedDemoIfEmpty } from '../server/services/demo.service.js';
import {
  launchBrowser,
  newPage,
  screenshot,
  signIn,
  startServer,
  SCREENSHOT_DIR,
  type RunningServer,
  type ViewportName,
} from '../tests/support/browser.js';

interface Shot {
  name: string;
  path: string;
  viewport: ViewportName;
  /** Needs a signed-in organizer. */
  signedIn?: boolean;
  locale?: 'zh-CN' | 'en';
}

const PUBLIC_VIEWPORTS: ViewportName[] = ['desktop', 'tabletLandscape', 'tabletPortrait', 'phone'];

function shots(ctx: { demoSlug?: string }): Shot[] {
  const list: Shot[] = [
    ...PUBLIC_VIEWPORTS.map((viewport): Shot => ({ name: 'home', path: '/', viewport })),
    ...PUBLIC_VIEWPORTS.map((viewport): Shot => ({ name: 'login', path: '/admin/login', viewport })),
    { name: 'login-en', path: '/admin/login', viewport: 'desktop', locale: 'en' },
    { name: 'admin-home', path: '/admin', viewport: 'desktop', signedIn: true },
    { name: 'admin-contests', path: '/admin/contests', viewport: 'desktop', signedIn: true },
    { name: 'admin-users', path: '/admin/users', viewport: 'desktop', signedIn: true },
    { name: 'admin-password', path: '/admin/password', viewport: 'desktop', signedIn: true },
  ];
  if (ctx.demoSlug) {
    list.push({
      name: 'admin-demo-contest',
      path: `/admin/contests/${ctx.demoSlug}`,
      viewport: 'desktop',
      signedIn: true,
    });
  }
  return list;
}

async function capture(browser: Browser, base: string, list: Shot[], login?: { email: string; password: string }) {
  for (const shot of list) {
    const { context, page } = await newPage(browser, shot.viewport, { locale: shot.locale ?? 'zh-CN' });
    try {
      if (shot.locale === 'en') {
        await context.addCookies([{ name: 'lang', value: 'en', url: base }]);
      }
      if (shot.signedIn) {
        if (!login) {
          console.log(`  skip  ${shot.name} (no credentials)`);
          continue;
        }
        await signIn(page, base, login.email, login.password);
      }
      const res = await page.goto(new URL(shot.path, base).toString());
      const file = await screenshot(page, `manual/${shot.name}-${shot.viewport}`);
      const status = res?.status() ?? 0;
      console.log(`  ${status >= 400 ? `${status}!` : status}   ${shot.path} → ${path.relative(process.cwd(), file)}`);
    } finally {
      await context.close();
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      email: { type: 'string', default: process.env.ROADSHOW_EMAIL },
      password: { type: 'string', default: process.env.ROADSHOW_PASSWORD },
    },
  });

  let server: RunningServer | undefined;
  let base = values.base;
  let login = values.email && values.password ? { email: values.email, password: values.password } : undefined;
  let demoSlug: string | undefined;
  if (!base) {
    server = await startServer();
    base = server.url;
    const email = 'owner@example.test';
    const password = 'screenshots-password';
    await server.app.services.users.create({ email, displayName: '主办方负责人', role: 'owner' }, password);
    login = { email, password };
    demoSlug = (await seedDemoIfEmpty(server.app.services))?.slug;
  }

  const browser = await launchBrowser();
  try {
    console.log(`Capturing ${base} into ${path.relative(process.cwd(), path.join(SCREENSHOT_DIR, 'manual'))}/`);
    await capture(browser, base, shots({ demoSlug }), login);
  } finally {
    await browser.close();
    await server?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
