/**
 * A small Handlebars view engine for Express: pages in views/pages, layouts in views/layouts,
 * partials in views/partials (named by relative path), helpers from view-helpers/. Pages render
 * first, then the layout receives the page as `body` (a SafeString, so layouts use `{{body}}`;
 * templates never use triple braces). Templates are compiled once and cached.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { registerHelpers } from './view-helpers/index.js';

export interface ViewEngine {
  render(page: string, context: Record<string, unknown>, layout?: string | false): string;
}

type Template = Handlebars.TemplateDelegate;

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : entry.name.endsWith('.hbs') ? [full] : [];
  });
}

function nameOf(root: string, file: string): string {
  return path
    .relative(root, file)
    .replace(/\\/g, '/')
    .replace(/\.hbs$/, '');
}

export function createViewEngine(viewsDir: string): ViewEngine {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  for (const file of walk(path.join(viewsDir, 'partials'))) {
    hbs.registerPartial(nameOf(path.join(viewsDir, 'partials'), file), fs.readFileSync(file, 'utf8'));
  }
  const cache = new Map<string, Template>();
  const compile = (file: string): Template => {
    let template = cache.get(file);
    if (!template) {
      template = hbs.compile(fs.readFileSync(file, 'utf8'), { strict: false, preventIndent: true });
      cache.set(file, template);
    }
    return template;
  };
  const options = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  return {
    render(page, context, layout = 'admin') {
      const body = compile(path.join(viewsDir, 'pages', `${page}.hbs`))(context, options);
      if (layout === false) return body;
      const layoutContext = { ...context, body: new hbs.SafeString(body) };
      return compile(path.join(viewsDir, 'layouts', `${layout}.hbs`))(layoutContext, options);
    },
  };
}
