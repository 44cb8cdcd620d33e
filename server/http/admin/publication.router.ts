/**
 * The organizer's publication pages, mounted under /admin/contests:
 *   /:slug/publication                         公示 status, publish / deadline / withdraw ('edit'),
 *                                              locked rounds, certificates and exports ('read')
 *   /:slug/publication/certificates.pdf        every active certificate, one page each ('read')
 *   /:slug/publication/certificates/:awardId   one certificate ('read')
 *   /:slug/publication/results.xlsx?round=     the results workbook ('read')
 *   /:slug/publication/ranking.csv?round=      the ranking as CSV with BOM ('read')
 *   /:slug/publication/results-package.json    the verifiable results package ('read')
 *   /:slug/appeals                             appeals (申诉) with answer forms ('edit' to answer)
 * Pages only shape what services return; every write goes through a service.
 */
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors.js';
import type { FieldError } from '../../field-errors.js';
import { localized } from '../../i18n/catalog.js';
import { contentDisposition } from '../../services/certificate.service.js';
import { toLocalInput } from '../../services/china-time.js';
import { hasPermission } from '../../services/user.service.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { chinaTime } from '../public/results.router.js';
import { contestChrome, contestHref } from './contest-parts.router.js';

const CSS = '/static/css/results-public.css';
const DAY = 24 * 3600_000;

const publicationHref = (slug: string) => `${contestHref(slug)}/publication`;
const appealsHref = (slug: string) => `${contestHref(slug)}/appeals`;

function download(
  res: Response,
  file: { fileName: string; asciiName: string; contentType: string; data: Buffer | string },
) {
  res.set('Content-Type', file.contentType);
  res.set('Content-Disposition', contentDisposition(file.fileName, file.asciiName));
  res.set('Cache-Control', 'no-store');
  res.send(file.data);
}

const roundParam = (req: Request) =>
  typeof req.query.round === 'string' && req.query.round ? req.query.round : undefined;

/** A default deadline: five days from now, 18:00 China time. */
function defaultDeadline(now: Date): string {
  return `${toLocalInput(new Date(now.getTime() + 5 * DAY).toISOString()).slice(0, 10)}T18:00`;
}

export function publicationRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const edit = [...read, requirePermission('edit')];

  async function renderPublication(
    req: Request,
    res: Response,
    extra: { fieldErrors?: FieldError[]; alert?: string; values?: Record<string, unknown>; status?: number } = {},
  ) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const loaded = await services.contests.load(slug);
    const state = await services.publication.state(slug);
    const canEdit = hasPermission(req.user, 'edit');
    const base = publicationHref(slug);
    const title = t('publication.title');
    const awards = state.locks.flatMap((lock) =>
      lock.awards.map((a) => ({
        round: localized(lock.snapshot.results.round.name, locale),
        tier: localized(a.tierName, locale),
        track: a.trackName ? localized(a.trackName, locale) : t('publication.admin.overall'),
        ref: a.projectRef,
        title: a.title,
        institution: a.institution,
        certificateNo: a.certificateNo,
        revoked: !!a.revokedAt,
        pdfHref: `${base}/certificates/${a.id}`,
        verifyHref: `/verify/${encodeURIComponent(a.verifyCode)}`,
      })),
    );
    const active = awards.filter((a) => !a.revoked).length;
    const published = state.status === 'published';
    renderPage(
      views,
      res,
      'admin/publication/index',
      {
        ...contestChrome(loaded.doc, t, locale, '', [{ label: title }]),
        title: `${title} · ${localized(loaded.doc.name, locale)}`,
        pageTitle: title,
        styles: [CSS],
        canEdit,
        alert: extra.alert,
        base,
        published,
        statusLabel: t(`enum.contestStatus.${state.status}`),
        publishedAt: chinaTime(state.publishedAt, locale),
        appealDeadline: chinaTime(state.appealDeadline, locale),
        appealsOpen: state.appealsOpen,
        publicHref: `/contests/${encodeURIComponent(slug)}/results`,
        hasLocks: state.locks.length > 0,
        locks: state.locks.map((l) => ({
          round: localized(l.snapshot.results.round.name, locale),
          lockedAt: chinaTime(l.lockedAt, locale),
          awards: l.awards.filter((a) => !a.revokedAt).length,
          revoked: l.awards.filter((a) => a.revokedAt).length,
          ledgerSeq: l.ledgerSeq,
          hash: l.snapshotHash.slice(0, 16),
          awardsHref: `${contestHref(slug)}/results/${encodeURIComponent(l.roundKey)}/awards`,
        })),
        awards,
        activeAwards: active,
        certificatesHref: `${base}/certificates.pdf`,
        exports: loaded.doc.rounds.map((r) => ({
          name: localized(r.name, locale),
          xlsxHref: `${base}/results.xlsx?round=${encodeURIComponent(r.key)}`,
          csvHref: `${base}/ranking.csv?round=${encodeURIComponent(r.key)}`,
          locked: state.locks.some((l) => l.roundKey === r.key),
        })),
        packageHref: `${base}/results-package.json`,
        appeals: state.appeals,
        appealsHref: appealsHref(slug),
        fieldLabels: {
          appealDeadline: t('publication.admin.deadline'),
          reason: t('publication.admin.unpublishReason'),
        },
      },
      {
        values: extra.values ?? {
          appealDeadline: state.appealDeadline
            ? toLocalInput(state.appealDeadline)
            : defaultDeadline(services.clock.now()),
        },
        fieldErrors: extra.fieldErrors,
        status: extra.status,
      },
    );
  }

  router.get('/:slug/publication', ...read, async (req, res) => {
    await renderPublication(req, res);
  });

  /** Runs a publication write; form errors re-render the page, success redirects with a flash. */
  function publicationWrite(
    path: string,
    action: (slug: string, userId: number, body: Record<string, unknown>) => Promise<void>,
    flash: string,
  ) {
    router.post(`/:slug/publication/${path}`, ...edit, async (req, res) => {
      const slug = String(req.params.slug);
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        await action(slug, req.user!.id, body);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
        await renderPublication(req, res, {
          fieldErrors: err.fields,
          alert: err.code === 'validation-failed' ? undefined : res.locals.t(`error.${err.code}`, err.params),
          values: body,
          status: err.status,
        });
        return;
      }
      req.session.flash = flash;
      res.redirect(303, publicationHref(slug));
    });
  }

  publicationWrite(
    'publish',
    (slug, id, body) => services.publication.publish(slug, id, { appealDeadline: String(body.appealDeadline ?? '') }),
    'publication.admin.publishedFlash',
  );
  publicationWrite(
    'deadline',
    (slug, id, body) =>
      services.publication.setDeadline(slug, id, { appealDeadline: String(body.appealDeadline ?? '') }),
    'publication.admin.deadlineFlash',
  );
  publicationWrite(
    'unpublish',
    (slug, id, body) => services.publication.unpublish(slug, id, { reason: String(body.reason ?? '') }),
    'publication.admin.unpublishedFlash',
  );

  // -------------------------------------------------------------------------------------------
  // Downloads

  router.get('/:slug/publication/certificates.pdf', ...read, async (req, res) => {
    const file = await services.certificates.contestPdf(String(req.params.slug));
    download(res, { ...file, contentType: 'application/pdf', data: file.pdf });
  });

  router.get('/:slug/publication/certificates/:awardId', ...read, async (req, res) => {
    const id = Number(req.params.awardId);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not-found');
    const file = await services.certificates.awardPdf(String(req.params.slug), id);
    download(res, { ...file, contentType: 'application/pdf', data: file.pdf });
  });

  router.get('/:slug/publication/results.xlsx', ...read, async (req, res) => {
    download(res, await services.resultsExport.workbook(String(req.params.slug), roundParam(req)));
  });

  router.get('/:slug/publication/ranking.csv', ...read, async (req, res) => {
    download(res, await services.resultsExport.csv(String(req.params.slug), roundParam(req)));
  });

  router.get('/:slug/publication/results-package.json', ...read, async (req, res) => {
    const slug = String(req.params.slug);
    const pkg = await services.resultsPackage.build(slug);
    download(res, {
      fileName: `${slug}-results-package.json`,
      asciiName: `${slug}-results-package.json`,
      contentType: 'application/json; charset=utf-8',
      data: `${JSON.stringify(pkg, null, 2)}\n`,
    });
  });

  // -------------------------------------------------------------------------------------------
  // Appeals

  async function renderAppeals(
    req: Request,
    res: Response,
    extra: {
      fieldErrors?: FieldError[];
      alert?: string;
      values?: Record<string, unknown>;
      failed?: string;
      status?: number;
    } = {},
  ) {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const loaded = await services.contests.load(slug);
    const state = await services.publication.state(slug);
    const list = await services.appeals.list(slug);
    const canEdit = hasPermission(req.user, 'edit');
    const names = new Map<number, string>();
    for (const a of list)
      if (a.answered_by !== null && !names.has(a.answered_by))
        names.set(a.answered_by, (await services.users.byId(a.answered_by))?.displayName ?? `#${a.answered_by}`);
    const title = t('publication.appeals.title');
    renderPage(
      views,
      res,
      'admin/publication/appeals',
      {
        ...contestChrome(loaded.doc, t, locale, '', [
          { label: t('publication.title'), href: publicationHref(slug) },
          { label: title },
        ]),
        title: `${title} · ${localized(loaded.doc.name, locale)}`,
        pageTitle: title,
        styles: [CSS],
        canEdit,
        alert: extra.alert,
        appealDeadline: chinaTime(state.appealDeadline, locale),
        appealsOpen: state.appealsOpen,
        counts: state.appeals,
        appeals: list.map((a) => {
          const open = a.status === 'open';
          const failed = extra.failed === a.reference;
          return {
            reference: a.reference,
            open,
            status: a.status,
            statusLabel: t(`publication.appeal.status.${a.status}`),
            tone: a.status === 'upheld' ? 'ok' : a.status === 'rejected' ? 'danger' : 'warn',
            createdAt: chinaTime(a.created_at, locale),
            name: a.appellant_name,
            contact: a.contact,
            project: a.project_ref ? `${a.project_ref} · ${a.project_title ?? ''}` : '',
            body: a.body,
            answer: a.answer,
            answeredAt: chinaTime(a.answered_at, locale),
            answeredBy: a.answered_by !== null ? (names.get(a.answered_by) ?? '') : '',
            action: `${appealsHref(slug)}/${encodeURIComponent(a.reference)}/answer`,
            failed,
            decision: failed ? String(extra.values?.decision ?? '') : '',
            answerValue: failed ? String(extra.values?.answer ?? '') : '',
          };
        }),
      },
      { status: extra.status, fieldErrors: extra.fieldErrors },
    );
  }

  router.get('/:slug/appeals', ...read, async (req, res) => {
    await renderAppeals(req, res);
  });

  router.post('/:slug/appeals/:reference/answer', ...edit, async (req, res) => {
    const slug = String(req.params.slug);
    const reference = String(req.params.reference);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await services.appeals.answer(
        slug,
        reference,
        { decision: String(body.decision ?? ''), answer: String(body.answer ?? '') },
        req.user!.id,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
      const t = res.locals.t;
      await renderAppeals(req, res, {
        fieldErrors: err.fields,
        alert: t(`error.${err.code}`, err.params),
        values: body,
        failed: reference,
        status: err.status,
      });
      return;
    }
    req.session.flash = 'publication.appeals.answeredFlash';
    res.redirect(303, `${appealsHref(slug)}#${encodeURIComponent(reference)}`);
  });

  return router;
}
