/** Ledger rows: the head of a contest's chain, appending one sealed entry, and reading the chain in order. */
import type { Db } from '../../db/database.js';
import { placeholdersOf, prepareQuery } from '../../db/prepared-query.js';
import type { LedgerEntry } from '../domain/ledger.js';
import { canonical } from '../domain/ledger.js';

type Row = {
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: number | null;
  action: string;
  payload: string;
  prev_hash: string;
  hash: string;
};

function toEntry(r: Row): LedgerEntry {
  return {
    seq: r.seq,
    at: r.at,
    actor: { kind: r.actor_kind as LedgerEntry['actor']['kind'], id: r.actor_id },
    action: r.action,
    payload: JSON.parse(r.payload),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const head = prepareQuery((db: Db, $: { contestId: number }) =>
  db.selectFrom('ledger_entry').selectAll().where('contest_id', '=', $.contestId).orderBy('seq', 'desc').limit(1),
);

export async function ledgerHead(db: Db, contestId: number): Promise<LedgerEntry | null> {
  const row = await head.first(db, { contestId });
  return row ? toEntry(row) : null;
}

type EntryColumns = Row & { contest_id: number };
const ENTRY_COLUMNS = ['contest_id', 'seq', 'at', 'actor_kind', 'actor_id', 'action', 'payload', 'prev_hash', 'hash'] as const;
const insertEntry = prepareQuery((db: Db, $: EntryColumns) =>
  db.insertInto('ledger_entry').values(placeholdersOf($, ENTRY_COLUMNS)),
);

export async function insertLedgerEntry(db: Db, contestId: number, e: LedgerEntry): Promise<void> {
  await insertEntry.run(db, {
    contest_id: contestId,
    seq: e.seq,
    at: e.at,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id,
    action: e.action,
    payload: canonical(e.payload),
    prev_hash: e.prevHash,
    hash: e.hash,
  });
}

export async function listLedger(db: Db, contestId: number, afterSeq = 0, limit = 1_000_000): Promise<LedgerEntry[]> {
  const rows = await db
    .selectFrom('ledger_entry')
    .selectAll()
    .where('contest_id', '=', contestId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

export async function contestsWithLedger(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('ledger_entry').select('contest_id').distinct().orderBy('contest_id').execute();
  return rows.map((r) => r.contest_id);
}
