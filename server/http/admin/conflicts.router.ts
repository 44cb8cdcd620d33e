/**
 * The conflict-of-interest matrix (回避矩阵) of a contest: projects (rows, grouped by track) ×
 * judges (columns), each cell automatic / manual / waived / suggested (found by the rules but not
 * recorded yet) with the reason in its title. Organizers record the suggestions ("detect now"),
 * add a manual conflict with a reason, or waive one with a reason (the row stays on record).
 * Mounted before contest-parts.router.ts, so `GET …/conflicts` is this page; the part's add and
 * edit forms (`POST …/conflicts`, `…/conflicts/:key/edit`) still work. Writes go through
 * services.conflicts.
 */
import { Router, type Request, type Response } from 'express';
import { AUTO_CONFLICT_REASONS } from '../../domain/registration/index.js';
import { AppError } from '../../errors.js';
import type { FieldError } from '../../field-errors.js';
import { localized, type Translate } from '../../i18n/catalog.js';
import type { ConflictRow } from '../../data/conflict.repo.js';
import { hasPermission } from '../../services/user.service.js';
import { parseForm } from '../form.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { contestChrome, contestHref } from './contest-parts.router.js';
import { localStamp } from './schedule.router.js';

type CellState = 'auto' | 'manual' | 'waived' | 'suggested' | 'none';

const FORM = { judgeKey: 'string', projectRef: 'string', reason: 'string' } as const;
const enc = encodeURIComponent;

/** An automatic conflict stores its rule code as the reason; show it translated. */
export function conflictReason(reason: string, t: Translate): string {
  return (AUTO_CONFLICT_REASONS as readonly string[]).includes(reason) ? t(`conflicts.reason.${reason}`) : reason;
}

const stateOf = (row: ConflictRow | undefined, suggested: boolean): CellState =>
  row ? (row.waivedAt ? 'waived' : row.source) : suggested ? 'suggested' : 'none';

interface PageOptions {
  values?: Record<string, unknown>;
  fieldErrors?: FieldError[];
  status?: number;
  alert?: string;
  /** The pair shown in the panel (from the query, or the form that came back). */
  judgeKey?: string;
  projectRef?: string;
}

export function conflictsRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const edit = [...read, requirePermission('edit')];

  async function render(req: Request, res: Response, opts: PageOptions = {}) {
    const { t, locale } = res.locals;
    const overview = await services.conflicts.overview(String(req.params.slug));
    const { doc, ids } = overview.loaded;
    const href = contestHref(doc.slug);
    const base = `${href}/conflicts`;
    const showAll = req.query.all === '1';
    const canEdit = hasPermission(req.user, 'edit');

    const rowByPair = new Map(overview.rows.map((r) => [`${r.judgeId}/${r.projectId}`, r]));
    const pendingByPair = new Map(overview.pending.map((p) => [`${p.judgeKey}/${p.projectRef}`, p]));
    const rowOf = (judgeKey: string, ref: string) =>
      rowByPair.get(`${ids.judges.get(judgeKey)}/${ids.projects.get(ref)}`);
    const keyOfJudge = new Map([...ids.judges].map(([k, id]) => [id, k]));
    const refOfProject = new Map([...ids.projects].map(([r, id]) => [id, r]));
    const judgeByKey = new Map(doc.judges.map((j) => [j.key, j]));
    const projectByRef = new Map(doc.projects.map((p) => [p.ref, p]));
    const query = (judgeKey: string, ref: string) =>
      `?${showAll ? 'all=1&' : ''}judge=${enc(judgeKey)}&project=${enc(ref)}#pair`;

    const describeCell = (state: CellState, row: ConflictRow | undefined, judgeKey: string, ref: string): string => {
      const judge = judgeByKey.get(judgeKey);
      const pair = `${judge?.name ?? judgeKey} × ${ref}`;
      const pending = pendingByPair.get(`${judgeKey}/${ref}`);
      if (state === 'none') return `${pair}: ${t('conflicts.state.none')}`;
      if (state === 'suggested')
        return `${pair}: ${t('conflicts.state.suggested')} · ${conflictReason(pending?.reason ?? '', t)}`;
      const reason = conflictReason(row?.reason ?? '', t);
      if (state === 'waived')
        return `${pair}: ${t('conflicts.state.waived')} · ${row?.waivedReason ?? ''} (${t('conflicts.originally')}: ${reason})`;
      return `${pair}: ${t(`conflicts.state.${state}`)} · ${reason}`;
    };

    const judges = doc.judges.map((j, i) => ({
      key: j.key,
      name: j.name,
      institution: j.institution,
      number: i + 1,
      title: [j.name, j.title, j.institution].filter(Boolean).join(' · '),
    }));
    const visible = doc.projects.filter((p) => showAll || p.status === 'approved');
    const tracks = doc.tracks
      .map((track) => ({
        name: localized(track.name, locale),
        projects: visible
          .filter((p) => p.trackKey === track.key)
          .map((p) => ({
            ref: p.ref,
            title: p.title,
            institution: p.institution,
            status: p.status === 'approved' ? undefined : t(`enum.projectStatus.${p.status}`),
            cells: doc.judges.map((j) => {
              const row = rowOf(j.key, p.ref);
              const state = stateOf(row, pendingByPair.has(`${j.key}/${p.ref}`));
              return {
                state,
                label: state === 'none' ? '' : t(`conflicts.cell.${state}`),
                title: describeCell(state, row, j.key, p.ref),
                href: query(j.key, p.ref),
              };
            }),
          })),
      }))
      .filter((track) => track.projects.length);

    const counts = { auto: 0, manual: 0, waived: 0, suggested: overview.pending.length };
    for (const r of overview.rows) counts[r.waivedAt ? 'waived' : r.source]++;

    const list = overview.rows
      .map((r) => {
        const judgeKey = keyOfJudge.get(r.judgeId) ?? '';
        const ref = refOfProject.get(r.projectId) ?? '';
        const judge = judgeByKey.get(judgeKey);
        const project = projectByRef.get(ref);
        return {
          sort: [doc.judges.findIndex((j) => j.key === judgeKey), doc.projects.findIndex((p) => p.ref === ref)],
          judgeName: judge?.name ?? judgeKey,
          judgeInstitution: judge?.institution ?? '',
          ref,
          title: project?.title ?? '',
          projectInstitution: project?.institution ?? '',
          source: t(`enum.conflictSource.${r.source}`),
          reason: conflictReason(r.reason, t),
          waived: !!r.waivedAt,
          waivedAt: r.waivedAt ? localStamp(r.waivedAt) : '',
          waivedReason: r.waivedReason,
          waivedBy: overview.waivedBy.get(r.id) ?? '',
          addedBy: r.source === 'auto' ? t('conflicts.addedBySystem') : (r.createdByName ?? ''),
          addedAt: localStamp(r.createdAt),
          href: query(judgeKey, ref),
        };
      })
      .sort((a, b) => a.sort[0]! - b.sort[0]! || a.sort[1]! - b.sort[1]!);

    const suggestions = overview.pending.map((p) => ({
      judgeName: judgeByKey.get(p.judgeKey)?.name ?? p.judgeKey,
      judgeInstitution: judgeByKey.get(p.judgeKey)?.institution ?? '',
      ref: p.projectRef,
      title: projectByRef.get(p.projectRef)?.title ?? '',
      projectInstitution: projectByRef.get(p.projectRef)?.institution ?? '',
      reason: conflictReason(p.reason, t),
    }));

    // The pair panel: a cell was chosen (or a pair form came back with errors).
    const judgeKey = opts.judgeKey ?? (typeof req.query.judge === 'string' ? req.query.judge : undefined);
    const projectRef = opts.projectRef ?? (typeof req.query.project === 'string' ? req.query.project : undefined);
    const pj = judgeKey ? judgeByKey.get(judgeKey) : undefined;
    const pp = projectRef ? projectByRef.get(projectRef) : undefined;
    let pair;
    if (pj && pp) {
      const row = rowOf(pj.key, pp.ref);
      const state = stateOf(row, pendingByPair.has(`${pj.key}/${pp.ref}`));
      pair = {
        judgeKey: pj.key,
        projectRef: pp.ref,
        judge: [pj.name, pj.title].filter(Boolean).join(' · '),
        judgeInstitution: pj.institution,
        project: `${pp.ref} · ${pp.title}`,
        projectInstitution: pp.institution,
        state,
        stateLabel: t(`conflicts.state.${state}`),
        reason: row ? conflictReason(row.reason, t) : '',
        suggestedReason:
          state === 'suggested' ? conflictReason(pendingByPair.get(`${pj.key}/${pp.ref}`)?.reason ?? '', t) : '',
        waivedReason: row?.waivedReason ?? '',
        waivedAt: row?.waivedAt ? localStamp(row.waivedAt) : '',
        active: state === 'auto' || state === 'manual',
        action: state === 'auto' || state === 'manual' ? `${base}/waive` : `${base}/manual`,
      };
    }

    renderPage(
      views,
      res,
      'admin/conflicts/matrix',
      {
        title: t('conflicts.title'),
        ...contestChrome(doc, t, locale, 'conflicts', [{ label: t('conflicts.title') }]),
        styles: ['/static/css/schedule.css'],
        base,
        judges,
        tracks,
        hasMatrix: tracks.length > 0 && judges.length > 0,
        counts,
        list,
        suggestions,
        pair,
        showAll,
        toggleHref: showAll ? base : `${base}?all=1`,
        colspan: judges.length + 1,
        detected:
          typeof req.query.detected === 'string'
            ? Number(req.query.detected) > 0
              ? t('conflicts.detected', { count: Number(req.query.detected) })
              : t('conflicts.detectedNone')
            : undefined,
        judgeOptions: [
          { value: '', label: t('console.choose') },
          ...doc.judges.map((j) => ({ value: j.key, label: j.institution ? `${j.name}（${j.institution}）` : j.name })),
        ],
        projectOptions: [
          { value: '', label: t('console.choose') },
          ...doc.projects.map((p) => ({ value: p.ref, label: `${p.ref} · ${p.title}` })),
        ],
        canEdit,
        alert: opts.alert,
        inlineErrors: true,
        backPath: base,
      },
      { values: opts.values ?? {}, fieldErrors: opts.fieldErrors, status: opts.status },
    );
  }

  /** Runs a pair change; a refusal comes back as the page with the form filled in as typed. */
  async function change(req: Request, res: Response, write: (input: Record<string, unknown>) => Promise<unknown>) {
    const input = parseForm(req.body, FORM);
    const slug = String(req.params.slug);
    const back = `${contestHref(slug)}/conflicts?judge=${enc(String(input.judgeKey))}&project=${enc(String(input.projectRef))}#pair`;
    try {
      await write(input);
    } catch (err) {
      if (
        !(err instanceof AppError) ||
        !['validation-failed', 'conflict-exists', 'conflict-not-active'].includes(err.code)
      )
        throw err;
      const t = res.locals.t;
      return render(req, res, {
        values: input,
        fieldErrors: err.fields,
        status: err.status,
        alert: err.fields.length ? undefined : t(`error.${err.code}`),
        judgeKey: String(input.judgeKey),
        projectRef: String(input.projectRef),
      });
    }
    req.session.flash = 'common.saved';
    res.redirect(303, back);
  }

  const actor = (req: Request) => ({ kind: 'organizer' as const, id: req.user?.id ?? null });

  router.get('/:slug/conflicts', ...read, (req, res) => render(req, res));

  router.post('/:slug/conflicts/detect', ...edit, async (req, res) => {
    const { added } = await services.conflicts.detect(String(req.params.slug), actor(req));
    res.redirect(303, `${contestHref(String(req.params.slug))}/conflicts?detected=${added}`);
  });

  router.post('/:slug/conflicts/manual', ...edit, (req, res) =>
    change(req, res, (input) => services.conflicts.add(String(req.params.slug), actor(req), input)),
  );

  router.post('/:slug/conflicts/waive', ...edit, (req, res) =>
    change(req, res, (input) => services.conflicts.waive(String(req.params.slug), actor(req), input)),
  );

  return router;
}
