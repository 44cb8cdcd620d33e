/**
 * `GET /judge`: the judge's tablet scoring page. A judge session (from a link exchange at
 * /j/:token) whose link is still active gets the page shell; the browser code (static/client/
 * judge.ts) loads the live state from /api/v1/judge/state and follows the stage over Socket.IO.
 * Anyone else gets a friendly page asking them to scan their judge QR code. No data access here
 * beyond the contest and judge names for the first paint.
 */
import { Router } from 'express';
import { allMessageKeys, localized } from '../../i18n/catalog.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';

const UI_PREFIX = 'judge.ui.';

export function judgePageRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const uiKeys = allMessageKeys().filter((key) => key.startsWith(UI_PREFIX));

  router.get('/judge', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.set('Referrer-Policy', 'no-referrer');
    const t = res.locals.t;
    const who = req.session?.judge;
    const active = who ? await services.judgeLinks.stillActive(who.judgeId, who.contestId) : false;
    if (!who || !active) {
      if (who) delete req.session.judge;
      return renderPage(
        views,
        res,
        'judge/welcome',
        { title: t('judge.ui.welcome.title'), styles: ['/static/css/judge.css'] },
        { status: 401, layout: 'judge' },
      );
    }

    const loaded = await services.contests.load(who.slug);
    const judge = loaded.doc.judges.find((j) => loaded.ids.judges.get(j.key) === who.judgeId);
    const messages = Object.fromEntries(uiKeys.map((key) => [key.slice(UI_PREFIX.length), t(key)]));
    renderPage(
      views,
      res,
      'judge/score',
      {
        title: t('judge.ui.pageTitle'),
        contestName: localized(loaded.doc.name, res.locals.locale),
        judgeId: who.judgeId,
        judge: judge ? { name: judge.name, title: judge.title, isHeadJudge: judge.isHeadJudge } : null,
        judgeSession: true,
        messagesJson: JSON.stringify(messages),
        styles: ['/static/css/judge.css'],
        scripts: ['/static/build/judge.js'],
      },
      { layout: 'judge' },
    );
  });

  return router;
}
