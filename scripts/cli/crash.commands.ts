/**
 * `crash-test`: kills a real server with SIGKILL at random moments while simulated tablets submit
 * and retry, then checks that nothing acknowledged was lost or doubled, the database and ledger
 * verify, and the results equal an independent re-tally (scripts/crash/). Writes its summary into
 * docs/security-results.md. Needs no DATA_DIR: it works in a fresh temporary one.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { crashMarkdown, formatCrashSummary, runCrashTest } from '../crash/run.js';
import { RESULTS_FILE, writeResultsSection } from '../crash/report.js';
import { parseOptions } from './context.js';

const Count = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `at least ${min}` })
        .max(max, { error: `at most ${max}` }),
    );

const CrashOptions = z.object({
  kills: Count(1, 10_000),
  judges: Count(1, 60),
  projects: Count(2, 40),
  seed: Count(0, 999_999_999).optional(),
  maxUptime: Count(50, 60_000),
  minutes: Count(1, 24 * 60),
  keep: z.boolean().default(false),
  report: z.boolean().default(true),
});

export function registerCrashCommands(program: Command): void {
  program
    .command('crash-test')
    .description(
      'SIGKILL a real server at random moments while simulated tablets score; then verify nothing acknowledged was lost',
    )
    .option('--kills <n>', 'how many times to kill the server', '100')
    .option('--judges <n>', 'simulated tablets (one per judge)', '8')
    .option('--projects <n>', 'projects with an open scoring window', '6')
    .option('--seed <n>', 'random seed (default: from the clock)')
    .option('--max-uptime <ms>', 'longest time the server serves before the next kill', '2000')
    .option('--minutes <n>', 'give up (and fail) after this long', '60')
    .option('--keep', 'keep the temporary DATA_DIR')
    .option('--no-report', `do not write ${RESULTS_FILE}`)
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(CrashOptions, raw, (key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
      const summary = await runCrashTest({
        kills: o.kills,
        judges: o.judges,
        projects: o.projects,
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        maxUptimeMs: o.maxUptime,
        timeLimitMs: o.minutes * 60_000,
        keepDataDir: o.keep,
        log: (line) => console.error(`[crash-test] ${line}`),
      });
      console.log(formatCrashSummary(summary));
      if (o.report) {
        await writeResultsSection('crash-test', crashMarkdown(summary));
        console.log(`Summary written to ${RESULTS_FILE}`);
      }
      if (!summary.ok) process.exitCode = 1;
    });
}
