/**
 * JSON API for published results (公示), the results package and appeals: the public results of a
 * published contest (no judge-level marks, no contacts), the verifiable results package for
 * organizers, publishing with an appeal deadline, and listing / answering appeals. Entries of the
 * API route table (route-table.ts); binary downloads (certificates PDF, Excel, CSV) are served by
 * the organizer console (admin/publication.router.ts). No business rules here.
 */
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { AppealAnswer } from '../../services/appeal.service.js';
import { PublishInput } from '../../services/publication.service.js';
import { RESULTS_PACKAGE_FORMAT } from '../../services/results-package.service.js';
import { defineRoute, type ApiRoute } from './route-table.js';
import { componentDescriptions, requestSchemas, responseSchemas } from './schemas.js';

const SlugParams = z.object({ slug: z.string().max(200).describe('The contest slug') });
const AppealParams = SlugParams.extend({ reference: z.string().max(40).describe('The appeal reference') });
const Localized = z.object({ zh: z.string(), en: z.string() });

const PublicRound = z.object({
  key: z.string(),
  name: Localized,
  decimals: z.number().int(),
  method: z.enum(['mean', 'trimmed-mean']),
  trim: z.number().int(),
  judgeCount: z.number().int(),
  lockedAt: z.string(),
  awardGroups: z.array(
    z.object({
      tierKey: z.string(),
      tierName: Localized,
      trackName: Localized.nullable(),
      entries: z.array(z.object({ ref: z.string(), title: z.string(), institution: z.string(), score: z.string() })),
    }),
  ),
  tracks: z.array(
    z.object({
      trackKey: z.string(),
      trackName: Localized,
      rows: z.array(
        z.object({
          rank: z.number().int().nullable().describe('Rank among competing projects; null for 打星 and unscored'),
          ref: z.string(),
          title: z.string(),
          institution: z.string(),
          display: z.string().nullable().describe('Displayed score, e.g. "89.83"'),
          outOfCompetition: z.boolean(),
          tied: z.boolean(),
          decidedBy: z
            .string()
            .nullable()
            .describe("Equal displayed score, different rank: 'score' (more decimals) or the tie-break applied"),
          award: Localized.nullable(),
        }),
      ),
    }),
  ),
});

const PublishedResults = z.object({
  published: z.boolean(),
  results: z
    .object({
      contest: z.object({
        slug: z.string(),
        name: Localized,
        theme: Localized,
        organizer: z.string(),
        venue: z.string(),
        startsOn: z.string().nullable(),
        endsOn: z.string().nullable(),
      }),
      publishedAt: z.string(),
      appealDeadline: z.string().nullable(),
      appealsOpen: z.boolean(),
      rounds: z.array(PublicRound),
      projects: z.array(z.object({ ref: z.string(), title: z.string() })),
    })
    .nullable()
    .describe('null until the contest is published'),
});

const ResultsPackageDoc = z.looseObject({
  format: z.literal(RESULTS_PACKAGE_FORMAT),
  generatedAt: z.string(),
  software: z.object({ name: z.string(), version: z.string() }),
  ledgerHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  contest: z.record(z.string(), z.unknown()).describe('The contest document without contact details'),
  rules: z.record(z.string(), z.unknown()),
  inputs: z
    .record(z.string(), z.unknown())
    .describe('Per round: lineup, panel, current sheets, recusals, decisions, votes'),
  results: z.record(z.string(), z.unknown()).describe('Per round: the computed results and the awards dry run'),
  locks: z.array(z.record(z.string(), z.unknown())),
  sha256: z.string().describe('SHA-256 of the canonical JSON of every other member'),
});

const Appeal = z.object({
  reference: z.string(),
  status: z.enum(['open', 'upheld', 'rejected', 'withdrawn']),
  projectRef: z.string().nullable(),
  appellantName: z.string(),
  contact: z.string(),
  body: z.string(),
  answer: z.string(),
  answeredBy: z.number().int().nullable(),
  answeredAt: z.string().nullable(),
  createdAt: z.string(),
});
const AppealList = z.object({ appeals: z.array(Appeal) });
const Done = z.object({ ok: z.literal(true) });

for (const [schema, id, description] of [
  [
    PublishedResults,
    'PublishedResults',
    'The published (公示) results: awards and rankings with displayed scores only.',
  ],
  [
    ResultsPackageDoc,
    'ResultsPackage',
    'Inputs, rules, results, software version and ledger head with a SHA-256; check with `results:verify`.',
  ],
  [AppealList, 'AppealList', 'Appeals (申诉) of a contest, newest first.'],
] as const) {
  responseSchemas.add(schema, { id, description });
  componentDescriptions.set(id, description);
}
for (const [schema, id, description] of [
  [PublishInput, 'PublishInput', 'Publish locked results; the deadline is ISO 8601 (without an offset: Beijing time).'],
  [AppealAnswer, 'AppealAnswerInput', 'The recorded decision on an appeal, with the answer text.'],
] as const) {
  requestSchemas.add(schema, { id, description });
  componentDescriptions.set(id, description);
}

export const exportRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/published-results',
    operationId: 'getPublishedResults',
    summary: 'The published (公示) results of a contest',
    description:
      'Awards and rankings with displayed scores; `results` is null until published. No judge marks or contacts.',
    tag: 'publication',
    access: 'none',
    params: SlugParams,
    responses: { 200: { description: 'The published results, or null', schema: PublishedResults } },
    errors: [404],
    async handle({ params, deps }) {
      const state = await deps.services.publication.state(params.slug);
      // Drafts are absent to the public, as on every other public route.
      if (state.status === 'draft') throw new AppError('contest-not-found', { slug: params.slug });
      if (state.status !== 'published') return { body: { published: false, results: null } };
      return { body: { published: true, results: await deps.services.publication.publicView(params.slug) } };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/results-package',
    operationId: 'getResultsPackage',
    summary: 'The verifiable results package',
    description: 'Recompute and check it offline with `npm run roadshow -- results:verify <file>`.',
    tag: 'publication',
    access: 'read',
    params: SlugParams,
    responses: { 200: { description: 'The package', schema: ResultsPackageDoc } },
    errors: [401, 403, 404],
    async handle({ params, res, deps }) {
      res.set('Cache-Control', 'no-store');
      return { body: await deps.services.resultsPackage.build(params.slug) };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/api/v1/contests/:slug/publication',
    operationId: 'publishResults',
    summary: 'Publish the locked results with an appeal deadline',
    description:
      'Refused when nothing is locked (409 `nothing-locked`) or already published (409 `already-published`).',
    tag: 'publication',
    access: 'edit',
    params: SlugParams,
    body: PublishInput,
    responses: { 200: { description: 'Published', schema: Done } },
    errors: [401, 403, 404, 409, 422],
    async handle({ params, req, deps }) {
      await deps.services.publication.publish(params.slug, req.user!.id, req.body);
      return { body: { ok: true } };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/appeals',
    operationId: 'listAppeals',
    summary: 'Appeals (申诉) of a contest, with contacts (organizers only)',
    tag: 'publication',
    access: 'read',
    params: SlugParams,
    responses: { 200: { description: 'The appeals', schema: AppealList } },
    errors: [401, 403, 404],
    async handle({ params, res, deps }) {
      res.set('Cache-Control', 'no-store');
      const rows = await deps.services.appeals.list(params.slug);
      return {
        body: {
          appeals: rows.map((a) => ({
            reference: a.reference,
            status: a.status,
            projectRef: a.project_ref,
            appellantName: a.appellant_name,
            contact: a.contact,
            body: a.body,
            answer: a.answer,
            answeredBy: a.answered_by,
            answeredAt: a.answered_at,
            createdAt: a.created_at,
          })),
        },
      };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/api/v1/contests/:slug/appeals/:reference/answer',
    operationId: 'answerAppeal',
    summary: 'Record the decision on an appeal (once)',
    description:
      'Upheld or rejected with the answer text; recorded in the ledger. 409 `appeal-answered` when already answered.',
    tag: 'publication',
    access: 'edit',
    params: AppealParams,
    body: AppealAnswer,
    responses: { 200: { description: 'Recorded', schema: Done } },
    errors: [401, 403, 404, 409, 422],
    async handle({ params, req, deps }) {
      await deps.services.appeals.answer(params.slug, params.reference, req.body, req.user!.id);
      return { body: { ok: true } };
    },
  }),
];
