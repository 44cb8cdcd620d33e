/**
 * One log line per request (method, path without query, status, duration). Private link tokens
 * in paths (judge links /j/…, registration status links /r/…) are redacted; query strings (which
 * may carry appeal status tokens) are never logged.
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../../logger.js';

export function redactPath(url: string): string {
  return url
    .split('?')[0]!
    .replace(/^\/j\/[^/]+/, '/j/[redacted]')
    .replace(/^\/r\/[^/]+/, '/r/[redacted]');
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { method: req.method, path: redactPath(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
