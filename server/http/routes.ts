/**
 * Mounts the routers by audience: public pages, the organizer console (admin/), the JSON API
 * (api/). Each router module exports one factory taking the shared router dependencies.
 */
import type { Express } from 'express';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { ViewEngine } from './views.js';
import { authRouter } from './admin/auth.router.js';
import { homeRouter } from './public/home.router.js';

export interface RouterDeps {
  services: Services;
  views: ViewEngine;
  config: Config;
  logger: Logger;
}

export function mountRouters(app: Express, deps: RouterDeps): void {
  app.use(homeRouter(deps));
  app.use('/admin', authRouter(deps));
}
