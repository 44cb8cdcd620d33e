/**
 * Registration reference numbers (报名编号) such as RS-2024-0012, and the likely-duplicate check
 * run when a team registers (same title at the same institution, or the same leader contact).
 *
 * Format: PREFIX-YYYY-NNNN. PREFIX is 1–8 upper-case letters/digits starting with a letter;
 * YYYY a four-digit year; NNNN the sequence (≥ 1), zero-padded to 4 digits and growing beyond
 * (RS-2024-12345). Parsing is lenient about what people type (case, full-width characters,
 * spaces, dash variants, padding) and formatting gives the canonical form.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import { normalizeEmail, normalizePhone } from './contact.js';
import { RegistrationRuleError } from './errors.js';
import { sameInstitution } from './institution.js';

export interface Reference {
  prefix: string;
  year: number;
  sequence: number;
}

/** A reference prefix: 1–8 upper-case letters/digits starting with a letter. */
export const REFERENCE_PREFIX = /^[A-Z][A-Z0-9]{0,7}$/;
const PREFIX = REFERENCE_PREFIX;
const PARSE = /^([A-Z][A-Z0-9]{0,7})-(\d{4})-(\d{1,9})$/;
const DASHES = /\s*[-‐‑‒–—―−]\s*/g;

/**
 * Formats a reference number; throws `reference-invalid` for a bad prefix, year or sequence.
 * @example formatReference({ prefix: 'RS', year: 2024, sequence: 12 }) === 'RS-2024-0012'
 */
export function formatReference(ref: Reference): string {
  if (!PREFIX.test(ref.prefix)) throw new RegistrationRuleError('reference-invalid', { field: 'prefix' });
  if (!Number.isInteger(ref.year) || ref.year < 1000 || ref.year > 9999)
    throw new RegistrationRuleError('reference-invalid', { field: 'year' });
  if (!Number.isInteger(ref.sequence) || ref.sequence < 1 || ref.sequence > 999_999_999)
    throw new RegistrationRuleError('reference-invalid', { field: 'sequence' });
  return `${ref.prefix}-${ref.year}-${String(ref.sequence).padStart(4, '0')}`;
}

/**
 * Parses a reference number as typed by a person; null when it is not one.
 * @example parseReference(' rs－2024－12 ') // { prefix: 'RS', year: 2024, sequence: 12 }
 */
export function parseReference(text: string): Reference | null {
  const s = text.normalize('NFKC').trim().toUpperCase().replace(DASHES, '-');
  const m = PARSE.exec(s);
  if (!m) return null;
  const year = Number(m[2]);
  const sequence = Number(m[3]);
  if (year < 1000 || sequence < 1) return null;
  return { prefix: m[1] as string, year, sequence };
}

/**
 * The next sequence for a prefix and year: one more than the highest already issued
 * (references of other prefixes/years and unparsable strings are ignored).
 * @example nextSequence(['RS-2024-0007', 'RS-2023-0042'], 'RS', 2024) === 8
 */
export function nextSequence(issued: readonly string[], prefix: string, year: number): number {
  let max = 0;
  for (const text of issued) {
    const ref = parseReference(text);
    if (ref && ref.prefix === prefix && ref.year === year && ref.sequence > max) max = ref.sequence;
  }
  return max + 1;
}

export const DUPLICATE_RULES = ['title-and-institution', 'leader-phone', 'leader-email'] as const;
export type DuplicateRule = (typeof DUPLICATE_RULES)[number];

export interface RegistrationSummary {
  /** Absent for a registration not saved yet; an existing entry with the same ref is the candidate itself. */
  ref?: string;
  title: string;
  institution: string;
  leader: { phone: string; email: string };
}

export interface LikelyDuplicate {
  ref: string;
  rule: DuplicateRule;
}

/**
 * Title key: NFKC, lower case, letters and digits only (spaces and punctuation ignored).
 * @example normalizeTitle('基于 AI 的眼底筛查系统。') === '基于ai的眼底筛查系统'
 */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The first existing registration (in the given order) that is likely the same as the candidate,
 * and the first rule that matched, in the order of DUPLICATE_RULES; null when none. Empty titles,
 * institutions, phones and e-mails never match.
 * @example findLikelyDuplicate({ title: 'X', institution: 'A', leader: { phone: '13800138000', email: '' } },
 *   [{ ref: 'RS-2024-0001', title: 'Y', institution: 'B', leader: { phone: '+8613800138000', email: '' } }])
 *   // { ref: 'RS-2024-0001', rule: 'leader-phone' }
 */
export function findLikelyDuplicate(
  candidate: RegistrationSummary,
  existing: readonly (RegistrationSummary & { ref: string })[],
): LikelyDuplicate | null {
  const title = normalizeTitle(candidate.title);
  const phone = normalizePhone(candidate.leader.phone);
  const email = normalizeEmail(candidate.leader.email);
  for (const other of existing) {
    if (candidate.ref !== undefined && other.ref === candidate.ref) continue;
    if (
      title !== '' &&
      normalizeTitle(other.title) === title &&
      sameInstitution(candidate.institution, other.institution)
    )
      return { ref: other.ref, rule: 'title-and-institution' };
    if (phone !== '' && normalizePhone(other.leader.phone) === phone) return { ref: other.ref, rule: 'leader-phone' };
    if (email !== '' && normalizeEmail(other.leader.email) === email) return { ref: other.ref, rule: 'leader-email' };
  }
  return null;
}
