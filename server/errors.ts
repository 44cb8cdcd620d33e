/**
 * Typed application errors with a stable kebab-case `code`. Services and routers throw these;
 * middleware/errors.ts turns them into JSON or pages. The status for each code lives here only.
 */
import type { Params } from './i18n/catalog.js';
import type { FieldError } from './field-errors.js';

const STATUS: Record<string, number> = {
  'validation-failed': 422,
  'invalid-json': 400,
  'payload-too-large': 413,
  'not-found': 404,
  'contest-not-found': 404,
  'slug-taken': 409,
  'key-taken': 409,
  'in-use': 409,
  'last-owner': 409,
  unauthenticated: 401,
  'invalid-token': 401,
  'invalid-credentials': 401,
  forbidden: 403,
  'csrf-invalid': 403,
  'cross-site': 403,
  'rate-limited': 429,
  'round-closed': 409,
  'not-assigned': 403,
  recused: 403,
  'not-your-sheet': 403,
  'score-out-of-range': 422,
  'submission-id-reused': 422,
  'judge-link-invalid': 401,
  'not-judge': 401,
  'stage-conflict': 409,
  internal: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: string,
    readonly params: Params = {},
    readonly fields: FieldError[] = [],
  ) {
    super(code);
    this.status = STATUS[code] ?? 400;
  }
}

export function statusOf(code: string): number {
  return STATUS[code] ?? 400;
}
