/**
 * JSON API for contests: the public list and detail (public fields only; drafts hidden from
 * anonymous callers), and for organizers the whole-contest export and import in the contest
 * document format. Entries of the API route table (route-table.ts); no business rules here.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { ContestDocument } from '../../domain/contest-document.js';
import { AppError } from '../../errors.js';
import { hasPermission } from '../../services/user.service.js';
import { defineRoute, type ApiRoute } from './route-table.js';
import { ContestCreated, ContestDetail, ContestList, ContestSummary } from './schemas.js';

const SlugParams = z.object({ slug: z.string().max(200).describe('The contest slug') });
const ExportQuery = z.object({
  download: z.enum(['0', '1']).optional().describe('`1` asks the browser to save the file'),
});

/** Organizers who may read contests see drafts; everybody else sees them as absent. */
const seesDrafts = (req: Request) => hasPermission(req.user, 'read');

function summaryOf(doc: ContestSummary): ContestSummary {
  const { slug, name, theme, organizer, venue, startsOn, endsOn, status } = doc;
  return ContestSummary.parse({ slug, name, theme, organizer, venue, startsOn, endsOn, status });
}

/** The public view of a document: parsing through ContestDetail drops anything not listed there. */
function detailOf(doc: ContestDocument): ContestDetail {
  return ContestDetail.parse({
    ...summaryOf(doc),
    tracks: doc.tracks.map(({ key, name, description }) => ({ key, name, description })),
    rounds: doc.rounds.map(({ key, name, kind, pitchSeconds, qaSeconds }) => ({
      key,
      name,
      kind,
      pitchSeconds,
      qaSeconds,
    })),
    prizeTiers: doc.prizeTiers.map(({ key, name }) => ({ key, name })),
  });
}

export const contestRoutes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/contests',
    operationId: 'listContests',
    summary: 'List contests (public fields)',
    tag: 'contests',
    access: 'optional',
    responses: { 200: { description: 'The contests', schema: ContestList } },
    errors: [401],
    async handle({ req, deps }) {
      const drafts = seesDrafts(req);
      const all = await deps.services.contests.list();
      const contests = all.filter((c) => drafts || c.status !== 'draft').map(summaryOf);
      return { body: ContestList.parse({ contests }) };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug',
    operationId: 'getContest',
    summary: 'One contest: public fields, tracks, rounds and prize tier names',
    description: 'No judges, contacts, projects or conflicts. A draft contest is 404 for anonymous callers.',
    tag: 'contests',
    access: 'optional',
    params: SlugParams,
    responses: { 200: { description: 'The contest', schema: ContestDetail } },
    errors: [401, 404],
    async handle({ params, req, deps }) {
      const doc = await deps.services.contestDocuments.exportContest(params.slug);
      if (doc.status === 'draft' && !seesDrafts(req)) throw new AppError('contest-not-found', { slug: params.slug });
      return { body: detailOf(doc) };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/v1/contests/:slug/export',
    operationId: 'exportContest',
    summary: 'Export a whole contest as a contest document',
    description: 'Includes private fields (contacts, conflicts). `?download=1` adds Content-Disposition.',
    tag: 'contests',
    access: 'read',
    params: SlugParams,
    query: ExportQuery,
    responses: {
      200: {
        description: 'The contest document',
        schema: ContestDocument,
        headers: {
          'Content-Disposition': {
            description: 'With `?download=1`: `attachment; filename="<slug>.contest.json"`',
            schema: { type: 'string' },
          },
        },
      },
    },
    errors: [401, 403, 404, 422],
    async handle({ params, query, res, deps }) {
      const doc = await deps.services.contestDocuments.exportContest(params.slug);
      res.set('Cache-Control', 'no-store');
      // Slugs are [a-z0-9-] only, so the quoted filename needs no escaping.
      if (query.download === '1') res.set('Content-Disposition', `attachment; filename="${doc.slug}.contest.json"`);
      return { body: doc };
    },
  }),

  defineRoute({
    method: 'post',
    path: '/api/v1/contests',
    operationId: 'importContest',
    summary: 'Create a contest from a contest document',
    description:
      'Validates the whole document (field errors name JSON paths), refuses a used slug, and writes everything in one transaction. Session callers send `x-csrf-token`. Body limit 5 MB.',
    tag: 'contests',
    access: 'edit',
    body: ContestDocument,
    responses: {
      201: {
        description: 'Created',
        schema: ContestCreated,
        headers: { Location: { description: 'The contest’s API URL', schema: { type: 'string' } } },
      },
    },
    errors: [400, 401, 403, 409, 413, 422],
    async handle({ req, res, deps }) {
      const { id, slug } = await deps.services.contestDocuments.importContest(req.body);
      const url = new URL(`/api/v1/contests/${slug}`, deps.config.publicUrl).toString();
      res.location(url);
      return { body: ContestCreated.parse({ id, slug, url }) };
    },
  }),
];
