/** `{{err "name.zh"}}`: the translated error message for a form field, or an empty string. */
import type { HelperOptions } from 'handlebars';
import { rootOf } from './root.js';

export function fieldError(path: unknown, options: HelperOptions): string {
  return rootOf(options).errors?.[String(path)] ?? '';
}
