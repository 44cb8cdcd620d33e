/**
 * CSV import of projects (报名表导入), in two steps:
 *  1. `preview`: decode (UTF-8 ± BOM, else GB18030), parse, check the header, read every row and
 *     check it against the Project schema, the whole-document rules (the same ones an edit or a
 *     JSON import obeys), known tracks, and likely duplicates within the file and against the
 *     contest. Nothing is written unless every row is good; then the decoded text is kept in an
 *     import_batch row for the organizer to confirm.
 *  2. `confirm`: the kept text is checked again against the contest as it is now, and every row
 *     is inserted in ONE transaction (with the ledger entry and the revision bump), or none.
 *     A batch is confirmed at most once.
 * Rows without a ref get the next reference number (PREFIX-YYYY-NNNN), continuing the contest's
 * registration sequence.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contestRows from '../data/contest.repo.js';
import * as parts from '../data/contest-parts.repo.js';
import * as repo from '../data/review.repo.js';
import { ContestDocument, Project } from '../domain/contest-document.js';
import {
  DuplicateIndex,
  IMPORT_HEADERS,
  TEMPLATE_COLUMNS,
  allocateReferences,
  decodeCsv,
  guessDelimiter,
  headerOk,
  isBlankRow,
  mapHeader,
  readRow,
  type CsvEncoding,
  type HeaderMap,
  type ImportColumn,
} from '../domain/registration/csv-rows.js';
import type { RegistrationSummary } from '../domain/registration/reference.js';
import { RegistrationRuleError } from '../domain/registration/errors.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import type { Params } from '../i18n/catalog.js';
import { isoNow, type Clock } from './clock.js';
import { createContestService, type LoadedContest } from './contest.service.js';
import type { EventBus } from './events.js';
import type { LedgerService } from './ledger.service.js';

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 2000;

/** A problem with one row; `key` is a message key, `column` the column it is in (null: the row). */
export interface RowProblem {
  column: ImportColumn | null;
  key: string;
  params?: Params;
}

export interface PreviewRow {
  /** The row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  ref: string;
  refGenerated: boolean;
  title: string;
  trackKey: string;
  institution: string;
  leader: string;
  problems: RowProblem[];
}

export interface ImportPreview {
  fileName: string;
  encoding: CsvEncoding | null;
  /** A problem with the whole file (encoding, format, size); no rows are read then. */
  fileProblem: { key: string; params?: Params } | null;
  /** Header problems: required columns missing, unknown or repeated columns (as written). */
  header: { missing: ImportColumn[]; unknown: string[]; duplicate: string[] } | null;
  /** The header text of each column as the file writes it. */
  labels: Partial<Record<ImportColumn, string>>;
  rows: PreviewRow[];
  rowCount: number;
  /** Rows with at least one problem. */
  errorCount: number;
  /** True when every row can be imported. */
  ok: boolean;
}

interface Plan extends ImportPreview {
  projects: Project[];
  lastSequence: number;
  /** registration_seq the plan was computed from. */
  baseSequence: number;
}

const FIELD_COLUMN: [string, ImportColumn][] = [
  ['ref', 'ref'],
  ['title', 'title'],
  ['trackKey', 'track'],
  ['institution', 'institution'],
  ['leader.name', 'leader'],
  ['leader.phone', 'phone'],
  ['leader.email', 'email'],
  ['leader', 'leader'],
  ['members', 'members'],
  ['stage', 'stage'],
  ['summary', 'summary'],
  ['outOfCompetition', 'outOfCompetition'],
];

/** `leader.phone` → 'phone'; `members[2].name` → 'members'. */
function columnOfPath(path: string): ImportColumn | null {
  const hit = FIELD_COLUMN.find(
    ([prefix]) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`),
  );
  return hit ? hit[1] : null;
}

const DUPLICATE_COLUMN = {
  'title-and-institution': 'title',
  'leader-phone': 'phone',
  'leader-email': 'email',
} as const;

function fileOnly(fileName: string, encoding: CsvEncoding | null, key: string, params?: Params): Plan {
  return {
    fileName,
    encoding,
    fileProblem: { key, params },
    header: null,
    labels: {},
    rows: [],
    rowCount: 0,
    errorCount: 0,
    ok: false,
    projects: [],
    lastSequence: 0,
    baseSequence: 0,
  };
}

function summaryOf(p: { ref?: string; title: string; institution: string; leader: { phone: string; email: string } }) {
  return { ref: p.ref, title: p.title, institution: p.institution, leader: p.leader } satisfies RegistrationSummary;
}

/** The reference year: the contest's start year, else this year. */
function referenceYear(startsOn: string | null, clock: Clock): number {
  const year = startsOn ? Number(startsOn.slice(0, 4)) : NaN;
  return Number.isInteger(year) && year >= 1000 ? year : clock.now().getFullYear();
}

export function createProjectImportService(db: Db, clock: Clock, ledger: LedgerService, events: EventBus) {
  const contestService = createContestService(db, clock);

  /** Checks decoded CSV text against a loaded contest and its reference settings. */
  function plan(
    loaded: LoadedContest,
    text: string,
    encoding: CsvEncoding,
    fileName: string,
    state: { prefix: string; lastSequence: number; year: number },
  ): Plan {
    let records: string[][];
    try {
      records = parseCsv(text, {
        delimiter: guessDelimiter(text),
        relax_column_count: true,
        skip_empty_lines: false,
        bom: true,
      });
    } catch (err) {
      const line = (err as { lines?: number }).lines;
      return fileOnly(fileName, encoding, 'import.file.malformed', { line: line ?? '?' });
    }
    const headerIndex = records.findIndex((r) => !isBlankRow(r));
    if (headerIndex < 0) return fileOnly(fileName, encoding, 'error.import-empty-file');
    const header: HeaderMap = mapHeader(records[headerIndex] ?? []);
    if (!headerOk(header)) {
      return {
        ...fileOnly(fileName, encoding, ''),
        fileProblem: null,
        labels: header.labels,
        header: { missing: header.missing, unknown: header.unknown, duplicate: header.duplicate },
      };
    }
    const data = records
      .map((cells, i) => ({ cells, row: i + 1 }))
      .slice(headerIndex + 1)
      .filter((r) => !isBlankRow(r.cells));
    if (data.length === 0) return fileOnly(fileName, encoding, 'import.file.noRows');
    if (data.length > MAX_IMPORT_ROWS)
      return fileOnly(fileName, encoding, 'import.file.tooManyRows', { max: MAX_IMPORT_ROWS, n: data.length });

    const { doc } = loaded;
    const read = data.map((d) => ({ ...d, ...readRow(d.cells, header, doc.tracks) }));
    let allocation: ReturnType<typeof allocateReferences>;
    try {
      allocation = allocateReferences(
        read.map((r) => r.draft.ref),
        {
          prefix: state.prefix,
          year: state.year,
          lastSequence: state.lastSequence,
          issued: doc.projects.map((p) => p.ref),
        },
      );
    } catch (err) {
      if (err instanceof RegistrationRuleError) return fileOnly(fileName, encoding, 'import.file.badPrefix');
      throw err;
    }

    const existingRefs = new Set(doc.projects.map((p) => p.ref));
    const existing = new DuplicateIndex();
    for (const p of doc.projects) existing.add({ ...summaryOf(p), ref: p.ref });
    const firstRowOfRef = new Map<string, number>();
    const earlier = new DuplicateIndex();
    const rows: PreviewRow[] = [];
    const parsed: (Project | null)[] = [];

    read.forEach((r, i) => {
      const ref = allocation.refs[i] as string;
      const problems: RowProblem[] = r.errors.map((e) => ({
        column: e.column,
        key: `import.cell.${e.code}`,
        params: e.params,
      }));
      const has = (column: ImportColumn | null) => problems.some((p) => p.column === column);
      const add = (p: RowProblem) => {
        if (!has(p.column)) problems.push(p);
      };

      const result = Project.safeParse({ ...r.draft, ref, status: 'submitted' }, { reportInput: true });
      if (!result.success)
        for (const e of fieldErrorsFromZod(result.error)) {
          const column = columnOfPath(e.path);
          const key = column === 'ref' && e.code === 'invalid-key' ? 'import.row.invalidRef' : `validation.${e.code}`;
          add({ column, key, params: e.params });
        }

      if (existingRefs.has(ref)) add({ column: 'ref', key: 'import.row.refExists', params: { ref } });
      const sameRef = firstRowOfRef.get(ref);
      if (sameRef !== undefined) add({ column: 'ref', key: 'import.row.refRepeated', params: { ref, row: sameRef } });
      else firstRowOfRef.set(ref, r.row);

      const candidate = summaryOf({ ...r.draft, ref: undefined });
      const old = existing.find(candidate);
      if (old)
        add({
          column: DUPLICATE_COLUMN[old.rule],
          key: `import.row.duplicateExisting.${old.rule}`,
          params: { ref: old.ref },
        });
      const twin = earlier.find(candidate);
      if (twin)
        add({
          column: DUPLICATE_COLUMN[twin.rule],
          key: `import.row.duplicateInFile.${twin.rule}`,
          params: { row: twin.ref },
        });
      earlier.add({ ...candidate, ref: String(r.row) });

      parsed.push(result.success && problems.length === 0 ? result.data : null);
      rows.push({
        row: r.row,
        ref,
        refGenerated: allocation.generated[i] ?? false,
        title: r.values.title,
        trackKey: r.draft.trackKey,
        institution: r.values.institution,
        leader: r.values.leader,
        problems,
      });
    });

    // The whole-document rules over the contest plus every clean row.
    const clean = parsed.map((p, i) => ({ p, i })).filter((x): x is { p: Project; i: number } => x.p !== null);
    const checked = ContestDocument.safeParse(
      { ...doc, projects: [...doc.projects, ...clean.map((x) => x.p)] },
      { reportInput: true },
    );
    let fileProblem: Plan['fileProblem'] = null;
    if (!checked.success) {
      const offset = doc.projects.length;
      for (const issue of checked.error.issues) {
        const [part, index] = issue.path;
        if (part !== 'projects') continue;
        if (typeof index !== 'number') {
          fileProblem = { key: 'import.file.contestLimit' };
          continue;
        }
        const target = clean[index - offset];
        if (!target) continue;
        const row = rows[target.i] as PreviewRow;
        const relative = new z.ZodError([{ ...issue, path: issue.path.slice(2) }]);
        for (const e of fieldErrorsFromZod(relative)) {
          const column = columnOfPath(e.path);
          if (!row.problems.some((p) => p.column === column))
            row.problems.push({ column, key: `validation.${e.code}`, params: e.params });
        }
      }
    }

    const errorCount = rows.filter((r) => r.problems.length > 0).length;
    const ok = errorCount === 0 && fileProblem === null;
    return {
      fileName,
      encoding,
      fileProblem,
      header: null,
      labels: header.labels,
      rows,
      rowCount: rows.length,
      errorCount,
      ok,
      projects: ok ? (parsed as Project[]) : [],
      lastSequence: allocation.lastSequence,
      baseSequence: state.lastSequence,
    };
  }

  async function planFor(slug: string, text: string, encoding: CsvEncoding, fileName: string) {
    const loaded = await contestService.load(slug);
    const state = await repo.referenceState(db, loaded.id);
    const result = plan(loaded, text, encoding, fileName, {
      prefix: state.reference_prefix,
      lastSequence: state.registration_seq,
      year: referenceYear(state.starts_on, clock),
    });
    return { loaded, state, plan: result };
  }

  const publicView = ({ projects: _p, lastSequence: _l, baseSequence: _b, ...view }: Plan): ImportPreview => view;

  async function batchOf(slug: string, id: number) {
    const contest = await contestRows.findContestBySlug(db, slug);
    if (!contest) throw new AppError('contest-not-found', { slug });
    const batch = Number.isSafeInteger(id) ? await repo.findImportBatch(db, contest.id, id) : undefined;
    if (!batch) throw new AppError('not-found');
    return batch;
  }

  return {
    /**
     * Checks an uploaded file. When every row is good the decoded text is kept as a batch
     * (returned as `batchId`) awaiting confirmation; otherwise nothing is written.
     */
    async preview(
      slug: string,
      file: { name: string; bytes: Uint8Array },
      actorUserId: number,
    ): Promise<{ preview: ImportPreview; batchId: number | null }> {
      const fileName = file.name.normalize('NFC').slice(0, 200) || 'import.csv';
      const decoded = decodeCsv(file.bytes);
      if (!decoded.ok) {
        await contestService.load(slug);
        return { preview: publicView(fileOnly(fileName, null, `error.${decoded.code}`)), batchId: null };
      }
      const { loaded, plan: result } = await planFor(slug, decoded.text, decoded.encoding, fileName);
      if (!result.ok) return { preview: publicView(result), batchId: null };
      const batchId = await repo.insertImportBatch(db, {
        contest_id: loaded.id,
        file_name: fileName,
        encoding: decoded.encoding,
        content: decoded.text,
        row_count: result.rowCount,
        error_count: 0,
        created_by: actorUserId,
        created_at: isoNow(clock),
      });
      return { preview: publicView(result), batchId };
    },

    /** A kept batch: checked again against the contest as it is now, unless already imported. */
    async batch(slug: string, id: number) {
      const batch = await batchOf(slug, id);
      const info = {
        id: batch.id,
        fileName: batch.file_name,
        encoding: batch.encoding as CsvEncoding,
        rowCount: batch.row_count,
        createdAt: batch.created_at,
        confirmedAt: batch.confirmed_at,
      };
      if (batch.confirmed_at) return { batch: info, preview: null };
      const { plan: result } = await planFor(slug, batch.content, info.encoding, batch.file_name);
      return { batch: info, preview: publicView(result) };
    },

    /**
     * Imports a kept batch: all rows in one transaction, or none. Throws `import-already-confirmed`
     * (409) on a second confirmation and `import-has-errors` (422, with the preview) when the
     * contest changed so that some row no longer fits.
     */
    async confirm(slug: string, id: number, actorUserId: number): Promise<{ count: number; refs: string[] }> {
      for (let attempt = 1; ; attempt++) {
        const batch = await batchOf(slug, id);
        if (batch.confirmed_at) throw new AppError('import-already-confirmed', { at: batch.confirmed_at });
        const { loaded, plan: result } = await planFor(
          slug,
          batch.content,
          batch.encoding as CsvEncoding,
          batch.file_name,
        );
        if (!result.ok) throw new ImportRefused(publicView(result));
        const now = isoNow(clock);
        const stale = new Error('stale');
        try {
          const revision = await db.transaction().execute(async (tx) => {
            const state = await repo.referenceState(tx, loaded.id);
            // The plan is valid only for the contest it was computed from.
            if (state.revision !== loaded.revision || state.registration_seq !== result.baseSequence) throw stale;
            if (!(await repo.markBatchConfirmed(tx, batch.id, now)))
              throw new AppError('import-already-confirmed', { at: now });
            const ids: number[] = [];
            let position = loaded.doc.projects.length;
            for (const project of result.projects) {
              const trackId = loaded.ids.tracks.get(project.trackKey);
              if (trackId === undefined) throw stale;
              ids.push(await parts.insertProject(tx, loaded.id, project, trackId, position++, now));
            }
            await repo.markImported(tx, ids, now);
            await repo.raiseRegistrationSeq(tx, loaded.id, result.lastSequence);
            await ledger.append(tx, loaded.id, { kind: 'organizer', id: actorUserId }, 'projects.imported', {
              batchId: batch.id,
              fileName: batch.file_name,
              count: ids.length,
              refs: result.projects.map((p) => p.ref),
            });
            return contestRows.bumpRevision(tx, loaded.id, now);
          });
          events.emit('contest.changed', { contestId: loaded.id, slug, revision, reason: 'projects.imported' });
          return { count: result.projects.length, refs: result.projects.map((p) => p.ref) };
        } catch (err) {
          const conflict = err === stale || /UNIQUE constraint failed: project/.test(String(err));
          if (!conflict) throw err;
          if (attempt >= 3) throw new AppError('import-stale');
        }
      }
    },

    recent: async (slug: string) => {
      const contest = await contestRows.findContestBySlug(db, slug);
      if (!contest) throw new AppError('contest-not-found', { slug });
      return repo.listImportBatches(db, contest.id);
    },

    /** A template CSV (UTF-8 with BOM, Chinese headers) with one example row using the contest's first track. */
    async template(slug: string): Promise<Buffer> {
      const { doc } = await contestService.load(slug);
      const track = doc.tracks[0]?.name.zh ?? 'AI+医疗健康';
      const example: Record<ImportColumn, string> = {
        title: '基于人工智能的眼底影像筛查系统',
        track,
        institution: '首都医科大学附属北京某医院',
        leader: '张三',
        phone: '13800138000',
        email: 'zhangsan@example.com',
        members: '李四|算法工程师;王五|临床顾问',
        stage: '原型/样机',
        summary: '一句话介绍项目（不超过 2000 字）',
        outOfCompetition: '否',
        ref: '',
      };
      const text = stringify(
        [TEMPLATE_COLUMNS.map((c) => IMPORT_HEADERS[c].zh), TEMPLATE_COLUMNS.map((c) => example[c])],
        { bom: true, record_delimiter: 'windows' },
      );
      return Buffer.from(text, 'utf8');
    },
  };
}

/** A confirmation refused because rows no longer fit; carries the fresh preview to show. */
export class ImportRefused extends AppError {
  constructor(readonly preview: ImportPreview) {
    super('import-has-errors', { count: preview.errorCount });
  }
}

export type ProjectImportService = ReturnType<typeof createProjectImportService>;
