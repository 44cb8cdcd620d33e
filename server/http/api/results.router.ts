/**
 * JSON API for results and awards (organizers): a round's full results with explanations, the
 * method comparison, the awards dry run, the current lock, and the writes — lock, reasoned
 * override, head-judge decision, advancement. Entries of the API route table (route-table.ts);
 * the Zod schemas below document the shapes of services/results.types.ts for the OpenAPI
 * document. No business rules here.
 */
import { z } from 'zod';
import { DecisionInput, AdvancementInput } from '../../services/results.service.js';
import { LockInput, OverrideInput } from '../../services/awards.service.js';
import { defineRoute, type ApiRoute } from './route-table.js';
import { componentDescriptions, requestSchemas, responseSchemas } from './schemas.js';

const SlugParams = z.object({ slug: z.string().max(200).describe('The contest slug') });
const RoundQuery = z.object({
  round: z.string().max(40).optional().describe('Round key; default: the last roadshow round (the award round)'),
});

const Localized = z.object({ zh: z.string(), en: z.string() });
const Score = z.string().nullable();

const JudgeLine = z.object({
  judgeKey: z.string(),
  name: z.string(),
  group: z.string(),
  isHeadJudge: z.boolean(),
  total: Score.describe('The sheet total, e.g. "88.50"'),
  totalExact: Score,
  value: Score.describe('The value entering the aggregate (normalized or substituted)'),
  dropped: z.enum(['low', 'high']).nullable(),
  status: z.enum(['scored', 'missing', 'incomplete', 'recused', 'not-assigned']),
  counted: z.boolean(),
  replaced: z.boolean(),
  normalized: z.boolean(),
  marks: z.record(z.string(), z.string()),
});

const ResultsProject = z.object({
  projectId: z.number().int(),
  ref: z.string(),
  title: z.string(),
  institution: z.string(),
  track: z.object({ key: z.string(), name: Localized }),
  outOfCompetition: z.boolean(),
  members: z.array(z.object({ name: z.string(), role: z.string() })),
  leaderName: z.string(),
  exact: Score.describe('Exact score as a fraction, e.g. "539/6"'),
  display: Score.describe('Displayed score, e.g. "89.83"'),
  roundDisplay: Score,
  priorDisplay: Score,
  rank: z.number().int().nullable(),
  competitionRank: z.number().int().nullable(),
  trackRank: z.number().int().nullable(),
  trackCompetitionRank: z.number().int().nullable(),
  tiedWith: z.array(z.string()),
  separatedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  needsDecision: z.boolean(),
  judgesScored: z.number().int(),
  judgesEligible: z.number().int(),
  judges: z.array(JudgeLine),
  criterionMeans: z.record(z.string(), Score),
  formula: z.string(),
  trimApplied: z.boolean(),
  trimSkipped: z.literal('too-few-judges').nullable(),
  combineStatus: z.enum(['current-only', 'combined', 'missing-prior', 'not-scored']),
  notes: z.array(z.string()),
});

const RankingRow = z.object({
  ref: z.string(),
  rank: z.number().int().nullable(),
  competitionRank: z.number().int().nullable(),
  display: Score,
  outOfCompetition: z.boolean(),
  tiedWith: z.array(z.string()),
  separatedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
  needsDecision: z.boolean(),
});

export const RoundResultsSchema = z.object({
  contest: z.object({ id: z.number().int(), slug: z.string(), name: Localized }),
  round: z.looseObject({
    id: z.number().int(),
    key: z.string(),
    name: Localized,
    decimals: z.number().int(),
    method: z.enum(['mean', 'trimmed-mean']),
    trim: z.number().int(),
    isAwardRound: z.boolean(),
  }),
  criteria: z.array(z.object({ key: z.string(), name: Localized, max: z.string(), weight: z.string() })),
  computedAt: z.string(),
  revision: z.number().int(),
  ledgerHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  projects: z.array(ResultsProject),
  rankings: z.object({
    overall: z.array(RankingRow),
    tracks: z.array(z.object({ trackKey: z.string(), trackName: Localized, rows: z.array(RankingRow) })),
  }),
  ties: z.array(
    z.object({ scope: z.string(), refs: z.array(z.string()), rank: z.number().int(), needsDecision: z.boolean() }),
  ),
  decisions: z.array(z.looseObject({ id: z.number().int(), refs: z.array(z.string()), reason: z.string() })),
  warnings: z.array(z.looseObject({ code: z.string() })),
  judgeCount: z.number().int(),
});

export const AwardsDryRunSchema = z.object({
  contest: z.object({ slug: z.string(), name: Localized }),
  round: z.object({ id: z.number().int(), key: z.string(), name: Localized }),
  computedAt: z.string(),
  revision: z.number().int(),
  allocations: z.array(
    z.object({
      tierKey: z.string(),
      tierName: Localized,
      scope: z.enum(['overall', 'track']),
      trackKey: z.string().nullable(),
      projectRef: z.string(),
      projectId: z.number().int(),
      title: z.string(),
      institution: z.string(),
      rank: z.number().int().nullable(),
      display: Score,
      votes: z.number().int().nullable(),
      tiedAtCutoff: z.boolean(),
      decisionReason: z.string().nullable(),
    }),
  ),
  tiers: z.array(z.looseObject({ tierKey: z.string(), scope: z.string() })),
  decisionsNeeded: z.array(
    z.object({ tierKey: z.string(), scope: z.string(), refs: z.array(z.string()), places: z.number().int() }),
  ),
  warnings: z.array(z.looseObject({ code: z.string(), tierKey: z.string() })),
  outOfCompetition: z.array(z.looseObject({ ref: z.string(), display: z.string() })),
  lockable: z.boolean(),
});

export const LockedResultsSchema = z.object({
  lockId: z.number().int(),
  contestId: z.number().int(),
  contestSlug: z.string(),
  roundId: z.number().int(),
  roundKey: z.string(),
  lockedAt: z.string(),
  lockedBy: z.number().int().nullable(),
  ledgerSeq: z.number().int(),
  snapshotHash: z.string().describe('SHA-256 hex of the stored snapshot text'),
  snapshot: z.looseObject({ format: z.literal('roadshow.results/v1') }),
  awards: z.array(
    z.looseObject({
      id: z.number().int(),
      tierKey: z.string(),
      projectRef: z.string(),
      certificateNo: z.string(),
      verifyCode: z.string(),
      revokedAt: z.string().nullable(),
    }),
  ),
  overrides: z.array(z.looseObject({ id: z.number().int(), reason: z.string() })),
  superseded: z.array(z.looseObject({ lockId: z.number().int() })),
});

export const RankingComparisonSchema = z.looseObject({
  official: z.enum(['mean', 'trimmed', 'normalized']),
  outcome: z.enum(['awards', 'advancement', 'none']),
  prizeChanges: z.boolean(),
  changedRefs: z.array(z.string()),
  rows: z.array(z.looseObject({ ref: z.string() })),
});

const CurrentLock = z.object({ lock: LockedResultsSchema.nullable() });
const OverrideResult = z.object({
  override: z.looseObject({ id: z.number().int(), reason: z.string() }),
  locked: LockedResultsSchema,
});
const DecisionResult = z.object({ id: z.number().int(), revision: z.number().int() });
const AdvancementResult = z.object({
  nextRoundKey: z.string(),
  refs: z.array(z.string()),
  revision: z.number().int(),
});

for (const [schema, id, description] of [
  [
    RoundResultsSchema,
    'RoundResults',
    'A round’s results: rankings overall and per track, with each project’s explanation.',
  ],
  [AwardsDryRunSchema, 'AwardsDryRun', 'Award allocations computed from the current results; nothing written.'],
  [LockedResultsSchema, 'LockedResults', 'A result lock: snapshot, awards with certificate numbers, overrides.'],
  [RankingComparisonSchema, 'RankingComparison', 'Raw mean vs trimmed vs normalized rankings and outcomes.'],
] as const) {
  responseSchemas.add(schema, { id, description });
  componentDescriptions.set(id, description);
}
for (const [schema, id, description] of [
  [LockInput, 'LockAwardsInput', 'Lock the awards dry run; `relockReason` is required to lock again.'],
  [OverrideInput, 'AwardOverrideInput', 'Add or remove one locked award, with a reason.'],
  [DecisionInput, 'HeadJudgeDecisionInput', 'An ordering of tied projects (best first) with the reason.'],
  [AdvancementInput, 'ApplyAdvancementInput', 'Apply a round’s advancement to the next round’s running order.'],
] as const) {
  requestSchemas.add(schema, { id, description });
  componentDescriptions.set(id, description);
}

const actor = (id: number) => ({ kind: 'organizer' as const, id });

export const resultsRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/results',
    operationId: 'getResults',
    summary: 'A round’s full results with explanations',
    description:
      'Exact scores as fractions and displayed values, ranks overall and per track, judges’ totals with dropped marks.',
    tag: 'results',
    access: 'read',
    params: SlugParams,
    query: RoundQuery,
    responses: { 200: { description: 'The results', schema: RoundResultsSchema } },
    errors: [401, 403, 404],
    async handle({ params, query, res, deps }) {
      res.set('Cache-Control', 'no-store');
      return { body: await deps.services.results.roundResults(params.slug, query.round) };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/results/comparison',
    operationId: 'compareResultMethods',
    summary: 'Raw mean / trimmed / normalized rankings side by side',
    tag: 'results',
    access: 'read',
    params: SlugParams,
    query: RoundQuery,
    responses: { 200: { description: 'The comparison', schema: RankingComparisonSchema } },
    errors: [401, 403, 404],
    async handle({ params, query, deps }) {
      return { body: await deps.services.results.comparison(params.slug, query.round) };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/api/v1/contests/:slug/results/decisions',
    operationId: 'recordHeadJudgeDecision',
    summary: 'Record a head-judge decision ordering tied projects',
    tag: 'results',
    access: 'edit',
    params: SlugParams,
    body: DecisionInput,
    responses: { 201: { description: 'Recorded', schema: DecisionResult } },
    errors: [401, 403, 404, 422],
    async handle({ params, req, deps }) {
      return { body: await deps.services.results.decide(params.slug, actor(req.user!.id), req.body) };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/api/v1/contests/:slug/results/advancement',
    operationId: 'applyAdvancement',
    summary: 'Apply a round’s advancement to the next round’s running order',
    tag: 'results',
    access: 'edit',
    params: SlugParams,
    body: AdvancementInput,
    responses: { 200: { description: 'Applied', schema: AdvancementResult } },
    errors: [401, 403, 404, 409, 422],
    async handle({ params, req, deps }) {
      return { body: await deps.services.results.applyAdvancement(params.slug, actor(req.user!.id), req.body) };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/awards/dry-run',
    operationId: 'awardsDryRun',
    summary: 'The awards dry run (nothing written)',
    tag: 'results',
    access: 'read',
    params: SlugParams,
    query: RoundQuery,
    responses: { 200: { description: 'The allocations, decisions needed and warnings', schema: AwardsDryRunSchema } },
    errors: [401, 403, 404],
    async handle({ params, query, res, deps }) {
      res.set('Cache-Control', 'no-store');
      return { body: await deps.services.results.dryRun(params.slug, query.round) };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/awards',
    operationId: 'getLockedAwards',
    summary: 'The current result lock of a round with its awards (null when not locked)',
    tag: 'results',
    access: 'read',
    params: SlugParams,
    query: RoundQuery,
    responses: { 200: { description: 'The lock, or null', schema: CurrentLock } },
    errors: [401, 403, 404],
    async handle({ params, query, deps }) {
      return { body: { lock: await deps.services.awards.locked(params.slug, query.round) } };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/api/v1/contests/:slug/awards/lock',
    operationId: 'lockAwards',
    summary: 'Lock the awards: lock, award rows with certificate numbers, ledger entry',
    description:
      'Refused while a tie needs a decision (409 `decision-needed`), when `expectedRevision` is stale (409 `results-changed`), or when already locked without `relockReason` (409 `results-locked`).',
    tag: 'results',
    access: 'edit',
    params: SlugParams,
    body: LockInput,
    responses: { 201: { description: 'Locked', schema: LockedResultsSchema } },
    errors: [401, 403, 404, 409, 422],
    async handle({ params, req, deps }) {
      return { body: await deps.services.awards.lock(params.slug, actor(req.user!.id), req.body ?? {}) };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/api/v1/contests/:slug/awards/overrides',
    operationId: 'overrideAward',
    summary: 'Add or remove one locked award, with a reason',
    tag: 'results',
    access: 'edit',
    params: SlugParams,
    body: OverrideInput,
    responses: { 201: { description: 'Changed', schema: OverrideResult } },
    errors: [401, 403, 404, 409, 422],
    async handle({ params, req, deps }) {
      return { body: await deps.services.awards.override(params.slug, actor(req.user!.id), req.body) };
    },
  }),
];
