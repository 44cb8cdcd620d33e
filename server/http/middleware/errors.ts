/**
 * The one place errors become responses. AppError codes map to statuses (server/errors.ts) and
 * to translated messages; JSON callers get `{ error: { code, message, fields } }`, browsers a page.
 * Anything unexpected is logged and answered as a 500 without details.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../../errors.js';
import { translateFieldErrors } from '../../field-errors.js';
import { localeFromAcceptLanguage, translator } from '../../i18n/catalog.js';
import type { Logger } from '../../logger.js';
import type { ViewEngine } from '../views.js';
import { renderPage } from './render.js';
import { redactPath } from './request-log.js';

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

export const notFound: RequestHandler = () => {
  throw new AppError('not-found');
};

function fromFrameworkError(err: unknown): AppError | null {
  const e = err as { type?: string; status?: number; expose?: boolean };
  if (e?.type === 'entity.parse.failed') return new AppError('invalid-json');
  if (e?.type === 'entity.too.large' || e?.status === 413) return new AppError('payload-too-large');
  // Other client errors the router and body parser raise (found by the fuzzer, were 500s): an
  // undecodable path parameter ('%') names nothing; a body that cannot be decoded (bad gzip,
  // unsupported charset or encoding, aborted) is not valid JSON.
  if (err instanceof URIError && e.status === 400) return new AppError('not-found');
  if (e?.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return new AppError('invalid-json');
  return null;
}

export function errorHandler(views: ViewEngine, logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = err instanceof AppError ? err : fromFrameworkError(err);
    const error = appError ?? new AppError('internal');
    if (!appError) logger.error({ err, url: redactPath(req.originalUrl), method: req.method }, 'unhandled error');
    if (res.headersSent) return;
    // Body-parser errors happen before the locale is chosen: translate for the Accept-Language then.
    const t = res.locals.t ?? translator(localeFromAcceptLanguage(req.get('accept-language')));
    const message = t(`error.${error.code}`, error.params);
    if (wantsJson(req)) {
      res.status(error.status).json({
        error: { code: error.code, message, fields: translateFieldErrors(error.fields, t) },
      });
      return;
    }
    const title =
      error.status === 404 ? 'page.notFound.title' : error.status === 403 ? 'page.forbidden.title' : 'page.error.title';
    const layout = req.user && req.originalUrl.startsWith('/admin') ? 'admin' : 'public';
    renderPage(views, res, 'error', { title: t(title), message, code: error.code }, { status: error.status, layout });
  };
}
