/**
 * The big screen `/screen/:slug` (a 1920×1080 projector in the hall): a dark page whose state
 * (now presenting, scoring, score reveal, leaderboard, frozen, ceremony, idle) follows the stage
 * and the host's screen control. The first paint carries the current stage, leaderboard, screen
 * and ceremony state as JSON; static/client/screen.ts renders and keeps it live over the public
 * /screen socket, resyncing over the JSON API. A QR code leads phones to `/live/:slug`.
 * Drafts and unknown slugs are a 404 (organizers who may read can preview drafts).
 * `?lang=en` shows the screen in English whatever the browser's language.
 */
import { Router } from 'express';
import QRCode from 'qrcode';
import { AppError } from '../../errors.js';
import { allMessageKeys, isLocale, localized, translator, type Translate } from '../../i18n/catalog.js';
import { hasPermission } from '../../services/user.service.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';

/** Every `screen.*` message in the page's locale, for the browser code. */
export function screenMessages(t: Translate): string {
  return JSON.stringify(
    Object.fromEntries(allMessageKeys().flatMap((k) => (k.startsWith('screen.') ? [[k, t(k)]] : []))),
  );
}

/** An SVG QR code as a data: URL (the CSP allows data: images). */
export async function qrDataUrl(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

export function screenRouter({ services, views, config }: RouterDeps): Router {
  const router = Router();

  router.get('/screen/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    const head = await services.leaderboard.head(slug);
    if (head.status === 'draft' && !hasPermission(req.user, 'read')) throw new AppError('contest-not-found', { slug });
    const lang = req.query.lang;
    if (isLocale(lang)) {
      res.locals.locale = lang;
      res.locals.t = translator(lang);
      res.locals.htmlLang = lang === 'en' ? 'en' : 'zh-CN';
    }
    const { t, locale } = res.locals;
    const [stage, board, screen, ceremony] = await Promise.all([
      services.stage.view(slug),
      services.leaderboard.snapshot(slug),
      services.screen.view(slug),
      services.ceremony.view(slug),
    ]);
    const loaded = await services.contests.load(slug);
    const { doc } = loaded;
    const liveUrl = `${config.publicUrl.replace(/\/$/, '')}/live/${encodeURIComponent(slug)}`;
    res.set('Cache-Control', 'no-store');
    renderPage(
      views,
      res,
      'screen/show',
      {
        title: `${t('screen.title')} · ${localized(doc.name, locale)}`,
        styles: ['/static/css/screen.css'],
        scripts: ['/static/build/screen.js'],
        slug,
        contestName: localized(doc.name, locale),
        theme: localized(doc.theme, locale),
        venue: doc.venue,
        dates: [doc.startsOn, doc.endsOn].filter(Boolean).join(' – '),
        qr: await qrDataUrl(liveUrl),
        liveUrl,
        liveHost: liveUrl.replace(/^https?:\/\//, ''),
        stageJson: JSON.stringify(stage),
        boardJson: JSON.stringify(board),
        screenJson: JSON.stringify(screen),
        ceremonyJson: JSON.stringify(ceremony),
        tracksJson: JSON.stringify(doc.tracks.map((tr) => ({ key: tr.key, name: tr.name }))),
        i18nJson: screenMessages(t),
        audienceUrl: config.audience?.url,
      },
      { layout: 'screen' },
    );
  });

  return router;
}
