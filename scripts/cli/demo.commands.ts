/** `seed:demo`: import the demo contest into an empty database, or re-import it with --reset. */
import type { Command } from 'commander';
import { resetDemo, seedDemoIfEmpty } from '../../server/services/demo.service.js';
import { withContext, type CliContext } from './context.js';

/**
 * Seeds (or with `reset`, re-imports) the demo contest and prints where to find it. Also creates
 * the first owner on an empty database, since the server only shows that password when it creates it.
 */
export async function seedDemo({ services, config, print }: CliContext, reset: boolean): Promise<void> {
  const owner = await services.users.ensureOwner();
  const demo = reset ? await resetDemo(services) : await seedDemoIfEmpty(services);
  if (demo) {
    print(`${reset ? 'Re-imported' : 'Imported'} the demo contest ${demo.slug}.`);
    print(`Organizer console: ${config.publicUrl}/admin/contests/${demo.slug}`);
  } else {
    print('The database already holds a contest; nothing imported (use --reset to re-import the demo contest).');
    print(`Organizer console: ${config.publicUrl}/admin`);
  }
  if (owner) {
    print('First owner account (one-time password, shown only now):');
    print(`  email:    ${owner.email}`);
    print(`  password: ${owner.password}`);
  }
}

export function registerDemoCommands(program: Command): void {
  program
    .command('seed:demo')
    .description('import the demo contest when the database has none; --reset deletes and re-imports it')
    .option('--reset', 'delete the demo contest (and its scores) and import it again', false)
    .action(async (opts: { reset: boolean }) => {
      await withContext((ctx) => seedDemo(ctx, opts.reset));
    });
}
