/**
 * The scoring engine's typed error. Thrown only for malformed input that the data layer should
 * never produce (a non-integer mark, an unknown criterion, a duplicate sheet), never for a
 * legitimate contest state such as a missing score or an unresolved tie — those are results.
 *
 * Pure: no I/O, no clock, no framework imports.
 */

export type ScoringErrorCode =
  | 'not-an-integer'
  | 'division-by-zero'
  | 'negative-sqrt'
  | 'invalid-decimals'
  | 'no-criteria'
  | 'duplicate-criterion'
  | 'unknown-criterion'
  | 'duplicate-sheet'
  | 'invalid-rules';

/**
 * A scoring input error with a stable kebab-case code.
 * @example new ScoringError('unknown-criterion', { key: 'novelty' }).code === 'unknown-criterion'
 */
export class ScoringError extends Error {
  constructor(
    readonly code: ScoringErrorCode,
    readonly detail: Readonly<Record<string, string | number>> = {},
  ) {
    super(`${code}${Object.keys(detail).length ? ` ${JSON.stringify(detail)}` : ''}`);
    this.name = 'ScoringError';
  }
}
