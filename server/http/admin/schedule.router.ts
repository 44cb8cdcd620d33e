/**
 * The organizer's schedule pages for roadshow rounds: `…/schedule` (the roadshow rounds),
 * `…/schedule/:roundKey` (slot settings, the draw, the running order with its time slots, manual
 * reordering with a reason, the draw and change history) and `…/schedule/:roundKey/print` (the
 * printable run-of-show, A4). Writes go through services.schedule; refused forms come back filled
 * in as typed with translated field errors.
 */
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors.js';
import type { FieldError } from '../../field-errors.js';
import { localized, type Locale, type Translate } from '../../i18n/catalog.js';
import type { RoundSchedule, ScheduleEntry } from '../../services/schedule.service.js';
import { hasPermission } from '../../services/user.service.js';
import { parseForm } from '../form.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { contestChrome, contestHref } from './contest-parts.router.js';

const enc = encodeURIComponent;
const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO timestamp as the server's local 'YYYY-MM-DD HH:MM' (the venue's clock). */
export function localStamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Seconds as minutes for people ("5", "2.5"). */
export function minutes(seconds: number): string {
  return String(Math.round((seconds / 60) * 10) / 10);
}

/** One line about a round's timing: pitch + Q&A, changeover. */
export function timingLine(s: RoundSchedule, t: Translate): string {
  return t('schedule.timing', {
    pitch: minutes(s.round.pitchSeconds),
    qa: minutes(s.round.qaSeconds),
    changeover: minutes(s.round.changeoverSeconds),
  });
}

/** Why slots are missing, translated (no start time yet, or a schedule rule). */
export function slotProblemText(s: RoundSchedule, t: Translate): string | undefined {
  if (!s.slotProblem) return undefined;
  return s.slotProblem.code === 'schedule-no-start'
    ? t('schedule.noStart')
    : t(`error.${s.slotProblem.code}`, s.slotProblem.params);
}

/** Rows of the running order for tables: times, project facts, the group's track. */
export function entryRows(s: RoundSchedule, locale: Locale) {
  return s.groups.map((g) => ({
    key: g.key,
    name: g.track ? localized(g.track.name, locale) : undefined,
    entries: g.entries.map((e: ScheduleEntry) => ({
      position: e.position,
      overall: e.overall,
      ref: e.project.ref,
      title: e.project.title,
      institution: e.project.institution,
      track: localized(e.project.trackName, locale),
      outOfCompetition: e.project.outOfCompetition,
      notApproved: e.project.status !== 'approved',
      time: e.slot ? `${e.slot.start.time}–${e.slot.end.time}` : '',
      start: e.slot?.start.time ?? '',
      pitch: e.slot ? `${e.slot.start.time}–${e.slot.qaStart.time}` : '',
      qa: e.slot && s.round.qaSeconds > 0 ? `${e.slot.qaStart.time}–${e.slot.end.time}` : '',
      refParam: enc(e.project.ref),
      up: e.position > 1 ? e.position - 1 : undefined,
      down: e.position < g.entries.length ? e.position + 1 : undefined,
    })),
  }));
}

const SETTINGS = { scheduleStart: 'string', changeoverSeconds: 'int', drawByTrack: 'bool' } as const;
const DRAW = { seed: 'string', drawReason: 'string' } as const;
const REORDER = { projectRef: 'string', toPosition: 'int', moveReason: 'string' } as const;

/** Service error paths → the form's own field names (two forms on the page have a reason). */
function rename(errors: FieldError[], map: Record<string, string>): FieldError[] {
  return errors.map((e) => ({ ...e, path: map[e.path] ?? e.path }));
}

interface PageOptions {
  values?: Record<string, unknown>;
  fieldErrors?: FieldError[];
  status?: number;
  alert?: string;
}

export function scheduleRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const edit = [...read, requirePermission('edit')];
  const actor = (req: Request) => ({ kind: 'organizer' as const, id: req.user?.id ?? null });
  const scheduleHref = (slug: string, roundKey?: string) =>
    `${contestHref(slug)}/schedule${roundKey ? `/${enc(roundKey)}` : ''}`;

  router.get('/:slug/schedule', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const { loaded, rounds } = await services.schedule.rounds(String(req.params.slug));
    const { doc } = loaded;
    renderPage(views, res, 'admin/schedule/index', {
      title: t('schedule.title'),
      ...contestChrome(doc, t, locale, 'schedule', [{ label: t('schedule.title') }]),
      styles: ['/static/css/schedule.css'],
      rounds: rounds.map(({ round, drawn }) => ({
        href: scheduleHref(doc.slug, round.key),
        name: localized(round.name, locale),
        start: round.scheduleStart ? round.scheduleStart.replace('T', ' ') : t('schedule.startNotSet'),
        drawn,
        timing: t('schedule.timing', {
          pitch: minutes(round.pitchSeconds),
          qa: minutes(round.qaSeconds),
          changeover: minutes(round.changeoverSeconds),
        }),
      })),
      roundsHref: `${contestHref(doc.slug)}/rounds`,
      publicHref: `/contests/${enc(doc.slug)}/schedule`,
      isDraft: doc.status === 'draft',
    });
  });

  async function renderRound(req: Request, res: Response, opts: PageOptions = {}) {
    const { t, locale } = res.locals;
    const {
      loaded,
      schedule: s,
      proposedSeed,
    } = await services.schedule.view(String(req.params.slug), String(req.params.roundKey));
    const { doc } = loaded;
    const base = scheduleHref(doc.slug, s.round.key);
    const roundName = localized(s.round.name, locale);
    const groups = entryRows(s, locale);
    const canEdit = hasPermission(req.user, 'edit');
    const move = typeof req.query.move === 'string' ? req.query.move : undefined;
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    const values = opts.values ?? {
      scheduleStart: s.round.scheduleStart ?? '',
      changeoverSeconds: s.round.changeoverSeconds,
      drawByTrack: s.round.drawByTrack,
      seed: s.currentDraws[0]?.seed ?? proposedSeed,
      projectRef: move ?? '',
      toPosition: to ?? '',
    };
    const refIndex = new Map(groups.flatMap((g) => g.entries.map((e) => [e.ref, e])));
    renderPage(
      views,
      res,
      'admin/schedule/round',
      {
        title: `${t('schedule.title')} · ${roundName}`,
        ...contestChrome(doc, t, locale, 'schedule', [
          { label: t('schedule.title'), href: scheduleHref(doc.slug) },
          { label: roundName },
        ]),
        styles: ['/static/css/schedule.css'],
        scripts: ['/static/build/schedule.js'],
        base,
        roundName,
        roundEditHref: `${contestHref(doc.slug)}/rounds/${enc(s.round.key)}/edit`,
        printHref: `${base}/print`,
        publicHref: `/contests/${enc(doc.slug)}/schedule`,
        timing: timingLine(s, t),
        drawn: s.drawn,
        groups,
        wholeRound: groups.every((g) => !g.name),
        date: s.date,
        end: s.end?.time,
        slotProblem: slotProblemText(s, t),
        groupingChanged: s.groupingChanged,
        unscheduled: s.unscheduled.map((p) => `${p.ref} · ${p.title}`),
        notApproved: s.notApproved.map((p) => `${p.ref} · ${p.title}`),
        approvedCount: s.approvedCount,
        currentDraws: s.currentDraws.map((d) => ({
          groupKey: d.groupKey,
          group: groups.find((g) => g.key === d.groupKey)?.name ?? t('schedule.wholeRound'),
          effectiveSeed: d.effectiveSeed,
          result: d.resultRefs.join(' → '),
        })),
        currentSeed: s.currentDraws[0]?.seed,
        currentAlgorithm: s.currentDraws[0]?.algorithm,
        drawnAt: s.currentDraws[0] ? localStamp(s.currentDraws[0].createdAt) : undefined,
        drawnBy: s.currentDraws[0]?.actorName ?? undefined,
        history: s.history.map((b) => ({
          at: localStamp(b.at),
          actorName: b.actorName ?? '',
          seed: b.seed,
          redraw: b.redraw,
          reason: b.reason,
          current: b.current,
          groups: b.draws.length,
        })),
        changes: s.changes.map((c) => ({
          at: localStamp(c.createdAt),
          actorName: c.actorName ?? '',
          project: c.project ? `${c.project.ref} · ${c.project.title}` : String(c.projectId),
          from: c.fromPosition,
          to: c.toPosition,
          reason: c.reason,
          stale: !c.afterCurrentDraw,
        })),
        moveOptions: [
          { value: '', label: t('console.choose') },
          ...groups.flatMap((g) =>
            g.entries.map((e) => ({
              value: e.ref,
              label: `${g.name ? `${g.name} ` : ''}#${e.position} · ${e.ref} · ${e.title}`,
            })),
          ),
        ],
        moving: move ? refIndex.get(move) : undefined,
        canEdit,
        alert: opts.alert,
        inlineErrors: true,
        backPath: base,
      },
      { values, fieldErrors: opts.fieldErrors, status: opts.status },
    );
  }

  router.get('/:slug/schedule/:roundKey', ...read, (req, res) => renderRound(req, res));

  /** Runs a schedule write; a refusal re-renders the page with the forms as typed. */
  async function write(
    req: Request,
    res: Response,
    spec: Record<string, 'string' | 'int' | 'bool'>,
    paths: Record<string, string>,
    run: (input: Record<string, unknown>) => Promise<unknown>,
    flash: string,
    anchor: string,
  ) {
    const typed = parseForm(
      req.body,
      Object.fromEntries(Object.keys(spec).map((k) => [k, spec[k] === 'bool' ? 'bool' : 'string'])),
    );
    const input = parseForm(req.body, spec);
    try {
      await run(input);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
      const current = await services.schedule.view(String(req.params.slug), String(req.params.roundKey));
      const s = current.schedule;
      return renderRound(req, res, {
        values: {
          scheduleStart: s.round.scheduleStart ?? '',
          changeoverSeconds: s.round.changeoverSeconds,
          drawByTrack: s.round.drawByTrack,
          seed: s.currentDraws[0]?.seed ?? current.proposedSeed,
          ...typed,
        },
        fieldErrors: rename(err.fields, paths),
        status: err.status,
        alert: err.fields.length ? undefined : res.locals.t(`error.${err.code}`, err.params),
      });
    }
    req.session.flash = flash;
    res.redirect(303, `${scheduleHref(String(req.params.slug), String(req.params.roundKey))}${anchor}`);
  }

  router.post('/:slug/schedule/:roundKey/settings', ...edit, (req, res) =>
    write(
      req,
      res,
      SETTINGS,
      {},
      (input) =>
        services.schedule.saveSettings(String(req.params.slug), String(req.params.roundKey), actor(req), input),
      'common.saved',
      '#settings',
    ),
  );

  router.post('/:slug/schedule/:roundKey/draw', ...edit, (req, res) =>
    write(
      req,
      res,
      DRAW,
      { reason: 'drawReason' },
      (input) =>
        services.schedule.draw(String(req.params.slug), String(req.params.roundKey), actor(req), {
          seed: input.seed,
          reason: input.drawReason,
        }),
      'schedule.flash.drawn',
      '#order',
    ),
  );

  router.post('/:slug/schedule/:roundKey/reorder', ...edit, (req, res) =>
    write(
      req,
      res,
      REORDER,
      { reason: 'moveReason' },
      (input) =>
        services.schedule.reorder(String(req.params.slug), String(req.params.roundKey), actor(req), {
          projectRef: input.projectRef,
          toPosition: input.toPosition,
          reason: input.moveReason,
        }),
      'schedule.flash.moved',
      '#order',
    ),
  );

  router.get('/:slug/schedule/:roundKey/print', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const { loaded, schedule: s } = await services.schedule.view(String(req.params.slug), String(req.params.roundKey));
    const { doc } = loaded;
    const roundName = localized(s.round.name, locale);
    const groups = entryRows(s, locale);
    const wholeRound = groups.every((g) => !g.name);
    renderPage(views, res, 'admin/schedule/print', {
      title: `${t('schedule.runOfShow')} · ${roundName}`,
      styles: ['/static/css/schedule.css'],
      scripts: ['/static/build/schedule.js'],
      section: 'contests',
      contestName: localized(doc.name, locale),
      venue: doc.venue,
      roundName,
      backHref: scheduleHref(doc.slug, s.round.key),
      timing: timingLine(s, t),
      date: s.date,
      end: s.end?.time,
      slotProblem: slotProblemText(s, t),
      drawn: s.drawn,
      groups,
      wholeRound,
      columns: wholeRound ? 8 : 7,
      count: s.groups.reduce((n, g) => n + g.entries.length, 0),
      seed: s.currentDraws[0]?.seed,
      changes: s.changes.filter((c) => c.afterCurrentDraw).length,
      printedAt: localStamp(services.clock.now().toISOString()),
      revision: loaded.revision,
    });
  });

  return router;
}
