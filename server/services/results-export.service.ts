/**
 * Results exports for organizers and the notary (公证): an Excel workbook (overall ranking,
 * one ranking sheet per track, per-judge detail with every dropped mark flagged by a fill
 * colour and a "去掉" note, the full score record, the awards, and a signature sheet with a
 * block per judge and the head judge) and the ranking as CSV (UTF-8 with BOM so Excel opens
 * the Chinese headers correctly).
 *
 * The builders are pure functions of the results types; the service loads the round's results
 * (and its locked awards, or the dry run when not locked yet) through the results services.
 * Numbers shown are the displayed values; the exact fraction is in its own column.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { ContestDocument } from '../domain/contest-document.js';
import type { AwardsService } from './awards.service.js';
import { isoNow, type Clock } from './clock.js';
import type { ContestService } from './contest.service.js';
import type { ResultsService } from './results.service.js';
import type {
  AwardAllocationView,
  LockedAward,
  ResultsJudgeLine,
  ResultsProject,
  RoundResults,
} from './results.types.js';

/** The awards an export lists: the locked ones, or the dry run's preview when not locked. */
export type ExportAwards =
  | { readonly kind: 'locked'; readonly lockedAt: string; readonly awards: readonly LockedAward[] }
  | { readonly kind: 'preview'; readonly allocations: readonly AwardAllocationView[] }
  | { readonly kind: 'none' };

export interface ExportInput {
  readonly results: RoundResults;
  readonly awards: ExportAwards;
  /** For judge institutions and the organizer name on the signature sheet. */
  readonly doc: Pick<ContestDocument, 'organizer' | 'judges' | 'tracks'>;
  /** ISO timestamp of the export. */
  readonly exportedAt: string;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EDF5' } };
const DROPPED_HIGH_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const DROPPED_LOW_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const MUTED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFBFC5D0' } },
  left: { style: 'thin', color: { argb: 'FFBFC5D0' } },
  bottom: { style: 'thin', color: { argb: 'FFBFC5D0' } },
  right: { style: 'thin', color: { argb: 'FFBFC5D0' } },
};
const FONT = 'Microsoft YaHei';

const METHOD_ZH = { mean: '平均分', 'trimmed-mean': '去掉最高分和最低分后取平均' } as const;
const STATUS_ZH: Record<ResultsJudgeLine['status'], string> = {
  scored: '',
  missing: '未评',
  incomplete: '未评完',
  recused: '回避',
  'not-assigned': '—',
};
const SEPARATED_ZH: Record<string, string> = {
  score: '',
  'untrimmed-mean': '未去分平均分决胜',
  criterion: '指定评分项决胜',
  'more-high-marks': '高分多者决胜',
  'head-judge': '评委组长裁定',
};

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(wanted: string, used: Set<string>): string {
  const clean = wanted.replace(/[[\]:*?/\\]/g, ' ').trim() || 'Sheet';
  let name = clean.slice(0, 31);
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${clean.slice(0, 31 - String(i).length - 1)}~${i}`;
  used.add(name.toLowerCase());
  return name;
}

const num = (display: string | null): number | string => (display === null ? '' : Number(display));
const numFmt = (decimals: number) => (decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0');

function dropNote(line: ResultsJudgeLine): string {
  return line.dropped === 'high' ? '去掉（最高分）' : '去掉（最低分）';
}

/** Title rows above a table: the contest, the round and what the sheet is. */
function titleRows(ws: ExcelJS.Worksheet, r: RoundResults, title: string, width: number): void {
  ws.addRow([`${r.contest.name.zh} · ${r.round.name.zh} · ${title}`]);
  ws.mergeCells(1, 1, 1, Math.max(width, 1));
  const first = ws.getRow(1);
  first.font = { name: FONT, bold: true, size: 14 };
  first.height = 24;
  const trim = r.round.method === 'trimmed-mean' && r.round.trim > 0 ? `（各去掉 ${r.round.trim} 个）` : '';
  ws.addRow([
    `计分方法：${METHOD_ZH[r.round.method]}${trim}；保留 ${r.round.decimals} 位小数；评委 ${r.judgeCount} 人；计算时间 ${r.computedAt}`,
  ]);
  ws.mergeCells(2, 1, 2, Math.max(width, 1));
  ws.getRow(2).font = { name: FONT, size: 9, color: { argb: 'FF5D6472' } };
  ws.addRow([]);
}

function headerRow(ws: ExcelJS.Worksheet, headers: string[]): ExcelJS.Row {
  const row = ws.addRow(headers);
  row.font = { name: FONT, bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = THIN;
  });
  return row;
}

function bodyRow(ws: ExcelJS.Worksheet, values: (string | number | null)[]): ExcelJS.Row {
  const row = ws.addRow(values.map((v) => (v === null ? '' : v)));
  row.font = { name: FONT };
  row.eachCell({ includeEmpty: true }, (cell) => {
    cell.border = THIN;
  });
  return row;
}

function widths(ws: ExcelJS.Worksheet, cols: number[]): void {
  cols.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
}

function freezeBelow(ws: ExcelJS.Worksheet, headerRowNumber: number, xSplit = 0): void {
  ws.views = [{ state: 'frozen', ySplit: headerRowNumber, xSplit }];
}

const RANKING_HEADERS = [
  '排名',
  '参赛排名',
  '项目编号',
  '项目名称',
  '单位',
  '赛道',
  '得分',
  '精确值',
  '有效评委',
  '打星',
  '决胜方式',
  '说明',
];

function rankingRow(
  p: ResultsProject,
  rank: number | null,
  competitionRank: number | null,
): (string | number | null)[] {
  const tie = p.tiedWith.length > 0 ? `并列（${[p.ref, ...p.tiedWith].join('、')}）` : '';
  const how = [
    SEPARATED_ZH[p.separatedBy ?? ''] ?? p.separatedBy ?? '',
    p.decisionReason ? `理由：${p.decisionReason}` : '',
    tie,
  ]
    .filter(Boolean)
    .join('；');
  return [
    rank,
    competitionRank,
    p.ref,
    p.title,
    p.institution,
    p.track.name.zh,
    num(p.display),
    p.exact,
    `${p.judgesScored}/${p.judgesEligible}`,
    p.outOfCompetition ? '打星' : '',
    how,
    p.formula,
  ];
}

function rankingSheet(
  ws: ExcelJS.Worksheet,
  r: RoundResults,
  title: string,
  rows: { p: ResultsProject; rank: number | null; competitionRank: number | null }[],
): void {
  titleRows(ws, r, title, RANKING_HEADERS.length);
  const header = headerRow(ws, RANKING_HEADERS);
  for (const { p, rank, competitionRank } of rows) {
    const row = bodyRow(ws, rankingRow(p, rank, competitionRank));
    row.getCell(7).numFmt = numFmt(r.round.decimals);
    if (p.outOfCompetition) row.getCell(10).fill = MUTED_FILL;
  }
  widths(ws, [6, 8, 16, 36, 26, 16, 9, 14, 9, 6, 22, 60]);
  freezeBelow(ws, header.number, 4);
}

/** Judges of the round in panel order (every project lists every judge). */
function panel(r: RoundResults): { key: string; name: string; isHeadJudge: boolean }[] {
  const seen = new Map<string, { key: string; name: string; isHeadJudge: boolean }>();
  for (const p of r.projects)
    for (const j of p.judges)
      if (!seen.has(j.judgeKey)) seen.set(j.judgeKey, { key: j.judgeKey, name: j.name, isHeadJudge: j.isHeadJudge });
  return [...seen.values()];
}

function judgeMatrixSheet(ws: ExcelJS.Worksheet, r: RoundResults): void {
  const judges = panel(r);
  const headers = [
    '项目编号',
    '项目名称',
    ...judges.map((j) => (j.isHeadJudge ? `${j.name}（组长）` : j.name)),
    '得分',
  ];
  titleRows(ws, r, '评委评分明细', headers.length);
  const header = headerRow(ws, headers);
  for (const p of r.projects) {
    const byJudge = new Map(p.judges.map((j) => [j.judgeKey, j]));
    const row = bodyRow(ws, [
      p.ref,
      p.title,
      ...judges.map((j) => {
        const line = byJudge.get(j.key);
        if (!line) return '';
        if (line.total !== null) return Number(line.total);
        if (line.replaced && line.value !== null) return Number(line.value);
        return STATUS_ZH[line.status];
      }),
      num(p.display),
    ]);
    judges.forEach((j, i) => {
      const line = byJudge.get(j.key);
      const cell = row.getCell(3 + i);
      cell.alignment = { horizontal: 'center' };
      if (!line) return;
      if (typeof cell.value === 'number') cell.numFmt = '0.00';
      const notes: string[] = [];
      if (line.dropped) {
        cell.fill = line.dropped === 'high' ? DROPPED_HIGH_FILL : DROPPED_LOW_FILL;
        cell.font = { name: FONT, strike: true, color: { argb: 'FF7A2E0E' } };
        notes.push(dropNote(line));
      }
      if (line.replaced) {
        cell.font = { name: FONT, italic: true };
        notes.push('缺评：以已给分数的平均值替代');
      }
      if (line.normalized && line.value !== null) notes.push(`标准化后：${line.value}`);
      if (!line.counted && line.status !== 'scored') cell.fill = MUTED_FILL;
      if (notes.length) cell.note = notes.join('\n');
    });
    row.getCell(3 + judges.length).numFmt = numFmt(r.round.decimals);
    row.getCell(3 + judges.length).font = { name: FONT, bold: true };
  }
  ws.addRow([]);
  const legend = [
    ['图例', ''],
    ['橙色底 + 删除线', '去掉的最高分'],
    ['蓝色底 + 删除线', '去掉的最低分'],
    ['斜体', '缺评替代值（已给分数的平均值）'],
    ['回避 / 未评', '回避的评委 / 未提交评分'],
  ];
  legend.forEach(([a, b], i) => {
    const row = ws.addRow([a, b]);
    row.font = { name: FONT, size: 9, bold: i === 0 };
    if (i === 1) row.getCell(1).fill = DROPPED_HIGH_FILL;
    if (i === 2) row.getCell(1).fill = DROPPED_LOW_FILL;
  });
  widths(ws, [16, 34, ...judges.map(() => 11), 10]);
  freezeBelow(ws, header.number, 2);
}

function scoreRecordSheet(ws: ExcelJS.Worksheet, r: RoundResults): void {
  const headers = [
    '评委',
    '项目编号',
    '项目名称',
    ...r.criteria.map((c) => `${c.name.zh}（${c.max}）`),
    '评委总分',
    '计入值',
    '状态',
    '去掉',
  ];
  titleRows(ws, r, '评分记录（逐评委逐项目）', headers.length);
  const header = headerRow(ws, headers);
  for (const j of panel(r)) {
    for (const p of r.projects) {
      const line = p.judges.find((l) => l.judgeKey === j.key);
      if (!line || line.status === 'not-assigned') continue;
      const row = bodyRow(ws, [
        j.name,
        p.ref,
        p.title,
        ...r.criteria.map((c) => (line.marks[c.key] === undefined ? '' : Number(line.marks[c.key]))),
        num(line.total),
        num(line.value),
        STATUS_ZH[line.status] || '已评',
        line.dropped ? dropNote(line) : '',
      ]);
      if (line.dropped) {
        const fill = line.dropped === 'high' ? DROPPED_HIGH_FILL : DROPPED_LOW_FILL;
        row.getCell(headers.length).fill = fill;
        row.getCell(4 + r.criteria.length).fill = fill;
      }
    }
  }
  widths(ws, [12, 16, 32, ...r.criteria.map(() => 12), 10, 10, 8, 14]);
  freezeBelow(ws, header.number, 3);
}

function awardsSheet(ws: ExcelJS.Worksheet, r: RoundResults, awards: ExportAwards): void {
  const headers = ['奖项', '范围/赛道', '名次', '项目编号', '项目名称', '单位', '得分', '证书编号', '状态'];
  const label = awards.kind === 'locked' ? `获奖名单（已锁定 ${awards.lockedAt}）` : '获奖名单（预览，尚未锁定）';
  titleRows(ws, r, label, headers.length);
  const header = headerRow(ws, headers);
  const trackName = (key: string | null) =>
    key === null ? '总体' : (r.projects.find((p) => p.track.key === key)?.track.name.zh ?? key);
  if (awards.kind === 'locked') {
    for (const a of awards.awards) {
      const row = bodyRow(ws, [
        a.tierName.zh,
        a.scope === 'track' ? (a.trackName?.zh ?? trackName(a.trackKey)) : '总体',
        a.rank,
        a.projectRef,
        a.title,
        a.institution,
        a.scoreText,
        a.certificateNo,
        a.revokedAt ? `已撤销 ${a.revokedAt}` : '有效',
      ]);
      if (a.revokedAt) row.font = { name: FONT, strike: true, color: { argb: 'FF8A8F99' } };
    }
  } else if (awards.kind === 'preview') {
    for (const a of awards.allocations)
      bodyRow(ws, [
        a.tierName.zh,
        a.scope === 'track' ? trackName(a.trackKey) : '总体',
        a.rank,
        a.projectRef,
        a.title,
        a.institution,
        a.display ?? '',
        '',
        a.tiedAtCutoff ? '预览（临界并列）' : '预览',
      ]);
  }
  widths(ws, [12, 16, 6, 16, 36, 26, 9, 18, 16]);
  freezeBelow(ws, header.number);
}

function signatureSheet(ws: ExcelJS.Worksheet, r: RoundResults, doc: ExportInput['doc']): void {
  ws.pageSetup = { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  widths(ws, [14, 30, 14, 24]);
  const title = ws.addRow([`${r.contest.name.zh} · ${r.round.name.zh}`]);
  ws.mergeCells(title.number, 1, title.number, 4);
  title.font = { name: FONT, bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  const sub = ws.addRow(['评分结果确认签字页']);
  ws.mergeCells(sub.number, 1, sub.number, 4);
  sub.font = { name: FONT, bold: true, size: 13 };
  sub.alignment = { horizontal: 'center' };
  const statement = ws.addRow([
    `本人确认：本轮评分表（见“评委评分明细”“评分记录”工作表，共 ${r.projects.length} 个项目）所列本人评分真实、完整，` +
      `计分规则为${METHOD_ZH[r.round.method]}，去掉的分数已标注。结果计算时间 ${r.computedAt}` +
      (r.ledgerHead ? `，审计账本序号 ${r.ledgerHead.seq}，哈希 ${r.ledgerHead.hash.slice(0, 16)}…` : '') +
      '。',
  ]);
  ws.mergeCells(statement.number, 1, statement.number, 4);
  statement.alignment = { wrapText: true, vertical: 'top' };
  statement.height = 48;
  statement.font = { name: FONT, size: 10 };
  ws.addRow([]);

  const institution = new Map(doc.judges.map((j) => [j.key, j.institution]));
  const judges = panel(r);
  const ordered = [...judges.filter((j) => !j.isHeadJudge), ...judges.filter((j) => j.isHeadJudge)];
  const block = (role: string, name: string, org: string) => {
    const head = ws.addRow([role, name, '单位', org]);
    const sign = ws.addRow(['签字', '', '日期', '']);
    sign.height = 36;
    for (const row of [head, sign]) {
      row.font = { name: FONT };
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cell.border = THIN;
        if (col === 1 || col === 3) cell.fill = HEADER_FILL;
        cell.alignment = { vertical: 'middle', wrapText: true };
      });
    }
    ws.addRow([]);
  };
  for (const j of ordered) block(j.isHeadJudge ? '评委组长' : '评委', j.name, institution.get(j.key) ?? '');
  if (!judges.some((j) => j.isHeadJudge)) block('评委组长', '', '');
  block('监督/公证', '', doc.organizer);
}

/** Builds the results workbook. */
export async function buildWorkbook(input: ExportInput): Promise<Buffer> {
  const { results: r } = input;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Roadshow 路演评审系统';
  wb.created = new Date(input.exportedAt);
  const used = new Set<string>();
  const byRef = new Map(r.projects.map((p) => [p.ref, p]));

  rankingSheet(
    wb.addWorksheet(sheetName('总排名', used)),
    r,
    '总排名',
    r.rankings.overall.flatMap((row) => {
      const p = byRef.get(row.ref);
      return p ? [{ p, rank: row.rank, competitionRank: row.competitionRank }] : [];
    }),
  );
  for (const track of r.rankings.tracks) {
    rankingSheet(
      wb.addWorksheet(sheetName(`赛道-${track.trackName.zh}`, used)),
      r,
      `${track.trackName.zh} 赛道排名`,
      track.rows.flatMap((row) => {
        const p = byRef.get(row.ref);
        return p ? [{ p, rank: row.rank, competitionRank: row.competitionRank }] : [];
      }),
    );
  }
  judgeMatrixSheet(wb.addWorksheet(sheetName('评委明细', used)), r);
  scoreRecordSheet(wb.addWorksheet(sheetName('评分记录', used)), r);
  awardsSheet(wb.addWorksheet(sheetName('获奖名单', used)), r, input.awards);
  signatureSheet(wb.addWorksheet(sheetName('签字页', used)), r, input.doc);

  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

export const CSV_HEADERS = [
  '排名',
  '参赛排名',
  '项目编号',
  '项目名称',
  '单位',
  '赛道',
  '得分',
  '精确值',
  '有效评委',
  '打星',
  '并列',
];

/** The overall ranking as CSV, UTF-8 with a BOM (Excel needs it for Chinese). */
export function rankingCsv(r: RoundResults): string {
  const byRef = new Map(r.projects.map((p) => [p.ref, p]));
  const rows = r.rankings.overall.flatMap((row) => {
    const p = byRef.get(row.ref);
    if (!p) return [];
    return [
      [
        row.rank ?? '',
        row.competitionRank ?? '',
        p.ref,
        p.title,
        p.institution,
        p.track.name.zh,
        p.display ?? '',
        p.exact ?? '',
        `${p.judgesScored}/${p.judgesEligible}`,
        p.outOfCompetition ? '打星' : '',
        p.tiedWith.join(' '),
      ],
    ];
  });
  return stringify([CSV_HEADERS, ...rows], { bom: true, record_delimiter: 'windows' });
}

// ---------------------------------------------------------------------------------------------
// Service

export interface ExportFile {
  fileName: string;
  asciiName: string;
  contentType: string;
  data: Buffer | string;
}

export function createResultsExportService(
  clock: Clock,
  contests: ContestService,
  results: ResultsService,
  awards: AwardsService,
) {
  /** A locked round exports its lock snapshot and awards; otherwise the live results and the dry run. */
  async function inputFor(slug: string, roundKey?: string): Promise<ExportInput> {
    const loaded = await contests.load(slug);
    const computed = await results.computeLoaded(loaded, roundKey);
    const lock = await awards.locked(slug, computed.inputs.round.key);
    return {
      results: lock ? lock.snapshot.results : computed.results,
      awards: lock
        ? { kind: 'locked', lockedAt: lock.lockedAt, awards: lock.awards }
        : computed.inputs.isAwardRound
          ? { kind: 'preview', allocations: computed.dryRun.allocations }
          : { kind: 'none' },
      doc: loaded.doc,
      exportedAt: isoNow(clock),
    };
  }

  return {
    inputFor,

    async workbook(slug: string, roundKey?: string): Promise<ExportFile> {
      const input = await inputFor(slug, roundKey);
      const r = input.results;
      return {
        fileName: `${r.contest.name.zh}-${r.round.name.zh}-成绩.xlsx`,
        asciiName: `${r.contest.slug}-${r.round.key}-results.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        data: await buildWorkbook(input),
      };
    },

    async csv(slug: string, roundKey?: string): Promise<ExportFile> {
      const input = await inputFor(slug, roundKey);
      const r = input.results;
      return {
        fileName: `${r.contest.name.zh}-${r.round.name.zh}-排名.csv`,
        asciiName: `${r.contest.slug}-${r.round.key}-ranking.csv`,
        contentType: 'text/csv; charset=utf-8',
        data: rankingCsv(r),
      };
    },
  };
}

export type ResultsExportService = ReturnType<typeof createResultsExportService>;
