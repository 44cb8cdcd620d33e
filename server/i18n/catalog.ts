/**
 * The i18n catalog: every user-facing string, zh-CN (default) and en side by side so neither
 * can be forgotten. Messages live in messages/<area>.ts; this module merges them, refuses
 * duplicate keys, and builds translators with `{name}` interpolation.
 */
import { messageSets } from './messages/index.js';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** One message in both languages. */
export interface Message {
  zh: string;
  en: string;
}
export type MessageSet = Record<string, Message>;
export type Params = Record<string, string | number | null | undefined>;
export type Translate = (key: string, params?: Params) => string;

function merge(sets: MessageSet[]): Map<string, Message> {
  const all = new Map<string, Message>();
  for (const set of sets) {
    for (const [key, message] of Object.entries(set)) {
      if (all.has(key)) throw new Error(`i18n: duplicate message key ${key}`);
      all.set(key, message);
    }
  }
  return all;
}

const catalog = merge(messageSets);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function hasMessage(key: string): boolean {
  return catalog.has(key);
}

export function allMessageKeys(): string[] {
  return [...catalog.keys()];
}

function interpolate(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

/** A translator for one locale; unknown keys come back as the key itself so they are visible. */
export function translator(locale: Locale): Translate {
  const lang = locale === 'en' ? 'en' : 'zh';
  return (key, params) => {
    const message = catalog.get(key);
    return message ? interpolate(message[lang], params) : key;
  };
}

/** Picks the localized variant of a `{ zh, en }` name; English falls back to Chinese when empty. */
export function localized(name: { zh: string; en: string }, locale: Locale): string {
  return locale === 'en' && name.en ? name.en : name.zh;
}

/** The best locale from an Accept-Language header, defaulting to zh-CN. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : DEFAULT_LOCALE;
}
