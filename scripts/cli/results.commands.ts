/**
 * `results:*` commands: write a contest's results package or certificates from the database,
 * and verify a results package offline (no database: anyone holding the file can check it).
 * `results:verify` exits 0 when the package recomputes exactly, 1 naming the first mismatch.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { verifyResultsPackage } from '../../server/services/results-package.service.js';
import { CliError, orNotFound, withContext } from './context.js';

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new CliError(`${file} is not valid JSON`);
  }
}

export function registerResultsCommands(program: Command): void {
  program
    .command('results:verify')
    .description('recompute a results package from its inputs and check the results, awards and hash (exit 0 / 1)')
    .argument('<file>', 'the results package (.json)')
    .action((file: string) => {
      const outcome = verifyResultsPackage(readJson(file));
      if (outcome.ok) {
        console.log(
          `OK: ${outcome.rounds} round(s), ${outcome.projects} project result(s) and ${outcome.awards} award(s) recompute exactly; sha256 ${outcome.hash}`,
        );
        return;
      }
      console.error(`MISMATCH: ${outcome.mismatches[0]}`);
      for (const more of outcome.mismatches.slice(1, 20)) console.error(`  also: ${more}`);
      if (outcome.mismatches.length > 20) console.error(`  … and ${outcome.mismatches.length - 20} more`);
      process.exitCode = 1;
    });

  program
    .command('results:package')
    .description("write a contest's results package (inputs, rules, results, version, ledger head, sha256)")
    .requiredOption('--contest <slug>', 'the contest slug')
    .option('--out <file>', 'output file (default: <slug>-results-package.json)')
    .action(async (opts: { contest: string; out?: string }) => {
      await withContext(async ({ services, print }) => {
        const pkg = await orNotFound(services.resultsPackage.build(opts.contest), `no contest ${opts.contest}`);
        const out = opts.out ?? `${opts.contest}-results-package.json`;
        fs.writeFileSync(out, `${JSON.stringify(pkg, null, 2)}\n`);
        print(`Wrote ${out} (sha256 ${pkg.sha256}).`);
      });
    });

  program
    .command('results:certificates')
    .description('write every active certificate of a contest into one PDF (one page per award)')
    .requiredOption('--contest <slug>', 'the contest slug')
    .option('--out <file>', 'output file (default: <slug>-certificates.pdf)')
    .action(async (opts: { contest: string; out?: string }) => {
      await withContext(async ({ services, print }) => {
        const file = await orNotFound(services.certificates.contestPdf(opts.contest), `no contest ${opts.contest}`);
        const out = opts.out ?? file.asciiName;
        fs.writeFileSync(out, file.pdf);
        print(`Wrote ${file.count} certificate(s) to ${out}.`);
      });
    });
}
