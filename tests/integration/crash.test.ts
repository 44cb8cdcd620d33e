/**
 * Crash safety, short version of `npm run roadshow -- crash-test --kills 100`: a real server
 * process is killed with SIGKILL 5 times at random moments while 5 simulated tablets submit and
 * retry; afterwards every acknowledged score is stored exactly once, SQLite's integrity check and
 * `ledger:verify` pass, and the results and leaderboard equal an independent re-tally. Also checks
 * that the re-tally comparison does catch a wrong score (so the check is not vacuous).
 */
import { describe, expect, it } from 'vitest';
import { compareWithTally, type ServedResults } from '../../scripts/crash/checks.js';
import { display, frac } from '../../scripts/crash/retally.js';
import { formatCrashSummary, runCrashTest } from '../../scripts/crash/run.js';

describe('crash safety', () => {
  it('loses and doubles nothing acknowledged across 5 SIGKILLs', async () => {
    const summary = await runCrashTest({
      kills: 5,
      judges: 5,
      projects: 5,
      maxUptimeMs: 1200,
      startupKillShare: 0.2,
      timeLimitMs: 150_000,
    });
    const report = formatCrashSummary(summary);
    expect(summary.ok, report).toBe(true);
    expect(summary.kills).toBe(5);
    expect(summary.unexpectedExits).toBe(0);
    expect(summary.stats.acks, report).toBeGreaterThan(0);
    expect(summary.stats.refused, report).toBe(0);
    for (const check of summary.checks) expect(check.ok, `${check.name}: ${check.detail}`).toBe(true);
  }, 180_000);

  it('the re-tally comparison catches a wrong or mis-rounded score', () => {
    const tally = {
      decimals: 2,
      rows: [
        { projectId: 1, ref: 'A', score: frac(539n, 6n), judges: 5, trimmed: true },
        { projectId: 2, ref: 'B', score: frac(80n, 1n), judges: 4, trimmed: false },
      ],
    };
    const served = (exactA: string, displayA: string): ServedResults => ({
      results: {
        revision: 1,
        projects: [
          { projectId: 1, ref: 'A', exact: exactA, display: displayA, rank: 1 },
          { projectId: 2, ref: 'B', exact: '80', display: '80.00', rank: 2 },
        ],
      },
      leaderboard: {
        revision: 1,
        scoresShown: true,
        overall: {
          rows: [
            { ref: 'A', rank: 1, display: displayA },
            { ref: 'B', rank: 2, display: '80.00' },
          ],
        },
      },
    });
    expect(display(frac(539n, 6n), 2)).toBe('89.83');
    expect(display(frac(1n, 8n), 2)).toBe('0.13');
    expect(compareWithTally(tally, served('1078/12', '89.83')).every((c) => c.ok)).toBe(true);
    expect(compareWithTally(tally, served('540/6', '90.00')).some((c) => !c.ok)).toBe(true);
    expect(compareWithTally(tally, served('539/6', '89.84')).some((c) => !c.ok)).toBe(true);
  });
});
