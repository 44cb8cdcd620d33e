/**
 * CSRF: a synchronizer token kept in the session, sent back as the `_csrf` form field or the
 * `x-csrf-token` header. Bearer-token API calls carry no cookies and are exempt.
 */
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { AppError } from '../../errors.js';

/**
 * Forms with a file upload (multipart) whose routes parse the body themselves and then run
 * `verifyCsrf` again: the global check cannot see a `_csrf` field in a body nobody parsed yet.
 * Deferred only for these paths, only for multipart bodies, and only while the body is unparsed,
 * so the second run (after multer) always checks the token.
 */
const MULTIPART_FORMS = [/^\/contests\/[^/]+\/register$/, /^\/r\/[^/]+\/edit$/, /^\/admin\/contests\/[^/]+\/import$/];
const deferredToRoute = (req: Request) =>
  req.body === undefined && Boolean(req.is('multipart/form-data')) && MULTIPART_FORMS.some((p) => p.test(req.path));

const csrf = csrfSync({
  getTokenFromRequest: (req: Request) =>
    (req.body as Record<string, unknown> | undefined)?._csrf?.toString() ?? req.get('x-csrf-token'),
  // Bearer calls carry no cookies; API calls without any cookie cannot ride a victim's session
  // either, so they reach the authentication check and get a 401 instead of a CSRF 403.
  skipCsrfProtection: (req: Request) =>
    (req.get('authorization')?.startsWith('Bearer ') ?? false) ||
    (req.path.startsWith('/api/') && !req.get('cookie')) ||
    deferredToRoute(req),
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
