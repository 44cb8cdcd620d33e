/**
 * Renders a page with the common locals (locale, t, user, csrf token, flash) and, for forms,
 * the values as typed plus a `path → translated message` map of field errors.
 */
import type { Response } from 'express';
import type { FieldError } from '../../field-errors.js';
import { translateFieldErrors } from '../../field-errors.js';
import type { ViewEngine } from '../views.js';

export interface RenderOptions {
  status?: number;
  layout?: string | false;
  values?: unknown;
  fieldErrors?: FieldError[];
}

export function renderPage(
  views: ViewEngine,
  res: Response,
  page: string,
  locals: Record<string, unknown> = {},
  options: RenderOptions = {},
): void {
  const t = res.locals.t;
  const translated = translateFieldErrors(options.fieldErrors ?? [], t);
  const errors = Object.fromEntries(translated.map((e) => [e.path, e.message]));
  const req = res.req;
  const flash = req.session?.flash;
  if (flash && req.session) delete req.session.flash;
  const html = views.render(
    page,
    {
      ...res.locals,
      ...locals,
      values: options.values ?? locals.values ?? {},
      errors,
      errorList: translated,
      flash: flash ? t(flash) : undefined,
      path: req.originalUrl.split('?')[0],
    },
    options.layout ?? 'admin',
  );
  res
    .status(options.status ?? (translated.length ? 422 : 200))
    .type('html')
    .send(html);
}
