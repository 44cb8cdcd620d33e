/** Rate limits for sensitive endpoints (login now; link exchange, votes, score posts later). */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../../errors.js';

export function limit(options: { windowMs: number; limit: number; key?: string }): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: options.key,
    handler: (_req, _res, next) => next(new AppError('rate-limited')),
  });
}
