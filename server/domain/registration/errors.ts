/**
 * The typed error thrown by the registration rules (draw, schedule, reference numbers).
 * It carries a stable kebab-case `code` and `params`, the same shape as the app's AppError,
 * so a service can rethrow it or the error middleware can map it without string matching.
 *
 * Pure: no I/O, no clock, no framework imports.
 */

export const REGISTRATION_ERROR_CODES = [
  'draw-seed-empty',
  'draw-seed-not-canonical',
  'draw-duplicate-ref',
  'draw-bad-hash',
  'schedule-invalid-start',
  'schedule-invalid-duration',
  'schedule-invalid-break',
  'schedule-crosses-midnight',
  'reference-invalid',
] as const;
export type RegistrationErrorCode = (typeof REGISTRATION_ERROR_CODES)[number];

/**
 * A broken registration rule.
 * @example throw new RegistrationRuleError('draw-duplicate-ref', { ref: 'P01' })
 */
export class RegistrationRuleError extends Error {
  constructor(
    readonly code: RegistrationErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'RegistrationRuleError';
  }
}
