/**
 * `npm run seed:demo -- [--reset]`: imports the demo contest into an empty database, or with
 * --reset deletes and re-imports it; prints the organizer console URL. Same as
 * `npm run roadshow -- seed:demo`.
 */
import { Command } from 'commander';
import { withContext } from './cli/context.js';
import { seedDemo } from './cli/demo.commands.js';
import { runProgram } from './cli/index.js';

const program = new Command('seed:demo')
  .description('import the demo contest when the database has none; --reset deletes and re-imports it')
  .option('--reset', 'delete the demo contest (and its scores) and import it again', false)
  .exitOverride()
  .action(async (opts: { reset: boolean }) => {
    await withContext((ctx) => seedDemo(ctx, opts.reset));
  });

await runProgram(program);
