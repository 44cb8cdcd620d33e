/** Type augmentation for Express requests, response locals and the session. */
import 'express-session';
import type { Locale, Translate } from '../i18n/catalog.js';
import type { CurrentUser } from '../services/user.service.js';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    flash?: string;
    /** Set by exchanging a judge link at /j/:token. */
    judge?: { judgeId: number; contestId: number; slug: string };
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      locale: Locale;
      t: Translate;
      htmlLang: string;
      user?: CurrentUser;
      csrfToken?: string;
    }
    interface Request {
      user?: CurrentUser;
      /** How the organizer authenticated: a browser session (CSRF applies) or a bearer token. */
      authVia?: 'session' | 'token';
    }
  }
}
