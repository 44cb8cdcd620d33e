/**
 * Locking awards and changing them afterwards. `lock` turns the awards dry run of a round into
 * a result lock (the results and dry run as a JSON snapshot) with one award row per allocation,
 * each with a certificate number (`<PREFIX>-<year>-<seq>`, a contest-scoped sequence) and a
 * random public verification code, plus a 'results.locked' ledger entry carrying the snapshot's
 * SHA-256 — all in one transaction that bumps the revision. Relocking needs a reason and
 * supersedes the previous lock (its awards are revoked). After a lock, awards change only by a
 * reasoned override (add / remove), recorded in award_override and the ledger.
 *
 * Computation comes from results.service.ts; nothing is recomputed or rounded here.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contestsRepo from '../data/contest.repo.js';
import * as repo from '../data/results.repo.js';
import type { ContestDocument } from '../domain/contest-document.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { LedgerService } from './ledger.service.js';
import { createResultsService, type ComputedRound, type ResultsService } from './results.service.js';
import type { AwardOverrideView, LockedAward, LockedResults, LockSnapshot, ResultsProject } from './results.types.js';
import { sha256Hex } from './secrets.js';

export type OrganizerActor = { kind: 'organizer'; id: number };

export const LockInput = z.object({
  roundKey: z.string().trim().min(1).max(40).optional(),
  /** The revision the dry run was reviewed at; a different current revision refuses the lock. */
  expectedRevision: z.number().int().nonnegative().optional(),
  /** Required when the round is already locked: why the results are locked again. */
  relockReason: z.string().trim().max(1000).optional(),
});

export const OverrideInput = z.object({
  roundKey: z.string().trim().min(1).max(40).optional(),
  action: z.enum(['add', 'remove']),
  tierKey: z.string().trim().min(1).max(40),
  projectRef: z.string().trim().min(1).max(40),
  reason: z.string().trim().min(1).max(1000),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A random base32 code of 16 characters: 80 bits from the OS generator. */
export function verifyCode(): string {
  const bytes = crypto.randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

/**
 * The certificate prefix from the contest slug: initials of its alphabetic segments, upper case,
 * 2–6 letters (`bj-medtech-transfer-2024` → `BMT`).
 */
export function certificatePrefix(slug: string): string {
  const words = slug.split('-').filter((w) => /^[a-z]/.test(w));
  let prefix = words
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .slice(0, 6);
  if (prefix.length < 2)
    prefix = (words[0] ?? 'RS')
      .replace(/[^a-z]/g, '')
      .slice(0, 4)
      .toUpperCase()
      .padEnd(2, 'X');
  return prefix;
}

function certificateYear(doc: ContestDocument, now: string): string {
  return (doc.startsOn ?? doc.endsOn ?? now).slice(0, 4);
}

export function createAwardsService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  events: EventBus,
  results: ResultsService,
) {
  /** `<PREFIX>-<year>-` for a contest; the contest id is added when another contest uses the prefix. */
  async function certificateStem(tx: Db, contestId: number, doc: ContestDocument, now: string): Promise<string> {
    const prefix = certificatePrefix(doc.slug);
    const year = certificateYear(doc, now);
    const stem = `${prefix}-${year}-`;
    return (await repo.certificatePrefixUsedElsewhere(tx, contestId, stem)) ? `${prefix}${contestId}-${year}-` : stem;
  }

  const certificateNo = (stem: string, seq: number) => `${stem}${String(seq).padStart(3, '0')}`;

  async function lockedById(contestId: number, lock: repo.ResultLockRow): Promise<LockedResults> {
    const [awards, overrides, superseded] = await Promise.all([
      repo.awardsOfLock(db, lock.id),
      repo.overridesOfLock(db, lock.id),
      repo.supersededLocks(db, contestId, lock.round_id),
    ]);
    const snapshot = JSON.parse(lock.snapshot) as LockSnapshot;
    return {
      lockId: lock.id,
      contestId,
      contestSlug: snapshot.results.contest.slug,
      roundId: lock.round_id,
      roundKey: snapshot.results.round.key,
      lockedAt: lock.locked_at,
      lockedBy: lock.locked_by,
      ledgerSeq: lock.ledger_seq,
      snapshotHash: sha256Hex(lock.snapshot),
      snapshot,
      awards: awards.map((a): LockedAward => ({
        id: a.id,
        tierKey: a.tier_key,
        tierName: { zh: a.tier_name_zh, en: a.tier_name_en },
        precedence: a.precedence,
        scope: a.scope,
        trackKey: a.track_key ?? null,
        trackName: a.track_key ? { zh: a.track_name_zh ?? '', en: a.track_name_en ?? '' } : null,
        projectId: a.project_id,
        projectRef: a.ref,
        title: a.title,
        institution: a.institution,
        leaderName: a.leader_name,
        members: (JSON.parse(a.members) as { name: string; role?: string }[]).map((m) => ({
          name: m.name,
          role: m.role ?? '',
        })),
        rank: a.rank,
        scoreText: a.score_text,
        certificateNo: a.certificate_no,
        verifyCode: a.verify_code,
        createdAt: a.created_at,
        revokedAt: a.revoked_at,
      })),
      overrides: overrides.map((o): AwardOverrideView => ({
        id: o.id,
        change: JSON.parse(o.change) as AwardOverrideView['change'],
        reason: o.reason,
        actorUserId: o.actor_user_id,
        createdAt: o.created_at,
      })),
      superseded: superseded.map((s) => ({ lockId: s.id, lockedAt: s.locked_at, supersededAt: s.superseded_at ?? '' })),
    };
  }

  function rankIn(project: ResultsProject | undefined, scope: 'overall' | 'track'): number | null {
    if (!project) return null;
    return scope === 'overall' ? project.competitionRank : project.trackCompetitionRank;
  }

  async function resolveRound(slug: string, roundKey: string | undefined): Promise<ComputedRound> {
    return results.compute(slug, roundKey);
  }

  async function lockOnce(
    slug: string,
    actor: OrganizerActor,
    body: z.output<typeof LockInput>,
  ): Promise<LockedResults> {
    const computed = await resolveRound(slug, body.roundKey);
    const { inputs, dryRun } = computed;
    const { loaded, roundId } = inputs;
    if (body.expectedRevision !== undefined && body.expectedRevision !== loaded.revision)
      throw new AppError('results-changed');
    if (!dryRun.lockable) throw new AppError('decision-needed');
    const existing = await repo.currentLock(db, loaded.id, roundId);
    const relockReason = body.relockReason ? body.relockReason : null;
    if (existing && !relockReason)
      throw new AppError('results-locked', {}, [{ path: 'relockReason', code: 'required' }]);

    const snapshot: LockSnapshot = {
      format: 'roadshow.results/v1',
      results: computed.results,
      dryRun,
      relockReason: existing ? relockReason : null,
    };
    const snapshotText = JSON.stringify(snapshot);
    const snapshotSha256 = sha256Hex(snapshotText);
    const projectByRef = new Map(computed.results.projects.map((p) => [p.ref, p]));
    const now = isoNow(clock);

    let lockId = 0;
    const revision = await db.transaction().execute(async (tx) => {
      const current = await repo.contestRevision(tx, loaded.id);
      if (current.revision !== loaded.revision) throw new AppError('results-changed');
      if (existing) await repo.supersedeLock(tx, existing.id, now);
      lockId = await repo.insertLock(tx, {
        contest_id: loaded.id,
        round_id: roundId,
        snapshot: snapshotText,
        ledger_seq: 0,
        locked_by: actor.id,
        locked_at: now,
        superseded_at: null,
      });
      const stem = await certificateStem(tx, loaded.id, loaded.doc, now);
      let seq = await repo.countAwards(tx, loaded.id);
      const written: { certificateNo: string; tierKey: string; projectRef: string }[] = [];
      for (const a of dryRun.allocations) {
        const project = projectByRef.get(a.projectRef);
        const no = certificateNo(stem, ++seq);
        await repo.insertAward(tx, {
          contestId: loaded.id,
          lockId,
          prizeTierId: loaded.ids.prizeTiers.get(a.tierKey)!,
          projectId: loaded.ids.projects.get(a.projectRef)!,
          trackId: a.trackKey ? (loaded.ids.tracks.get(a.trackKey) ?? null) : null,
          rank: a.rank,
          scoreText: a.display ?? project?.display ?? '',
          certificateNo: no,
          verifyCode: verifyCode(),
          createdAt: now,
        });
        written.push({ certificateNo: no, tierKey: a.tierKey, projectRef: a.projectRef });
      }
      const entry = await ledger.append(tx, loaded.id, actor, 'results.locked', {
        lockId,
        roundId,
        roundKey: inputs.round.key,
        revision: loaded.revision,
        snapshotSha256,
        supersedes: existing?.id ?? null,
        reason: existing ? relockReason : null,
        awards: written,
      });
      await repo.setLockLedgerSeq(tx, lockId, entry.seq);
      return contestsRepo.bumpRevision(tx, loaded.id, now);
    });
    events.emit('contest.changed', {
      contestId: loaded.id,
      slug: loaded.doc.slug,
      revision,
      reason: 'results.locked',
    });
    const lock = await repo.currentLock(db, loaded.id, roundId);
    return lockedById(loaded.id, lock!);
  }

  return {
    /** The current lock of a round (default: the award round), or null when not locked. */
    async locked(slug: string, roundKey?: string): Promise<LockedResults | null> {
      const computed = await resolveRound(slug, roundKey);
      const { loaded, roundId } = computed.inputs;
      const lock = await repo.currentLock(db, loaded.id, roundId);
      return lock ? lockedById(loaded.id, lock) : null;
    },

    /** The contest's current locks (one per locked round), newest first. */
    async currentLocks(contestId: number): Promise<LockedResults[]> {
      const locks = await repo.currentLocks(db, contestId);
      return Promise.all(locks.map((l) => lockedById(contestId, l)));
    },

    /** Locks the dry run: one action writes the lock, the awards and the ledger entry. */
    async lock(slug: string, actor: OrganizerActor, input: unknown): Promise<LockedResults> {
      const body = parse(LockInput, input ?? {});
      // Without an expected revision, a change landing between computing and writing (a late
      // score, an auto-close) just means computing again.
      for (let attempt = 1; ; attempt++) {
        try {
          return await lockOnce(slug, actor, body);
        } catch (err) {
          const retry = body.expectedRevision === undefined && attempt < 3;
          if (!(retry && err instanceof AppError && err.code === 'results-changed')) throw err;
        }
      }
    },

    /** Adds or removes one award of the current lock, with a reason (award_override + ledger). */
    async override(
      slug: string,
      actor: OrganizerActor,
      input: unknown,
    ): Promise<{ override: AwardOverrideView; locked: LockedResults }> {
      const body = parse(OverrideInput, input);
      const computed = await resolveRound(slug, body.roundKey);
      const { loaded, roundId } = computed.inputs;
      const lock = await repo.currentLock(db, loaded.id, roundId);
      if (!lock) throw new AppError('results-not-locked');
      const tierId = loaded.ids.prizeTiers.get(body.tierKey);
      const projectId = loaded.ids.projects.get(body.projectRef);
      const fields = [
        ...(tierId === undefined ? [{ path: 'tierKey', code: 'unknown-reference' }] : []),
        ...(projectId === undefined ? [{ path: 'projectRef', code: 'unknown-reference' }] : []),
      ];
      if (tierId === undefined || projectId === undefined) throw new AppError('validation-failed', {}, fields);
      const tier = loaded.doc.prizeTiers.find((t) => t.key === body.tierKey)!;
      const project = loaded.doc.projects.find((p) => p.ref === body.projectRef)!;
      const awards = await repo.awardsOfLock(db, lock.id);
      const active = awards.filter((a) => a.project_id === projectId && a.revoked_at === null);
      const sameTier = awards.find((a) => a.project_id === projectId && a.prize_tier_id === tierId);
      if (body.action === 'add' && active.length) throw new AppError('award-exists', { ref: body.projectRef });
      if (body.action === 'remove' && !active.some((a) => a.prize_tier_id === tierId)) throw new AppError('not-found');
      const snapshot = JSON.parse(lock.snapshot) as LockSnapshot;
      const resultsProject = snapshot.results.projects.find((p) => p.ref === body.projectRef);
      const now = isoNow(clock);

      let overrideId = 0;
      let certificate = sameTier?.certificate_no ?? '';
      const revision = await db.transaction().execute(async (tx) => {
        if (body.action === 'remove') {
          await repo.setAwardRevoked(tx, sameTier!.id, now);
        } else if (sameTier) {
          await repo.setAwardRevoked(tx, sameTier.id, null);
        } else {
          const stem = await certificateStem(tx, loaded.id, loaded.doc, now);
          certificate = certificateNo(stem, (await repo.countAwards(tx, loaded.id)) + 1);
          await repo.insertAward(tx, {
            contestId: loaded.id,
            lockId: lock.id,
            prizeTierId: tierId,
            projectId,
            trackId: tier.scope === 'track' ? (loaded.ids.tracks.get(project.trackKey) ?? null) : null,
            rank: rankIn(resultsProject, tier.scope),
            scoreText: resultsProject?.display ?? '',
            certificateNo: certificate,
            verifyCode: verifyCode(),
            createdAt: now,
          });
        }
        const change = {
          action: body.action,
          tierKey: body.tierKey,
          projectRef: body.projectRef,
          certificateNo: certificate,
        };
        overrideId = await repo.insertOverride(tx, {
          contest_id: loaded.id,
          result_lock_id: lock.id,
          change: JSON.stringify(change),
          reason: body.reason,
          actor_user_id: actor.id,
          created_at: now,
        });
        await ledger.append(tx, loaded.id, actor, 'results.overridden', {
          lockId: lock.id,
          overrideId,
          ...change,
          reason: body.reason,
        });
        return contestsRepo.bumpRevision(tx, loaded.id, now);
      });
      events.emit('contest.changed', {
        contestId: loaded.id,
        slug: loaded.doc.slug,
        revision,
        reason: 'results.overridden',
      });
      const locked = await lockedById(loaded.id, lock);
      return { override: locked.overrides.find((o) => o.id === overrideId)!, locked };
    },
  };
}

export type AwardsService = ReturnType<typeof createAwardsService>;

/** Both results services for the container (services/index.ts). */
export function createResultsServices(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  const results = createResultsService(db, clock, ledger, events);
  return { results, awards: createAwardsService(db, clock, ledger, events, results) };
}
