/**
 * Writes one section of docs/security-results.md (the crash test's or the fuzzer's last long
 * run), between `<!-- name:start -->` and `<!-- name:end -->`, leaving other sections alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { ROOT } from './server-process.js';

export const RESULTS_FILE = path.join(ROOT, 'docs/security-results.md');

const HEADER = `# Security test results

The last long runs of the crash-safety test and the fuzzer, written by the tools themselves:
\`npm run roadshow -- crash-test --kills 100\` and \`npx tsx scripts/fuzz.ts --seconds 600\`.
Short versions of both run in \`npm test\` (tests/integration/crash.test.ts, fuzz.test.ts).
`;

/** Replaces (or appends) the section, formatted with the project's Prettier settings. */
export async function writeResultsSection(name: string, markdown: string, file = RESULTS_FILE): Promise<void> {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  const options = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(next, { ...options, filepath: file });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, formatted);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${(ms / 1000).toFixed(1)} s`;
}
