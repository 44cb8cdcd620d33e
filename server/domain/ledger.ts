/**
 * The hash-chained ledger: every score version, stage action, unlock and award decision is an
 * entry whose hash covers a canonical encoding of the entry and the previous entry's hash, so
 * changing, removing or reordering any stored entry breaks every hash after it.
 *
 *   hash(n) = SHA-256( hash(n-1) + "\n" + canonical({ seq, at, actor, action, payload }) )
 *   hash(0) = SHA-256 of the empty chain marker below
 *
 * Pure: the SHA-256 function is passed in (node:crypto in the app, anything in tests).
 */

export type Sha256Hex = (text: string) => string;

export const GENESIS = 'roadshow-ledger-v1';

export interface LedgerFact {
  seq: number;
  /** ISO-8601 timestamp. */
  at: string;
  actor: { kind: 'organizer' | 'judge' | 'system' | 'public'; id: number | null };
  action: string;
  payload: unknown;
}

export interface LedgerEntry extends LedgerFact {
  prevHash: string;
  hash: string;
}

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, only integers, finite values.
 * @example canonical({ b: 1, a: [true, 'x'] }) === '{"a":[true,"x"],"b":1}'
 */
export function canonical(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value.normalize('NFC'));
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`ledger values must be safe integers, got ${value}`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      const keys = Object.keys(value as object)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot encode ${typeof value} in the ledger`);
  }
}

export function genesisHash(sha256: Sha256Hex): string {
  return sha256(GENESIS);
}

/** The hash of one fact chained onto `prevHash`. */
export function chainHash(sha256: Sha256Hex, prevHash: string, fact: LedgerFact): string {
  const { seq, at, actor, action, payload } = fact;
  return sha256(`${prevHash}\n${canonical({ seq, at, actor, action, payload })}`);
}

/** Seals a new fact onto the chain whose head is `head` (null for an empty chain). */
export function seal(sha256: Sha256Hex, head: LedgerEntry | null, fact: Omit<LedgerFact, 'seq'>): LedgerEntry {
  const seq = head ? head.seq + 1 : 1;
  const prevHash = head ? head.hash : genesisHash(sha256);
  const full: LedgerFact = { ...fact, seq };
  return { ...full, prevHash, hash: chainHash(sha256, prevHash, full) };
}

export type VerifyResult =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; reason: 'sequence-gap' | 'previous-hash-mismatch' | 'hash-mismatch' | 'unencodable' };

/** Checks a whole chain in order and names the first bad entry. */
export function verifyChain(sha256: Sha256Hex, entries: readonly LedgerEntry[]): VerifyResult {
  let prevHash = genesisHash(sha256);
  let expectedSeq = 1;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) return { ok: false, seq: entry.seq, reason: 'sequence-gap' };
    if (entry.prevHash !== prevHash) return { ok: false, seq: entry.seq, reason: 'previous-hash-mismatch' };
    let hash: string;
    try {
      hash = chainHash(sha256, prevHash, entry);
    } catch {
      return { ok: false, seq: entry.seq, reason: 'unencodable' };
    }
    if (hash !== entry.hash) return { ok: false, seq: entry.seq, reason: 'hash-mismatch' };
    prevHash = entry.hash;
    expectedSeq += 1;
  }
  return { ok: true, count: entries.length, head: prevHash };
}
