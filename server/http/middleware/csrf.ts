/**
 * CSRF: a synchronizer token kept in the session, sent back as the `_csrf` form field or the
 * `x-csrf-token` header. Bearer-token API calls carry no cookies and are exempt.
 */
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { AppError } from '../../errors.js';

const csrf = csrfSync({
  getTokenFromRequest: (req: Request) =>
    (req.body as Record<string, unknown> | undefined)?._csrf?.toString() ?? req.get('x-csrf-token'),
  // Bearer calls carry no cookies; API calls without any cookie cannot ride a victim's session
  // either, so they reach the authentication check and get a 401 instead of a CSRF 403.
  skipCsrfProtection: (req: Request) =>
    (req.get('authorization')?.startsWith('Bearer ') ?? false) || (req.path.startsWith('/api/') && !req.get('cookie')),
  size: 32,
});

/** Makes a token available to views as `csrfToken` (created once per session). */
export const exposeCsrfToken: RequestHandler = (req, res, next) => {
  if (req.session) res.locals.csrfToken = csrf.generateToken(req);
  next();
};

export const verifyCsrf: RequestHandler = (req, res, next) => {
  csrf.csrfSynchronisedProtection(req, res, (err?: unknown) => next(err ? new AppError('csrf-invalid') : undefined));
};

/** A fresh token after the session id changes (login). */
export function rotateCsrfToken(req: Request): string {
  return csrf.generateToken(req, true);
}
