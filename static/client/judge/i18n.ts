/**
 * The page's messages (the server hands the `judge.ui.*` catalog entries for the session's
 * language to the page as JSON in a data attribute) and localized names. No fetching here.
 */

export type Locale = 'zh-CN' | 'en';

let messages: Record<string, string> = {};
let current: Locale = 'zh-CN';

export function initI18n(root: HTMLElement): void {
  try {
    messages = JSON.parse(root.dataset.messages ?? '{}') as Record<string, string>;
  } catch {
    messages = {};
  }
  current = root.dataset.locale === 'en' ? 'en' : 'zh-CN';
}

export function locale(): Locale {
  return current;
}

/** A message with `{name}` placeholders filled; unknown keys come back as the key (visible, never blank). */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const template = messages[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** The variant of a `{ zh, en }` name for the page language (English falls back to Chinese). */
export function loc(name: { zh: string; en: string } | null | undefined): string {
  if (!name) return '';
  return current === 'en' && name.en ? name.en : name.zh;
}

/** A clock time in the page language, e.g. 14:32:05. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString(current, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
