/**
 * The audit ledger: `append` seals a fact onto a contest's chain inside the caller's transaction
 * (so the fact and the change it records commit together); `verify` rechecks a whole chain.
 */
import type { Db } from '../../db/database.js';
import * as repo from '../data/ledger.repo.js';
import { seal, verifyChain, type LedgerEntry, type LedgerFact, type VerifyResult } from '../domain/ledger.js';
import { isoNow, type Clock } from './clock.js';
import { sha256Hex } from './secrets.js';

export type LedgerActor = LedgerFact['actor'];

export function createLedgerService(db: Db, clock: Clock) {
  return {
    /** Appends within `tx` (a transaction already open by the caller). */
    async append(
      tx: Db,
      contestId: number,
      actor: LedgerActor,
      action: string,
      payload: unknown,
    ): Promise<LedgerEntry> {
      const head = await repo.ledgerHead(tx, contestId);
      const entry = seal(sha256Hex, head, { at: isoNow(clock), actor, action, payload });
      await repo.insertLedgerEntry(tx, contestId, entry);
      return entry;
    },

    async head(contestId: number): Promise<{ seq: number; hash: string } | null> {
      const head = await repo.ledgerHead(db, contestId);
      return head ? { seq: head.seq, hash: head.hash } : null;
    },

    async verify(contestId: number): Promise<VerifyResult> {
      return verifyChain(sha256Hex, await repo.listLedger(db, contestId));
    },

    entries: (contestId: number, afterSeq = 0, limit = 200) => repo.listLedger(db, contestId, afterSeq, limit),
    contestIds: () => repo.contestsWithLedger(db),
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
