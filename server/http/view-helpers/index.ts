/** Registers every view helper (one helper per file) on a Handlebars instance. */
import type HandlebarsNS from 'handlebars';
import { compare } from './compare.js';
import { concat } from './concat.js';
import { fieldError } from './field-error.js';
import { fieldValue } from './field-value.js';
import { formatPoints } from './format-points.js';
import { localizedName } from './localized-name.js';
import { translate } from './translate.js';

export function registerHelpers(hbs: typeof HandlebarsNS): void {
  hbs.registerHelper('t', translate);
  hbs.registerHelper('loc', localizedName);
  hbs.registerHelper('val', fieldValue);
  hbs.registerHelper('err', fieldError);
  hbs.registerHelper('points', formatPoints);
  hbs.registerHelper('concat', concat);
  for (const [name, fn] of Object.entries(compare)) hbs.registerHelper(name, fn);
}
