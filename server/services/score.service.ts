/**
 * Recording a judge's score sheet, exactly once per client submission id. Everything — the
 * replay check, the judge's right to write the sheet, mark validation, the new version, the
 * ledger entry and the revision bump — happens in one transaction; `score.recorded` is emitted
 * after commit, with the stage view read inside that transaction (so the push to the screens needs
 * no query after the commit's fsync, when this process's caches are cold). A replay returns the
 * original receipt; the same id with another payload is a 422.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as links from '../data/judge-link.repo.js';
import * as scores from '../data/score.repo.js';
import { canonical } from '../domain/ledger.js';
import { refusal, validateMarks } from '../domain/score-rules.js';
import { CENTI, toUnits } from '../domain/units.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod, type FieldError } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { LedgerService } from './ledger.service.js';
import { sha256Hex } from './secrets.js';
import type { StageView } from './stage.service.js';

export const INTEREST_KINDS = ['investment', 'clinical-pilot', 'cooperation'] as const;

export const ScoreSubmission = z.object({
  submissionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { error: 'invalid-submission-id' }),
  roundId: z.number().int().positive(),
  projectId: z.number().int().positive(),
  /** Optional: when present it must be the judge of the session. */
  judgeId: z.number().int().positive().optional(),
  /** Points per criterion key, as decimals (e.g. 18.5); stored exactly as hundredths. */
  marks: z.record(z.string().max(40), z.number()),
  comment: z.string().max(2000).default(''),
  interest: z.array(z.enum(INTEREST_KINDS)).max(3).default([]),
});
export type ScoreSubmission = z.infer<typeof ScoreSubmission>;

export interface JudgeActor {
  judgeId: number;
  contestId: number;
}

export interface Receipt {
  submissionId: string;
  scoreId: number;
  roundId: number;
  projectId: number;
  judgeId: number;
  version: number;
  recordedAt: string;
  /** True when this answer repeats an earlier one for the same submission id. */
  replay: boolean;
}

function receiptOf(row: scores.ScoreVersionRow, replay: boolean): Receipt {
  return {
    submissionId: row.submission_id,
    scoreId: row.id,
    roundId: row.round_id,
    projectId: row.project_id,
    judgeId: row.judge_id,
    version: row.version,
    recordedAt: row.created_at,
    replay,
  };
}

/** Points → hundredths, or the field errors for marks that are not exact hundredths. */
function toCenti(marks: Record<string, number>): { centi: Record<string, number>; errors: FieldError[] } {
  const centi: Record<string, number> = {};
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(marks)) {
    const units = toUnits(value, CENTI);
    if (units === null) errors.push({ path: `marks.${key}`, code: 'off-step' });
    else centi[key] = units;
  }
  return { centi, errors };
}

export const UnlockRequest = z.object({
  roundId: z.number().int().positive(),
  projectId: z.number().int().positive(),
  judgeId: z.number().int().positive(),
  reason: z.string().trim().min(2).max(500),
});

export type UnlockActor = { kind: 'organizer'; id: number } | { kind: 'judge'; id: number };

/** What a committed score announces. */
interface Recorded {
  slug: string;
  revision: number;
  row: scores.ScoreVersionRow;
  stage: StageView;
}

export function createScoreService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  events: EventBus,
  stageView: (slug: string, on: Db) => Promise<StageView>,
) {
  return {
    /**
     * Lets one judge revise one sheet after the window closed (a head judge of the contest or an
     * admin, with a written reason). The judge's next submission becomes a new version.
     */
    async unlock(contestId: number, actor: UnlockActor, input: unknown): Promise<{ unlockId: number }> {
      const parsed = UnlockRequest.safeParse(input, { reportInput: true });
      if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
      const req = parsed.data;
      let out = { unlockId: 0, slug: '', revision: 0 };
      await db.transaction().execute(async (tx) => {
        if (actor.kind === 'judge') {
          const head = await tx
            .selectFrom('judge')
            .select('is_head_judge')
            .where('id', '=', actor.id)
            .where('contest_id', '=', contestId)
            .executeTakeFirst();
          if (head?.is_head_judge !== 1) throw new AppError('forbidden');
        }
        const sheet = await scores.latestVersion(tx, req.roundId, req.projectId, req.judgeId);
        const judge = await tx
          .selectFrom('judge')
          .select('id')
          .where('id', '=', req.judgeId)
          .where('contest_id', '=', contestId)
          .executeTakeFirst();
        if (!judge || sheet === 0) throw new AppError('not-found');
        const now = isoNow(clock);
        const { id } = await tx
          .insertInto('score_unlock')
          .values({
            round_id: req.roundId,
            project_id: req.projectId,
            judge_id: req.judgeId,
            actor_kind: actor.kind,
            actor_id: actor.id,
            reason: req.reason,
            created_at: now,
            used_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await ledger.append(tx, contestId, actor, 'score.unlocked', { unlockId: id, ...req });
        const { revision, slug } = await contests.bumpRevisionOf(tx, contestId, now);
        out = { unlockId: id, slug, revision };
      });
      events.emit('contest.changed', { contestId, slug: out.slug, revision: out.revision, reason: 'score.unlocked' });
      return { unlockId: out.unlockId };
    },

    async record(actor: JudgeActor, input: unknown): Promise<Receipt> {
      const parsed = ScoreSubmission.safeParse(input, { reportInput: true });
      if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
      const sub = parsed.data;
      const { centi, errors: precision } = toCenti(sub.marks);
      const interest = [...new Set(sub.interest)].sort();
      const payloadHash = sha256Hex(
        canonical({
          roundId: sub.roundId,
          projectId: sub.projectId,
          judgeId: actor.judgeId,
          marks: centi,
          comment: sub.comment,
          interest,
        }),
      );

      let emitted: Recorded | null = null;
      const receipt = await db.transaction().execute(async (tx) => {
        const earlier = await scores.findBySubmissionId(tx, sub.submissionId);
        if (earlier) {
          if (earlier.judge_id === actor.judgeId && earlier.payload_hash === payloadHash)
            return receiptOf(earlier, true);
          throw new AppError('submission-id-reused');
        }

        const facts = await scores.sheetFacts(tx, {
          contestId: actor.contestId,
          roundId: sub.roundId,
          projectId: sub.projectId,
          judgeId: actor.judgeId,
        });
        // An unlock is used only when the window is closed.
        const unlock = facts.windowOpen ? null : facts.unlock;
        const refused = refusal({
          ownSheet: sub.judgeId === undefined || sub.judgeId === actor.judgeId,
          assigned: facts.assigned,
          recused: facts.recused,
          windowOpen: facts.windowOpen,
          unlocked: !!unlock,
        });
        if (refused) throw new AppError(refused);

        const markErrors = validateMarks(await scores.criterionRanges(tx, sub.roundId), centi);
        const fields: FieldError[] = [
          ...precision,
          ...markErrors
            .filter((e) => !precision.some((p) => p.path === `marks.${e.criterionKey}`))
            .map((e) => ({ path: `marks.${e.criterionKey}`, code: e.problem, params: { criterion: e.criterionKey } })),
        ];
        if (fields.length) throw new AppError('score-out-of-range', {}, fields);

        const now = isoNow(clock);
        const version = facts.latestVersion + 1;
        const row = {
          submission_id: sub.submissionId,
          contest_id: actor.contestId,
          round_id: sub.roundId,
          project_id: sub.projectId,
          judge_id: actor.judgeId,
          version,
          marks: canonical(centi),
          comment: sub.comment,
          interest: JSON.stringify(interest),
          payload_hash: payloadHash,
          actor_kind: 'judge' as const,
          actor_id: actor.judgeId,
          reason: unlock ? unlock.reason : '',
          created_at: now,
        };
        const id = await scores.insertScoreVersion(tx, row);
        if (id === null) throw new AppError('submission-id-reused');
        if (unlock) await scores.markUnlockUsed(tx, unlock.id, now);
        // The judge's "last seen" for the progress grid, in this commit rather than a write of its own.
        await links.touchJudge(tx, actor.judgeId, now);
        await ledger.append(tx, actor.contestId, { kind: 'judge', id: actor.judgeId }, 'score.recorded', {
          submissionId: sub.submissionId,
          roundId: sub.roundId,
          projectId: sub.projectId,
          judgeId: actor.judgeId,
          version,
          marks: centi,
          interest,
          commentSha256: sha256Hex(sub.comment),
          unlockId: unlock?.id ?? null,
        });
        const { revision, slug } = await contests.bumpRevisionOf(tx, actor.contestId, now);
        const saved = { ...row, id };
        emitted = { slug, revision, row: saved, stage: await stageView(slug, tx) };
        return receiptOf(saved, false);
      });

      const done = emitted as Recorded | null;
      if (done) {
        events.emit('score.recorded', {
          contestId: actor.contestId,
          slug: done.slug,
          revision: done.revision,
          roundId: done.row.round_id,
          projectId: done.row.project_id,
          judgeId: done.row.judge_id,
          version: done.row.version,
          stage: done.stage,
        });
      }
      return receipt;
    },
  };
}

export type ScoreService = ReturnType<typeof createScoreService>;
