/** Audience-vote burst rules: excess-only flagging per address and per project, replay and grouping. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  burstReasons,
  DEFAULT_BURST_RULES,
  explainBursts,
  groupBursts,
  lookbackMs,
  type BurstRules,
  type VoteFact,
} from '../../server/domain/vote-bursts.js';

const rules: BurstRules = {
  ipLimit: 3,
  ipWindowMs: 60_000,
  projectLimit: 5,
  projectWindowMs: 10_000,
  projectShare: 0.8,
};
const v = (ipHash: string, projectId: number, at: number): VoteFact => ({ ipHash, projectId, at });

describe('burstReasons', () => {
  it('lets the first ipLimit votes of an address through and flags the excess', () => {
    const earlier = [v('a', 1, 0), v('a', 2, 1000), v('a', 3, 2000)];
    expect(burstReasons(v('a', 1, 2500), earlier.slice(0, 2), rules)).toEqual([]);
    expect(burstReasons(v('a', 1, 3000), earlier, rules)).toEqual(['ip-burst']);
  });

  it('forgets votes older than the address window', () => {
    const earlier = [v('a', 1, 0), v('a', 2, 1000), v('a', 3, 2000)];
    expect(burstReasons(v('a', 4, 60_000), earlier, rules)).toEqual([]);
    expect(burstReasons(v('a', 4, 59_999), earlier, rules)).toEqual(['ip-burst']);
  });

  it('counts other addresses separately', () => {
    const earlier = [v('a', 1, 0), v('a', 2, 1), v('a', 3, 2)];
    expect(burstReasons(v('b', 1, 3), earlier, rules)).toEqual([]);
  });

  it('flags a spike for one project from many addresses when it dominates the window', () => {
    const earlier = Array.from({ length: 5 }, (_, i) => v(`d${i}`, 7, i * 100));
    expect(burstReasons(v('x', 7, 600), earlier, rules)).toEqual(['project-spike']);
    expect(burstReasons(v('x', 7, 600), earlier.slice(1), rules)).toEqual([]);
  });

  it('does not flag a busy window that is spread over projects', () => {
    const earlier = [
      ...Array.from({ length: 5 }, (_, i) => v(`d${i}`, 7, i * 100)),
      ...Array.from({ length: 5 }, (_, i) => v(`e${i}`, 8, i * 100)),
    ];
    expect(burstReasons(v('x', 7, 900), earlier, rules)).toEqual([]);
  });

  it('reports both reasons', () => {
    const earlier = Array.from({ length: 5 }, (_, i) => v('a', 7, i * 100));
    expect(burstReasons(v('a', 7, 600), earlier, rules)).toEqual(['ip-burst', 'project-spike']);
  });

  it('ignores votes "after" the new one (clock skew between rows)', () => {
    expect(burstReasons(v('a', 1, 0), [v('a', 1, 10), v('a', 1, 20), v('a', 1, 30)], rules)).toEqual([]);
  });

  it('has sane defaults', () => {
    expect(DEFAULT_BURST_RULES.ipLimit).toBeGreaterThan(1);
    expect(lookbackMs(DEFAULT_BURST_RULES)).toBe(DEFAULT_BURST_RULES.ipWindowMs);
  });
});

describe('explainBursts and groupBursts', () => {
  it('replays in order and groups the flagged votes for review', () => {
    const votes = [
      ...Array.from({ length: 5 }, (_, i) => ({ id: i + 1, ...v('a', (i % 3) + 1, i * 1000) })),
      { id: 6, ...v('b', 1, 5500) },
    ];
    const explained = explainBursts(votes, rules);
    expect(explained.map((e) => e.reasons.length)).toEqual([0, 0, 0, 1, 1, 0]);
    const groups = groupBursts(explained);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ key: 'ip:a', reason: 'ip-burst', ipHash: 'a', firstAt: 3000, lastAt: 4000 });
    expect(groups[0]!.votes.map((x) => x.id)).toEqual([4, 5]);
  });

  it('the replay agrees with deciding each vote on arrival (property)', () => {
    const arb = fc.array(
      fc.record({ ip: fc.constantFrom('a', 'b', 'c'), project: fc.integer({ min: 1, max: 3 }), gap: fc.nat(20_000) }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        let at = 0;
        const votes = raw.map((r) => v(r.ip, r.project, (at += r.gap)));
        const online = votes.map((vote, i) => burstReasons(vote, votes.slice(0, i), rules));
        expect(explainBursts(votes, rules).map((e) => e.reasons)).toEqual(online);
      }),
    );
  });

  it('never flags more than the excess for one address (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (n) => {
        const votes = Array.from({ length: n }, (_, i) => v('a', 1 + (i % 5), i));
        const flagged = explainBursts(votes, rules).filter((e) => e.reasons.includes('ip-burst')).length;
        expect(flagged).toBe(Math.max(0, n - rules.ipLimit));
      }),
    );
  });
});
