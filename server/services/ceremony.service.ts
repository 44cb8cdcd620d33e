/**
 * The ceremony reveal (颁奖典礼): steps built from the locked awards of the award round (the
 * current result lock; revoked awards left out), lowest tier first and the audience award last
 * (domain/release.ts ceremonySteps). The position lives in ceremony_state, so a screen that
 * reconnects or joins late shows the current step. `view` is what every screen gets: only the
 * current step, never the ones still to come; `console` is the presenter's full list. Moving is
 * one transaction with a ledger entry and a revision bump, then 'contest.changed'.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as audience from '../data/audience.repo.js';
import * as contestsRepo from '../data/contest.repo.js';
import { ceremonySteps, type CeremonyAward, type CeremonyStep } from '../domain/release.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import type { AwardsService } from './awards.service.js';
import { isoNow, type Clock } from './clock.js';
import { createContestService } from './contest.service.js';
import type { EventBus } from './events.js';
import type { LedgerActor, LedgerService } from './ledger.service.js';
import { awardRoundKey } from './results.service.js';

/** What every screen receives. */
export interface CeremonyView {
  readonly revision: number;
  readonly lockId: number | null;
  /** Steps revealed so far (0 = the title card). */
  readonly step: number;
  readonly total: number;
  readonly current: CeremonyStep | null;
}

/** The presenter's console: every step, revealed or not. */
export interface CeremonyConsole extends CeremonyView {
  readonly steps: readonly CeremonyStep[];
  readonly roundKey: string | null;
  readonly lockedAt: string | null;
}

export const CeremonyAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('next') }),
  z.object({ action: z.literal('back') }),
  z.object({ action: z.literal('reset') }),
  z.object({ action: z.literal('goto'), step: z.coerce.number().int().min(0).max(10_000) }),
]);

export function createCeremonyService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  events: EventBus,
  awards: AwardsService,
) {
  const contests = createContestService(db, clock);
  const cache = new Map<number, CeremonyConsole>();

  async function compute(slug: string): Promise<CeremonyConsole & { contestId: number }> {
    const loaded = await contests.load(slug);
    const { doc } = loaded;
    const roundKey = awardRoundKey(doc);
    const locks = await awards.currentLocks(loaded.id);
    const lock = locks.find((l) => l.roundKey === roundKey) ?? null;
    const audienceTier = new Set(doc.prizeTiers.filter((t) => t.audience).map((t) => t.key));
    const input: CeremonyAward[] = (lock?.awards ?? [])
      .filter((a) => a.revokedAt === null)
      .map((a) => ({
        tierKey: a.tierKey,
        tierName: a.tierName,
        precedence: a.precedence,
        audience: audienceTier.has(a.tierKey),
        scope: a.scope,
        trackKey: a.trackKey,
        trackName: a.trackName,
        ref: a.projectRef,
        title: a.title,
        institution: a.institution,
        leaderName: a.leaderName,
      }));
    const steps = ceremonySteps(
      input,
      doc.tracks.map((t) => t.key),
    );
    const stored = await audience.ceremonyState(db, loaded.id);
    const step = Math.min(stored.step, steps.length);
    return {
      contestId: loaded.id,
      revision: loaded.revision,
      lockId: lock?.lockId ?? null,
      step,
      total: steps.length,
      current: step > 0 ? (steps[step - 1] ?? null) : null,
      steps,
      roundKey,
      lockedAt: lock?.lockedAt ?? null,
    };
  }

  async function consoleOf(slug: string): Promise<CeremonyConsole & { contestId: number }> {
    const row = await contestsRepo.findContestBySlug(db, slug);
    if (!row) throw new AppError('contest-not-found', { slug });
    const cached = cache.get(row.id);
    if (cached && cached.revision === row.revision) return { ...cached, contestId: row.id };
    const fresh = await compute(slug);
    cache.set(row.id, fresh);
    return fresh;
  }

  return {
    /** The public view: the current step only. */
    async view(slug: string): Promise<CeremonyView> {
      const c = await consoleOf(slug);
      return { revision: c.revision, lockId: c.lockId, step: c.step, total: c.total, current: c.current };
    },

    async console(slug: string): Promise<CeremonyConsole> {
      const { contestId: _omit, ...c } = await consoleOf(slug);
      return c;
    },

    /** Forward, back, to the start, or to a step; refused (409) until the award round is locked. */
    async act(slug: string, actor: LedgerActor, input: unknown): Promise<CeremonyConsole> {
      const parsed = CeremonyAction.safeParse(input, { reportInput: true });
      if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
      const cmd = parsed.data;
      const c = await consoleOf(slug);
      if (c.lockId === null) throw new AppError('results-not-locked');
      const step =
        cmd.action === 'next'
          ? Math.min(c.step + 1, c.total)
          : cmd.action === 'back'
            ? Math.max(0, c.step - 1)
            : cmd.action === 'reset'
              ? 0
              : Math.min(cmd.step, c.total);
      const now = isoNow(clock);
      const revision = await db.transaction().execute(async (tx) => {
        await audience.saveCeremonyState(tx, c.contestId, { resultLockId: c.lockId, step }, now);
        await ledger.append(tx, c.contestId, actor, 'ceremony.step', {
          lockId: c.lockId,
          action: cmd.action,
          from: c.step,
          step,
        });
        return contestsRepo.bumpRevision(tx, c.contestId, now);
      });
      events.emit('contest.changed', { contestId: c.contestId, slug, revision, reason: 'ceremony.step' });
      const { contestId: _omit, ...fresh } = await consoleOf(slug);
      return fresh;
    },
  };
}

export type CeremonyService = ReturnType<typeof createCeremonyService>;
