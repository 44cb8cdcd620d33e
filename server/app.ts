/**
 * Builds the application: Express app, HTTP server and Socket.IO server, wired to services.
 * Never listens (main.ts does; tests use supertest on `app` or listen on port 0).
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import session from 'express-session';
import { Server as SocketServer } from 'socket.io';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Db } from '../db/database.js';
import { createServices, type Services } from './services/index.js';
import { systemClock, type Clock } from './services/clock.js';
import { createViewEngine } from './http/views.js';
import { securityHeaders, refuseCrossSite } from './http/middleware/security.js';
import { chooseLocale } from './http/middleware/locale.js';
import { DatabaseSessionStore } from './http/middleware/session-store.js';
import { loadOrganizer } from './http/middleware/auth.js';
import { exposeCsrfToken, verifyCsrf } from './http/middleware/csrf.js';
import { errorHandler, notFound } from './http/middleware/errors.js';
import { requestLog } from './http/middleware/request-log.js';
import { mountRouters } from './http/routes.js';
import { allowedOrigin } from './realtime/origin.js';
import { attachRealtime, type Realtime } from './realtime/io.js';
import './http/augment.js';

export interface AppContext {
  config: Config;
  db: Db;
  logger: Logger;
  clock?: Clock;
}

export interface App {
  app: express.Express;
  httpServer: http.Server;
  io: SocketServer;
  services: Services;
  realtime: Realtime;
  close(): Promise<void>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SESSION_COOKIE = 'roadshow.sid';

export function createApp(ctx: AppContext): App {
  const { config, db, logger } = ctx;
  const clock = ctx.clock ?? systemClock;
  const services = createServices(db, clock, config);
  const views = createViewEngine(path.join(root, 'views'));
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestLog(logger));
  app.use(securityHeaders(config.secureCookies, config.audience?.url));
  app.use('/static', express.static(path.join(root, 'static'), { maxAge: config.env === 'production' ? '1h' : 0 }));
  app.use(express.json({ limit: '5mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(chooseLocale);
  const sessionMiddleware = session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store: new DatabaseSessionStore(db),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 12 * 60 * 60 * 1000 },
  });
  app.use(sessionMiddleware);
  app.use(refuseCrossSite);
  app.use(loadOrganizer(services.users));
  app.use(verifyCsrf);
  app.use(exposeCsrfToken);

  mountRouters(app, { services, views, config, logger });

  app.use(notFound);
  app.use(errorHandler(views, logger));

  const httpServer = http.createServer(app);
  const io = new SocketServer(httpServer, {
    perMessageDeflate: false,
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
    allowRequest: (req, callback) =>
      callback(null, allowedOrigin(req.headers.origin, req.headers.host, config.publicUrl)),
  });
  const realtime = attachRealtime(io, services, sessionMiddleware, logger);

  return {
    app,
    httpServer,
    io,
    services,
    realtime,
    async close() {
      services.stage.stop();
      realtime.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
