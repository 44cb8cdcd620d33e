import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DRAW_ALGORITHM_DESCRIPTION,
  DRAW_REFERENCE_PYTHON,
  RegistrationRuleError,
  canonicalDrawSeed,
  drawGroupedOrder,
  drawOrder,
  verifyDraw,
  type Sha256,
} from '../../../server/domain/registration/index.js';

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

/**
 * An independent, deliberately plain rendering of the published algorithm (Buffer, node:crypto,
 * a generator), written from DRAW_ALGORITHM_DESCRIPTION rather than from draw.ts.
 */
function referenceDraw(seed: string, refs: readonly string[]): string[] {
  const items = [...refs].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  function* words(): Generator<number> {
    for (let counter = 0; ; counter++) {
      const block = createHash('sha256').update(`${seed}:${counter}`, 'utf8').digest();
      for (let k = 0; k < 32; k += 4) yield block.readUInt32BE(k);
    }
  }
  const stream = words();
  const next = () => stream.next().value as number;
  for (let i = items.length - 1; i >= 1; i--) {
    const m = i + 1;
    const limit = Math.floor(4294967296 / m) * m;
    let w = next();
    while (w >= limit) w = next();
    const j = w % m;
    [items[i], items[j]] = [items[j] as string, items[i] as string];
  }
  return items;
}

const refsOf = (n: number) => Array.from({ length: n }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);

const GOLDEN_SEED = '2024北京城市副中心创新医学转化大赛 决赛抽签 2024-11-22 09:30';
/** Computed once with drawOrder, then confirmed by referenceDraw and the published Python program. */
const GOLDEN_ORDER = ['P12', 'P09', 'P11', 'P01', 'P08', 'P10', 'P07', 'P05', 'P02', 'P06', 'P03', 'P04'];

const seedArb = fc
  .string({ minLength: 1, maxLength: 30, unit: 'grapheme' })
  .map(canonicalDrawSeed)
  .filter((s) => s !== '');
const refsArb = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6, unit: 'binary' }), { maxLength: 30 });

describe('drawOrder golden', () => {
  it('gives the recorded order for a fixed seed, whatever the input order', () => {
    expect(drawOrder(GOLDEN_SEED, refsOf(12), sha256)).toEqual(GOLDEN_ORDER);
    expect(drawOrder(GOLDEN_SEED, refsOf(12).reverse(), sha256)).toEqual(GOLDEN_ORDER);
  });

  it('agrees with an independent reimplementation of the published algorithm', () => {
    expect(referenceDraw(GOLDEN_SEED, refsOf(12))).toEqual(GOLDEN_ORDER);
  });

  it('draws groups with seed + ":" + group key', () => {
    const groups = { 'ai-health': ['A1', 'A2', 'A3', 'A4', 'A5'], devices: ['D4', 'D3', 'D2', 'D1'] };
    const drawn = drawGroupedOrder('决赛抽签 2024-11-22 09:30', groups, sha256);
    expect(drawn).toEqual({ 'ai-health': ['A2', 'A4', 'A5', 'A1', 'A3'], devices: ['D1', 'D3', 'D4', 'D2'] });
    expect(drawn['ai-health']).toEqual(referenceDraw('决赛抽签 2024-11-22 09:30:ai-health', groups['ai-health']));
    expect(drawn.devices).toEqual(referenceDraw('决赛抽签 2024-11-22 09:30:devices', groups.devices));
  });

  it('matches the reference Python program printed in the published description', () => {
    const python = ['python3', 'python'].find((cmd) => {
      try {
        execFileSync(cmd, ['--version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!python) throw new Error('python3 is needed to check the published reference program');
    expect(DRAW_ALGORITHM_DESCRIPTION.zh).toContain(DRAW_REFERENCE_PYTHON);
    expect(DRAW_ALGORITHM_DESCRIPTION.en).toContain(DRAW_REFERENCE_PYTHON);
    const program = `${DRAW_REFERENCE_PYTHON}
import json, sys
args = json.loads(sys.stdin.read())
print(json.dumps([roadshow_draw(seed, refs) for seed, refs in args]))
`;
    const cases: [string, string[]][] = [
      [GOLDEN_SEED, refsOf(12)],
      ['决赛抽签 2024-11-22 09:30:ai-health', ['A5', 'A1', 'A3', 'A2', 'A4']],
      ['x', refsOf(40)],
      ['种子', ['b', 'B', 'a-1', 'a_1', '€', '𝔸', 'ｚ']],
    ];
    const out = execFileSync(python, ['-c', program], { input: JSON.stringify(cases), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(cases.map(([seed, refs]) => drawOrder(seed, refs, sha256)));
  });

  it('consumes the hash stream as published: 8 big-endian words per block, rejecting w >= limit', () => {
    // Block 0 is all 0xFF: for m = 3 every word equals 2^32 − 1 ≥ limit (4294967295) and is rejected,
    // so the first swap uses block 1's first word (5 → j = 2); m = 2 then takes block 1's second word (7 → j = 1).
    const inputs: string[] = [];
    const fake: Sha256 = (bytes) => {
      const text = new TextDecoder().decode(bytes);
      inputs.push(text);
      if (text === 'seed:0') return new Uint8Array(32).fill(0xff);
      const block = new Uint8Array(32);
      block.set([0, 0, 0, 5, 0, 0, 0, 7]);
      return block;
    };
    // Sorted: [a, b, c]. i = 2, j = 2 → [a, b, c]; i = 1, j = 1 → [a, b, c].
    expect(drawOrder('seed', ['c', 'a', 'b'], fake)).toEqual(['a', 'b', 'c']);
    expect(inputs).toEqual(['seed:0', 'seed:1']);
    const swapping: Sha256 = () => new Uint8Array(32); // every word 0 → j = 0
    expect(drawOrder('seed', ['c', 'a', 'b'], swapping)).toEqual(['b', 'c', 'a']);
  });

  it('reads words big-endian', () => {
    // Bytes 00 00 00 01: big-endian 1 → j = 1, no swap; read little-endian (0x01000000, even) it would swap.
    const oneBigEndian: Sha256 = () => Uint8Array.from([0, 0, 0, 1, ...new Array<number>(28).fill(0)]);
    expect(drawOrder('s', ['x', 'y'], oneBigEndian)).toEqual(['x', 'y']); // j = 1: no swap
  });
});

describe('drawOrder properties', () => {
  it('is a permutation of the input', () => {
    fc.assert(
      fc.property(seedArb, refsArb, (seed, refs) => {
        const order = drawOrder(seed, refs, sha256);
        expect([...order].sort()).toEqual([...refs].sort());
      }),
    );
  });

  it('depends on the seed only, not on the input order', () => {
    fc.assert(
      fc.property(
        seedArb,
        refsArb.chain((refs) => fc.tuple(fc.constant(refs), fc.shuffledSubarray(refs, { minLength: refs.length }))),
        (seed, [refs, shuffled]) => {
          expect(drawOrder(seed, shuffled, sha256)).toEqual(drawOrder(seed, refs, sha256));
        },
      ),
    );
  });

  it('gives different orders for different seeds (12 items: a clash has probability 1/12!)', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (a, b) => {
        fc.pre(a !== b);
        expect(drawOrder(a, refsOf(12), sha256)).not.toEqual(drawOrder(b, refsOf(12), sha256));
      }),
    );
  });

  it('rarely repeats an order across 1,000 seed pairs of 8 items (expected 1000/8! ≈ 0.025 clashes)', () => {
    let same = 0;
    for (let i = 0; i < 1000; i++) {
      const a = drawOrder(`pair ${i} a`, refsOf(8), sha256);
      const b = drawOrder(`pair ${i} b`, refsOf(8), sha256);
      if (a.every((ref, k) => ref === b[k])) same++;
    }
    expect(same).toBeLessThanOrEqual(2);
  });

  it('handles zero and one item', () => {
    expect(drawOrder('s', [], sha256)).toEqual([]);
    expect(drawOrder('s', ['P1'], sha256)).toEqual(['P1']);
  });

  it('sorts by code point, not UTF-16 unit, before shuffling', () => {
    // U+FF5A (ｚ) < U+1D538 (𝔸) by code point; by UTF-16 units 𝔸's lead surrogate 0xD835 sorts first.
    const zeros: Sha256 = () => new Uint8Array(32); // every word 0 → j = 0: the two items swap
    expect(drawOrder('s', ['𝔸', 'ｚ'], zeros)).toEqual(drawOrder('s', ['ｚ', '𝔸'], zeros));
    expect(drawOrder('s', ['𝔸', 'ｚ'], zeros)).toEqual(['𝔸', 'ｚ']);
  });

  it('verifyDraw accepts exactly the drawn order', () => {
    expect(verifyDraw(GOLDEN_SEED, refsOf(12), GOLDEN_ORDER, sha256)).toBe(true);
    expect(verifyDraw(GOLDEN_SEED, refsOf(12), [...GOLDEN_ORDER].reverse(), sha256)).toBe(false);
    expect(verifyDraw(GOLDEN_SEED, refsOf(12), GOLDEN_ORDER.slice(1), sha256)).toBe(false);
  });
});

describe('drawOrder errors', () => {
  const codeOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof RegistrationRuleError ? e.code : 'other';
    }
    return 'none';
  };

  it.each([
    ['empty seed', () => drawOrder('', ['a'], sha256), 'draw-seed-empty'],
    ['blank seed', () => drawOrder(' \u3000 ', ['a'], sha256), 'draw-seed-empty'],
    ['untrimmed seed', () => drawOrder(' s', ['a'], sha256), 'draw-seed-not-canonical'],
    ['NFD seed', () => drawOrder('e\u0301', ['a'], sha256), 'draw-seed-not-canonical'],
    ['lone surrogate in seed', () => drawOrder('s\uD800', ['a'], sha256), 'draw-seed-not-canonical'],
    ['duplicate ref', () => drawOrder('s', ['a', 'b', 'a'], sha256), 'draw-duplicate-ref'],
    ['ref in two groups', () => drawGroupedOrder('s', { x: ['a'], y: ['a'] }, sha256), 'draw-duplicate-ref'],
    ['short digest', () => drawOrder('s', ['a', 'b'], () => new Uint8Array(20)), 'draw-bad-hash'],
    ['grouped blank seed', () => drawGroupedOrder('', { x: ['a'] }, sha256), 'draw-seed-empty'],
  ])('%s', (_name, f, code) => {
    expect(codeOf(f)).toBe(code);
  });

  it('canonicalDrawSeed trims and composes', () => {
    expect(canonicalDrawSeed('  e\u0301 决赛 ')).toBe('\u00e9 决赛');
  });
});
