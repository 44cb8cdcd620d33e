/**
 * Registration exports for organizers (they contain leaders' phones and e-mails: never public):
 *  - Excel (.xlsx): a sheet with every field under Chinese headers (frozen header row, column
 *    widths, auto filter) and a sheet of per-track statistics with totals;
 *  - CSV: UTF-8 with a BOM so Excel opens Chinese correctly, the same columns.
 * The first columns use the import's header names and formats (members "name|role;…", 是/否),
 * and the import ignores the export-only columns, so an export can be imported elsewhere.
 * Free-text CSV cells that Excel would run as a formula (= + - @) get a leading apostrophe.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as repo from '../data/review.repo.js';
import { PROJECT_STATUSES } from '../domain/contest-document.js';
import { IMPORT_HEADERS } from '../domain/registration/csv-rows.js';
import { AppError } from '../errors.js';
import { translator } from '../i18n/catalog.js';
import type { Clock } from './clock.js';

const zh = translator('zh-CN');

interface Column {
  header: string;
  width: number;
  value(r: repo.ReviewRow): string;
  /** Free text typed by teams: guarded against formula injection in CSV. */
  text?: boolean;
}

const two = (n: number) => String(n).padStart(2, '0');
/** 'YYYY-MM-DD HH:MM' in the server's time zone; '' for null. */
export function formatLocalTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

export const formatMembers = (members: repo.ReviewRow['members']) =>
  members.map((m) => (m.role ? `${m.name}|${m.role}` : m.name)).join(';');

const COLUMNS: Column[] = [
  { header: IMPORT_HEADERS.ref.zh, width: 16, value: (r) => r.ref },
  { header: IMPORT_HEADERS.title.zh, width: 36, value: (r) => r.title, text: true },
  { header: IMPORT_HEADERS.track.zh, width: 16, value: (r) => r.trackName.zh },
  { header: IMPORT_HEADERS.institution.zh, width: 30, value: (r) => r.institution, text: true },
  { header: IMPORT_HEADERS.leader.zh, width: 10, value: (r) => r.leader.name, text: true },
  { header: IMPORT_HEADERS.phone.zh, width: 15, value: (r) => r.leader.phone },
  { header: IMPORT_HEADERS.email.zh, width: 26, value: (r) => r.leader.email, text: true },
  { header: IMPORT_HEADERS.members.zh, width: 30, value: (r) => formatMembers(r.members), text: true },
  { header: IMPORT_HEADERS.stage.zh, width: 12, value: (r) => zh(`enum.stage.${r.stage}`) },
  { header: IMPORT_HEADERS.summary.zh, width: 50, value: (r) => r.summary, text: true },
  {
    header: IMPORT_HEADERS.outOfCompetition.zh,
    width: 6,
    value: (r) => zh(r.outOfCompetition ? 'common.yes' : 'common.no'),
  },
  { header: '状态', width: 10, value: (r) => zh(`enum.projectStatus.${r.status}`) },
  { header: '审核意见', width: 30, value: (r) => r.reviewNote, text: true },
  { header: '来源', width: 10, value: (r) => zh(`review.source.${r.source}`) },
  { header: '提交时间', width: 17, value: (r) => formatLocalTime(r.submittedAt ?? r.createdAt) },
];

/** A leading apostrophe for cells Excel would evaluate as a formula. */
export const guardFormula = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const STAT_HEADERS = ['赛道', ...PROJECT_STATUSES.map((s) => zh(`enum.projectStatus.${s}`)), '合计'];

function stamp(clock: Clock): string {
  const d = clock.now();
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}`;
}

export function createRegistrationExportService(db: Db, clock: Clock) {
  async function load(slug: string, filter: repo.QueueFilter) {
    const contest = await contests.findContestBySlug(db, slug);
    if (!contest) throw new AppError('contest-not-found', { slug });
    const [rows, tracks] = await Promise.all([
      repo.listAll(db, contest.id, filter),
      repo.countsByTrack(db, contest.id),
    ]);
    return { contest, rows, tracks };
  }

  return {
    /** The file name stem of an export: `<slug>-registrations-YYYYMMDD`. */
    fileStem: (slug: string) => `${slug}-registrations-${stamp(clock)}`,

    async xlsx(slug: string, filter: repo.QueueFilter = {}): Promise<Buffer> {
      const { contest, rows, tracks } = await load(slug, filter);
      const wb = new ExcelJS.Workbook();
      wb.creator = 'Roadshow 路演评审系统';
      wb.title = `${contest.name_zh} 报名项目`;

      const sheet = wb.addWorksheet('报名项目', { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = COLUMNS.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
      for (const r of rows) sheet.addRow(COLUMNS.map((c) => c.value(r)));
      sheet.getRow(1).font = { bold: true };
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
      // Phones stay text: Excel must not turn 13800138000 into 1.38E+10.
      sheet.getColumn(6).numFmt = '@';
      const summary = COLUMNS.findIndex((c) => c.header === IMPORT_HEADERS.summary.zh) + 1;
      sheet.getColumn(summary).alignment = { wrapText: true, vertical: 'top' };

      const stats = wb.addWorksheet('赛道统计', { views: [{ state: 'frozen', ySplit: 1 }] });
      stats.columns = STAT_HEADERS.map((h, i) => ({ header: h, key: `s${i}`, width: i === 0 ? 24 : 12 }));
      const totals = PROJECT_STATUSES.map(() => 0);
      for (const t of tracks) {
        const counts = PROJECT_STATUSES.map((s) => t.counts[s]);
        counts.forEach((n, i) => (totals[i] = (totals[i] ?? 0) + n));
        stats.addRow([t.trackName.zh, ...counts, t.total]);
      }
      const total = stats.addRow(['合计', ...totals, totals.reduce((a, b) => a + b, 0)]);
      total.font = { bold: true };
      stats.getRow(1).font = { bold: true };

      return Buffer.from(await wb.xlsx.writeBuffer());
    },

    async csv(slug: string, filter: repo.QueueFilter = {}): Promise<Buffer> {
      const { rows } = await load(slug, filter);
      const records = [
        COLUMNS.map((c) => c.header),
        ...rows.map((r) => COLUMNS.map((c) => (c.text ? guardFormula(c.value(r)) : c.value(r)))),
      ];
      return Buffer.from(stringify(records, { bom: true, record_delimiter: 'windows' }), 'utf8');
    },
  };
}

export type RegistrationExportService = ReturnType<typeof createRegistrationExportService>;
