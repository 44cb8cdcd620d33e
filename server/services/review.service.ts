/**
 * The organizers' review queue: filter, search and page through a contest's projects, per-track
 * registration statistics, and review decisions (approve / reject with a reason / return for
 * changes with a reason / reopen), one project or many at once.
 *
 * A decision on several projects is all-or-nothing: every project must allow it, or nothing is
 * written. Each decision is a review_decision row (who, when, why) AND a 'project.reviewed'
 * ledger entry, written with the status change in one transaction that bumps the contest
 * revision; 'contest.changed' is emitted after the commit. The reason of a reject / return is
 * the team's review note (project.review_note, shown on their status page).
 *
 * Also builds the container of this area (review, CSV import, exports) for services/index.ts.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as repo from '../data/review.repo.js';
import { Key, PROJECT_STATUSES, type ProjectStatus } from '../domain/contest-document.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { LedgerService } from './ledger.service.js';
import { createProjectImportService } from './project-import.service.js';
import { createRegistrationExportService } from './registration-export.service.js';

export const REVIEW_DECISIONS = ['approve', 'reject', 'return', 'reopen'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Where each decision leads, and from which statuses it may be taken. */
const RULES: Record<ReviewDecision, { to: ProjectStatus; from: readonly ProjectStatus[]; reasonRequired: boolean }> = {
  approve: { to: 'approved', from: ['submitted', 'returned'], reasonRequired: false },
  reject: { to: 'rejected', from: ['submitted', 'returned'], reasonRequired: true },
  return: { to: 'returned', from: ['submitted'], reasonRequired: true },
  reopen: { to: 'submitted', from: ['approved', 'rejected', 'returned'], reasonRequired: false },
};

/**
 * The decisions a project in `status` allows (a withdrawn project allows none).
 * @example allowedDecisions('submitted') // ['approve', 'reject', 'return']
 */
export function allowedDecisions(status: ProjectStatus): ReviewDecision[] {
  return REVIEW_DECISIONS.filter((d) => RULES[d].from.includes(status));
}

export const REVIEW_REASON_MAX = 1000;

export const DecisionInput = z
  .object({
    decision: z.enum(REVIEW_DECISIONS, { error: (i) => (i.input === undefined ? 'required' : 'invalid-value') }),
    reason: z.string().trim().max(REVIEW_REASON_MAX).default(''),
  })
  .superRefine((d, ctx) => {
    if (RULES[d.decision].reasonRequired && d.reason === '')
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'review-reason-required' });
  });
export type DecisionInput = z.infer<typeof DecisionInput>;

export const PAGE_SIZE = 50;

/** Query-string filters; anything unusable is ignored rather than refused. */
export const QueueQuery = z.object({
  track: Key.optional().catch(undefined),
  status: z.enum(PROJECT_STATUSES).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const toFilter = (q: Pick<QueueQuery, 'track' | 'status' | 'q'>): repo.QueueFilter => ({
  trackKey: q.track || undefined,
  status: q.status,
  q: q.q?.normalize('NFKC') || undefined,
});

export interface RegistrationStats {
  tracks: repo.TrackCounts[];
  totals: Record<ProjectStatus, number> & { total: number };
}

function totalsOf(tracks: repo.TrackCounts[]): RegistrationStats['totals'] {
  const totals = { submitted: 0, returned: 0, approved: 0, rejected: 0, withdrawn: 0, total: 0 };
  for (const t of tracks) {
    for (const s of PROJECT_STATUSES) totals[s] += t.counts[s];
    totals.total += t.total;
  }
  return totals;
}

export function createReviewService(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  async function contestOf(slug: string) {
    const row = await contests.findContestBySlug(db, slug);
    if (!row) throw new AppError('contest-not-found', { slug });
    return row;
  }

  async function stats(contestId: number): Promise<RegistrationStats> {
    const tracks = await repo.countsByTrack(db, contestId);
    return { tracks, totals: totalsOf(tracks) };
  }

  return {
    /** One page of the queue with the filters applied, and the statistics of the whole contest. */
    async queue(slug: string, query: unknown) {
      const contest = await contestOf(slug);
      const q = QueueQuery.parse(query ?? {});
      const filter = toFilter(q);
      const first = await repo.listQueue(db, contest.id, filter, {
        offset: (q.page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      const pages = Math.max(1, Math.ceil(first.total / PAGE_SIZE));
      // A page past the end (after a filter change) shows the last page.
      const page = Math.min(q.page, pages);
      const { rows, total } =
        page === q.page
          ? first
          : await repo.listQueue(db, contest.id, filter, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
      return {
        query: { ...q, page },
        rows: rows.map((r) => ({ ...r, allowed: allowedDecisions(r.status) })),
        total,
        page,
        pages,
        pageSize: PAGE_SIZE,
        stats: await stats(contest.id),
      };
    },

    async stats(slug: string): Promise<RegistrationStats> {
      return stats((await contestOf(slug)).id);
    },

    /** A project with its review history (newest first) and the decisions it allows now. */
    async project(slug: string, ref: string) {
      const contest = await contestOf(slug);
      const project = await repo.findByRef(db, contest.id, ref);
      if (!project) throw new AppError('not-found');
      return { project, history: await repo.listDecisions(db, project.id), allowed: allowedDecisions(project.status) };
    },

    /**
     * Takes one decision on every project in `refs`, all or nothing. Throws `validation-failed`
     * (reason missing / too long; nothing selected), `not-found` (a ref not in the contest) or
     * `review-not-allowed` (a project whose status does not allow it, naming them).
     */
    async decide(
      slug: string,
      refs: readonly string[],
      input: unknown,
      actorUserId: number,
    ): Promise<{ count: number; revision: number }> {
      const parsed = DecisionInput.safeParse(input, { reportInput: true });
      if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
      const { decision, reason } = parsed.data;
      const unique = [...new Set(refs.map((r) => r.trim()).filter(Boolean))];
      if (!unique.length)
        throw new AppError('validation-failed', {}, [{ path: 'refs', code: 'review-nothing-selected' }]);
      const contest = await contestOf(slug);
      const rule = RULES[decision];
      const now = isoNow(clock);
      const actor = { kind: 'organizer' as const, id: actorUserId };

      const revision = await db.transaction().execute(async (tx) => {
        const found = await repo.statusesByRef(tx, contest.id, unique);
        if (found.length !== unique.length) {
          const missing = unique.filter((r) => !found.some((f) => f.ref === r));
          throw new AppError('not-found', { ref: missing.join(', ') });
        }
        const order = new Map(unique.map((r, i) => [r, i]));
        found.sort((a, b) => (order.get(a.ref) ?? 0) - (order.get(b.ref) ?? 0));
        const refused = found.filter((p) => !rule.from.includes(p.status));
        if (refused.length)
          throw new AppError('review-not-allowed', {
            decision,
            refs: refused.map((p) => p.ref).join(', '),
            count: refused.length,
          });
        for (const p of found) {
          // The team sees the note: a reject / return reason, an approval's remark; reopening clears it.
          const note = decision === 'reopen' ? '' : reason;
          await repo.setReviewStatus(tx, p.id, rule.to, note, now);
          const decisionId = await repo.insertDecision(tx, {
            projectId: p.id,
            decision,
            reason,
            actorUserId,
            at: now,
          });
          await ledger.append(tx, contest.id, actor, 'project.reviewed', {
            decisionId,
            projectId: p.id,
            ref: p.ref,
            decision,
            from: p.status,
            to: rule.to,
            reason,
          });
        }
        return contests.bumpRevision(tx, contest.id, now);
      });
      events.emit('contest.changed', { contestId: contest.id, slug, revision, reason: 'project.reviewed' });
      return { count: unique.length, revision };
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;

/** Everything of this area for the service container: `services.review.{queue…, imports, exports}`. */
export function createReviewServices(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  return {
    ...createReviewService(db, clock, ledger, events),
    imports: createProjectImportService(db, clock, ledger, events),
    exports: createRegistrationExportService(db, clock),
  };
}

export type ReviewServices = ReturnType<typeof createReviewServices>;
