/** The ledger's canonical encoding and hash chain: any change to a stored entry is found, at that entry. */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, genesisHash, seal, verifyChain, type LedgerEntry } from '../../server/domain/ledger.js';

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

function chain(n: number): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      seal(sha256, out.at(-1) ?? null, {
        at: `2024-06-01T09:${String(i).padStart(2, '0')}:00.000Z`,
        actor: { kind: 'judge', id: (i % 11) + 1 },
        action: 'score.recorded',
        payload: { projectId: i + 1, marks: { innovation: 1800 + i, team: 1300 }, comment: '临床价值高' },
      }),
    );
  }
  return out;
}

describe('canonical encoding', () => {
  it('sorts keys and drops undefined, independent of insertion order', () => {
    expect(canonical({ b: 1, a: [true, 'x', null], c: undefined })).toBe('{"a":[true,"x",null],"b":1}');
    expect(canonical({ z: { y: 2, x: 1 } })).toBe(canonical({ z: { x: 1, y: 2 } }));
  });
  it('refuses floats so scores can only enter as exact integers', () => {
    expect(() => canonical({ mark: 18.5 })).toThrow(/safe integers/);
  });
  it('normalizes Unicode so the same Chinese text always hashes the same', () => {
    expect(canonical('e\u0301')).toBe(canonical('\u00e9'));
  });
  it('round-trips: decoding an encoding and encoding again gives the same text, whatever the key order', () => {
    // Ledger payloads hold only safe integers: map every generated number to one.
    const integersOnly = fc
      .jsonValue()
      .map((v) =>
        JSON.parse(JSON.stringify(v), (_k, x: unknown) => (typeof x === 'number' ? Math.trunc(x % 1e9) || 0 : x)),
      );
    fc.assert(
      fc.property(integersOnly, (value) => {
        const encoded = canonical(value);
        const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        );
        return canonical(JSON.parse(encoded)) === encoded && canonical(reversed) === encoded;
      }),
    );
  });
});

describe('hash chain', () => {
  it('verifies an intact chain and reports its head', () => {
    const entries = chain(25);
    const result = verifyChain(sha256, entries);
    expect(result).toEqual({ ok: true, count: 25, head: entries[24]!.hash });
    expect(entries[0]!.prevHash).toBe(genesisHash(sha256));
  });

  it('names the first bad entry when any byte of any stored entry changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 }),
        fc.constantFrom('payload', 'action', 'at', 'actor'),
        (index, field) => {
          const entries = chain(25);
          const victim = { ...entries[index]! };
          if (field === 'payload') victim.payload = { ...(victim.payload as object), comment: '临床价值高!' };
          if (field === 'action') victim.action = 'score.recordeD';
          if (field === 'at') victim.at = victim.at.replace('09:', '08:');
          if (field === 'actor') victim.actor = { kind: 'judge', id: 99 };
          entries[index] = victim;
          const result = verifyChain(sha256, entries);
          return !result.ok && result.seq === index + 1 && result.reason === 'hash-mismatch';
        },
      ),
    );
  });

  it('finds removed, reordered and re-hashed entries', () => {
    const removed = chain(10);
    removed.splice(4, 1);
    expect(verifyChain(sha256, removed)).toEqual({ ok: false, seq: 6, reason: 'sequence-gap' });

    const rehashed = chain(10);
    const forged = seal(sha256, rehashed[3]!, { ...rehashed[4]!, payload: { forged: true } });
    rehashed[4] = forged;
    expect(verifyChain(sha256, rehashed)).toEqual({ ok: false, seq: 6, reason: 'previous-hash-mismatch' });
  });
});
