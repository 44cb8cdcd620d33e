/**
 * The fuzzer: `npx tsx scripts/fuzz.ts --seconds 600 [--seed N] [--no-report]`. Starts a real
 * server on a temporary DATA_DIR, fuzzes every JSON endpoint and raw Socket.IO frames (see
 * scripts/fuzz/), prints a summary and writes it into docs/security-results.md. Exit code 1 on
 * any finding.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { RESULTS_FILE, writeResultsSection } from './crash/report.js';
import { formatFuzzSummary, fuzzMarkdown, runFuzz } from './fuzz/run.js';
import { parseOptions } from './cli/context.js';
import { runProgram } from './cli/index.js';

const Options = z.object({
  seconds: z
    .string()
    .regex(/^\d{1,6}$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(10)
        .max(24 * 3600),
    ),
  seed: z
    .string()
    .regex(/^\d{1,9}$/, { error: 'must be a whole number' })
    .transform(Number)
    .optional(),
  report: z.boolean().default(true),
});

const program = new Command('fuzz')
  .description('Fuzz every JSON endpoint and raw Socket.IO frames of a real server on 127.0.0.1')
  .option('--seconds <n>', 'how long to fuzz', '600')
  .option('--seed <n>', 'fast-check seed (default: from the clock)')
  .option('--no-report', `do not write ${RESULTS_FILE}`)
  .exitOverride()
  .action(async (raw: Record<string, unknown>) => {
    const o = parseOptions(Options, raw);
    const summary = await runFuzz({
      seconds: o.seconds,
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      log: (line) => console.error(`[fuzz] ${line}`),
    });
    console.log(formatFuzzSummary(summary));
    if (o.report) {
      await writeResultsSection('fuzz', fuzzMarkdown(summary));
      console.log(`Summary written to ${RESULTS_FILE}`);
    }
    if (!summary.ok) process.exitCode = 1;
  });

await runProgram(program);
