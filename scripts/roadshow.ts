/**
 * The administration CLI: `npm run roadshow -- <command>` (see `npm run roadshow -- --help`).
 * Command groups live in scripts/cli/; this file only runs them.
 */
import { buildProgram, runProgram } from './cli/index.js';

await runProgram(buildProgram());
