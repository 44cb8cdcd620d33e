/**
 * JSON API for audiences (entries of the API route table, route-table.ts): the leaderboard of the
 * current round with its release policy applied, and the big screen's state (mode, score reveal,
 * ceremony step). Both are public for contests that are not drafts, carry the contest revision
 * and answer `ETag: "<revision>"` / 304 on `If-None-Match`, so screens and phones that missed a
 * push resync cheaply. The organizers' writes (policy, freeze, screen mode, reveal, ceremony)
 * are in http/admin/screen-control.router.ts. No business rules here.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { RELEASE_POLICIES, SCREEN_MODES } from '../../domain/release.js';
import { AppError } from '../../errors.js';
import { hasPermission } from '../../services/user.service.js';
import { defineRoute, type ApiRoute, type ResponseDoc } from './route-table.js';
import { componentDescriptions, responseSchemas } from './schemas.js';

const SlugParams = z.object({ slug: z.string().max(200).describe('The contest slug') });
const RoundQuery = z.object({
  round: z.string().max(40).optional().describe('Round key; default: the round on stage, else the latest scored round'),
});

const Localized = z.object({ zh: z.string(), en: z.string() });
const PrizeZone = z.object({
  key: z.string(),
  name: Localized,
  level: z.number().int().describe('1 = the top non-audience tier'),
});
const BoardRow = z.object({
  rank: z.number().int().nullable().describe('Competition rank; null for 打星, unscored or hidden'),
  ref: z.string(),
  title: z.string(),
  institution: z.string(),
  display: z.string().nullable().describe('The displayed score, e.g. "89.83"; null when unscored or hidden'),
  outOfCompetition: z.boolean(),
  prizeZone: PrizeZone.optional(),
  delta: z.number().int().optional().describe('Places gained (+) or lost (−) at the last change of the ranking'),
});
const BoardTrack = z.object({
  key: z.string().describe("A track key or 'overall'"),
  name: Localized,
  rows: z.array(BoardRow),
});

export const LeaderboardSnapshotSchema = z.object({
  revision: z.number().int(),
  contest: z.object({ slug: z.string(), name: Localized }),
  round: z.object({ key: z.string(), name: Localized, decimals: z.number().int() }).nullable(),
  policy: z.enum(RELEASE_POLICIES),
  frozen: z.boolean(),
  frozenAt: z.string().nullable(),
  scoresShown: z.boolean().describe('False while hidden: no scores or ranks, rows in running order'),
  tracks: z.array(BoardTrack),
  overall: BoardTrack,
});

const RevealSchema = z.object({
  ref: z.string(),
  title: z.string(),
  institution: z.string(),
  trackKey: z.string(),
  outOfCompetition: z.boolean(),
  step: z.number().int(),
  count: z.number().int(),
  named: z.boolean(),
  judges: z.array(
    z.object({
      label: z.string(),
      name: z.string().optional().describe('Only when the contest shows judge marks on screen'),
      total: z.string(),
      dropped: z.enum(['low', 'high']).optional(),
    }),
  ),
  final: z.object({ display: z.string(), trimmed: z.boolean() }).nullable(),
  decimals: z.number().int(),
});

const CeremonyStepSchema = z.object({
  index: z.number().int(),
  tier: z.object({ key: z.string(), name: Localized }),
  level: z.number().int().describe('1 = the top tier awarded; 0 for audience tiers'),
  audience: z.boolean(),
  track: z.object({ key: z.string(), name: Localized }).nullable(),
  page: z.number().int(),
  pages: z.number().int(),
  winners: z.array(z.object({ ref: z.string(), title: z.string(), institution: z.string(), leaderName: z.string() })),
});

export const ScreenStateSchema = z.object({
  revision: z.number().int(),
  screen: z.object({
    revision: z.number().int(),
    mode: z.enum(SCREEN_MODES),
    shows: z.enum(SCREEN_MODES),
    leaderboardTrack: z.string().nullable(),
    policy: z.enum(RELEASE_POLICIES),
    roundKey: z.string().nullable(),
    team: z.object({ projectId: z.number().int(), leaderName: z.string(), members: z.array(z.string()) }).nullable(),
    next: z.object({ ref: z.string(), title: z.string(), institution: z.string() }).nullable(),
    reveal: RevealSchema.nullable(),
  }),
  ceremony: z.object({
    revision: z.number().int(),
    lockId: z.number().int().nullable(),
    step: z.number().int(),
    total: z.number().int(),
    current: CeremonyStepSchema.nullable(),
  }),
});

for (const [schema, id, description] of [
  [
    LeaderboardSnapshotSchema,
    'LeaderboardSnapshot',
    'The audience leaderboard of a round, per track and overall, with the round’s release policy applied.',
  ],
  [ScreenStateSchema, 'ScreenState', 'The big screen’s mode, score reveal and ceremony step (public projection).'],
] as const) {
  responseSchemas.add(schema, { id, description });
  componentDescriptions.set(id, description);
}

const ETAG_HEADERS: ResponseDoc['headers'] = {
  ETag: { description: 'The contest revision, quoted: `"42"`', schema: { type: 'string' } },
};

/** Whether an If-None-Match header names this entity tag (weak or strong, or `*`). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((v) => v.trim().replace(/^W\//, ''))
    .some((v) => v === etag || v === '*');
}

/** Public for contests that are not drafts; organizers who may read see drafts too. */
async function publicHead(
  req: Request,
  slug: string,
  head: (slug: string) => Promise<{ revision: number; status: string }>,
) {
  const found = await head(slug);
  if (found.status === 'draft' && !hasPermission(req.user, 'read')) throw new AppError('contest-not-found', { slug });
  return found;
}

/** Sets the revalidation headers; true when the client's copy is current (answer 304). */
function notModified(req: Request, res: Response, revision: number): boolean {
  const etag = `"${revision}"`;
  res.set('ETag', etag);
  res.set('Cache-Control', 'no-cache');
  return matches(req.get('if-none-match'), etag);
}

export const leaderboardRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/leaderboard',
    operationId: 'getLeaderboard',
    summary: 'The audience leaderboard (release policy applied)',
    description:
      'Per track and overall. hidden: no scores, rows in running order; live / revealed: the current board; frozen: the board stored at the freeze. Never judge-level marks or contacts. Answers 304 when `If-None-Match` names the current revision.',
    tag: 'audience',
    access: 'optional',
    params: SlugParams,
    query: RoundQuery,
    responses: { 200: { description: 'The leaderboard', schema: LeaderboardSnapshotSchema, headers: ETAG_HEADERS } },
    errors: [404],
    async handle({ params, query, req, res, deps }) {
      const { leaderboard } = deps.services;
      const head = await publicHead(req, params.slug, leaderboard.head);
      if (notModified(req, res, head.revision)) return { status: 304, body: undefined };
      const snapshot = await leaderboard.snapshot(params.slug, query.round);
      res.set('ETag', `"${snapshot.revision}"`);
      return { body: snapshot };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/screen',
    operationId: 'getScreenState',
    summary: 'The big screen’s state: mode, score reveal, ceremony step',
    description:
      'What every big screen shows besides the stage and the leaderboard. The score reveal follows the release policy; the ceremony shows only its current step. Answers 304 when `If-None-Match` names the current revision.',
    tag: 'audience',
    access: 'optional',
    params: SlugParams,
    responses: { 200: { description: 'The screen state', schema: ScreenStateSchema, headers: ETAG_HEADERS } },
    errors: [404],
    async handle({ params, req, res, deps }) {
      const { leaderboard, screen, ceremony } = deps.services;
      const head = await publicHead(req, params.slug, leaderboard.head);
      if (notModified(req, res, head.revision)) return { status: 304, body: undefined };
      const [screenView, ceremonyView] = await Promise.all([screen.view(params.slug), ceremony.view(params.slug)]);
      const revision = Math.min(screenView.revision, ceremonyView.revision);
      res.set('ETag', `"${revision}"`);
      return { body: { revision, screen: screenView, ceremony: ceremonyView } };
    },
  }),
];
