/**
 * The public schedule `/contests/:slug/schedule`: each roadshow round's running order and times,
 * and the published draw record (seed, algorithm description zh/en, the reference program, each
 * group's input and result) so anyone can rerun the draw. `…/schedule.json` is the same record as
 * JSON. Never contacts (no leader, phone or e-mail). Drafts and unknown slugs are a 404.
 */
import { Router } from 'express';
import { DRAW_ALGORITHM_DESCRIPTION, DRAW_REFERENCE_PYTHON } from '../../domain/registration/index.js';
import { localized } from '../../i18n/catalog.js';
import type { RoundSchedule } from '../../services/schedule.service.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { entryRows, localStamp, slotProblemText, timingLine } from '../admin/schedule.router.js';

/** The facts of one round anyone may see (and rerun). */
function publicRound(s: RoundSchedule) {
  return {
    key: s.round.key,
    name: s.round.name,
    date: s.date,
    start: s.round.scheduleStart,
    end: s.end?.time ?? null,
    pitchSeconds: s.round.pitchSeconds,
    qaSeconds: s.round.qaSeconds,
    changeoverSeconds: s.round.changeoverSeconds,
    drawn: s.drawn,
    order: s.drawn
      ? s.groups.flatMap((g) =>
          g.entries.map((e) => ({
            position: e.position,
            overall: e.overall,
            group: g.key,
            ref: e.project.ref,
            title: e.project.title,
            institution: e.project.institution,
            track: e.project.trackKey,
            start: e.slot?.start.time ?? null,
            qaStart: e.slot?.qaStart.time ?? null,
            end: e.slot?.end.time ?? null,
          })),
        )
      : [],
    draws: s.currentDraws.map((d) => ({
      group: d.groupKey,
      seed: d.seed,
      effectiveSeed: d.effectiveSeed,
      algorithm: d.algorithm,
      input: d.inputRefs,
      result: d.resultRefs,
      drawnAt: d.createdAt,
    })),
    earlierDraws: s.history
      .filter((b) => !b.current)
      .map((b) => ({ at: b.at, seed: b.seed, groups: b.draws.map((d) => d.groupKey) })),
    redrawReason: s.history.find((b) => b.current)?.reason ?? '',
    changesAfterDraw: s.changes
      .filter((c) => c.afterCurrentDraw)
      .map((c) => ({
        ref: c.project?.ref ?? '',
        from: c.fromPosition,
        to: c.toPosition,
        reason: c.reason,
        at: c.createdAt,
      })),
  };
}

/** A Python call that reruns one group's draw (JSON lists and strings are Python literals). */
function pythonCall(seed: string, input: string[]): string {
  return `print(roadshow_draw(${JSON.stringify(seed)}, ${JSON.stringify(input)}))`;
}

export function publicScheduleRouter({ services, views }: RouterDeps): Router {
  const router = Router();

  router.get('/contests/:slug/schedule.json', async (req, res) => {
    const { loaded, rounds } = await services.schedule.publicView(String(req.params.slug));
    res.set('Cache-Control', 'no-cache');
    res.json({
      contest: { slug: loaded.doc.slug, name: loaded.doc.name, revision: loaded.revision },
      algorithm: {
        id: DRAW_ALGORITHM_DESCRIPTION.id,
        zh: DRAW_ALGORITHM_DESCRIPTION.zh,
        en: DRAW_ALGORITHM_DESCRIPTION.en,
        python: DRAW_REFERENCE_PYTHON,
      },
      rounds: rounds.map(publicRound),
    });
  });

  router.get('/contests/:slug/schedule', async (req, res) => {
    const { t, locale } = res.locals;
    const { loaded, rounds } = await services.schedule.publicView(String(req.params.slug));
    const { doc } = loaded;
    const name = localized(doc.name, locale);
    renderPage(
      views,
      res,
      'public/schedule/show',
      {
        title: `${t('schedule.public.title')} · ${name}`,
        styles: ['/static/css/schedule.css'],
        contestName: name,
        venue: doc.venue,
        jsonHref: `/contests/${encodeURIComponent(doc.slug)}/schedule.json`,
        rounds: rounds.map((s) => {
          const facts = publicRound(s);
          return {
            name: localized(s.round.name, locale),
            anchor: `round-${s.round.key}`,
            date: s.date,
            end: s.end?.time,
            timing: timingLine(s, t),
            slotProblem:
              s.slotProblem?.code === 'schedule-no-start' ? t('schedule.public.timeTbd') : slotProblemText(s, t),
            drawn: s.drawn,
            groups: s.drawn ? entryRows(s, locale) : [],
            seed: s.currentDraws[0]?.seed,
            algorithm: s.currentDraws[0]?.algorithm,
            drawnAt: s.currentDraws[0] ? localStamp(s.currentDraws[0].createdAt) : undefined,
            redrawReason: facts.redrawReason,
            draws: s.currentDraws.map((d) => ({
              group: s.groups.find((g) => g.key === d.groupKey)?.track
                ? localized(s.groups.find((g) => g.key === d.groupKey)!.track!.name, locale)
                : t('schedule.wholeRound'),
              effectiveSeed: d.effectiveSeed,
              input: JSON.stringify(d.inputRefs),
              result: JSON.stringify(d.resultRefs),
              python: pythonCall(d.effectiveSeed, d.inputRefs),
            })),
            earlierDraws: s.history.filter((b) => !b.current).map((b) => ({ at: localStamp(b.at), seed: b.seed })),
            changes: s.changes
              .filter((c) => c.afterCurrentDraw)
              .map((c) => ({
                ref: c.project?.ref ?? '',
                title: c.project?.title ?? '',
                from: c.fromPosition,
                to: c.toPosition,
                reason: c.reason,
                at: localStamp(c.createdAt),
              })),
          };
        }),
        algorithmText: locale === 'en' ? DRAW_ALGORITHM_DESCRIPTION.en : DRAW_ALGORITHM_DESCRIPTION.zh,
        otherAlgorithmText: locale === 'en' ? DRAW_ALGORITHM_DESCRIPTION.zh : DRAW_ALGORITHM_DESCRIPTION.en,
      },
      { layout: 'public' },
    );
  });

  return router;
}
