/**
 * Organizer authentication: a browser session (`req.session.userId`) or an API bearer token
 * (`Authorization: Bearer rs_…`). Guards require a signed-in organizer with a permission.
 */
import type { RequestHandler } from 'express';
import type { Permission } from '../../domain/roles.js';
import { AppError } from '../../errors.js';
import { hasPermission, type UserService } from '../../services/user.service.js';

export function loadOrganizer(users: UserService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header?.startsWith('Bearer ')) {
      const user = await users.userForToken(header.slice('Bearer '.length).trim());
      if (!user) throw new AppError('invalid-token');
      req.user = user;
      req.authVia = 'token';
    } else if (req.session?.userId) {
      const user = await users.byId(req.session.userId);
      if (user) {
        req.user = user;
        req.authVia = 'session';
      } else {
        delete req.session.userId;
      }
    }
    res.locals.user = req.user;
    next();
  };
}

/** Requires a signed-in organizer holding `permission` (pages redirect to the login form). */
export function requirePermission(permission: Permission): RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      if (req.accepts(['html', 'json']) === 'html' && req.method === 'GET' && !req.path.startsWith('/api/')) {
        res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      throw new AppError('unauthenticated');
    }
    if (!hasPermission(req.user, permission)) throw new AppError('forbidden');
    next();
  };
}

/** A user with a one-time password must choose a new one before doing anything else. */
export const requirePasswordChanged: RequestHandler = (req, res, next) => {
  if (req.user?.mustChangePassword && req.authVia === 'session' && req.path !== '/password') {
    res.redirect(303, '/admin/password');
    return;
  }
  next();
};
