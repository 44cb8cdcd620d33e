/**
 * `ledger:verify`: rechecks every contest's hash-chained audit ledger (or one contest's) and
 * names the first bad entry with its sequence number and reason. Exit code 0 when every chain is
 * intact, 1 when any is broken (2 for bad input, e.g. an unknown contest).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { Slug } from '../../server/domain/contest-document.js';
import { CliError, parseOptions, withContext, type CliContext } from './context.js';

const VerifyOptions = z.object({ contest: Slug.optional() });

const REASONS: Record<string, string> = {
  'sequence-gap': 'sequence gap (an entry is missing or out of order)',
  'previous-hash-mismatch': 'previous-hash mismatch (an earlier entry was changed, removed or reordered)',
  'hash-mismatch': 'hash mismatch (the entry was changed after it was written)',
  unencodable: 'unencodable payload',
};

/** Verifies the chosen chains, prints one line each, and returns whether all are intact. */
export async function verifyLedgers({ services, print }: CliContext, slug?: string): Promise<boolean> {
  const contests = await services.contests.list();
  const slugOf = new Map(contests.map((c) => [c.id, c.slug]));
  let ids: number[];
  if (slug) {
    const contest = contests.find((c) => c.slug === slug);
    if (!contest) throw new CliError(`no contest with slug ${slug}`);
    ids = [contest.id];
  } else {
    ids = [...new Set([...contests.map((c) => c.id), ...(await services.ledger.contestIds())])].sort((a, b) => a - b);
  }
  if (ids.length === 0) {
    print('No contests: nothing to verify.');
    return true;
  }
  let allGood = true;
  for (const id of ids) {
    const name = slugOf.get(id) ?? `contest #${id}`;
    const result = await services.ledger.verify(id);
    if (result.ok) {
      print(
        result.count === 0
          ? `OK   ${name}: empty ledger`
          : `OK   ${name}: ${result.count} entries, head #${result.count} ${result.head}`,
      );
    } else {
      allGood = false;
      print(`BAD  ${name}: first bad entry is seq ${result.seq}: ${REASONS[result.reason] ?? result.reason}`);
    }
  }
  print(allGood ? 'All ledgers verified.' : 'LEDGER VERIFICATION FAILED.');
  return allGood;
}

export function registerLedgerCommands(program: Command): void {
  program
    .command('ledger:verify')
    .description("recheck the audit ledger's hash chain of every contest (or one) and name the first bad entry")
    .option('--contest <slug>', 'verify only this contest')
    .action(async (opts: { contest?: string }) => {
      const { contest } = parseOptions(VerifyOptions, opts);
      const ok = await withContext((ctx) => verifyLedgers(ctx, contest));
      if (!ok) process.exitCode = 1;
    });
}
