/**
 * The organizer console's contest pages: `/admin` (→ the list), the contest list, the new
 * contest form, and a contest's overview (setup at a glance, the basics form, delete). The
 * parts of a contest (tracks, rounds, …) live in contest-parts.router.ts. Writes go through
 * services.contests; a form with errors comes back filled in as typed.
 */
import { Router, type Request, type Response } from 'express';
import type { ContestBasics, ContestDocument } from '../../domain/contest-document.js';
import { AppError } from '../../errors.js';
import type { FieldError } from '../../field-errors.js';
import { localized, type Translate } from '../../i18n/catalog.js';
import { toLocalInput } from '../../services/china-time.js';
import { hasPermission } from '../../services/user.service.js';
import { parseForm } from '../form.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import {
  contestChrome,
  contestHref,
  contestStatusOptions,
  fieldLabels,
  formSpec,
  mapFieldErrors,
  renderSections,
  tieAtCutoffOptions,
  toneOf,
  typedValues,
  type SectionDef,
} from './contest-parts.router.js';

type BasicsCtx = { t: Translate };

const BASICS: SectionDef<BasicsCtx>[] = [
  {
    columns: 2,
    fields: [
      { name: 'name.zh', label: 'contest.field.name.zh', required: true },
      { name: 'name.en', label: 'contest.field.name.en' },
      { name: 'slug', label: 'contest.field.slug', required: true, hint: 'contest.field.slug.hint' },
      { name: 'status', label: 'contest.field.status', control: 'select', options: contestStatusOptions },
      { name: 'theme.zh', label: 'contest.field.theme.zh' },
      { name: 'theme.en', label: 'contest.field.theme.en' },
      { name: 'organizer', label: 'contest.field.organizer' },
      { name: 'venue', label: 'contest.field.venue' },
      { name: 'startsOn', label: 'contest.field.startsOn', kind: 'date?', type: 'date' },
      { name: 'endsOn', label: 'contest.field.endsOn', kind: 'date?', type: 'date' },
    ],
  },
  {
    legend: 'contest.settings',
    columns: 2,
    fields: [
      {
        name: 'settings.awardsTieAtCutoff',
        label: 'contest.field.awardsTieAtCutoff',
        control: 'select',
        options: tieAtCutoffOptions,
      },
      { name: 'settings.showJudgeMarksOnScreen', label: 'contest.field.showJudgeMarksOnScreen', control: 'checkbox' },
    ],
  },
  {
    legend: 'contest.registration',
    columns: 2,
    fields: [
      {
        name: 'registrationClosesAt',
        label: 'contest.field.registrationClosesAt',
        kind: 'datetime?',
        type: 'datetime-local',
        hint: 'contest.field.registrationClosesAt.hint',
      },
      {
        name: 'referencePrefix',
        label: 'contest.field.referencePrefix',
        required: true,
        hint: 'contest.field.referencePrefix.hint',
      },
    ],
  },
];

const NEW_CONTEST = { status: 'draft', settings: { awardsTieAtCutoff: 'tie-break' }, referencePrefix: 'RS' };

/** The stored basics as the form shows them (the registration deadline in China time). */
function formValues(basics: ContestBasics) {
  return { ...basics, registrationClosesAt: toLocalInput(basics.registrationClosesAt) };
}

function dates(doc: Pick<ContestDocument, 'startsOn' | 'endsOn'>, t: Translate): string {
  if (!doc.startsOn && !doc.endsOn) return t('contest.dates.none');
  if (!doc.endsOn || doc.endsOn === doc.startsOn) return doc.startsOn ?? doc.endsOn ?? '';
  return `${doc.startsOn ?? '…'} – ${doc.endsOn}`;
}

/** Runs a basics write; on field errors re-renders the form (as typed) through `again`. */
async function withFormErrors(
  write: () => Promise<void>,
  again: (fieldErrors: FieldError[], status: number) => void | Promise<void>,
): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (!(err instanceof AppError) || !err.fields.length) throw err;
    await again(mapFieldErrors(err.fields, BASICS), err.status);
  }
}

export function contestsRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const edit = [...read, requirePermission('edit')];

  router.get('/', ...read, (_req, res) => res.redirect(303, '/admin/contests'));

  router.get('/contests', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const rows = await Promise.all(
      (await services.contests.list()).map(async (c) => {
        const { doc } = await services.contests.load(c.slug);
        return {
          href: contestHref(c.slug),
          name: localized(c.name, locale),
          sub: locale === 'en' ? (c.name.en ? c.name.zh : '') : c.name.en,
          slug: c.slug,
          statusLabel: t(`enum.contestStatus.${c.status}`),
          tone: toneOf(c.status),
          dates: dates(c, t),
          tracks: doc.tracks.length,
          projects: doc.projects.length,
          judges: doc.judges.length,
        };
      }),
    );
    renderPage(views, res, 'admin/contests/index', {
      title: t('contest.list.title'),
      section: 'contests',
      rows,
      count: rows.length,
      canEdit: hasPermission(req.user, 'edit'),
      backPath: '/admin/contests',
    });
  });

  const renderNew = (res: Response, values: unknown, fieldErrors: FieldError[] = [], status?: number) => {
    const { t } = res.locals;
    renderPage(
      views,
      res,
      'admin/contests/new',
      {
        title: t('contest.new'),
        section: 'contests',
        crumbs: [{ label: t('contest.list.title'), href: '/admin/contests' }, { label: t('contest.new') }],
        sections: renderSections(BASICS, { t }),
        inlineErrors: true,
        fieldLabels: fieldLabels(BASICS, t),
        backPath: '/admin/contests/new',
      },
      { values, fieldErrors, status },
    );
  };

  router.get('/contests/new', ...read, (_req, res) => renderNew(res, NEW_CONTEST));

  router.post('/contests', ...edit, async (req, res) => {
    await withFormErrors(
      async () => {
        const { slug } = await services.contests.createContest(parseForm(req.body, formSpec(BASICS)));
        req.session.flash = 'common.created';
        res.redirect(303, contestHref(slug));
      },
      (fieldErrors, status) => renderNew(res, typedValues(req.body, BASICS), fieldErrors, status),
    );
  });

  async function renderOverview(
    req: Request,
    res: Response,
    values?: unknown,
    fieldErrors: FieldError[] = [],
    status?: number,
  ) {
    const { t, locale } = res.locals;
    const loaded = await services.contests.load(String(req.params.slug));
    const { doc } = loaded;
    const href = contestHref(doc.slug);
    const stats = [
      { key: 'tracks', count: doc.tracks.length, href: `${href}/tracks` },
      { key: 'rounds', count: doc.rounds.length, href: `${href}/rounds` },
      { key: 'prizeTiers', count: doc.prizeTiers.length, href: `${href}/prize-tiers` },
      { key: 'judges', count: doc.judges.length, href: `${href}/judges` },
      { key: 'projects', count: doc.projects.length, href: `${href}/projects` },
      { key: 'conflicts', count: doc.conflicts.length, href: `${href}/conflicts` },
    ].map((s) => ({ ...s, label: t(`contest.tab.${s.key}`) }));
    const details = [
      { label: t('contest.field.name.zh'), value: doc.name.zh },
      { label: t('contest.field.name.en'), value: doc.name.en },
      { label: t('contest.field.theme.zh'), value: localized(doc.theme, locale) },
      { label: t('contest.field.organizer'), value: doc.organizer },
      { label: t('contest.field.venue'), value: doc.venue },
      { label: t('contest.dates'), value: dates(doc, t) },
      { label: t('contest.field.awardsTieAtCutoff'), value: t(`enum.tieAtCutoff.${doc.settings.awardsTieAtCutoff}`) },
      {
        label: t('contest.field.showJudgeMarksOnScreen'),
        value: t(doc.settings.showJudgeMarksOnScreen ? 'common.yes' : 'common.no'),
      },
      {
        label: t('contest.field.registrationClosesAt'),
        value: doc.registrationClosesAt
          ? t('contest.chinaTime', { time: toLocalInput(doc.registrationClosesAt).replace('T', ' ') })
          : t('contest.registration.byStatus'),
      },
      { label: t('contest.field.referencePrefix'), value: `${doc.referencePrefix}-YYYY-0001` },
    ].map((d) => ({ ...d, value: d.value || '—' }));
    const {
      format: _format,
      tracks: _t,
      rounds: _r,
      prizeTiers: _p,
      judges: _j,
      projects: _pr,
      conflicts: _c,
      ...basics
    } = doc;
    renderPage(
      views,
      res,
      'admin/contests/overview',
      {
        title: localized(doc.name, locale),
        ...contestChrome(doc, t, locale, 'overview', []),
        stats,
        details,
        sections: renderSections(BASICS, { t }),
        inlineErrors: true,
        fieldLabels: fieldLabels(BASICS, t),
        revision: loaded.revision,
        updatedAt: loaded.updatedAt.slice(0, 16).replace('T', ' '),
        canEdit: hasPermission(req.user, 'edit'),
        backPath: href,
      },
      { values: values ?? formValues(basics), fieldErrors, status },
    );
  }

  router.get('/contests/:slug', ...read, (req, res) => renderOverview(req, res));

  router.post('/contests/:slug', ...edit, async (req, res) => {
    await withFormErrors(
      async () => {
        const { slug } = await services.contests.updateContest(
          String(req.params.slug),
          parseForm(req.body, formSpec(BASICS)),
        );
        req.session.flash = 'common.saved';
        res.redirect(303, contestHref(slug));
      },
      (fieldErrors, status) => renderOverview(req, res, typedValues(req.body, BASICS), fieldErrors, status),
    );
  });

  router.post('/contests/:slug/delete', ...edit, async (req, res) => {
    await services.contests.deleteContest(String(req.params.slug));
    req.session.flash = 'common.deleted';
    res.redirect(303, '/admin/contests');
  });

  return router;
}
