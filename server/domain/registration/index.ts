/**
 * Registration rules: the verifiable running-order draw, institution conflicts, the schedule of
 * slots, reference numbers and duplicate detection. Public API of server/domain/registration.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
export { REGISTRATION_ERROR_CODES, RegistrationRuleError, type RegistrationErrorCode } from './errors.js';
export { normalizeEmail, normalizePhone } from './contact.js';
export {
  DRAW_ALGORITHM_DESCRIPTION,
  DRAW_ALGORITHM_ID,
  DRAW_REFERENCE_PYTHON,
  canonicalDrawSeed,
  drawGroupedOrder,
  drawOrder,
  verifyDraw,
  type Sha256,
} from './draw.js';
export {
  AUTO_CONFLICT_REASONS,
  findAutoConflicts,
  institutionKeys,
  normalizeInstitution,
  sameInstitution,
  type AutoConflict,
  type AutoConflictReason,
  type ConflictJudge,
  type ConflictProject,
} from './institution.js';
export {
  buildSchedule,
  parseStart,
  type BreakRule,
  type BreakSlot,
  type Schedule,
  type ScheduleInput,
  type Slot,
  type TimePoint,
} from './schedule.js';
export {
  DUPLICATE_RULES,
  findLikelyDuplicate,
  formatReference,
  nextSequence,
  normalizeTitle,
  parseReference,
  type DuplicateRule,
  type LikelyDuplicate,
  type Reference,
  type RegistrationSummary,
} from './reference.js';
