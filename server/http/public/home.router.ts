/**
 * The public front page (every contest that is not a draft, with the links its status allows:
 * registration, schedule, the live page, published results) and the language switch (a POST with CSRF).
 */
import { Router } from 'express';
import { isLocale, localized } from '../../i18n/catalog.js';
import { LANG_COOKIE } from '../middleware/locale.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { safeNext } from '../admin/auth.router.js';

export function homeRouter({ services, views, config }: RouterDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const t = res.locals.t;
    const contests = (await services.contests.list())
      .filter((c) => c.status !== 'draft')
      .map((c) => {
        const base = `/contests/${encodeURIComponent(c.slug)}`;
        const links = [
          c.status === 'registration-open'
            ? { href: `${base}/register`, label: t('home.link.register'), primary: true }
            : null,
          { href: `${base}/schedule`, label: t('home.link.schedule') },
          c.status === 'live'
            ? { href: `/live/${encodeURIComponent(c.slug)}`, label: t('home.link.live'), primary: true }
            : null,
          c.status === 'published' ? { href: `${base}/results`, label: t('home.link.results'), primary: true } : null,
        ].filter(Boolean);
        return {
          name: localized(c.name, res.locals.locale),
          theme: localized(c.theme, res.locals.locale),
          venue: c.venue,
          dates: [c.startsOn, c.endsOn].filter(Boolean).join(' – '),
          status: t(`enum.contestStatus.${c.status}`),
          links,
        };
      });
    renderPage(views, res, 'home', { title: t('app.name'), contests }, { layout: 'public' });
  });

  router.post('/lang', async (req, res) => {
    const locale = req.body?.locale;
    if (isLocale(locale)) {
      res.cookie(LANG_COOKIE, locale, {
        maxAge: 365 * 24 * 60 * 60 * 1000,
        sameSite: 'lax',
        httpOnly: false,
        secure: config.secureCookies,
      });
      if (req.user && req.authVia === 'session') await services.users.setLocale(req.user.id, locale);
    }
    res.redirect(303, safeNext(req.body?.back));
  });

  return router;
}
