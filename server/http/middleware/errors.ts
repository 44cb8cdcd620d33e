/**
 * The one place errors become responses. AppError codes map to statuses (server/errors.ts) and
 * to translated messages; JSON callers get `{ error: { code, message, fields } }`, browsers a page.
 * Anything unexpected is logged and answered as a 500 without details.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../../errors.js';
import { translateFieldErrors } from '../../field-errors.js';
import type { Logger } from '../../logger.js';
import type { ViewEngine } from '../views.js';
import { renderPage } from './render.js';

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

export const notFound: RequestHandler = () => {
  throw new AppError('not-found');
};

function fromFrameworkError(err: unknown): AppError | null {
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') return new AppError('invalid-json');
  if (e?.type === 'entity.too.large' || e?.status === 413) return new AppError('payload-too-large');
  return null;
}

export function errorHandler(views: ViewEngine, logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = err instanceof AppError ? err : fromFrameworkError(err);
    const error = appError ?? new AppError('internal');
    if (!appError) logger.error({ err, url: req.originalUrl, method: req.method }, 'unhandled error');
    if (res.headersSent) return;
    const t = res.locals.t ?? ((key: string) => key);
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
