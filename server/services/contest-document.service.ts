/**
 * Whole-contest export and import in the one documented JSON format (domain/contest-document.ts).
 * Export reads a contest back as a document in a stable order (positions; ids are not part of
 * it). Import validates the whole document first (422 with JSON paths such as
 * `rounds[0].criteria[1].max`), refuses a used slug (409), then writes every part in ONE
 * transaction: on any error nothing is written.
 *
 * Used by `POST /api/v1/contests`, `GET /api/v1/contests/:slug/export` and the demo seeding.
 * Must not import Express or Socket.IO.
 */
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as parts from '../data/contest-parts.repo.js';
import { ContestDocument } from '../domain/contest-document.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import { createContestService } from './contest.service.js';

function slugTaken(slug: string): AppError {
  return new AppError('slug-taken', { slug }, [{ path: 'slug', code: 'duplicate-key' }]);
}

/** better-sqlite3 reports a UNIQUE violation with this code and the `table.column` in the message. */
function isSlugClash(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(e.message).includes('contest.slug');
}

/** Inserts every part of a validated document; the caller provides the transaction. */
async function insertDocument(tx: Db, doc: ContestDocument, now: string): Promise<number> {
  const contestId = await contests.insertContest(tx, doc, now);
  const trackIds = new Map<string, number>();
  for (const [i, track] of doc.tracks.entries())
    trackIds.set(track.key, await parts.insertTrack(tx, contestId, track, i));
  for (const [i, round] of doc.rounds.entries()) {
    const roundId = await parts.insertRound(tx, contestId, round, i);
    for (const [j, criterion] of round.criteria.entries()) await parts.insertCriterion(tx, roundId, criterion, j);
  }
  for (const [i, tier] of doc.prizeTiers.entries()) await parts.insertPrizeTier(tx, contestId, tier, i);
  const judgeIds = new Map<string, number>();
  for (const [i, judge] of doc.judges.entries())
    judgeIds.set(judge.key, await parts.insertJudge(tx, contestId, judge, i));
  const projectIds = new Map<string, number>();
  for (const [i, project] of doc.projects.entries()) {
    const trackId = idOf(trackIds, project.trackKey);
    projectIds.set(project.ref, await parts.insertProject(tx, contestId, project, trackId, i, now));
  }
  for (const conflict of doc.conflicts) {
    await parts.insertConflict(
      tx,
      idOf(judgeIds, conflict.judgeKey),
      idOf(projectIds, conflict.projectRef),
      conflict,
      now,
    );
  }
  return contestId;
}

/** The document's own rules guarantee every reference resolves; a miss is a programming error. */
function idOf(ids: Map<string, number>, key: string): number {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`contest document: unresolved reference ${key}`);
  return id;
}

export function createContestDocumentService(db: Db, clock: Clock) {
  const contestService = createContestService(db, clock);

  return {
    /** The full document of a contest (private fields included: organizers only). */
    async exportContest(slug: string): Promise<ContestDocument> {
      return (await contestService.load(slug)).doc;
    },

    /**
     * Validates and imports a whole contest document.
     * @example await importContest({ slug: 'demo-2025', name: { zh: '演示' } }) // → { id: 1, slug: 'demo-2025' }
     */
    async importContest(input: unknown): Promise<{ id: number; slug: string }> {
      const parsed = ContestDocument.safeParse(input, { reportInput: true });
      if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
      const doc = parsed.data;
      if (await contests.slugExists(db, doc.slug)) throw slugTaken(doc.slug);
      const now = isoNow(clock);
      try {
        const id = await db.transaction().execute((tx) => insertDocument(tx, doc, now));
        return { id, slug: doc.slug };
      } catch (err) {
        // Another import took the slug between the check and the insert.
        if (isSlugClash(err)) throw slugTaken(doc.slug);
        throw err;
      }
    },
  };
}

export type ContestDocumentService = ReturnType<typeof createContestDocumentService>;
