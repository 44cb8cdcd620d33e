/**
 * Lists every HTTP route an Express 5 app serves by walking its router stack: route layers
 * (`layer.route.path` / `layer.route.methods`) and mounted routers (`layer.handle.stack`, with the
 * mount path in `layer.rawPath`, or recovered from the layer's matcher for routers that keep only
 * a regexp). Test support only: it reads Express internals, so its own test checks it against a
 * small app built for the purpose.
 */
import type { Express } from 'express';

export interface DiscoveredRoute {
  method: string;
  path: string;
  /** `METHOD path`, the key the authorization matrix uses. */
  key: string;
}

interface RouteLike {
  path: string | RegExp | (string | RegExp)[];
  methods: Record<string, boolean>;
}

interface LayerLike {
  route?: RouteLike;
  handle?: { stack?: LayerLike[] };
  rawPath?: unknown;
  path?: unknown;
  slash?: boolean;
  regexp?: RegExp;
  matchers?: ((path: string) => unknown)[];
}

const SKIP_METHODS = new Set(['_all']);

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined === '' ? '/' : joined;
}

function pathText(path: string | RegExp): string {
  return typeof path === 'string' ? path : `regexp:${path.source}`;
}

/** The mount path of a `router.use(path, child)` layer ('' for the root). */
function mountOf(layer: LayerLike): string[] {
  if (layer.slash) return [''];
  const raw = layer.rawPath ?? layer.path;
  const paths = (Array.isArray(raw) ? raw.flat(Infinity) : [raw]) as unknown[];
  const texts = paths.filter((p): p is string | RegExp => typeof p === 'string' || p instanceof RegExp);
  if (texts.length) return texts.map((p) => (p === '/' ? '' : pathText(p)));
  // Older routers keep only a regexp like /^\/admin\/?(?=\/|$)/i.
  const source = layer.regexp?.source;
  if (source) {
    const literal = /^\^((?:\\\/[\w.-]+)*)\\\/\?\(\?=\\\/\|\$\)$/i.exec(source);
    if (literal) return [literal[1]!.replace(/\\\//g, '/')];
    if (source === '^\\/?(?=\\/|$)' || source === '^\\/?$') return [''];
    return [`regexp:${source}`];
  }
  return [''];
}

function walk(stack: readonly LayerLike[], prefix: string, out: DiscoveredRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (!on || SKIP_METHODS.has(method)) continue;
          const path = join(prefix, pathText(p));
          const upper = method.toUpperCase();
          out.push({ method: upper, path, key: `${upper} ${path}` });
        }
      }
    } else if (layer.handle && Array.isArray(layer.handle.stack)) {
      for (const mount of mountOf(layer)) walk(layer.handle.stack, join(prefix, mount), out);
    }
  }
}

/** Every (method, path) the app routes, once each, in stack order. */
export function listRoutes(app: Express | { router: { stack: unknown[] } }): DiscoveredRoute[] {
  const router = (app as unknown as { router?: { stack?: LayerLike[] } }).router;
  if (!router?.stack) throw new Error('not an Express 5 app: no app.router.stack');
  const out: DiscoveredRoute[] = [];
  walk(router.stack, '', out);
  const seen = new Set<string>();
  return out.filter((r) => (seen.has(r.key) ? false : (seen.add(r.key), true)));
}
