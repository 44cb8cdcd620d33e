/**
 * Chooses the page locale (a `lang` cookie set by the language switch, else the signed-in
 * organizer's preference, else Accept-Language, else zh-CN) and exposes `t` to handlers and views.
 */
import type { RequestHandler } from 'express';
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

export const chooseLocale: RequestHandler = (req, res, next) => {
  const fromCookie = cookieValue(req.headers.cookie, LANG_COOKIE);
  const locale: Locale = isLocale(fromCookie) ? fromCookie : localeFromAcceptLanguage(req.get('accept-language'));
  res.locals.locale = locale;
  res.locals.t = translator(locale);
  res.locals.htmlLang = locale === 'en' ? 'en' : 'zh-CN';
  next();
};
