/** `{{t "key" name=value}}`: a catalog message in the page's locale, hash arguments interpolated. */
import type { HelperOptions } from 'handlebars';
import { rootOf } from './root.js';

export function translate(key: unknown, options: HelperOptions): string {
  return rootOf(options).t(String(key), options.hash as Record<string, string>);
}
