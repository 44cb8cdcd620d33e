/**
 * Exact fixed-point units used everywhere a score or weight is stored.
 *
 * Rubric points are stored as integer hundredths ("centi-points"), criterion weights as
 * integer thousandths ("milli"), percentages as integers. Decimal numbers from JSON or forms
 * are converted here and nowhere else, refusing anything that would need rounding.
 *
 * Pure: no I/O, no clock, no framework imports.
 */

export const CENTI = 100;
export const MILLI = 1000;

/**
 * Converts a decimal to an integer count of 1/scale units, or returns null when the value
 * has more precision than the unit can hold.
 * @example toUnits(12.5, 100) === 1250; toUnits(0.125, 100) === null
 */
export function toUnits(value: number, scale: number): number | null {
  if (!Number.isFinite(value)) return null;
  const scaled = value * scale;
  const rounded = Math.round(scaled);
  if (Math.abs(scaled - rounded) > 1e-6 * Math.max(1, Math.abs(scaled))) return null;
  if (!Number.isSafeInteger(rounded)) return null;
  return rounded === 0 ? 0 : rounded;
}

/**
 * Converts integer units back to a plain decimal number (exact for the scales used here).
 * @example fromUnits(1250, 100) === 12.5
 */
export function fromUnits(units: number, scale: number): number {
  return Number((units / scale).toFixed(Math.round(Math.log10(scale))));
}

/**
 * Formats integer units as a decimal string with a fixed number of places (no float drift).
 * @example formatUnits(1250, 100, 2) === '12.50'
 */
export function formatUnits(units: number, scale: number, places: number): string {
  return fromUnits(units, scale).toFixed(places);
}
