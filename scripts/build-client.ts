/** Bundles the browser code in static/client into static/build (git-ignored) with esbuild. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = ['admin'];

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
