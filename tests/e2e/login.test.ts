/**
 * Organizer sign-in in real Chromium at 1280×800: the page renders in Chinese with real CJK
 * glyphs (not tofu), one-time passwords lead to the password change, the language switch (a POST
 * form at /lang) persists across navigation and back, and axe finds nothing serious.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
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

/** The fonts Chromium actually used to draw an element's text (from the DevTools protocol). */
async function platformFonts(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts;
  } finally {
    await cdp.detach();
  }
}

/** Draws each character with the element's font; missing glyphs (tofu boxes) all look alike. */
async function glyphBitmaps(page: Page, selector: string, chars: string[]): Promise<string[]> {
  return page.evaluate(
    ({ selector, chars }) => {
      const el = document.querySelector(selector);
      if (!el) throw new Error(`no ${selector}`);
      const family = getComputedStyle(el).fontFamily;
      return chars.map((ch) => {
        const canvas = document.createElement('canvas');
        canvas.width = 48;
        canvas.height = 48;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d canvas');
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, 48, 48);
        ctx.fillStyle = '#000';
        ctx.font = `40px ${family}`;
        ctx.textBaseline = 'top';
        ctx.fillText(ch, 4, 4);
        return canvas.toDataURL();
      });
    },
    { selector, chars },
  );
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

async function clickLanguageSwitch(page: Page, expectLabel: string): Promise<void> {
  const button = page.locator('form.lang-switch button[type="submit"]');
  expect((await button.textContent())?.trim()).toBe(expectLabel);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/lang'),
    button.click(),
  ]);
  await page.waitForLoadState('load');
}

describe.skipIf(skipBrowserTests)('organizer login in Chromium', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the login page in Chinese with real CJK glyphs and no serious axe violations', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    try {
      const res = await page.goto(`${server.url}/admin/login`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      const heading = page.getByRole('heading', { level: 1 });
      expect((await heading.textContent())?.trim()).toBe('主办方登录');
      expect(await heading.isVisible()).toBe(true);
      expect(await page.getByLabel('邮箱').isVisible()).toBe(true);
      expect(await page.getByLabel('密码').isVisible()).toBe(true);

      const fonts = await platformFonts(page, 'h1');
      const cjk = fonts.filter((f) => /CJK|Noto Sans SC|Source Han/i.test(f.familyName));
      expect(cjk.length, `h1 drawn with ${JSON.stringify(fonts)}; install fonts-noto-cjk`).toBeGreaterThan(0);
      expect(cjk.reduce((n, f) => n + f.glyphCount, 0)).toBe(5);

      const chars = ['主', '办', '方', '登', '录'];
      const [blank, ...bitmaps] = await glyphBitmaps(page, 'h1', [' ', ...chars]);
      expect(new Set(bitmaps).size, 'CJK characters render as identical boxes (tofu)').toBe(chars.length);
      expect(bitmaps).not.toContain(blank);

      await screenshot(page, 'login-zh-1280x800');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('switches the login page to English and back; the choice survives a reload', async () => {
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await page.goto(`${server.url}/admin/login`);
      await clickLanguageSwitch(page, 'English');
      expect(new URL(page.url()).pathname).toBe('/admin/login');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Organizer sign-in');
      expect((await context.cookies()).find((c) => c.name === 'lang')?.value).toBe('en');

      await page.reload();
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Organizer sign-in');
      expect(await page.getByLabel('Email').isVisible()).toBe(true);
      await screenshot(page, 'login-en-1280x800');
      expect(await seriousViolations(page)).toEqual([]);

      await clickLanguageSwitch(page, '中文');
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('主办方登录');
      await page.reload();
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    } finally {
      await context.close();
    }
  });

  it('sends a one-time password to the password change page', async () => {
    const email = 'onetime@example.test';
    const { password } = await server.app.services.users.create({ email, displayName: '临时用户', role: 'owner' });
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await signIn(page, server.url, email, password);
      expect(new URL(page.url()).pathname).toBe('/admin/password');
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('设置新密码');
      expect(await page.getByText('您正在使用一次性密码，请先设置新密码。').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: '退出登录' }).isVisible()).toBe(true);
      await screenshot(page, 'password-change-zh-1280x800');
    } finally {
      await context.close();
    }
  });

  it('signs an owner in; the language switch persists across navigation in the console', async () => {
    const email = 'owner@example.test';
    const password = 'correct horse battery staple';
    await server.app.services.users.create({ email, displayName: '主办方负责人', role: 'owner' }, password);
    const { context, page } = await newPage(browser, 'desktop');
    try {
      await signIn(page, server.url, email, password);
      expect(new URL(page.url()).pathname).toMatch(/^\/admin/);

      // The console chrome (topbar with the organizer and the logout button) on a stable page.
      await page.goto(`${server.url}/admin/password`);
      const logout = () => page.locator('form[action="/admin/logout"] button[type="submit"]');
      expect((await logout().textContent())?.trim()).toBe('退出登录');
      expect(await page.getByText('主办方负责人 · 所有者').isVisible()).toBe(true);

      await clickLanguageSwitch(page, 'English');
      expect(new URL(page.url()).pathname).toBe('/admin/password');
      expect((await logout().textContent())?.trim()).toBe('Log out');
      expect(await page.getByText('主办方负责人 · Owner').isVisible()).toBe(true);

      await page.reload();
      expect((await logout().textContent())?.trim()).toBe('Log out');
      await page.goto(`${server.url}/`);
      expect(await page.getByRole('link', { name: 'Organizer sign-in' }).isVisible()).toBe(true);
      await page.goto(`${server.url}/admin/password`);
      expect((await logout().textContent())?.trim()).toBe('Log out');
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Choose a new password');

      await clickLanguageSwitch(page, '中文');
      expect((await logout().textContent())?.trim()).toBe('退出登录');
      await page.reload();
      expect((await logout().textContent())?.trim()).toBe('退出登录');
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

      await Promise.all([page.waitForURL((u) => u.pathname === '/admin/login'), logout().click()]);
      expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('主办方登录');
    } finally {
      await context.close();
    }
  });
});
