/**
 * The JSON API: the route table (every /api route and /healthz) and the router served from it.
 * To add a route, add one entry to a feature's list (contests.router.ts, meta.router.ts) or a
 * new list here; the OpenAPI document picks it up from the same table.
 */
import type { Router } from 'express';
import type { RouterDeps } from '../routes.js';
import { contestRoutes } from './contests.router.js';
import { exportRoutes } from './export.router.js';
import { leaderboardRoutes } from './leaderboard.router.js';
import { metaRoutes } from './meta.router.js';
import { resultsRoutes } from './results.router.js';
import { routerFromTable, type ApiRoute } from './route-table.js';
import { voteRoutes } from './vote.router.js';

export const API_ROUTES: readonly ApiRoute[] = [
  ...contestRoutes,
  ...resultsRoutes,
  ...exportRoutes,
  ...voteRoutes,
  ...leaderboardRoutes,
  ...metaRoutes,
];

/** Mount at the site root: the table's paths are absolute. */
export function apiRouter(deps: RouterDeps): Router {
  return routerFromTable(API_ROUTES, deps);
}
