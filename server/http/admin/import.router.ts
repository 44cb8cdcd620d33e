/**
 * CSV import pages (`/admin/contests/:slug/import`): the upload form with the column guide and
 * the template download, the preview of an upload (every row with its status and, for a bad row,
 * the reasons naming the column), the preview of a kept batch with its confirm button, and the
 * confirmation. Uploads are multipart (multer, in memory, size-limited); the CSRF token travels
 * in the `x-csrf-token` header (static/client/review.ts sends the form that way), since the
 * app-wide CSRF check runs before a multipart body is read. Importing needs 'edit'.
 * Also holds the chrome shared with review.router.ts (which mounts this router).
 */
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { verifyCsrf } from '../middleware/csrf.js';
import type { ContestDocument } from '../../domain/contest-document.js';
import {
  IMPORT_HEADERS,
  REQUIRED_IMPORT_COLUMNS,
  TEMPLATE_COLUMNS,
  type ImportColumn,
} from '../../domain/registration/csv-rows.js';
import { AppError } from '../../errors.js';
import { localized, type Locale, type Translate } from '../../i18n/catalog.js';
import {
  ImportRefused,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  type ImportPreview,
} from '../../services/project-import.service.js';
import { hasPermission } from '../../services/user.service.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { contestChrome, contestHref, type Crumb } from './contest-parts.router.js';

const STYLES = ['/static/css/review.css'];
const SCRIPTS = ['/static/build/review.js'];

/** A medium date and short time in the page's locale ('' for none). */
export function whenFormatter(locale: Locale) {
  const f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short' });
  return (iso: string | null | undefined) => (iso ? f.format(new Date(iso)) : '');
}

/** Page locals of the review area (review queue, import): contest chrome, sub-navigation, assets. */
export function reviewChrome(
  doc: ContestDocument,
  t: Translate,
  locale: Locale,
  current: 'review' | 'import',
  trail: Crumb[],
) {
  const href = contestHref(doc.slug);
  return {
    ...contestChrome(doc, t, locale, current, trail),
    subnav: [
      { label: t('review.nav.queue'), href: `${href}/review`, current: current === 'review' },
      { label: t('review.nav.import'), href: `${href}/import`, current: current === 'import' },
    ],
    styles: STYLES,
    scripts: SCRIPTS,
  };
}

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, parts: 6 },
}).single('file');

/** multer with its errors as AppErrors (an oversize file is a 413 with the limit in the message). */
const receiveFile: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE')
      return next(new AppError('import-too-large', { max: `${MAX_IMPORT_BYTES / 1024 / 1024} MB` }));
    if (err instanceof multer.MulterError) return next(new AppError('import-no-file'));
    next(err);
  });
};

const columnName = (c: ImportColumn, locale: Locale) =>
  locale === 'en' ? IMPORT_HEADERS[c].en : `${IMPORT_HEADERS[c].zh}（${IMPORT_HEADERS[c].en}）`;

const ENCODING_LABELS: Record<string, string> = {
  'utf-8': 'import.encoding.utf8',
  'utf-8-bom': 'import.encoding.utf8bom',
  gb18030: 'import.encoding.gbk',
};

/** The preview as the page shows it: translated problems prefixed with the column as written. */
function previewView(p: ImportPreview, doc: ContestDocument, t: Translate, locale: Locale) {
  const label = (c: ImportColumn) => p.labels[c] ?? (locale === 'en' ? IMPORT_HEADERS[c].en : IMPORT_HEADERS[c].zh);
  const trackName = (key: string) => {
    const track = doc.tracks.find((tr) => tr.key === key);
    return track ? localized(track.name, locale) : key;
  };
  const header = p.header
    ? {
        missing: p.header.missing.map((c) => columnName(c, locale)).join('、'),
        unknown: p.header.unknown.join('、'),
        duplicate: p.header.duplicate.join('、'),
      }
    : null;
  const rows = p.rows.map((r) => ({
    row: r.row,
    ref: r.ref,
    refGenerated: r.refGenerated,
    title: r.title,
    track: trackName(r.trackKey),
    institution: r.institution,
    leader: r.leader,
    ok: r.problems.length === 0,
    problems: r.problems.map((pr) => ({
      column: pr.column ? label(pr.column) : null,
      sep: locale === 'en' ? ': ' : '：',
      message: t(pr.key, pr.params),
    })),
  }));
  const bad = rows.filter((r) => !r.ok);
  return {
    fileName: p.fileName,
    encoding: p.encoding ? t(ENCODING_LABELS[p.encoding] ?? p.encoding) : null,
    fileProblem: p.fileProblem ? t(p.fileProblem.key, p.fileProblem.params) : null,
    header,
    rows,
    rowCount: p.rowCount,
    errorCount: p.errorCount,
    badRows: bad.map((r) => ({ row: r.row })),
    ok: p.ok,
    summary: p.ok
      ? t('import.preview.allGood', { n: p.rowCount })
      : p.rowCount
        ? t('import.preview.someBad', { n: p.rowCount, bad: p.errorCount })
        : null,
  };
}

export function importRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const edit = [...read, requirePermission('edit')];

  function guide(t: Translate, locale: Locale, doc: ContestDocument) {
    return TEMPLATE_COLUMNS.map((c) => ({
      zh: IMPORT_HEADERS[c].zh,
      en: IMPORT_HEADERS[c].en,
      required: REQUIRED_IMPORT_COLUMNS.includes(c),
      help:
        c === 'track'
          ? t('import.guide.track', { tracks: doc.tracks.map((tr) => localized(tr.name, locale)).join('、') || '—' })
          : t(`import.guide.${c}`),
    }));
  }

  async function renderIndex(req: Request, res: Response) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const { doc } = await services.contests.load(slug);
    const href = contestHref(slug);
    const when = whenFormatter(locale);
    const recent = (await services.review.imports.recent(slug)).map((b) => ({
      href: `${href}/import/${b.id}`,
      fileName: b.file_name,
      rows: b.row_count,
      created: when(b.created_at),
      by: b.display_name ?? '—',
      confirmed: b.confirmed_at ? when(b.confirmed_at) : null,
    }));
    renderPage(views, res, 'admin/import/index', {
      title: t('import.title'),
      ...reviewChrome(doc, t, locale, 'import', [{ label: t('import.title') }]),
      action: `${href}/import`,
      templateHref: `${href}/import/template.csv`,
      canEdit: hasPermission(req.user, 'edit'),
      columns: guide(t, locale, doc),
      limits: t('import.limits', { rows: MAX_IMPORT_ROWS, size: `${MAX_IMPORT_BYTES / 1024 / 1024} MB` }),
      recent,
      backPath: `${href}/import`,
    });
  }

  /** An upload that cannot be imported: its preview, nothing kept (422). */
  async function renderRefusedUpload(req: Request, res: Response, preview: ImportPreview) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const { doc } = await services.contests.load(slug);
    const href = contestHref(slug);
    renderPage(
      views,
      res,
      'admin/import/preview',
      {
        title: `${t('import.preview.title')} · ${preview.fileName}`,
        ...reviewChrome(doc, t, locale, 'import', [
          { label: t('import.title'), href: `${href}/import` },
          { label: t('import.preview.title') },
        ]),
        batch: null,
        preview: previewView(preview, doc, t, locale),
        canEdit: hasPermission(req.user, 'edit'),
        uploadHref: `${href}/import`,
        queueHref: `${href}/review`,
        backPath: `${href}/import`,
      },
      { status: 422 },
    );
  }

  async function renderBatch(req: Request, res: Response, id: number, alert?: string, status?: number) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const { doc } = await services.contests.load(slug);
    const { batch, preview } = await services.review.imports.batch(slug, id);
    const href = contestHref(slug);
    const when = whenFormatter(locale);
    renderPage(
      views,
      res,
      'admin/import/preview',
      {
        title: `${t('import.preview.title')} · ${batch.fileName}`,
        ...reviewChrome(doc, t, locale, 'import', [
          { label: t('import.title'), href: `${href}/import` },
          { label: batch.fileName },
        ]),
        batch: {
          ...batch,
          created: when(batch.createdAt),
          confirmed: batch.confirmedAt ? when(batch.confirmedAt) : null,
          doneMessage: batch.confirmedAt
            ? t('import.done', { n: batch.rowCount, when: when(batch.confirmedAt) })
            : null,
        },
        preview: preview ? previewView(preview, doc, t, locale) : null,
        canEdit: hasPermission(req.user, 'edit'),
        confirmAction: `${href}/import/${batch.id}/confirm`,
        confirmQuestion: t('import.confirm.question', { n: batch.rowCount }),
        uploadHref: `${href}/import`,
        queueHref: `${href}/review`,
        alert,
        backPath: `${href}/import/${batch.id}`,
      },
      { status },
    );
  }

  router.get('/:slug/import', ...read, (req, res) => renderIndex(req, res));

  router.get('/:slug/import/template.csv', ...read, async (req, res) => {
    const slug = String(req.params.slug);
    const body = await services.review.imports.template(slug);
    res.type('text/csv; charset=utf-8').attachment(`${slug}-import-template.csv`).send(body);
  });

  router.post('/:slug/import', ...edit, receiveFile, verifyCsrf, async (req, res) => {
    const slug = String(req.params.slug);
    const file = req.file;
    if (!file || file.size === 0) throw new AppError('import-no-file');
    // multer decodes the multipart filename as latin1; browsers send UTF-8.
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const { preview, batchId } = await services.review.imports.preview(
      slug,
      { name, bytes: new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength) },
      req.user!.id,
    );
    if (batchId !== null) {
      res.redirect(303, `${contestHref(slug)}/import/${batchId}`);
      return;
    }
    await renderRefusedUpload(req, res, preview);
  });

  router.get('/:slug/import/:id', ...read, async (req, res) => {
    await renderBatch(req, res, Number(req.params.id));
  });

  router.post('/:slug/import/:id/confirm', ...edit, async (req, res) => {
    const slug = String(req.params.slug);
    const id = Number(req.params.id);
    try {
      await services.review.imports.confirm(slug, id, req.user!.id);
    } catch (err) {
      if (err instanceof ImportRefused || (err instanceof AppError && err.code === 'import-already-confirmed')) {
        return renderBatch(req, res, id, res.locals.t(`error.${err.code}`, err.params), err.status);
      }
      throw err;
    }
    req.session.flash = 'import.flash.imported';
    res.redirect(303, `${contestHref(slug)}/import/${id}`);
  });

  return router;
}
