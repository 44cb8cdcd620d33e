/**
 * Private judge links: issuing (a new ≥128-bit token per judge, the previous one revoked; only
 * the SHA-256 is stored, the URL is returned once for the QR card), revoking, and exchanging a
 * token for a judge identity. Revoking a link also ends the judge's access on next request.
 */
import type { Db } from '../../db/database.js';
import * as links from '../data/judge-link.repo.js';
import { AppError } from '../errors.js';
import { isoNow, type Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { LedgerService } from './ledger.service.js';
import { randomToken, sha256Hex } from './secrets.js';

export interface JudgeIdentity {
  judgeId: number;
  contestId: number;
  slug: string;
}

export function createJudgeLinkService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  publicUrl: string,
  events: EventBus,
) {
  const urlFor = (token: string) => `${publicUrl}/j/${token}`;

  async function judgeOf(contestId: number, judgeId: number) {
    const judge = await db
      .selectFrom('judge')
      .select(['id', 'key'])
      .where('id', '=', judgeId)
      .where('contest_id', '=', contestId)
      .executeTakeFirst();
    if (!judge) throw new AppError('not-found');
    return judge;
  }

  return {
    /** Issues fresh links (revoking earlier ones); returns each judge's URL, shown once. */
    async issue(
      contestId: number,
      judgeIds: number[],
      actorUserId: number,
    ): Promise<{ judgeId: number; url: string }[]> {
      const out: { judgeId: number; url: string }[] = [];
      await db.transaction().execute(async (tx) => {
        const now = isoNow(clock);
        for (const judgeId of judgeIds) {
          const judge = await tx
            .selectFrom('judge')
            .select(['id', 'key'])
            .where('id', '=', judgeId)
            .where('contest_id', '=', contestId)
            .executeTakeFirst();
          if (!judge) throw new AppError('not-found');
          await links.revokeActiveLinks(tx, judgeId, now);
          const token = randomToken('', 24);
          await links.insertLink(tx, judgeId, sha256Hex(token), now);
          await ledger.append(tx, contestId, { kind: 'organizer', id: actorUserId }, 'judge-link.issued', {
            judgeId,
            judgeKey: judge.key,
          });
          out.push({ judgeId, url: urlFor(token) });
        }
      });
      for (const { judgeId } of out) events.emit('judge.revoked', { contestId, judgeId });
      return out;
    },

    async revoke(contestId: number, judgeId: number, actorUserId: number): Promise<void> {
      const judge = await judgeOf(contestId, judgeId);
      await db.transaction().execute(async (tx) => {
        const n = await links.revokeActiveLinks(tx, judgeId, isoNow(clock));
        if (n)
          await ledger.append(tx, contestId, { kind: 'organizer', id: actorUserId }, 'judge-link.revoked', {
            judgeId,
            judgeKey: judge.key,
          });
      });
      events.emit('judge.revoked', { contestId, judgeId });
    },

    /** The judge behind a link token, or null when unknown or revoked. */
    async exchange(token: string): Promise<JudgeIdentity | null> {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
      const found = await links.findActiveLink(db, sha256Hex(token));
      if (!found) return null;
      await links.touchLink(db, found.linkId, isoNow(clock));
      return { judgeId: found.judgeId, contestId: found.contestId, slug: found.slug };
    },

    /** Whether a judge session is still backed by an active link (revocation ends sessions). */
    async stillActive(judgeId: number, contestId: number): Promise<boolean> {
      return !!(await links.isActiveJudge(db, judgeId, contestId));
    },

    async seen(judgeId: number): Promise<void> {
      await links.touchJudge(db, judgeId, isoNow(clock));
    },

    status: (contestId: number) => links.linkStatus(db, contestId),
  };
}

export type JudgeLinkService = ReturnType<typeof createJudgeLinkService>;
