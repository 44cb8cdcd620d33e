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
import { apiRouter } from './api/api.router.js';
import { conflictsRouter } from './admin/conflicts.router.js';
import { contestPartsRouter } from './admin/contest-parts.router.js';
import { contestsRouter } from './admin/contests.router.js';
import { reviewRouter } from './admin/review.router.js';
import { resultsRouter } from './admin/results.router.js';
import { publicationRouter } from './admin/publication.router.js';
import { publicResultsRouter } from './public/results.router.js';
import { liveRouter } from './admin/live.router.js';
import { scheduleRouter } from './admin/schedule.router.js';
import { usersRouter } from './admin/users.router.js';
import { homeRouter } from './public/home.router.js';
import { publicScheduleRouter } from './public/schedule.router.js';
import { registrationRouter } from './public/registration.router.js';
import { judgeLinkRouter } from './judge/link.router.js';
import { judgePageRouter } from './judge/judge.router.js';
import { judgeApiRouter } from './api/judge.api.js';
import { stageApiRouter } from './api/stage.api.js';
import { screenRouter } from './public/screen.router.js';
import { screenControlRouter } from './admin/screen-control.router.js';
import { livePageRouter } from './public/live.router.js';
import { votesRouter } from './admin/votes.router.js';

export interface RouterDeps {
  services: Services;
  views: ViewEngine;
  config: Config;
  logger: Logger;
}

export function mountRouters(app: Express, deps: RouterDeps): void {
  // The hottest route, a judge's score POST, is matched first (its paths are its own).
  app.use(judgeApiRouter(deps));
  app.use(homeRouter(deps));
  app.use(publicScheduleRouter(deps));
  app.use(screenRouter(deps));
  app.use(livePageRouter(deps), votesRouter(deps));
  app.use(publicResultsRouter(deps));
  app.use(registrationRouter(deps));
  app.use(apiRouter(deps));
  app.use(judgeLinkRouter(deps));
  app.use(judgePageRouter(deps));
  app.use(stageApiRouter(deps));
  app.use('/admin', authRouter(deps));
  app.use('/admin', contestsRouter(deps));
  app.use('/admin/contests', liveRouter(deps));
  app.use('/admin/contests', screenControlRouter(deps));
  app.use('/admin/contests', resultsRouter(deps));
  app.use('/admin/contests', publicationRouter(deps));
  // Before contest-parts: GET …/conflicts is the conflict matrix.
  app.use('/admin/contests', conflictsRouter(deps), scheduleRouter(deps));
  app.use('/admin/contests', contestPartsRouter(deps));
  app.use('/admin/contests', reviewRouter(deps));
  app.use('/admin/users', usersRouter(deps));
}
