/**
 * The CLI's command table. Each group is a module that registers its commands on the program;
 * to add a group (e.g. ledger:verify, backup, results:verify) write `<group>.commands.ts` and
 * list it here.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_BAD_INPUT, inputErrorMessage } from './context.js';
import { registerBackupCommands } from './backup.commands.js';
import { registerCrashCommands } from './crash.commands.js';
import { registerDemoCommands } from './demo.commands.js';
import { registerLedgerCommands } from './ledger.commands.js';
import { registerResultsCommands } from './results.commands.js';
import { registerTokenCommands } from './token.commands.js';
import { registerUserCommands } from './user.commands.js';

export const COMMAND_GROUPS: ((program: Command) => void)[] = [
  registerUserCommands,
  registerTokenCommands,
  registerDemoCommands,
  registerBackupCommands,
  registerLedgerCommands,
  registerResultsCommands,
  registerCrashCommands,
];

export function buildProgram(name = 'roadshow'): Command {
  const program = new Command(name)
    .description('Roadshow (路演评审系统) administration. Uses DATA_DIR / DATABASE_URL like the server.')
    .exitOverride();
  for (const register of COMMAND_GROUPS) register(program);
  return program;
}

/**
 * Runs a program and sets the exit code: 0 on success (and for --help), 2 for bad input
 * (commander's own usage errors, Zod, AppError, CliError), 1 for anything unexpected.
 */
export async function runProgram(program: Command, argv: string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message (or the help).
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
      return;
    }
    const message = inputErrorMessage(err);
    if (message !== null) {
      console.error(`error: ${message}`);
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    console.error(err);
    process.exitCode = 1;
  }
}
