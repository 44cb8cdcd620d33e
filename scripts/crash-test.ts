/**
 * The crash test without the rest of the CLI: `npx tsx scripts/crash-test.ts --kills 100`
 * (same options as `npm run roadshow -- crash-test`).
 */
import { Command } from 'commander';
import { registerCrashCommands } from './cli/crash.commands.js';
import { runProgram } from './cli/index.js';

const program = new Command('crash-test').exitOverride();
registerCrashCommands(program);
await runProgram(program, [process.argv[0]!, process.argv[1]!, 'crash-test', ...process.argv.slice(2)]);
