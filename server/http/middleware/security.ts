/**
 * Security headers (helmet with a CSP the pages work under: no inline script or style) and a
 * refusal of cross-site state-changing requests (Sec-Fetch-Site), before CSRF tokens are checked.
 * With the audience process on, connect-src also lists its origin (http(s) and ws(s) forms).
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { AppError } from '../../errors.js';

/** An origin's http(s) and ws(s) forms, for connect-src. */
function withWebSocket(origin: string): string[] {
  return [origin, origin.replace(/^http/, 'ws')];
}

export function securityHeaders(https: boolean, audienceUrl?: string): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", ...(audienceUrl ? withWebSocket(audienceUrl) : [])],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        // Venue Wi-Fi is often plain http on a LAN address: upgrading would break every asset.
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https,
    crossOriginEmbedderPolicy: false,
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Browsers mark requests from other sites; refuse those that would change state. */
export const refuseCrossSite: RequestHandler = (req, _res, next) => {
  if (!SAFE_METHODS.has(req.method) && req.get('sec-fetch-site') === 'cross-site') {
    next(new AppError('cross-site'));
    return;
  }
  next();
};
