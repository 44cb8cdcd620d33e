/**
 * Chooses the page locale (a `lang` cookie set by the language switch, else the signed-in
 * organizer's preference, else Accept-Language, else zh-CN) and exposes `t` to handlers and views.
 */
import type { RequestHandler, Response } from 'express';
import { isLocale, localeFromAcceptLanguage, translator, type Locale } from '../../i18n/catalog.js';

export const LANG_COOKIE = 'lang';

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The locale this browser chose with the language switch, if any. */
export function cookieLocale(cookieHeader: string | undefined): Locale | undefined {
  const fromCookie = cookieValue(cookieHeader, LANG_COOKIE);
  return isLocale(fromCookie) ? fromCookie : undefined;
}

/** Renders the rest of this request in `locale`. */
export function useLocale(res: Response, locale: Locale): void {
  res.locals.locale = locale;
  res.locals.t = translator(locale);
  res.locals.htmlLang = locale === 'en' ? 'en' : 'zh-CN';
}

/** The cookie, else Accept-Language; the organizer's preference is applied by loadOrganizer (auth.ts). */
export const chooseLocale: RequestHandler = (req, res, next) => {
  useLocale(res, cookieLocale(req.headers.cookie) ?? localeFromAcceptLanguage(req.get('accept-language')));
  next();
};
