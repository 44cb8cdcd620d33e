/** `{{points centi}}`: integer hundredths shown as points without float drift (1250 → "12.5"). */
import { fromUnits, CENTI } from '../../domain/units.js';

export function formatPoints(centi: unknown): string {
  return typeof centi === 'number' ? String(fromUnits(centi, CENTI)) : '';
}
