/**
 * `GET /j/:token`: exchanges a private judge link for a judge session (new session id) and
 * redirects to /judge, so the token leaves the address bar. Unknown or revoked links get a
 * friendly page. Rate limited per IP.
 */
import { Router, type Request } from 'express';
import { limit } from '../middleware/rate-limit.js';
import { renderPage } from '../middleware/render.js';
import { rotateCsrfToken } from '../middleware/csrf.js';
import type { RouterDeps } from '../routes.js';

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function judgeLinkRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  router.get('/j/:token', limit({ windowMs: 60_000, limit: 30, key: 'judge-link' }), async (req, res) => {
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cache-Control', 'no-store');
    const who = await services.judgeLinks.exchange(String(req.params.token));
    if (!who) {
      const t = res.locals.t;
      return renderPage(
        views,
        res,
        'judge/link-invalid',
        { title: t('judge.link.invalidTitle') },
        { status: 404, layout: 'public' },
      );
    }
    await regenerate(req);
    req.session.judge = who;
    rotateCsrfToken(req);
    res.redirect(303, '/judge');
  });
  return router;
}
