/**
 * Bundles the browser code into static/build (git-ignored) with esbuild: every .ts file directly
 * in static/client/ is an entry (admin.ts → /static/build/admin.js); subfolders hold shared modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = fs
  .readdirSync(path.join(root, 'static/client'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));

await build({
  entryPoints: Object.fromEntries(entries.map((name) => [name, path.join(root, 'static/client', `${name}.ts`)])),
  outdir: path.join(root, 'static/build'),
  bundle: true,
  format: 'esm',
  target: ['es2020', 'safari15'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
