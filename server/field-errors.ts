/**
 * Turns Zod issues into stable field errors `{ path, code, params }` (paths written like
 * `rounds[0].criteria[1].max`, the same names the HTML forms use) and translates them.
 * Parse with `{ reportInput: true }` so a missing value reads as `required`.
 */
import type { z } from 'zod';
import { hasMessage, type Params, type Translate } from './i18n/catalog.js';

export interface FieldError {
  path: string;
  code: string;
  params?: Params;
}

export interface TranslatedFieldError extends FieldError {
  message: string;
}

/** `['rounds', 0, 'max']` → `rounds[0].max` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += (out ? '.' : '') + String(part);
  }
  return out;
}

type Issue = z.core.$ZodIssue;

function describe(issue: Issue): { code: string; params?: Params } {
  if (hasMessage(`validation.${issue.message}`)) return { code: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return { code: 'required' };
      if (issue.expected === 'number') return { code: 'not-number' };
      return { code: 'invalid-type' };
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? { code: 'required' } : { code: 'too-short', params: { min } };
      if (issue.origin === 'array') return { code: 'too-few', params: { min } };
      return { code: 'too-small', params: { min } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { code: 'too-long', params: { max } };
      if (issue.origin === 'array') return { code: 'too-many', params: { max } };
      return { code: 'too-big', params: { max } };
    }
    case 'invalid_format':
      if (issue.format === 'email') return { code: 'invalid-email' };
      if (issue.format === 'date') return { code: 'invalid-date' };
      if (issue.format === 'url') return { code: 'invalid-url' };
      return { code: 'invalid-format' };
    case 'invalid_value':
      return { code: 'invalid-value' };
    case 'unrecognized_keys':
      return { code: 'unknown-field' };
    case 'invalid_union': {
      const first = issue.errors[0]?.[0];
      return first ? describe(first) : { code: 'invalid-value' };
    }
    case 'not_multiple_of':
      return { code: 'invalid-value' };
    default:
      return { code: 'invalid-value' };
  }
}

/** Field errors for every issue, in order, one per path (the first issue of a path wins). */
export function fieldErrorsFromZod(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    const basePath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    const path = formatPath(basePath);
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, ...describe(issue) });
  }
  return out;
}

export function translateFieldErrors(errors: FieldError[], t: Translate): TranslatedFieldError[] {
  return errors.map((e) => ({ ...e, message: t(`validation.${e.code}`, e.params) }));
}
