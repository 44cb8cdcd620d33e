/** Reads the page's root context inside a helper (locale, translator, form values and errors). */
import type { HelperOptions } from 'handlebars';
import type { Locale, Translate } from '../../i18n/catalog.js';

export interface RootContext {
  locale: Locale;
  t: Translate;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
}

export function rootOf(options: HelperOptions): RootContext {
  return (options.data as { root: RootContext }).root;
}
