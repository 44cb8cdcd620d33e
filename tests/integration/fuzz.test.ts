/**
 * Fuzzing, short version of `npx tsx scripts/fuzz.ts --seconds 600`: a real server process gets
 * ~18 s of property-based requests to every JSON endpoint (mutated valid bodies, wrong types,
 * huge strings, deep nesting, odd unicode, prototype keys, wrong content types, malformed JSON) as
 * anonymous, audience, judge and organizer — no 5xx, no partial writes, /healthz keeps answering —
 * then ~10 s of malformed raw Socket.IO traffic while well-behaved clients must keep receiving
 * pushes. The seed is printed on failure (FUZZ_SEED=<n> repeats it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFuzzContext, type FuzzContext } from '../../scripts/fuzz/context.js';
import { Findings } from '../../scripts/fuzz/findings.js';
import { fuzzHttp } from '../../scripts/fuzz/http-fuzz.js';
import { fuzzSockets } from '../../scripts/fuzz/socket-fuzz.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
let ctx: FuzzContext;

beforeAll(async () => {
  ctx = await createFuzzContext();
}, 90_000);
afterAll(async () => {
  await ctx?.close();
});

const report = (findings: Findings) =>
  `seed ${seed}:\n` +
  findings.list.map((f) => `${f.kind} ${f.where} (${f.actor}, ${f.status}): ${f.detail}\n  ${f.input}`).join('\n');

describe('fuzzing', () => {
  it('JSON endpoints: no 5xx, no partial writes, the server keeps answering', async () => {
    const findings = new Findings();
    const stats = await fuzzHttp(ctx, findings, { timeMs: 18_000, seed });
    expect(findings.list, report(findings)).toEqual([]);
    expect(stats.restarts).toBe(0);
    expect(stats.requests).toBeGreaterThan(100);
    expect(stats.reached.size).toBeGreaterThan(5);
    expect(await ctx.server.healthy()).toBe(true);
  }, 90_000);

  it('raw Socket.IO frames: no crash, well-behaved clients keep receiving pushes', async () => {
    const findings = new Findings();
    const stats = await fuzzSockets(ctx, findings, { timeMs: 10_000, seed, pushEvery: 6 });
    expect(findings.list, report(findings)).toEqual([]);
    expect(stats.restarts).toBe(0);
    expect(stats.runs).toBeGreaterThan(20);
    expect(stats.pushChecks).toBeGreaterThan(2);
    expect(await ctx.server.healthy()).toBe(true);
  }, 90_000);
});
