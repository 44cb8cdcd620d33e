/**
 * Publication of results (公示): an organizer publishes a contest whose results are locked,
 * setting the appeal deadline (status 'published', published_at, appeal_deadline, a ledger
 * entry and a revision bump in one transaction); may move the deadline or withdraw the
 * publication with a reason. `publicView` is what the public results page and the public JSON
 * show: locked awards per tier and track, rankings with displayed scores, and nothing private
 * (no judge-level marks, no contacts, no formulas naming judges).
 *
 * `createPublicationServices` builds this module with the certificate, export, results package
 * and appeal services for the service container; they read results through their own results /
 * awards service instances (both are stateless).
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as appealRepo from '../data/appeal.repo.js';
import * as contestsRepo from '../data/contest.repo.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { appealsOpen, createAppealService } from './appeal.service.js';
import { createResultsServices, type AwardsService } from './awards.service.js';
import { createCertificateService } from './certificate.service.js';
import { isoNow, type Clock } from './clock.js';
import { createContestService, type ContestService } from './contest.service.js';
import type { EventBus } from './events.js';
import type { LedgerService } from './ledger.service.js';
import { createResultsExportService } from './results-export.service.js';
import { createResultsPackageService } from './results-package.service.js';
import type { LocalizedText, LockedResults } from './results.types.js';
import { parseChinaTime } from './china-time.js';

export const PublishInput = z.object({
  appealDeadline: z.string().trim().min(1).max(40),
});
export const UnpublishInput = z.object({
  reason: z.string().trim().min(1).max(1000),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

export interface PublicationState {
  status: string;
  publishedAt: string | null;
  appealDeadline: string | null;
  appealsOpen: boolean;
  /** Current locks, award round first. */
  locks: LockedResults[];
  appeals: { total: number; open: number };
}

export interface PublicRankingRow {
  rank: number | null;
  ref: string;
  title: string;
  institution: string;
  display: string | null;
  outOfCompetition: boolean;
  tied: boolean;
  /**
   * Set when the displayed score equals a neighbour's but the ranks differ: 'score' (the exact
   * score differs beyond the shown decimals) or the tie-break that separated them.
   */
  decidedBy: string | null;
  award: LocalizedText | null;
}

export interface PublicRound {
  key: string;
  name: LocalizedText;
  decimals: number;
  method: 'mean' | 'trimmed-mean';
  trim: number;
  judgeCount: number;
  lockedAt: string;
  awardGroups: {
    tierKey: string;
    tierName: LocalizedText;
    trackName: LocalizedText | null;
    entries: { ref: string; title: string; institution: string; score: string }[];
  }[];
  tracks: { trackKey: string; trackName: LocalizedText; rows: PublicRankingRow[] }[];
}

export interface PublicResults {
  contest: {
    slug: string;
    name: LocalizedText;
    theme: LocalizedText;
    organizer: string;
    venue: string;
    startsOn: string | null;
    endsOn: string | null;
  };
  publishedAt: string;
  appealDeadline: string | null;
  appealsOpen: boolean;
  rounds: PublicRound[];
  /** Projects an appeal may name (the award round's field). */
  projects: { ref: string; title: string }[];
}

function publicRound(lock: LockedResults): PublicRound {
  const r = lock.snapshot.results;
  const active = lock.awards.filter((a) => !a.revokedAt);
  const awardOf = new Map<string, LocalizedText>();
  for (const a of active) if (!awardOf.has(a.projectRef)) awardOf.set(a.projectRef, a.tierName);
  const groups = new Map<string, PublicRound['awardGroups'][number]>();
  for (const a of active) {
    const key = `${a.tierKey}\u0000${a.scope === 'track' ? (a.trackKey ?? '') : ''}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        tierKey: a.tierKey,
        tierName: a.tierName,
        trackName: a.scope === 'track' ? a.trackName : null,
        entries: [],
      };
      groups.set(key, group);
    }
    group.entries.push({ ref: a.projectRef, title: a.title, institution: a.institution, score: a.scoreText });
  }
  const projectByRef = new Map(r.projects.map((p) => [p.ref, p]));
  return {
    key: r.round.key,
    name: r.round.name,
    decimals: r.round.decimals,
    method: r.round.method,
    trim: r.round.trim,
    judgeCount: r.judgeCount,
    lockedAt: lock.lockedAt,
    awardGroups: [...groups.values()],
    tracks: r.rankings.tracks.map((t) => ({
      trackKey: t.trackKey,
      trackName: t.trackName,
      rows: t.rows.map((row, i) => {
        const p = projectByRef.get(row.ref);
        const sameShown = [t.rows[i - 1], t.rows[i + 1]].some(
          (n) => n && n.display !== null && n.display === row.display && n.rank !== row.rank,
        );
        return {
          rank: row.outOfCompetition ? null : row.competitionRank,
          ref: row.ref,
          title: p?.title ?? row.ref,
          institution: p?.institution ?? '',
          display: row.display,
          outOfCompetition: row.outOfCompetition,
          tied: row.tiedWith.length > 0,
          decidedBy: sameShown && row.tiedWith.length === 0 ? (row.separatedBy ?? 'score') : null,
          award: awardOf.get(row.ref) ?? null,
        };
      }),
    })),
  };
}

export function createPublicationService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  events: EventBus,
  contests: ContestService,
  awards: AwardsService,
) {
  async function contestRow(slug: string) {
    const row = await contestsRepo.findContestBySlug(db, slug);
    if (!row) throw new AppError('contest-not-found', { slug });
    return row;
  }

  /** Current locks, the award round (latest round) first. */
  async function locksOf(slug: string, contestId: number): Promise<LockedResults[]> {
    const loaded = await contests.load(slug);
    const position = new Map(loaded.doc.rounds.map((r, i) => [r.key, i]));
    const locks = await awards.currentLocks(contestId);
    return locks.sort((a, b) => (position.get(b.roundKey) ?? 0) - (position.get(a.roundKey) ?? 0));
  }

  async function write(
    row: contestsRepo.ContestRow,
    actorUserId: number,
    action: string,
    change: { status: contestsRepo.ContestRow['status']; publishedAt: string | null; appealDeadline: string | null },
    payload: Record<string, unknown>,
  ): Promise<void> {
    const now = isoNow(clock);
    const revision = await db.transaction().execute(async (tx) => {
      await appealRepo.setPublication(tx, row.id, { ...change, now });
      await ledger.append(tx, row.id, { kind: 'organizer', id: actorUserId }, action, payload);
      return contestsRepo.bumpRevision(tx, row.id, now);
    });
    events.emit('contest.changed', { contestId: row.id, slug: row.slug, revision, reason: action });
  }

  function deadlineOrThrow(text: string): string {
    const deadline = parseChinaTime(text);
    if (!deadline) throw new AppError('validation-failed', {}, [{ path: 'appealDeadline', code: 'invalid-datetime' }]);
    if (Date.parse(deadline) <= clock.now().getTime())
      throw new AppError('validation-failed', {}, [{ path: 'appealDeadline', code: 'deadline-in-past' }]);
    return deadline;
  }

  return {
    async state(slug: string): Promise<PublicationState> {
      const row = await contestRow(slug);
      return {
        status: row.status,
        publishedAt: row.published_at,
        appealDeadline: row.appeal_deadline,
        appealsOpen: appealsOpen(row, clock.now()),
        locks: await locksOf(slug, row.id),
        appeals: await appealRepo.countAppeals(db, row.id),
      };
    },

    /** Publishes locked results with an appeal deadline (also re-publishes after a withdrawal). */
    async publish(slug: string, actorUserId: number, input: unknown): Promise<void> {
      const row = await contestRow(slug);
      const body = parse(PublishInput, input);
      const deadline = deadlineOrThrow(body.appealDeadline);
      if (row.status === 'published') throw new AppError('already-published');
      const locks = await locksOf(slug, row.id);
      if (locks.length === 0) throw new AppError('nothing-locked');
      await write(
        row,
        actorUserId,
        'results.published',
        { status: 'published', publishedAt: isoNow(clock), appealDeadline: deadline },
        {
          appealDeadline: deadline,
          previousStatus: row.status,
          locks: locks.map((l) => ({ lockId: l.lockId, roundKey: l.roundKey, snapshotSha256: l.snapshotHash })),
        },
      );
    },

    /** Moves the appeal deadline of a published contest (earlier or later; not into the past). */
    async setDeadline(slug: string, actorUserId: number, input: unknown): Promise<void> {
      const row = await contestRow(slug);
      const body = parse(PublishInput, input);
      const deadline = deadlineOrThrow(body.appealDeadline);
      if (row.status !== 'published') throw new AppError('not-published');
      await write(
        row,
        actorUserId,
        'results.appeal-deadline-changed',
        { status: 'published', publishedAt: row.published_at, appealDeadline: deadline },
        { appealDeadline: deadline, previous: row.appeal_deadline },
      );
    },

    /** Withdraws the publication (back to 'finished'), with the reason in the ledger. */
    async unpublish(slug: string, actorUserId: number, input: unknown): Promise<void> {
      const row = await contestRow(slug);
      const body = parse(UnpublishInput, input);
      if (row.status !== 'published') throw new AppError('not-published');
      await write(
        row,
        actorUserId,
        'results.unpublished',
        { status: 'finished', publishedAt: null, appealDeadline: row.appeal_deadline },
        { reason: body.reason, publishedAt: row.published_at },
      );
    },

    /** The public results; 404 unless published. */
    async publicView(slug: string): Promise<PublicResults> {
      const row = await contestRow(slug);
      if (row.status !== 'published' || !row.published_at) throw new AppError('contest-not-found', { slug });
      const locks = await locksOf(slug, row.id);
      const basics = contestsRepo.contestBasicsFromRow(row);
      const main = locks[0]?.snapshot.results;
      return {
        contest: {
          slug: basics.slug,
          name: basics.name,
          theme: basics.theme,
          organizer: basics.organizer,
          venue: basics.venue,
          startsOn: basics.startsOn,
          endsOn: basics.endsOn,
        },
        publishedAt: row.published_at,
        appealDeadline: row.appeal_deadline,
        appealsOpen: appealsOpen(row, clock.now()),
        rounds: locks.map(publicRound),
        projects: (main?.projects ?? []).map((p) => ({ ref: p.ref, title: p.title })),
      };
    },
  };
}

export type PublicationService = ReturnType<typeof createPublicationService>;

/** The publication, appeal, certificate, export and results package services for the container. */
export function createPublicationServices(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  events: EventBus,
  publicUrl: string,
) {
  const contests = createContestService(db, clock);
  const { results, awards } = createResultsServices(db, clock, ledger, events);
  return {
    publication: createPublicationService(db, clock, ledger, events, contests, awards),
    appeals: createAppealService(db, clock, ledger, publicUrl),
    certificates: createCertificateService(db, contests, awards, publicUrl),
    resultsExport: createResultsExportService(clock, contests, results, awards),
    resultsPackage: createResultsPackageService(clock, ledger, contests, results, awards),
  };
}
