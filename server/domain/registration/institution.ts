/**
 * Institution names normalized for conflict-of-interest detection (回避), and the automatic
 * judge × project conflict suggestions built on them. Suggestions are for the organizer to
 * review, so the rules lean towards flagging: a missed conflict is worse than an extra one.
 *
 * Normalization, in order:
 *  1. Unicode NFKC (full-width → half-width letters, digits, brackets, ideographic space), lower case.
 *  2. Brackets （）()【】[]〔〕〖〗｛｝{} unified, and every bracketed part dropped wherever it is:
 *     （筹）, （通州院区）, (北京) in 某某科技(北京)有限公司 (regional subsidiaries of one company
 *     therefore match — deliberate). An unclosed bracket drops the rest of the name.
 *  3. Trailing Latin legal forms dropped word by word (Co., Ltd., Inc., LLC, GmbH, …).
 *  4. Everything that is not a letter or digit removed (all whitespace, ·, -, ., commas …).
 *  5. Trailing Chinese legal forms dropped repeatedly: 股份有限公司, 有限责任公司, 有限公司, 股份公司,
 *     集团, 公司 (so 集团股份有限公司 → core). Only legal forms: 医院, 大学, 学院, 研究所, 中心 … are
 *     part of the identity and stay (北京大学 ≠ 北京大学第一医院; 北京大学口腔医院 ≠ 北京大学口腔医学院).
 * Names are then compared for equality only — no containment (首都医科大学 ≠ 首都医科大学附属北京友谊医院).
 * Not handled (use manual conflicts): abbreviations (北大), 北京市 prefixes, traditional characters,
 * renamed institutions.
 *
 * Pure: no I/O, no clock, no framework imports.
 */
import type { Judge, Project } from '../contest-document.js';
import { normalizeEmail, normalizePhone } from './contact.js';

const OPENING = /[(（【[［〔〖｛{]/g;
const CLOSING = /[)）】\]］〕〗｝}]/g;
const BRACKETED = /\([^()]*\)/g;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
/** Separators between several affiliations in one field ("北京大学；北京大学第一医院"). Not commas: "Roche Diagnostics, Inc.". */
const AFFILIATION_SEPARATORS = /[;；、|/\n]/;
const LATIN_LEGAL_FORMS = new Set([
  'co',
  'company',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'llc',
  'plc',
  'gmbh',
  'ag',
  'group',
]);
/** Longest first. */
const CHINESE_LEGAL_FORMS = ['股份有限公司', '有限责任公司', '有限公司', '股份公司', '集团', '公司'];

/**
 * The comparison key of one institution name ('' when nothing is left).
 * @example normalizeInstitution('北京ＸＸ医疗科技股份有限公司（筹）') === '北京xx医疗科技'
 */
export function normalizeInstitution(name: string): string {
  return finish(dropBrackets(name));
}

/**
 * The comparison keys of a field that may list several affiliations, split on ； ; 、 | / and newlines.
 * @example institutionKeys('北京大学 / 北京大学第一医院') // ['北京大学', '北京大学第一医院']
 */
export function institutionKeys(field: string): string[] {
  const keys = dropBrackets(field)
    .split(AFFILIATION_SEPARATORS)
    .map(finish)
    .filter((k) => k !== '');
  return [...new Set(keys)];
}

/**
 * Whether two institution fields name the same institution (any affiliation of one equals any of
 * the other, after normalization). Empty names never match.
 * @example sameInstitution('首都医科大学附属北京友谊医院', '首都医科大学附属北京友谊医院（通州院区）') === true
 * @example sameInstitution('北京大学', '北京大学第一医院') === false
 */
export function sameInstitution(a: string, b: string): boolean {
  const keysOfB = new Set(institutionKeys(b));
  return institutionKeys(a).some((k) => keysOfB.has(k));
}

export const AUTO_CONFLICT_REASONS = ['same-phone', 'same-email', 'same-institution'] as const;
/** Why a conflict was suggested: the judge's phone or e-mail is the project leader's, or they share an institution. */
export type AutoConflictReason = (typeof AUTO_CONFLICT_REASONS)[number];

export interface AutoConflict {
  judgeKey: string;
  projectRef: string;
  source: 'auto';
  /** The strongest reason, in the order of AUTO_CONFLICT_REASONS. */
  reason: AutoConflictReason;
}

export type ConflictJudge = Pick<Judge, 'key' | 'institution' | 'phone' | 'email'>;
export type ConflictProject = Pick<Project, 'ref' | 'institution'> & {
  leader: Pick<Project['leader'], 'phone' | 'email'>;
};

/**
 * Suggested conflicts, one per (judge, project) pair, in judge then project input order.
 * @example findAutoConflicts([{ key: 'j1', institution: '北京大学', phone: '', email: '' }],
 *   [{ ref: 'P1', institution: '北京大学（医学部）', leader: { phone: '', email: '' } }])
 *   // [{ judgeKey: 'j1', projectRef: 'P1', source: 'auto', reason: 'same-institution' }]
 */
export function findAutoConflicts(
  judges: readonly ConflictJudge[],
  projects: readonly ConflictProject[],
): AutoConflict[] {
  const byInstitution = new Map<string, number[]>();
  const byPhone = new Map<string, number[]>();
  const byEmail = new Map<string, number[]>();
  projects.forEach((p, i) => {
    for (const key of institutionKeys(p.institution)) push(byInstitution, key, i);
    push(byPhone, normalizePhone(p.leader.phone), i);
    push(byEmail, normalizeEmail(p.leader.email), i);
  });

  const out: AutoConflict[] = [];
  for (const judge of judges) {
    const reasons = new Map<number, AutoConflictReason>();
    const mark = (indexes: number[] | undefined, reason: AutoConflictReason) => {
      for (const i of indexes ?? []) if (!reasons.has(i)) reasons.set(i, reason);
    };
    const phone = normalizePhone(judge.phone);
    const email = normalizeEmail(judge.email);
    if (phone !== '') mark(byPhone.get(phone), 'same-phone');
    if (email !== '') mark(byEmail.get(email), 'same-email');
    for (const key of institutionKeys(judge.institution)) mark(byInstitution.get(key), 'same-institution');
    for (const [i, reason] of [...reasons].sort(([a], [b]) => a - b)) {
      out.push({ judgeKey: judge.key, projectRef: (projects[i] as ConflictProject).ref, source: 'auto', reason });
    }
  }
  return out;
}

function push(map: Map<string, number[]>, key: string, index: number): void {
  if (key === '') return;
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

/** Steps 1–2: NFKC, lower case, unified brackets, bracketed parts removed. */
function dropBrackets(name: string): string {
  let s = name.normalize('NFKC').toLowerCase().replace(OPENING, '(').replace(CLOSING, ')');
  let previous: string;
  do {
    previous = s;
    s = s.replace(BRACKETED, ' ');
  } while (s !== previous);
  return s.replace(/\(.*$/s, '').replace(/\)/g, ' ');
}

/** Steps 3–5 on one affiliation. */
function finish(name: string): string {
  const words = name.split(NOT_LETTER_OR_DIGIT).filter((w) => w !== '');
  while (words.length > 1 && LATIN_LEGAL_FORMS.has(words[words.length - 1] as string)) words.pop();
  let s = words.join('');
  // Longest form first; a name that is nothing but a legal form ("有限公司") stays as it is.
  for (;;) {
    if (CHINESE_LEGAL_FORMS.includes(s)) break;
    const form = CHINESE_LEGAL_FORMS.find((f) => s.length > f.length && s.endsWith(f));
    if (form === undefined) break;
    s = s.slice(0, -form.length);
  }
  return s;
}
