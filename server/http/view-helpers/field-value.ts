/** `{{val "rounds.0.name.zh"}}` or `{{val "name.zh"}}`: what the form holds (as typed, or as stored). */
import type { HelperOptions } from 'handlebars';
import { rootOf } from './root.js';

export function lookupPath(source: unknown, path: string): unknown {
  let current = source;
  for (const part of path.split(/[.[\]]+/).filter(Boolean)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function fieldValue(path: unknown, options: HelperOptions): string {
  const value = lookupPath(rootOf(options).values, String(path));
  return value === undefined || value === null ? '' : String(value);
}
