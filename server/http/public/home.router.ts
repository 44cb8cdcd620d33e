/** The public front page (published and open contests) and the language switch (a POST with CSRF). */
import { Router } from 'express';
import { isLocale } from '../../i18n/catalog.js';
import { LANG_COOKIE } from '../middleware/locale.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { safeNext } from '../admin/auth.router.js';

export function homeRouter({ services, views, config }: RouterDeps): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    renderPage(views, res, 'home', { title: res.locals.t('app.name') }, { layout: 'public' });
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
    const back = safeNext(req.body?.back);
    res.redirect(303, back);
  });

  return router;
}
