/**
 * The JSON API's route table. One entry per route says everything about it: method, path, who
 * may call it, its Zod-described params / query / body / responses, and its handler. The
 * router (api.router.ts) is built from the table and so is the OpenAPI document (openapi.ts):
 * adding a route means adding one entry, and the docs cannot drift from what is served.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Permission } from '../../domain/roles.js';
import { AppError } from '../../errors.js';
import { fieldErrorsFromZod } from '../../field-errors.js';
import { requirePermission } from '../middleware/auth.js';
import type { RouterDeps } from '../routes.js';

/**
 * Who may call a route: `none` needs no sign-in; `optional` is public but signed-in organizers
 * may see more (drafts); a permission needs an organizer holding it (bearer token, or session
 * plus `x-csrf-token` for writes).
 */
export type Access = 'none' | 'optional' | Permission;

/** Error statuses a route can answer with; each is documented with the shared Error schema. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422;

export interface ResponseDoc {
  description: string;
  schema: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

export interface Reply {
  /** Defaults to the route's first documented success status. */
  status?: number;
  body: unknown;
}

export interface RouteContext<P extends z.ZodObject, Q extends z.ZodObject> {
  params: z.output<P>;
  query: z.output<Q>;
  req: Request;
  res: Response;
  deps: RouterDeps;
  /** The whole table this route was served from (the OpenAPI route describes it). */
  routes: readonly ApiRoute[];
}

export interface RouteSpec<P extends z.ZodObject, Q extends z.ZodObject> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax (`/api/v1/contests/:slug`); OpenAPI gets `{slug}`. */
  path: `/${string}`;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  /** The request body, for the docs; the service the handler calls validates it. */
  body?: z.ZodType;
  /** Success responses by status; the first one is the default reply status. */
  responses: Record<number, ResponseDoc>;
  errors: ErrorStatus[];
  handle(ctx: RouteContext<P, Q>): Reply | Promise<Reply>;
}

export type ApiRoute = RouteSpec<z.ZodObject, z.ZodObject>;

/** Types one entry (its handler sees its own params and query) and erases it for the table. */
export function defineRoute<
  P extends z.ZodObject = z.ZodObject<Record<string, never>>,
  Q extends z.ZodObject = z.ZodObject<Record<string, never>>,
>(route: RouteSpec<P, Q>): ApiRoute {
  return route as unknown as ApiRoute;
}

function parseOr422<T extends z.ZodType>(schema: T | undefined, input: unknown): z.output<T> | Record<string, never> {
  if (!schema) return {};
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

/** An Express router serving every route of the table (mounted at the site root: paths are absolute). */
export function routerFromTable(routes: readonly ApiRoute[], deps: RouterDeps): Router {
  const router = Router();
  for (const route of routes) {
    const guards = route.access === 'none' || route.access === 'optional' ? [] : [requirePermission(route.access)];
    const defaultStatus = Number(Object.keys(route.responses)[0] ?? 200);
    router[route.method](route.path, ...guards, async (req, res) => {
      const params = parseOr422(route.params, req.params) as z.output<z.ZodObject>;
      const query = parseOr422(route.query, req.query) as z.output<z.ZodObject>;
      const reply = await route.handle({ params, query, req, res, deps, routes });
      const status = reply.status ?? defaultStatus;
      const contentType = route.responses[status]?.contentType;
      if (contentType) res.type(contentType);
      res.status(status).json(reply.body);
    });
  }
  return router;
}
