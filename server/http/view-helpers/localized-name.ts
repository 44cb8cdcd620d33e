/** `{{loc name}}`: the localized variant of a `{ zh, en }` object (English falls back to Chinese). */
import type { HelperOptions } from 'handlebars';
import { localized } from '../../i18n/catalog.js';
import { rootOf } from './root.js';

export function localizedName(name: unknown, options: HelperOptions): string {
  if (!name || typeof name !== 'object') return '';
  const { zh = '', en = '' } = name as { zh?: string; en?: string };
  return localized({ zh, en }, rootOf(options).locale);
}
