/**
 * Running the stage: the host's actions (call, next, timers, open/close scoring), each applied
 * through the pure state machine and stored with its scoring window, ledger entry and revision
 * bump in one transaction, then announced with `stage.changed`. Scoring closes by itself a
 * configured number of seconds after every eligible judge has submitted; that pending close is
 * stored, so a restart re-arms it.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as scores from '../data/score.repo.js';
import * as stages from '../data/stage.repo.js';
import { remainingMs, StageError, transition, type Stage, type StageAction } from '../domain/stage.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { LedgerService } from './ledger.service.js';

export const HostAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), roundId: z.number().int().positive(), projectId: z.number().int().positive() }),
  z.object({ kind: z.literal('next'), roundId: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('start-pitch') }),
  z.object({ kind: z.literal('start-qa') }),
  z.object({ kind: z.literal('pause') }),
  z.object({ kind: z.literal('resume') }),
  z.object({ kind: z.literal('extend'), seconds: z.number().int().min(-600).max(600) }),
  z.object({ kind: z.literal('open-scoring') }),
  z.object({ kind: z.literal('close-scoring') }),
  z.object({ kind: z.literal('reset') }),
]);
export type HostAction = z.infer<typeof HostAction>;

export interface StageView {
  contestId: number;
  slug: string;
  revision: number;
  phase: Stage['phase'];
  roundId: number | null;
  projectId: number | null;
  timer: { kind: 'pitch' | 'qa'; durationMs: number; remainingMs: number; running: boolean } | null;
  /** Server time, so clients can correct their clock when counting down. */
  serverNow: number;
  scoring: { eligible: number; submitted: number } | null;
  autoCloseAt: string | null;
  /** Public facts about what is on stage (never contacts). */
  round: { id: number; key: string; name: { zh: string; en: string }; pitchSeconds: number; qaSeconds: number } | null;
  project: {
    id: number;
    ref: string;
    title: string;
    institution: string;
    track: { key: string; name: { zh: string; en: string } };
    outOfCompetition: boolean;
  } | null;
}

export function createStageService(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  const timers = new Map<number, NodeJS.Timeout>();

  async function contestBySlug(slug: string) {
    const row = await contests.findContestBySlug(db, slug);
    if (!row) throw new AppError('contest-not-found', { slug });
    return row;
  }

  /** What screens and tablets show of the stage now; `on` a transaction, as that transaction sees it. */
  async function view(slug: string, on: Db = db): Promise<StageView> {
    const facts = await stages.stageViewFacts(on, slug);
    if (!facts) throw new AppError('contest-not-found', { slug });
    const row = facts.stage;
    const stage = stages.stageFromRow(row);
    const now = clock.now().getTime();
    return {
      contestId: facts.contestId,
      slug,
      revision: facts.revision,
      phase: stage.phase,
      roundId: stage.roundId,
      projectId: stage.projectId,
      timer: stage.timer
        ? {
            kind: stage.timer.kind,
            durationMs: stage.timer.durationMs,
            remainingMs: remainingMs(stage.timer, now),
            running: stage.timer.pausedRemainingMs === null,
          }
        : null,
      serverNow: now,
      scoring:
        stage.roundId && stage.projectId && (stage.phase === 'scoring' || stage.phase === 'closed')
          ? await scores.progressCounts(on, facts.contestId, stage.roundId, stage.projectId)
          : null,
      autoCloseAt: row?.auto_close_at ?? null,
      round: facts.round,
      project: facts.project,
    };
  }

  function arm(contestId: number, slug: string, at: string | null): void {
    clearTimeout(timers.get(contestId));
    timers.delete(contestId);
    if (!at) return;
    const delay = Math.max(0, Date.parse(at) - clock.now().getTime());
    const timer = setTimeout(() => {
      timers.delete(contestId);
      act(slug, { kind: 'system', id: null }, { kind: 'close-scoring' }, 'auto').catch(() => undefined);
    }, delay);
    timer.unref();
    timers.set(contestId, timer);
  }

  async function act(
    slug: string,
    actor: { kind: 'organizer' | 'system'; id: number | null },
    input: unknown,
    closedBy: 'host' | 'auto' = 'host',
  ): Promise<StageView> {
    const parsed = HostAction.safeParse(input, { reportInput: true });
    if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
    const action = parsed.data;
    const contest = await contestBySlug(slug);
    let revision = 0;
    await db.transaction().execute(async (tx) => {
      const now = clock.now();
      const iso = now.toISOString();
      const current = stages.stageFromRow(await stages.getStageRow(tx, contest.id));
      const step = await resolve(tx, contest.id, current, action);
      let next: Stage;
      try {
        next = transition(current, step, now.getTime());
      } catch (err) {
        if (err instanceof StageError) throw new AppError('stage-conflict');
        throw err;
      }
      if (step.kind === 'open-scoring') await stages.insertWindow(tx, next.roundId!, next.projectId!, iso);
      if (step.kind === 'close-scoring')
        await stages.closeWindows(tx, current.roundId!, current.projectId!, iso, closedBy);
      await stages.saveStage(tx, contest.id, next, null, iso);
      await ledger.append(tx, contest.id, actor, `stage.${step.kind}`, {
        roundId: next.roundId ?? current.roundId,
        projectId: next.projectId ?? current.projectId,
        phase: next.phase,
        ...(closedBy === 'auto' ? { closedBy } : {}),
        ...('seconds' in step ? { seconds: step.seconds } : {}),
      });
      revision = await contests.bumpRevision(tx, contest.id, iso);
    });
    arm(contest.id, slug, null);
    events.emit('stage.changed', { contestId: contest.id, slug, revision });
    return view(slug);
  }

  /** Turns a host action into a state-machine step, looking up round timings and the next project. */
  async function resolve(tx: Db, contestId: number, current: Stage, action: HostAction): Promise<StageAction> {
    const roundOf = async (roundId: number | null) => {
      const round = roundId
        ? await tx
            .selectFrom('round')
            .selectAll()
            .where('id', '=', roundId)
            .where('contest_id', '=', contestId)
            .executeTakeFirst()
        : undefined;
      if (!round) throw new AppError('stage-conflict');
      return round;
    };
    switch (action.kind) {
      case 'call': {
        await roundOf(action.roundId);
        const lineup = await stages.roundLineup(tx, contestId, action.roundId);
        if (!lineup.includes(action.projectId)) throw new AppError('not-found');
        return action;
      }
      case 'next': {
        const roundId = action.roundId ?? current.roundId;
        if (!roundId) throw new AppError('stage-conflict');
        await roundOf(roundId);
        const lineup = await stages.roundLineup(tx, contestId, roundId);
        const at = current.projectId && current.roundId === roundId ? lineup.indexOf(current.projectId) : -1;
        const projectId = lineup[at + 1];
        if (projectId === undefined) throw new AppError('stage-conflict');
        return { kind: 'call', roundId, projectId };
      }
      case 'start-pitch':
        return { kind: 'start-pitch', seconds: (await roundOf(current.roundId)).pitch_seconds };
      case 'start-qa':
        return { kind: 'start-qa', seconds: (await roundOf(current.roundId)).qa_seconds };
      default:
        return action;
    }
  }

  return {
    view,
    act,

    /** After a score lands: when every eligible judge has submitted, schedule the automatic close. */
    async onScoreRecorded(contestId: number, slug: string, roundId: number, projectId: number): Promise<void> {
      const row = await stages.getStageRow(db, contestId);
      if (
        !row ||
        row.phase !== 'scoring' ||
        row.round_id !== roundId ||
        row.project_id !== projectId ||
        row.auto_close_at
      )
        return;
      const { eligible, submitted } = await scores.progressCounts(db, contestId, roundId, projectId);
      if (eligible === 0 || submitted < eligible) return;
      const round = await db
        .selectFrom('round')
        .select('auto_close_seconds')
        .where('id', '=', roundId)
        .executeTakeFirstOrThrow();
      const at = new Date(clock.now().getTime() + round.auto_close_seconds * 1000).toISOString();
      let revision = 0;
      await db.transaction().execute(async (tx) => {
        await stages.setAutoCloseAt(tx, contestId, at);
        revision = await contests.bumpRevision(tx, contestId, clock.now().toISOString());
      });
      events.emit('stage.changed', { contestId, slug, revision });
      arm(contestId, slug, at);
    },

    /** Re-arms automatic closes stored before a restart. */
    async rearm(): Promise<number> {
      const pending = await stages.pendingAutoCloses(db);
      for (const p of pending) arm(p.contest_id, p.slug, p.auto_close_at);
      return pending.length;
    },

    stop(): void {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}

export type StageService = ReturnType<typeof createStageService>;
