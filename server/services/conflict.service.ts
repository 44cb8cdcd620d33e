/**
 * Conflicts of interest (回避): the judge × project matrix, automatic detection, manual conflicts
 * and waivers. Rows are never deleted here: waiving keeps the row with waived_at and a reason
 * (the score service recuses only on rows that are not waived). Each change is one transaction
 * with a ledger entry and a revision bump; `contest.changed` is emitted after commit.
 *
 * When automatic detection runs (a deliberate choice): GET pages never write, so the matrix
 * computes the suggestions that are not recorded yet and shows them as "suggested"; they are
 * recorded by the organizer's "detect now" button and, automatically, before every running-order
 * draw (schedule.service), so conflicts are on record before the roadshow. Adding or editing a
 * judge or project does not write conflicts by itself (that code belongs to contest.service);
 * the next detection picks the change up. A pair that already has a row — in particular an
 * automatic conflict an organizer waived — is never added again.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as repo from '../data/conflict.repo.js';
import type { ContestDocument } from '../domain/contest-document.js';
import { findAutoConflicts, type AutoConflict } from '../domain/registration/index.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import { createContestService, type LoadedContest } from './contest.service.js';
import type { EventBus } from './events.js';
import type { LedgerActor, LedgerService } from './ledger.service.js';

export const ConflictChange = z.object({
  judgeKey: z.string().trim().min(1).max(40),
  projectRef: z.string().trim().min(1).max(40),
  reason: z.string().trim().min(1).max(500),
});
export type ConflictChange = z.infer<typeof ConflictChange>;

/** Projects that will never be judged get no automatic conflicts. */
const INACTIVE = new Set(['rejected', 'withdrawn']);

/** The automatic conflicts the rules suggest for a contest right now (recorded or not). */
export function suggestedConflicts(doc: ContestDocument): AutoConflict[] {
  return findAutoConflicts(
    doc.judges,
    doc.projects.filter((p) => !INACTIVE.has(p.status)),
  );
}

export interface ConflictOverview {
  loaded: LoadedContest;
  rows: repo.ConflictRow[];
  /** Display name of the organizer who waived a conflict, by conflict id (from the ledger). */
  waivedBy: Map<number, string>;
  /** Suggestions with no row yet (shown as "suggested"; recorded by detect). */
  pending: AutoConflict[];
}

export function createConflictService(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  const contestService = createContestService(db, clock);

  function parse(input: unknown): ConflictChange {
    const parsed = ConflictChange.safeParse(input, { reportInput: true });
    if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
    return parsed.data;
  }

  function pairIds(loaded: LoadedContest, change: ConflictChange) {
    const judgeId = loaded.ids.judges.get(change.judgeKey);
    const projectId = loaded.ids.projects.get(change.projectRef);
    const fields = [
      ...(judgeId === undefined ? [{ path: 'judgeKey', code: 'unknown-reference' }] : []),
      ...(projectId === undefined ? [{ path: 'projectRef', code: 'unknown-reference' }] : []),
    ];
    if (judgeId === undefined || projectId === undefined) throw new AppError('validation-failed', {}, fields);
    return { judgeId, projectId };
  }

  function changed(loaded: LoadedContest, revision: number, reason: string) {
    events.emit('contest.changed', { contestId: loaded.id, slug: loaded.doc.slug, revision, reason });
  }

  /** Records the suggested conflicts that have no row yet; returns how many were added. */
  async function detectLoaded(loaded: LoadedContest, actor: LedgerActor): Promise<number> {
    const suggestions = suggestedConflicts(loaded.doc);
    if (!suggestions.length) return 0;
    const now = isoNow(clock);
    let revision = 0;
    const added = await db.transaction().execute(async (tx) => {
      const wanted = suggestions.map((s) => ({
        judgeId: loaded.ids.judges.get(s.judgeKey) as number,
        projectId: loaded.ids.projects.get(s.projectRef) as number,
        reason: s.reason,
        source: 'auto' as const,
        createdBy: null,
      }));
      const ids = await repo.insertConflicts(tx, wanted, now);
      if (!ids.length) return [];
      const rows = await repo.listConflictRows(tx, loaded.id);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const judgeKey = new Map([...loaded.ids.judges].map(([k, id]) => [id, k]));
      const projectRef = new Map([...loaded.ids.projects].map(([r, id]) => [id, r]));
      const list = ids.map((id) => {
        const row = byId.get(id) as repo.ConflictRow;
        return {
          conflictId: id,
          judgeKey: judgeKey.get(row.judgeId) ?? '',
          projectRef: projectRef.get(row.projectId) ?? '',
          reason: row.reason,
        };
      });
      await ledger.append(tx, loaded.id, actor, 'conflict.detected', { added: list });
      revision = await contests.bumpRevision(tx, loaded.id, now);
      return list;
    });
    if (added.length) changed(loaded, revision, 'conflict.detected');
    return added.length;
  }

  return {
    async overview(slug: string): Promise<ConflictOverview> {
      const loaded = await contestService.load(slug);
      const [rows, waivedBy] = await Promise.all([
        repo.listConflictRows(db, loaded.id),
        repo.waiversByConflict(db, loaded.id),
      ]);
      const recorded = new Set(rows.map((r) => `${r.judgeId}/${r.projectId}`));
      const pending = suggestedConflicts(loaded.doc).filter(
        (s) => !recorded.has(`${loaded.ids.judges.get(s.judgeKey)}/${loaded.ids.projects.get(s.projectRef)}`),
      );
      return { loaded, rows, waivedBy, pending };
    },

    /** "Detect now": records the missing automatic conflicts (never re-adding waived ones). */
    async detect(slug: string, actor: LedgerActor): Promise<{ added: number }> {
      return { added: await detectLoaded(await contestService.load(slug), actor) };
    },

    detectLoaded,

    /** Adds a manual conflict with a reason; a waived one for the same pair becomes active again. */
    async add(slug: string, actor: LedgerActor, input: unknown): Promise<{ conflictId: number }> {
      const change = parse(input);
      const loaded = await contestService.load(slug);
      const { judgeId, projectId } = pairIds(loaded, change);
      const now = isoNow(clock);
      const createdBy = actor.kind === 'organizer' ? actor.id : null;
      let revision = 0;
      const conflictId = await db.transaction().execute(async (tx) => {
        const existing = await repo.findConflict(tx, judgeId, projectId);
        if (existing && existing.waivedAt === null) throw new AppError('conflict-exists');
        let id: number;
        if (existing) {
          id = existing.id;
          await repo.reinstateConflict(tx, id, change.reason, createdBy, now);
          await ledger.append(tx, loaded.id, actor, 'conflict.reinstated', {
            conflictId: id,
            ...change,
            previous: {
              source: existing.source,
              reason: existing.reason,
              waivedAt: existing.waivedAt,
              waivedReason: existing.waivedReason,
            },
          });
        } else {
          [id] = (await repo.insertConflicts(
            tx,
            [{ judgeId, projectId, reason: change.reason, source: 'manual', createdBy }],
            now,
          )) as [number];
          await ledger.append(tx, loaded.id, actor, 'conflict.added', { conflictId: id, ...change });
        }
        revision = await contests.bumpRevision(tx, loaded.id, now);
        return id;
      });
      changed(loaded, revision, 'conflict.added');
      return { conflictId };
    },

    /** Lifts an active conflict (automatic or manual) with a reason; the row stays on record. */
    async waive(slug: string, actor: LedgerActor, input: unknown): Promise<{ conflictId: number }> {
      const change = parse(input);
      const loaded = await contestService.load(slug);
      const { judgeId, projectId } = pairIds(loaded, change);
      const now = isoNow(clock);
      let revision = 0;
      const conflictId = await db.transaction().execute(async (tx) => {
        const existing = await repo.findConflict(tx, judgeId, projectId);
        if (!existing || existing.waivedAt !== null) throw new AppError('conflict-not-active');
        await repo.waiveConflict(tx, existing.id, now, change.reason);
        await ledger.append(tx, loaded.id, actor, 'conflict.waived', {
          conflictId: existing.id,
          judgeKey: change.judgeKey,
          projectRef: change.projectRef,
          source: existing.source,
          conflictReason: existing.reason,
          reason: change.reason,
        });
        revision = await contests.bumpRevision(tx, loaded.id, now);
        return existing.id;
      });
      changed(loaded, revision, 'conflict.waived');
      return { conflictId };
    },
  };
}

export type ConflictService = ReturnType<typeof createConflictService>;
