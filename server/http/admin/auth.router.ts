/**
 * Organizer sign-in: the login form (rate limited; the session id is regenerated on success),
 * logout, and the forced password change after a one-time password.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { fieldErrorsFromZod } from '../../field-errors.js';
import { Password } from '../../services/user.service.js';
import { requirePermission } from '../middleware/auth.js';
import { rotateCsrfToken } from '../middleware/csrf.js';
import { limit } from '../middleware/rate-limit.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';

const Login = z.object({ email: z.string().trim().min(1).max(200), password: z.string().min(1).max(200) });

/** Only local paths, so `next` cannot send a signed-in organizer to another site. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\\]*$/.test(value) ? value : '/admin';
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function authRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const loginLimit = limit({ windowMs: 15 * 60 * 1000, limit: 20, key: 'login' });

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, safeNext(req.query.next));
    renderPage(
      views,
      res,
      'admin/login',
      { title: res.locals.t('auth.login.title'), next: safeNext(req.query.next) },
      { layout: 'public' },
    );
  });

  router.post('/login', loginLimit, async (req, res) => {
    const next = safeNext(req.body?.next);
    const parsed = Login.safeParse(req.body, { reportInput: true });
    const values = { email: String(req.body?.email ?? '') };
    const again = (
      status: number,
      formError?: string,
      fieldErrors = parsed.success ? [] : fieldErrorsFromZod(parsed.error),
    ) =>
      renderPage(
        views,
        res,
        'admin/login',
        { title: res.locals.t('auth.login.title'), next, formError: formError ? res.locals.t(formError) : undefined },
        { layout: 'public', values, fieldErrors, status },
      );
    if (!parsed.success) return again(422);
    const user = await services.users.verifyLogin(parsed.data.email, parsed.data.password);
    if (!user) return again(401, 'error.invalid-credentials');
    await regenerate(req);
    req.session.userId = user.id;
    rotateCsrfToken(req);
    res.redirect(303, user.mustChangePassword ? '/admin/password' : next);
  });

  router.post('/logout', (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err);
      res.redirect(303, '/admin/login');
    });
  });

  router.get('/password', requirePermission('read'), (_req, res) => {
    renderPage(views, res, 'admin/password', { title: res.locals.t('auth.password.title') });
  });

  const ChangePassword = z
    .object({ password: Password, confirm: z.string() })
    .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'passwords-differ' });

  router.post('/password', requirePermission('read'), async (req, res) => {
    const parsed = ChangePassword.safeParse(req.body, { reportInput: true });
    if (!parsed.success) {
      return renderPage(
        views,
        res,
        'admin/password',
        { title: res.locals.t('auth.password.title') },
        { fieldErrors: fieldErrorsFromZod(parsed.error) },
      );
    }
    if (!req.user) throw new AppError('unauthenticated');
    await services.users.changePassword(req.user.id, parsed.data.password);
    await regenerate(req);
    req.session.userId = req.user.id;
    req.session.flash = 'auth.password.changed';
    rotateCsrfToken(req);
    res.redirect(303, '/admin');
  });

  return router;
}
