/**
 * Static checks of every Handlebars template under views/: output is always escaped (no triple
 * braces, no `{{&`), nothing the CSP would block or that would tempt loosening it (inline
 * `style=` attributes, inline `<script>` bodies, `on…=` handlers, `javascript:` URLs), and every
 * literal `{{t "key"}}` / `(t "key")` names a message in the i18n catalog. Helpers never return
 * pre-escaped HTML (Handlebars SafeString) except the layout's page body in views.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasMessage } from '../../server/i18n/catalog.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function walk(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, ext) : e.name.endsWith(ext) ? [full] : [];
  });
}

const templates = walk(path.join(root, 'views'), '.hbs').map((file) => ({
  name: path.relative(root, file),
  text: fs.readFileSync(file, 'utf8'),
}));

/** Each match of `re` in every template, as `file:line: match`. */
function findAll(re: RegExp): string[] {
  const out: string[] = [];
  for (const { name, text } of templates) {
    for (const m of text.matchAll(re)) {
      const line = text.slice(0, m.index).split('\n').length;
      out.push(`${name}:${line}: ${m[0].slice(0, 80)}`);
    }
  }
  return out;
}

/** Template text with Handlebars comments removed ({{!-- … --}} and {{! … }}). */
const withoutComments = (text: string) => text.replace(/\{\{!--[\s\S]*?--\}\}/g, '').replace(/\{\{![\s\S]*?\}\}/g, '');

describe('templates under views/', () => {
  it('exist (the checks below are not vacuous)', () => {
    expect(templates.length).toBeGreaterThan(30);
  });

  it('never print unescaped: no triple braces and no {{& …}}', () => {
    expect(findAll(/\{\{~?\{/g)).toEqual([]);
    expect(findAll(/\{\{~?&/g)).toEqual([]);
  });

  it('have no inline style attributes (the CSP allows only style sheets from the site)', () => {
    expect(findAll(/\sstyle\s*=/gi)).toEqual([]);
  });

  it('have no inline scripts: every <script> has a src', () => {
    expect(findAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>/gi)).toEqual([]);
  });

  it('have no inline event handlers and no javascript: URLs', () => {
    expect(findAll(/<[a-z][^>]*\son[a-z]+\s*=/gi)).toEqual([]);
    expect(findAll(/javascript:/gi)).toEqual([]);
  });

  it('use only message keys that exist in the i18n catalog', () => {
    const missing: string[] = [];
    let used = 0;
    for (const { name, text } of templates) {
      const body = withoutComments(text);
      for (const m of body.matchAll(/[{(]~?\s*t\s+"([^"]+)"|[{(]~?\s*t\s+'([^']+)'/g)) {
        used++;
        const key = m[1] ?? m[2]!;
        if (!hasMessage(key)) {
          const line = body.slice(0, m.index).split('\n').length;
          missing.push(`${name}:${line}: ${key}`);
        }
      }
    }
    expect(used).toBeGreaterThan(100);
    expect(missing, `message keys used in templates but missing from the catalog:\n${missing.join('\n')}`).toEqual([]);
  });
});

describe('view helpers', () => {
  it('never return pre-escaped HTML (SafeString) — only the layout body is marked safe, in views.ts', () => {
    const files = [
      ...walk(path.join(root, 'server/http/view-helpers'), '.ts'),
      ...walk(path.join(root, 'server/http'), '.ts').filter((f) => !f.endsWith('views.ts')),
    ];
    const offenders = [...new Set(files)].filter((f) =>
      /SafeString|escapeExpression\s*=|noEscape\s*:\s*true/.test(fs.readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'server/http/views.ts'), 'utf8')).toMatch(/new hbs\.SafeString\(body\)/);
  });
});
