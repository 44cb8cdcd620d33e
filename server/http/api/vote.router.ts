/**
 * JSON API of the audience vote (人气奖), entries of the API route table:
 *   GET  /api/v1/contests/:slug/votes        public vote state for this device (counts only once released)
 *   POST /api/v1/contests/:slug/votes        cast this device's vote {projectId}
 *   GET  /api/v1/contests/:slug/votes/tally  organizers: live counts, held votes, burst groups
 * Also the HTTP side of device identity shared with the audience page (public/live.router.ts):
 * the signed device cookie and the per-IP rate limit of vote posts (one limiter per app, shared
 * by the JSON and the form route).
 *
 * CSRF: a vote needs the device cookie the audience page sets AND the session's CSRF token
 * (the global check demands `x-csrf-token` whenever cookies are sent). A cross-site POST carries
 * neither (the cookies are SameSite=Lax), so it is refused before anything is counted.
 */
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services/index.js';
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_MS,
  deviceIdentity,
  VoteInput,
  type DeviceIdentity,
} from '../../services/vote.service.js';
import { cookieValue } from '../middleware/locale.js';
import { rateLimit } from 'express-rate-limit';
import { defineRoute, type ApiRoute } from './route-table.js';
import { requestSchemas, responseSchemas, componentDescriptions } from './schemas.js';

/** Vote posts per client address: enough for a family sharing a phone hotspot, not for a script. */
export const VOTE_RATE_LIMIT = { windowMs: 60_000, limit: 20 };

const identities = new WeakMap<Config, DeviceIdentity>();
const limiters = new WeakMap<Services, RequestHandler>();

/** The device identity (keys derived from the session secret), one per configuration. */
export function identityOf(config: Config): DeviceIdentity {
  let identity = identities.get(config);
  if (!identity) identities.set(config, (identity = deviceIdentity(config.sessionSecret)));
  return identity;
}

/**
 * The vote rate limiter of one app (the JSON and form routes share its counters), keyed by the
 * client address (`req.ip`: with TRUST_PROXY the proxy's X-Forwarded-For, which the operator
 * vouches for). Create it when mounting the routers, not inside a request.
 */
export function voteLimiter(services: Services): RequestHandler {
  let limiter = limiters.get(services);
  if (!limiter) {
    limiter = rateLimit({
      ...VOTE_RATE_LIMIT,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: 'audience-vote',
      validate: { trustProxy: false },
      handler: (_req, _res, next) => next(new AppError('rate-limited')),
    });
    limiters.set(services, limiter);
  }
  return limiter;
}

/** Runs the vote rate limiter inside a handler; throws 'rate-limited' (429) when over. */
export function checkVoteRate(services: Services, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void voteLimiter(services)(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}

/** The device id from a valid signed cookie, else null. */
export function deviceOf(config: Config, req: Request): string | null {
  return identityOf(config).verify(cookieValue(req.headers.cookie, DEVICE_COOKIE));
}

/** The device of this browser, issuing a new signed cookie when it has none (page views only). */
export function ensureDevice(config: Config, req: Request, res: Response): string {
  const known = deviceOf(config, req);
  if (known) return known;
  const { id, cookie } = identityOf(config).issue();
  res.cookie(DEVICE_COOKIE, cookie, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    maxAge: DEVICE_COOKIE_MAX_AGE_MS,
    path: '/',
  });
  return id;
}

/** The hashes a vote is stored with; a request without a valid device cookie is refused. */
export function voterOf(config: Config, req: Request): { deviceHash: string; ipHash: string } {
  const device = deviceOf(config, req);
  if (!device) throw new AppError('device-unknown');
  const identity = identityOf(config);
  return { deviceHash: identity.deviceHash(device), ipHash: identity.ipHash(req.ip ?? 'unknown') };
}

/** The device hash for read-only views (null without a valid cookie). */
export function deviceHashOf(config: Config, req: Request): string | null {
  const device = deviceOf(config, req);
  return device ? identityOf(config).deviceHash(device) : null;
}

// ---------------------------------------------------------------------------------------------
// Schemas (documentation and output shaping)

const SlugParams = z.object({ slug: z.string().max(200).describe('The contest slug') });
const Localized = z.object({ zh: z.string(), en: z.string() });
const Ballot = z.object({
  projectId: z.number().int(),
  ref: z.string(),
  title: z.string(),
  institution: z.string(),
  track: z.object({ key: z.string(), name: Localized }),
});

export const PublicVoteStateSchema = z.object({
  slug: z.string(),
  revision: z.number().int(),
  status: z.enum(['none', 'open', 'closed']).describe('none: no vote has been opened in this contest'),
  round: z.object({ key: z.string(), name: Localized }).nullable(),
  ballot: z.array(Ballot).describe('The projects one may vote for (打星 entries excluded)'),
  voted: z.object({ projectId: z.number().int() }).nullable().describe('This device’s vote in the round'),
  released: z.boolean(),
  results: z
    .array(z.object({ projectId: z.number().int(), ref: z.string(), votes: z.number().int() }))
    .optional()
    .describe('Counted votes, present only after an organizer released them'),
});

const VoteCast = z.object({
  roundKey: z.string(),
  projectId: z.number().int(),
  state: PublicVoteStateSchema,
});

const RoundSummary = z.object({
  id: z.number().int(),
  key: z.string(),
  name: Localized,
  kind: z.enum(['review', 'roadshow']),
  status: z.enum(['none', 'open', 'closed']),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
});

export const VoteTallySchema = z.object({
  contestId: z.number().int(),
  slug: z.string(),
  revision: z.number().int(),
  rounds: z.array(RoundSummary),
  round: RoundSummary.nullable(),
  tally: z.array(Ballot.extend({ counted: z.number().int(), held: z.number().int() })),
  totals: z.object({ counted: z.number().int(), held: z.number().int(), all: z.number().int() }),
  groups: z.array(
    z.object({
      key: z.string(),
      reason: z.enum(['ip-burst', 'project-spike']),
      addressTag: z.string().nullable(),
      project: z.object({ id: z.number().int(), ref: z.string(), title: z.string() }).nullable(),
      votes: z.number().int(),
      held: z.number().int(),
      firstAt: z.string(),
      lastAt: z.string(),
    }),
  ),
  rules: z.object({
    ipLimit: z.number().int(),
    ipWindowMs: z.number().int(),
    projectLimit: z.number().int(),
    projectWindowMs: z.number().int(),
    projectShare: z.number(),
  }),
});

for (const [schema, id, description] of [
  [
    PublicVoteStateSchema,
    'AudienceVoteState',
    'The audience vote as the public sees it: status, ballot, this device’s vote; counts only after release.',
  ],
  [VoteTallySchema, 'AudienceVoteTally', 'Organizers’ view of a round’s vote: live counts, held votes, bursts.'],
] as const) {
  responseSchemas.add(schema, { id, description });
  componentDescriptions.set(id, description);
}
requestSchemas.add(VoteInput, { id: 'AudienceVoteInput', description: 'The project this device votes for.' });
componentDescriptions.set('AudienceVoteInput', 'The project this device votes for.');

const RoundQuery = z.object({
  round: z.string().max(40).optional().describe('Round key; default: the open vote, else the last opened one'),
});

export const voteRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/votes',
    operationId: 'getAudienceVote',
    summary: 'The audience vote (人气奖) as this device sees it',
    description:
      'No counts until an organizer releases them. `ETag` changes with the contest revision and this device’s vote.',
    tag: 'audience',
    access: 'none',
    params: SlugParams,
    responses: { 200: { description: 'The vote state', schema: PublicVoteStateSchema } },
    errors: [404],
    async handle({ params, req, res, deps }) {
      const state = await deps.services.votes.publicState(params.slug, deviceHashOf(deps.config, req));
      res.set('Cache-Control', 'private, no-cache');
      res.set('Vary', 'Cookie');
      res.set('ETag', `"v${state.revision}-${state.voted?.projectId ?? 0}"`);
      return { body: PublicVoteStateSchema.parse(state) };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/api/v1/contests/:slug/votes',
    operationId: 'castAudienceVote',
    summary: 'Cast this device’s vote (one per device per round)',
    description:
      'Needs the device cookie set by the audience page `/live/{slug}` and the session’s `x-csrf-token`. ' +
      '409 `vote-closed` when no vote is open; 409 `already-voted` when this device voted in the round (nothing ' +
      'is counted twice); 403 `device-unknown` without a valid device cookie; 429 `rate-limited` after ' +
      `${VOTE_RATE_LIMIT.limit} posts per minute from one address.`,
    tag: 'audience',
    access: 'none',
    params: SlugParams,
    body: VoteInput,
    responses: { 201: { description: 'Counted (or held for review)', schema: VoteCast } },
    errors: [403, 404, 409, 422],
    async handle({ params, req, res, deps }) {
      await checkVoteRate(deps.services, req, res);
      const voter = voterOf(deps.config, req);
      const cast = await deps.services.votes.cast(params.slug, voter, req.body);
      const state = await deps.services.votes.publicState(params.slug, voter.deviceHash);
      res.set('Cache-Control', 'no-store');
      return { status: 201, body: { ...cast, state: PublicVoteStateSchema.parse(state) } };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/votes/tally',
    operationId: 'getAudienceVoteTally',
    summary: 'Organizers: live counts, held votes and burst groups of a round’s vote',
    tag: 'audience',
    access: 'read',
    params: SlugParams,
    query: RoundQuery,
    responses: { 200: { description: 'The tally', schema: VoteTallySchema } },
    errors: [401, 403, 404],
    async handle({ params, query, res, deps }) {
      res.set('Cache-Control', 'no-store');
      return { body: VoteTallySchema.parse(await deps.services.votes.organizerView(params.slug, query.round)) };
    },
  }),
];
