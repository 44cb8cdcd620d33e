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
  'review-not-allowed': 409,
  'import-no-file': 422,
  'import-too-large': 413,
  'import-has-errors': 422,
  'import-already-confirmed': 409,
  'import-stale': 409,
  'round-not-found': 404,
  'results-changed': 409,
  'decision-needed': 409,
  'results-locked': 409,
  'results-not-locked': 409,
  'award-exists': 409,
  'no-next-round': 409,
  'round-has-scores': 409,
  internal: 500,
  // big screen, score reveal and ceremony
  'release-hidden': 409,
  'reveal-not-started': 409,
  'reveal-scoring-open': 409,
  // conflicts of interest and the roadshow schedule
  'conflict-exists': 409,
  'conflict-not-active': 409,
  'round-not-roadshow': 409,
  'nothing-to-draw': 409,
  'schedule-not-drawn': 409,
  'draw-seed-empty': 422,
  'draw-seed-not-canonical': 422,
  'draw-duplicate-ref': 409,
  'draw-bad-hash': 500,
  'schedule-invalid-start': 422,
  'schedule-invalid-duration': 422,
  'schedule-invalid-break': 422,
  'schedule-crosses-midnight': 422,
  'registration-closed': 409,
  'registration-decided': 409,
  'likely-duplicate': 422,
  'deck-too-large': 413,
  'status-link-invalid': 404,
  // publication (公示), appeals (申诉), certificates
  'nothing-locked': 409,
  'already-published': 409,
  'not-published': 409,
  'appeal-closed': 409,
  'appeal-answered': 409,
  'no-certificates': 409,
  // the audience vote (人气奖)
  'vote-closed': 409,
  'already-voted': 409,
  'vote-open': 409,
  'vote-not-opened': 409,
  'vote-open-elsewhere': 409,
  'not-on-ballot': 422,
  'device-unknown': 403,
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
