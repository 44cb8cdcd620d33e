/**
 * Pure rules for importing projects from a CSV file (报名表导入):
 *  - the encoding: UTF-8 with or without a BOM; anything that is not valid UTF-8 is read as
 *    GB18030 (a superset of GBK, what Chinese Excel writes for "CSV (逗号分隔)"); workbooks,
 *    UTF-16 and binary files are refused with a code naming the problem;
 *  - the header row: Chinese or English column names (项目名称 / title …), missing required and
 *    unknown columns named; the extra columns our own export writes (状态, 审核意见 …) are ignored
 *    so an exported file can be imported into another contest;
 *  - one row's cells → a contest-document Project input (members "name|role;…", 是/否 flags,
 *    track and stage by key or by label), with cell-level errors naming the column;
 *  - reference numbers for rows without one, continuing the contest's sequence.
 * Validation against the Project schema and the whole-document rules is the import service's job
 * (it parses what readRow returns).
 *
 * Pure: no I/O, no clock, no framework imports (TextDecoder is the platform's, as in a browser).
 */
import { DEVELOPMENT_STAGES } from '../contest-document.js';
import { normalizeEmail, normalizePhone } from './contact.js';
import {
  findLikelyDuplicate,
  formatReference,
  nextSequence,
  normalizeTitle,
  type LikelyDuplicate,
  type RegistrationSummary,
} from './reference.js';

// ---------------------------------------------------------------------------------------------
// Encoding

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export const DECODE_ERRORS = [
  'import-empty-file',
  'import-excel-workbook',
  'import-utf16',
  'import-binary',
  'import-bad-encoding',
] as const;
export type DecodeError = (typeof DECODE_ERRORS)[number];

export type DecodeResult = { ok: true; text: string; encoding: CsvEncoding } | { ok: false; code: DecodeError };

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * Decodes an uploaded CSV: valid UTF-8 (a leading BOM removed) is UTF-8, anything else is
 * decoded strictly as GB18030; a file neither decodes is `import-bad-encoding`.
 * @example decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])) // { ok: true, text: 'A', encoding: 'utf-8-bom' }
 * @example decodeCsv(new Uint8Array([0xd6, 0xd0])) // { ok: true, text: '中', encoding: 'gb18030' }
 */
export function decodeCsv(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, code: 'import-empty-file' };
  // .xlsx is a zip (PK\3\4); .xls an OLE compound file.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]))
    return { ok: false, code: 'import-excel-workbook' };
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return { ok: false, code: 'import-utf16' };
  const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]);
  const body = bom ? bytes.subarray(3) : bytes;
  const attempts: [CsvEncoding, string][] = bom
    ? [['utf-8-bom', 'utf-8']]
    : [
        ['utf-8', 'utf-8'],
        ['gb18030', 'gb18030'],
      ];
  for (const [encoding, label] of attempts) {
    let text: string;
    try {
      text = new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      continue;
    }
    if (text.includes('\u0000')) return { ok: false, code: 'import-binary' };
    if (text.trim() === '') return { ok: false, code: 'import-empty-file' };
    return { ok: true, text, encoding };
  }
  return { ok: false, code: 'import-bad-encoding' };
}

/**
 * The field delimiter of a CSV text, guessed from its first line: comma unless that line has
 * more tabs or semicolons (Excel in some locales).
 * @example guessDelimiter('项目名称\t赛道\n…') === '\t'
 */
export function guessDelimiter(text: string): ',' | '\t' | ';' {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => first.split(ch).length - 1;
  const [best] = ([',', '\t', ';'] as const)
    .map((d) => [d, count(d)] as const)
    .sort((a, b) => b[1] - a[1])
    .find(([, n]) => n > 0) ?? [','];
  return best;
}

// ---------------------------------------------------------------------------------------------
// Header

export const IMPORT_COLUMNS = [
  'ref',
  'title',
  'track',
  'institution',
  'leader',
  'phone',
  'email',
  'members',
  'stage',
  'summary',
  'outOfCompetition',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export const REQUIRED_IMPORT_COLUMNS: readonly ImportColumn[] = ['title', 'track', 'institution', 'leader'];

/** The canonical header of each column (the template and the export use the Chinese ones). */
export const IMPORT_HEADERS: Record<ImportColumn, { zh: string; en: string }> = {
  title: { zh: '项目名称', en: 'title' },
  track: { zh: '赛道', en: 'track' },
  institution: { zh: '申报单位', en: 'institution' },
  leader: { zh: '负责人', en: 'leader' },
  phone: { zh: '手机', en: 'phone' },
  email: { zh: '邮箱', en: 'email' },
  members: { zh: '团队成员', en: 'members' },
  stage: { zh: '阶段', en: 'stage' },
  summary: { zh: '简介', en: 'summary' },
  outOfCompetition: { zh: '打星', en: 'outOfCompetition' },
  ref: { zh: '编号', en: 'ref' },
};

/** Column order of the template (and the first columns of the export). */
export const TEMPLATE_COLUMNS: readonly ImportColumn[] = [
  'title',
  'track',
  'institution',
  'leader',
  'phone',
  'email',
  'members',
  'stage',
  'summary',
  'outOfCompetition',
  'ref',
];

const ALIASES: Record<ImportColumn, string[]> = {
  title: ['项目名称', '项目名', '项目', '名称', 'title', 'projecttitle', 'project'],
  track: ['赛道', '参赛赛道', 'track', 'trackkey'],
  institution: ['申报单位', '单位', '所在单位', '依托单位', 'institution', 'organization', 'organisation'],
  leader: ['负责人', '项目负责人', '负责人姓名', 'leader', 'leadername'],
  phone: ['手机', '手机号', '手机号码', '联系电话', '电话', 'phone', 'mobile', 'leaderphone'],
  email: ['邮箱', '电子邮箱', '电子邮件', 'email', 'mail', 'leaderemail'],
  members: ['团队成员', '成员', 'members', 'team', 'teammembers'],
  stage: ['阶段', '发展阶段', '项目阶段', 'stage', 'developmentstage'],
  summary: ['简介', '项目简介', 'summary', 'abstract'],
  outOfCompetition: ['打星', '是否打星', 'outofcompetition'],
  ref: ['编号', '项目编号', '报名编号', 'ref', 'reference', 'referenceno'],
};

/** Columns Roadshow's own export adds; an import skips them. */
const EXPORT_ONLY = [
  '状态',
  '审核状态',
  '审核意见',
  '来源',
  '提交时间',
  '更新时间',
  'status',
  'reviewnote',
  'source',
  'submittedat',
];

/**
 * The comparison form of a header cell: NFKC, lower case, no BOM, no "*" / "（必填）" markers,
 * no spaces, underscores or hyphens.
 * @example headerKey(' 项目名称（必填）* ') === '项目名称'; headerKey('Leader Name') === 'leadername'
 */
export function headerKey(raw: string): string {
  return raw
    .replace(/\uFEFF/g, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\((?:必填|选填|可选|required|optional)\)/g, '')
    .replace(/[\s_*-]+/g, '');
}

const COLUMN_BY_KEY = new Map<string, ImportColumn>(
  IMPORT_COLUMNS.flatMap((c) => ALIASES[c].map((a) => [headerKey(a), c] as const)),
);
const IGNORED_KEYS = new Set(EXPORT_ONLY.map(headerKey));

/** What each header cell is: a column, an export-only column to skip, or blank. */
export type HeaderSlot = ImportColumn | 'ignored' | 'blank';

export interface HeaderMap {
  slots: HeaderSlot[];
  /** The header text each column has in this file (for messages naming the column). */
  labels: Partial<Record<ImportColumn, string>>;
  missing: ImportColumn[];
  /** Header cells naming no known column, as written. */
  unknown: string[];
  /** Columns named more than once, as written (the second occurrence). */
  duplicate: string[];
}

/**
 * Maps a header row to columns.
 * @example mapHeader(['项目名称', 'track', '申报单位', 'Leader']).missing // []
 * @example mapHeader(['项目名称', '赛道', '单位名称']).unknown // ['单位名称'] (and institution, leader missing)
 */
export function mapHeader(cells: readonly string[]): HeaderMap {
  const slots: HeaderSlot[] = [];
  const labels: Partial<Record<ImportColumn, string>> = {};
  const unknown: string[] = [];
  const duplicate: string[] = [];
  for (const raw of cells) {
    const key = headerKey(raw);
    const label = raw.replace(/\uFEFF/g, '').trim();
    if (key === '') {
      slots.push('blank');
      continue;
    }
    const column = COLUMN_BY_KEY.get(key);
    if (column === undefined) {
      slots.push(IGNORED_KEYS.has(key) ? 'ignored' : 'blank');
      if (!IGNORED_KEYS.has(key)) unknown.push(label);
      continue;
    }
    if (labels[column] !== undefined) {
      duplicate.push(label);
      slots.push('blank');
      continue;
    }
    labels[column] = label;
    slots.push(column);
  }
  const missing = REQUIRED_IMPORT_COLUMNS.filter((c) => labels[c] === undefined);
  return { slots, labels, missing, unknown, duplicate };
}

export const headerOk = (h: HeaderMap) => h.missing.length === 0 && h.unknown.length === 0 && h.duplicate.length === 0;

// ---------------------------------------------------------------------------------------------
// Cells

export interface TrackRef {
  key: string;
  name: { zh: string; en: string };
}

export interface CellError {
  /** The column the problem is in; null for the row as a whole. */
  column: ImportColumn | null;
  code: string;
  params?: Record<string, string | number>;
}

/** What readRow builds: the input the Project schema parses (status and ref are set by the service). */
export interface ProjectDraft {
  ref?: string;
  title: string;
  trackKey: string;
  institution: string;
  leader: { name: string; phone: string; email: string };
  members: { name: string; role: string }[];
  stage?: string;
  summary: string;
  outOfCompetition: boolean;
}

export interface ReadRow {
  /** The trimmed cell of each column (absent columns are ''). */
  values: Record<ImportColumn, string>;
  draft: ProjectDraft;
  errors: CellError[];
}

const fold = (s: string) => s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

const STAGE_LABELS: Record<(typeof DEVELOPMENT_STAGES)[number], string[]> = {
  concept: ['概念/创意', '概念', '创意', '概念阶段', 'concept'],
  prototype: ['原型/样机', '原型', '样机', 'prototype'],
  preclinical: ['临床前研究', '临床前', 'preclinical'],
  'clinical-trial': ['临床试验', '临床研究', 'clinical trial', 'clinical-trial'],
  registration: ['注册申报', '注册', '申报注册', 'regulatory filing', 'registration'],
  market: ['已上市', '上市', 'on the market', 'market'],
};
const STAGE_BY_LABEL = new Map<string, string>(
  DEVELOPMENT_STAGES.flatMap((s) => STAGE_LABELS[s].map((l) => [fold(l), s] as const)),
);

/**
 * A development stage by key or label; null when unknown; undefined when empty (the schema's default).
 * @example parseStage('临床试验') === 'clinical-trial'; parseStage('') === undefined
 */
export function parseStage(text: string): string | null | undefined {
  if (text.trim() === '') return undefined;
  return STAGE_BY_LABEL.get(fold(text)) ?? null;
}

const FLAGS = new Map<string, boolean>([
  ['是', true],
  ['否', false],
  ['yes', true],
  ['no', false],
  ['y', true],
  ['n', false],
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  ['√', true],
  ['×', false],
]);

/**
 * 是/否, yes/no, 1/0, true/false; empty is false; null when it is none of those.
 * @example parseFlag('是') === true; parseFlag('') === false; parseFlag('maybe') === null
 */
export function parseFlag(text: string): boolean | null {
  const s = fold(text);
  if (s === '') return false;
  return FLAGS.get(s) ?? null;
}

/**
 * Team members written `name|role;name|role` (full-width ｜ ； and 、 also separate; the role is optional).
 * Returns the entry that has no name when one is malformed.
 * @example parseMembers('王五|算法;赵六') // { members: [{ name: '王五', role: '算法' }, { name: '赵六', role: '' }] }
 */
export function parseMembers(text: string): { members: { name: string; role: string }[]; bad?: string } {
  const members: { name: string; role: string }[] = [];
  for (const entry of text.split(/[;；、\n]/)) {
    if (entry.trim() === '') continue;
    const parts = entry.split(/[|｜]/).map((p) => p.trim());
    const [name = '', role = '', ...rest] = parts;
    if (name === '' || rest.length > 0) return { members, bad: entry.trim() };
    members.push({ name, role });
  }
  return { members };
}

/**
 * A track by key, Chinese name or English name (case and width insensitive); null when unknown.
 * @example resolveTrack('AI+医疗健康', [{ key: 'ai', name: { zh: 'AI+医疗健康', en: 'AI + Healthcare' } }]) === 'ai'
 */
export function resolveTrack(text: string, tracks: readonly TrackRef[]): string | null {
  const s = fold(text);
  const byKey = tracks.find((t) => t.key === s);
  if (byKey) return byKey.key;
  const compact = (v: string) => fold(v).replace(/\s+/g, '');
  const found = tracks.find(
    (t) => compact(t.name.zh) === compact(text) || (t.name.en !== '' && compact(t.name.en) === compact(text)),
  );
  return found?.key ?? null;
}

/** Phone numbers as people type them: spaces, hyphens and brackets dropped (the schema checks the rest). */
const cleanPhone = (text: string) => text.normalize('NFKC').replace(/[\s()-]/g, '');

export const isBlankRow = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/**
 * Reads one data row under a header. Unknown tracks and stages, bad flags and malformed member
 * lists are cell errors; everything else is left for the Project schema.
 * @example readRow(['智能导管', 'devices', '某医院', '李华'], mapHeader(['项目名称', '赛道', '申报单位', '负责人']), tracks).draft.trackKey === 'devices'
 */
export function readRow(cells: readonly string[], header: HeaderMap, tracks: readonly TrackRef[]): ReadRow {
  const values = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, ''])) as Record<ImportColumn, string>;
  const errors: CellError[] = [];
  cells.forEach((raw, i) => {
    const cell = raw.trim();
    const slot = header.slots[i];
    if (slot === undefined || slot === 'blank') {
      if (cell !== '') errors.push({ column: null, code: 'import-unnamed-column', params: { n: i + 1 } });
      return;
    }
    if (slot !== 'ignored') values[slot] = cell;
  });

  let trackKey = values.track;
  if (values.track !== '') {
    const key = resolveTrack(values.track, tracks);
    if (key === null) errors.push({ column: 'track', code: 'import-unknown-track', params: { value: values.track } });
    else trackKey = key;
  }
  const stage = parseStage(values.stage);
  if (stage === null) errors.push({ column: 'stage', code: 'import-unknown-stage', params: { value: values.stage } });
  const flag = parseFlag(values.outOfCompetition);
  if (flag === null)
    errors.push({
      column: 'outOfCompetition',
      code: 'import-invalid-flag',
      params: { value: values.outOfCompetition },
    });
  const { members, bad } = parseMembers(values.members);
  if (bad !== undefined) errors.push({ column: 'members', code: 'import-invalid-members', params: { value: bad } });

  const draft: ProjectDraft = {
    title: values.title,
    trackKey,
    institution: values.institution,
    leader: { name: values.leader, phone: cleanPhone(values.phone), email: values.email },
    members,
    summary: values.summary,
    outOfCompetition: flag ?? false,
  };
  if (values.ref !== '') draft.ref = values.ref.normalize('NFKC');
  if (stage) draft.stage = stage;
  return { values, draft, errors };
}

// ---------------------------------------------------------------------------------------------
// Reference numbers

export interface ReferenceSettings {
  prefix: string;
  year: number;
  /** The contest's registration_seq: the last sequence number issued. */
  lastSequence: number;
  /** Every ref already in the contest. */
  issued: readonly string[];
}

/**
 * The ref of every row: its own, or the next reference number (PREFIX-YYYY-NNNN) after both the
 * contest's sequence and any number of that prefix and year already used (in the contest or in
 * the file), in row order.
 * @example allocateReferences([undefined, 'X1', undefined], { prefix: 'RS', year: 2024, lastSequence: 3, issued: [] })
 *   // { refs: ['RS-2024-0004', 'X1', 'RS-2024-0005'], generated: [true, false, true], lastSequence: 5 }
 */
export function allocateReferences(
  own: readonly (string | undefined)[],
  settings: ReferenceSettings,
): { refs: string[]; generated: boolean[]; lastSequence: number } {
  const given = own.filter((r): r is string => r !== undefined);
  let seq = Math.max(
    settings.lastSequence,
    nextSequence([...settings.issued, ...given], settings.prefix, settings.year) - 1,
  );
  const refs = own.map((r) => {
    if (r !== undefined) return r;
    seq += 1;
    return formatReference({ prefix: settings.prefix, year: settings.year, sequence: seq });
  });
  return { refs, generated: own.map((r) => r === undefined), lastSequence: seq };
}

// ---------------------------------------------------------------------------------------------
// Likely duplicates, at scale

type Indexed = RegistrationSummary & { ref: string };

/**
 * findLikelyDuplicate over many entries without comparing against every one: entries are indexed
 * by normalized title, phone and e-mail, and only those sharing a key are checked (in the order
 * they were added), so the answer is exactly findLikelyDuplicate's over the whole list.
 * @example const index = new DuplicateIndex(); index.add(a); index.find(b) // same as findLikelyDuplicate(b, [a])
 */
export class DuplicateIndex {
  private readonly entries: Indexed[] = [];
  private readonly byKey = new Map<string, number[]>();

  add(entry: Indexed): void {
    const i = this.entries.push(entry) - 1;
    for (const key of this.keys(entry)) {
      const list = this.byKey.get(key);
      if (list) list.push(i);
      else this.byKey.set(key, [i]);
    }
  }

  find(candidate: RegistrationSummary): LikelyDuplicate | null {
    const hits = new Set<number>();
    for (const key of this.keys(candidate)) for (const i of this.byKey.get(key) ?? []) hits.add(i);
    if (!hits.size) return null;
    const subset = [...hits].sort((a, b) => a - b).map((i) => this.entries[i] as Indexed);
    return findLikelyDuplicate(candidate, subset);
  }

  private keys(s: RegistrationSummary): string[] {
    const out: string[] = [];
    const title = normalizeTitle(s.title);
    const phone = normalizePhone(s.leader.phone);
    const email = normalizeEmail(s.leader.email);
    if (title) out.push(`t:${title}`);
    if (phone) out.push(`p:${phone}`);
    if (email) out.push(`e:${email}`);
    return out;
  }
}
