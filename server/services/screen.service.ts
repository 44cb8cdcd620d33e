/**
 * The big screen's state: the mode the host picked ('auto' follows the stage), the leaderboard
 * track, and the score reveal (which project, how many judge totals shown). `view` is the public
 * projection every screen receives — the reveal only under a policy that shows scores, judge
 * names only with the contest setting (domain/release.ts) — cached by contest revision. `act`
 * applies a host command in one transaction with a ledger entry and a revision bump, then emits
 * 'contest.changed'. Also builds the audience services for the container (createAudienceServices).
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as audience from '../data/audience.repo.js';
import * as contestsRepo from '../data/contest.repo.js';
import { getStageRow, roundLineup } from '../data/stage.repo.js';
import {
  SCREEN_MODES,
  projectReveal,
  revealAllowed,
  screenShows,
  type AudienceReveal,
  type ReleasePolicy,
  type ScreenMode,
  type ScreenShows,
} from '../domain/release.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { createResultsServices } from './awards.service.js';
import { createCeremonyService } from './ceremony.service.js';
import { isoNow, type Clock } from './clock.js';
import type { EventBus } from './events.js';
import { createLeaderboardService, revealSourceOf, type LeaderboardService } from './leaderboard.service.js';
import type { LedgerActor, LedgerService } from './ledger.service.js';

export interface ScreenView {
  readonly revision: number;
  /** The stored mode. */
  readonly mode: ScreenMode;
  /** What the screen shows now ('auto' resolved against the stage). */
  readonly shows: ScreenShows;
  /** A track key, 'overall', or null (the screen rotates through the tracks and the overall board). */
  readonly leaderboardTrack: string | null;
  readonly policy: ReleasePolicy;
  readonly roundKey: string | null;
  /** The team of the project on stage (names only). */
  readonly team: {
    readonly projectId: number;
    readonly leaderName: string;
    readonly members: readonly string[];
  } | null;
  /** The project after the one on stage in the running order. */
  readonly next: { readonly ref: string; readonly title: string; readonly institution: string } | null;
  readonly reveal: AudienceReveal | null;
}

export const ScreenAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('mode'), mode: z.enum(SCREEN_MODES) }),
  z.object({
    action: z.literal('track'),
    track: z
      .string()
      .trim()
      .max(40)
      .nullable()
      .transform((v) => (v ? v : null)),
  }),
  z.object({ action: z.literal('reveal-start'), projectId: z.coerce.number().int().positive().optional() }),
  z.object({ action: z.literal('reveal-next') }),
  z.object({ action: z.literal('reveal-final') }),
  z.object({ action: z.literal('reveal-back') }),
  z.object({ action: z.literal('reveal-clear') }),
]);
export type ScreenAction = z.infer<typeof ScreenAction>;

export function createScreenService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  events: EventBus,
  leaderboard: LeaderboardService,
) {
  const cache = new Map<number, ScreenView>();

  async function compute(slug: string): Promise<ScreenView> {
    const board = await leaderboard.state(slug);
    const [stage, screen] = await Promise.all([
      getStageRow(db, board.contestId),
      audience.screenState(db, board.contestId),
    ]);
    const phase = stage?.phase ?? 'idle';
    const stageProject = stage?.project_id ?? null;
    const reveal = projectReveal(
      revealSourceOf(board.results, screen.revealProjectId),
      screen.revealStep,
      board.policy,
      board.doc.settings.showJudgeMarksOnScreen,
    );
    let team: ScreenView['team'] = null;
    let next: ScreenView['next'] = null;
    if (stageProject !== null && phase !== 'idle') {
      const found = await audience.projectTeam(db, stageProject);
      if (found) team = { projectId: stageProject, leaderName: found.leaderName, members: found.members };
      if (stage?.round_id) {
        const lineup = await roundLineup(db, board.contestId, stage.round_id);
        const nextId = lineup[lineup.indexOf(stageProject) + 1];
        const p = board.results?.projects.find((x) => x.projectId === nextId);
        if (p && lineup.includes(stageProject)) next = { ref: p.ref, title: p.title, institution: p.institution };
      }
    }
    return {
      revision: board.revision,
      mode: screen.mode,
      shows: screenShows(screen.mode, { phase, projectId: stageProject }, reveal ? screen.revealProjectId : null),
      leaderboardTrack: screen.leaderboardTrack,
      policy: board.policy,
      roundKey: board.roundKey,
      team,
      next,
      reveal,
    };
  }

  async function view(slug: string): Promise<ScreenView> {
    const row = await contestsRepo.findContestBySlug(db, slug);
    if (!row) throw new AppError('contest-not-found', { slug });
    const cached = cache.get(row.id);
    if (cached && cached.revision === row.revision) return cached;
    const fresh = await compute(slug);
    const current = cache.get(row.id);
    if (!current || current.revision <= fresh.revision) cache.set(row.id, fresh);
    return fresh;
  }

  async function act(slug: string, actor: LedgerActor, input: unknown): Promise<ScreenView> {
    const parsed = ScreenAction.safeParse(input, { reportInput: true });
    if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
    const cmd = parsed.data;
    const board = await leaderboard.state(slug);
    const { contestId, doc } = board;
    const current = await audience.screenState(db, contestId);
    const next = { ...current };
    const revealCount = () =>
      revealSourceOf(board.results, current.revealProjectId)?.judges.filter((j) => j.status === 'scored' && j.total)
        .length ?? 0;
    const needReveal = () => {
      if (!revealAllowed(board.policy)) throw new AppError('release-hidden');
      if (current.revealProjectId === null || !revealSourceOf(board.results, current.revealProjectId))
        throw new AppError('reveal-not-started');
    };
    switch (cmd.action) {
      case 'mode':
        next.mode = cmd.mode;
        break;
      case 'track':
        if (cmd.track !== null && cmd.track !== 'overall' && !doc.tracks.some((t) => t.key === cmd.track))
          throw new AppError('validation-failed', {}, [{ path: 'track', code: 'unknown-reference' }]);
        next.leaderboardTrack = cmd.track;
        break;
      case 'reveal-start': {
        if (!revealAllowed(board.policy)) throw new AppError('release-hidden');
        const stage = await getStageRow(db, contestId);
        const projectId = cmd.projectId ?? stage?.project_id ?? null;
        if (projectId === null || !revealSourceOf(board.results, projectId)) throw new AppError('not-found');
        if (stage?.phase === 'scoring' && stage.project_id === projectId) throw new AppError('reveal-scoring-open');
        next.revealProjectId = projectId;
        next.revealStep = 0;
        break;
      }
      case 'reveal-next':
        needReveal();
        next.revealStep = Math.min(current.revealStep + 1, revealCount());
        break;
      case 'reveal-final':
        needReveal();
        next.revealStep = revealCount() + 1;
        break;
      case 'reveal-back':
        needReveal();
        next.revealStep = Math.max(0, Math.min(current.revealStep, revealCount() + 1) - 1);
        break;
      case 'reveal-clear':
        next.revealProjectId = null;
        next.revealStep = 0;
        break;
    }
    const now = isoNow(clock);
    const revision = await db.transaction().execute(async (tx) => {
      await audience.saveScreenState(tx, contestId, next, now);
      await ledger.append(tx, contestId, actor, 'screen.changed', {
        action: cmd.action,
        mode: next.mode,
        leaderboardTrack: next.leaderboardTrack,
        projectId: next.revealProjectId,
        step: next.revealStep,
      });
      return contestsRepo.bumpRevision(tx, contestId, now);
    });
    events.emit('contest.changed', { contestId, slug: doc.slug, revision, reason: 'screen.changed' });
    return view(slug);
  }

  return { view, act };
}

export type ScreenService = ReturnType<typeof createScreenService>;

/** The audience services (leaderboard, screen, ceremony) for the container (services/index.ts). */
export function createAudienceServices(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  const { results, awards } = createResultsServices(db, clock, ledger, events);
  const leaderboard = createLeaderboardService(db, clock, ledger, events, results);
  return {
    leaderboard,
    screen: createScreenService(db, clock, ledger, events, leaderboard),
    ceremony: createCeremonyService(db, clock, ledger, events, awards),
  };
}
