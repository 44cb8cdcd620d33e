/**
 * The verifiable running-order draw (抽签): a public seed and the list of project refs give one
 * permutation that anyone can recompute from the published algorithm (DRAW_ALGORITHM_DESCRIPTION).
 *
 * SHA-256 is injected (`(bytes) => digest`) so this module stays pure; services pass node:crypto's.
 * Pure: no I/O, no clock, no randomness, no node:* or framework imports.
 */
import { RegistrationRuleError } from './errors.js';

/** A SHA-256 implementation: 32-byte digest of the given bytes. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

/** Recorded next to every draw so a future algorithm change can never reinterpret an old one. */
export const DRAW_ALGORITHM_ID = 'roadshow-draw/v1';

/** The standalone reference implementation published with every draw (Python 3, standard library only). */
export const DRAW_REFERENCE_PYTHON = `import hashlib

def roadshow_draw(seed, refs):
    """roadshow-draw/v1: seed is the published string, refs the project refs (any order)."""
    items = sorted(refs, key=lambda r: r.encode("utf-8"))
    words, counter = [], 0

    def next_word():
        nonlocal counter
        if not words:
            block = hashlib.sha256(seed.encode("utf-8") + b":" + str(counter).encode("ascii")).digest()
            counter += 1
            words.extend(int.from_bytes(block[k:k + 4], "big") for k in range(0, 32, 4))
        return words.pop(0)

    for i in range(len(items) - 1, 0, -1):
        m = i + 1
        limit = (2**32 // m) * m
        w = next_word()
        while w >= limit:
            w = next_word()
        j = w % m
        items[i], items[j] = items[j], items[i]
    return items

# One group (track / session): roadshow_draw(seed + ":" + group_key, refs_of_that_group)
`;

/**
 * The draw algorithm as published to teams and the public (zh and en), with the reference code.
 * @example DRAW_ALGORITHM_DESCRIPTION.en.startsWith('Running-order draw') === true
 */
export const DRAW_ALGORITHM_DESCRIPTION = {
  id: DRAW_ALGORITHM_ID,
  zh: `出场顺序抽签算法（${DRAW_ALGORITHM_ID}）
1. 种子：主办方事先公布的一段文字（例如若干词语加时间），原样使用，按 UTF-8 编码；不做任何修改（系统在记录前已去掉首尾空白并做 Unicode NFC 规范化）。
2. 排序：把全部项目编号按 UTF-8 字节序（即 Unicode 码位顺序）升序排列，因此输入顺序不影响结果。
3. 字节流：第 c 块 = SHA-256( 种子 || ":" || c 的十进制写法 )，c = 0, 1, 2, …；各块首尾相接，每 4 个字节按大端序读作一个 32 位无符号整数 w。
4. 洗牌（Fisher–Yates，从末尾开始）：对 i = n−1, n−2, …, 1：令 m = i+1，limit = floor(2^32 / m) × m；依次取下一个 w，若 w ≥ limit 则丢弃再取（拒绝采样，消除取模偏差）；j = w mod m；交换第 i 位与第 j 位（从 0 计数）。
5. 结果：洗牌后的列表即出场顺序，第 0 位第一个出场。
6. 分组抽签（按赛道/场次）：每组独立抽签，该组的种子为 种子 || ":" || 组标识。
任何人都可以用下面的参考程序（Python 3，仅用标准库）复算：

${DRAW_REFERENCE_PYTHON}`,
  en: `Running-order draw algorithm (${DRAW_ALGORITHM_ID})
1. Seed: the text the organizer published beforehand (e.g. a few words plus a time), used verbatim as UTF-8 bytes (the system trims it and applies Unicode NFC before recording it).
2. Sort: all project refs in ascending UTF-8 byte order (= Unicode code point order), so the input order does not matter.
3. Byte stream: block c = SHA-256(seed || ":" || c in decimal), c = 0, 1, 2, …; blocks are concatenated and read 4 bytes at a time as 32-bit unsigned big-endian words w.
4. Shuffle (Fisher–Yates from the end): for i = n−1 down to 1: m = i+1, limit = floor(2^32 / m) × m; take the next w, and while w ≥ limit discard it and take another (rejection sampling, no modulo bias); j = w mod m; swap positions i and j (0-based).
5. Result: the shuffled list is the running order; position 0 pitches first.
6. Per-group draw (track / session): each group is drawn independently with seed || ":" || group key.
Anyone can recompute it with this reference program (Python 3, standard library only):

${DRAW_REFERENCE_PYTHON}`,
} as const;

const encoder = new TextEncoder();
const TWO_32 = 2 ** 32;
/** In a `u` regex a class of surrogates matches only unpaired ones (UTF-8 cannot encode them). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The canonical form a seed must be recorded in: trimmed, Unicode NFC (so the same words typed
 * on another keyboard or OS give the same bytes).
 * @example canonicalDrawSeed('  决赛抽签 2024-11-22 09:30 ') === '决赛抽签 2024-11-22 09:30'
 */
export function canonicalDrawSeed(raw: string): string {
  return raw.normalize('NFC').trim();
}

/**
 * Draws the running order of `refs` from a public seed (see DRAW_ALGORITHM_DESCRIPTION).
 * Throws `draw-seed-empty`, `draw-seed-not-canonical`, `draw-duplicate-ref` or `draw-bad-hash`.
 * @example drawOrder('final 2024-11-22 09:30', ['P01', 'P02', 'P03'], sha256) // ['P03', 'P01', 'P02']
 */
export function drawOrder(seed: string, refs: readonly string[], sha256: Sha256): string[] {
  assertSeed(seed);
  const items = sortCanonically(refs);
  for (let k = 1; k < items.length; k++) {
    if (items[k] === items[k - 1]) throw new RegistrationRuleError('draw-duplicate-ref', { ref: items[k] ?? '' });
  }
  const nextWord = wordStream(seed, sha256);
  for (let i = items.length - 1; i > 0; i--) {
    const m = i + 1;
    const limit = Math.floor(TWO_32 / m) * m;
    let w = nextWord();
    while (w >= limit) w = nextWord();
    const j = w % m;
    const a = items[i] as string;
    items[i] = items[j] as string;
    items[j] = a;
  }
  return items;
}

/**
 * Draws each group (track, session) independently with seed + ":" + groupKey. A ref may appear
 * in one group only.
 * @example drawGroupedOrder('final', { ai: ['P1', 'P2'], devices: ['P3'] }, sha256) // { ai: [...], devices: ['P3'] }
 */
export function drawGroupedOrder(
  seed: string,
  groups: Readonly<Record<string, readonly string[]>>,
  sha256: Sha256,
): Record<string, string[]> {
  assertSeed(seed);
  const seen = new Set<string>();
  for (const refs of Object.values(groups)) {
    for (const ref of refs) {
      if (seen.has(ref)) throw new RegistrationRuleError('draw-duplicate-ref', { ref });
      seen.add(ref);
    }
  }
  const out: Record<string, string[]> = {};
  for (const [key, refs] of Object.entries(groups)) out[key] = drawOrder(`${seed}:${key}`, refs, sha256);
  return out;
}

/**
 * Whether a claimed order is exactly what the algorithm gives for this seed and these refs.
 * @example verifyDraw(seed, refs, drawOrder(seed, refs, sha256), sha256) === true
 */
export function verifyDraw(seed: string, refs: readonly string[], claimed: readonly string[], sha256: Sha256): boolean {
  const order = drawOrder(seed, refs, sha256);
  return order.length === claimed.length && order.every((ref, i) => ref === claimed[i]);
}

function assertSeed(seed: string): void {
  if (seed.trim() === '') throw new RegistrationRuleError('draw-seed-empty');
  if (canonicalDrawSeed(seed) !== seed || LONE_SURROGATE.test(seed))
    throw new RegistrationRuleError('draw-seed-not-canonical');
}

/**
 * Ascending by Unicode code point, which equals UTF-8 byte order (JS's default sort compares
 * UTF-16 units, which differs above U+FFFF). A lone surrogate sorts by its own value.
 */
function sortCanonically(refs: readonly string[]): string[] {
  const keyed = refs.map((ref) => ({ ref, points: Array.from(ref, (ch) => ch.codePointAt(0) as number) }));
  keyed.sort((x, y) => comparePoints(x.points, y.points));
  return keyed.map((k) => k.ref);
}

function comparePoints(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** 32-bit big-endian words of SHA-256(seed ":" 0) || SHA-256(seed ":" 1) || … */
function wordStream(seed: string, sha256: Sha256): () => number {
  const seedBytes = encoder.encode(`${seed}:`);
  let counter = 0;
  let block: Uint8Array = new Uint8Array(0);
  let offset = 0;
  return () => {
    if (offset >= block.length) {
      const counterBytes = encoder.encode(String(counter));
      const input = new Uint8Array(seedBytes.length + counterBytes.length);
      input.set(seedBytes, 0);
      input.set(counterBytes, seedBytes.length);
      block = sha256(input);
      if (block.length !== 32) throw new RegistrationRuleError('draw-bad-hash', { length: block.length });
      counter++;
      offset = 0;
    }
    const b = block;
    const w =
      (b[offset] as number) * 0x1000000 +
      (((b[offset + 1] as number) << 16) | ((b[offset + 2] as number) << 8) | (b[offset + 3] as number));
    offset += 4;
    return w;
  };
}
