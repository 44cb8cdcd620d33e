/**
 * JSON API for public registration: `POST /api/v1/contests/:slug/registrations` registers a team
 * (same rules as the form; no deck upload over JSON) and answers 201 `{ ref, statusUrl }`.
 * Entries of the API route table (route-table.ts) so the OpenAPI document can list them; the
 * router adds the per-IP rate limit it shares with the registration form.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { DEVELOPMENT_STAGES } from '../../domain/contest-document.js';
import { MEMBERS_MAX, SUMMARY_MAX } from '../../services/registration.service.js';
import type { RouterDeps } from '../routes.js';
import { defineRoute, routerFromTable, type ApiRoute } from './route-table.js';

export const REGISTRATIONS_PATH = '/api/v1/contests/:slug/registrations';

const SlugParams = z.object({ slug: z.string().max(200).describe('The contest slug') });

/** The request body as documented (the service validates it, with the contest's track keys). */
export const RegistrationRequest = z.object({
  title: z.string().max(200).describe('Project title'),
  trackKey: z.string().describe('Key of one of the contest’s tracks'),
  institution: z.string().max(200).describe('申报单位: the applying institution'),
  leader: z.object({
    name: z.string().max(100),
    phone: z.string().describe('Mainland China mobile number; spaces, dashes and +86 are accepted'),
    email: z.email(),
  }),
  members: z
    .array(z.object({ name: z.string().max(100), role: z.string().max(100).optional() }))
    .max(MEMBERS_MAX)
    .optional(),
  stage: z.enum(DEVELOPMENT_STAGES).describe('Stage of development'),
  summary: z.string().max(SUMMARY_MAX),
  consent: z.literal(true).describe('The team agrees to the use of its data for the contest'),
});

export const RegistrationCreated = z.object({
  ref: z.string().describe('The reference number, e.g. RS-2024-0012'),
  statusUrl: z.string().describe('The private status link (shown once; whoever holds it can edit the entry)'),
});

export const registrationRoutes: ApiRoute[] = [
  defineRoute({
    method: 'post',
    path: REGISTRATIONS_PATH,
    operationId: 'registerProject',
    summary: 'Register a project while the contest’s registration is open',
    description:
      'Rate limited per IP (shared with the registration form). 409 `registration-closed` outside the registration window; 422 `validation-failed` with field errors, or `likely-duplicate` naming the rule (`title-and-institution`, `leader-phone`, `leader-email`). With a session cookie, send the `x-csrf-token` header.',
    tag: 'registration',
    access: 'none',
    params: SlugParams,
    body: RegistrationRequest,
    responses: { 201: { description: 'Registered', schema: RegistrationCreated } },
    errors: [403, 404, 409, 422],
    async handle({ params, req, res, deps }) {
      const done = await deps.services.registration.register(params.slug, req.body);
      res.set('Cache-Control', 'no-store');
      return { status: 201, body: RegistrationCreated.parse({ ref: done.ref, statusUrl: done.statusUrl }) };
    },
  }),
];

/** The registration API behind the shared rate limit of registration posts. */
export function registrationApiRouter(deps: RouterDeps, postLimit: RequestHandler): Router {
  const router = Router();
  router.post(REGISTRATIONS_PATH, postLimit);
  router.use(routerFromTable(registrationRoutes, deps));
  return router;
}
