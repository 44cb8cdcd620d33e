/**
 * The organizer pages for contest day, mounted under /admin/contests:
 *   /:slug/stage           the host's stage console (watch with 'read', act with 'run-stage')
 *   /:slug/progress        live judges × projects grid with connection state and unlocks
 *   /:slug/judges/links    judge link status; issue / re-issue (shows the URL and QR once), revoke
 *   /:slug/judges/cards    a printable A4 sheet of QR judge cards (POST issues fresh links)
 *   /:slug/ledger          the audit ledger: head hash, recent entries, verify
 * The pages render a complete first paint; static/client/stage.ts and progress.ts keep them live
 * over the /admin socket and act through the JSON API (api/stage.api.ts). This module only shapes
 * pages: every write goes through a service.
 */
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import type { ContestDocument } from '../../domain/contest-document.js';
import type { LedgerEntry } from '../../domain/ledger.js';
import { AppError } from '../../errors.js';
import { allMessageKeys, localized, type Locale, type Translate } from '../../i18n/catalog.js';
import type { LoadedContest } from '../../services/contest.service.js';
import type { ProgressGrid } from '../../services/progress.service.js';
import { hasPermission } from '../../services/user.service.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { contestChrome, contestHref } from './contest-parts.router.js';

const LIVE_CSS = '/static/css/live.css';
const CARDS_PER_PAGE = 8;
const RECENT_ENTRIES = 100;

type Page = 'stage' | 'progress' | 'links' | 'cards' | 'ledger';
const NAV: { key: Page; segment: string }[] = [
  { key: 'stage', segment: '/stage' },
  { key: 'progress', segment: '/progress' },
  { key: 'links', segment: '/judges/links' },
  { key: 'cards', segment: '/judges/cards' },
  { key: 'ledger', segment: '/ledger' },
];

/** Every `live.*` message in the page's locale, for the browser code (passed as a data attribute). */
function clientMessages(t: Translate): string {
  return JSON.stringify(
    Object.fromEntries(allMessageKeys().flatMap((k) => (k.startsWith('live.') ? [[k, t(k)]] : []))),
  );
}

function formatTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
}

async function qrDataUrl(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** A short digest of judges' link issue times (see `linksSeen` in the router). */
function linkDigest(entries: { judgeId: number; issuedAt: string | null }[]): string {
  const text = entries.map((e) => `${e.judgeId}:${e.issuedAt ?? ''}`).join(',');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function invert(map: Map<string, number>): Map<number, string> {
  return new Map([...map].map(([key, id]) => [id, key]));
}

/** Renders a grid cell for the first paint (static/client/live/grid.ts renders the same markup). */
function cellOf(grid: ProgressGrid, p: number, j: number, t: Translate) {
  const state = grid.cells[p]?.[j] ?? 'not-on-panel';
  const version = grid.versions[p]?.[j] ?? null;
  switch (state) {
    case 'submitted':
      return {
        cls: 'is-submitted',
        text: '✓',
        version: `v${version ?? 1}`,
        title: t('live.progress.cell.submitted', { version }),
        unlockable: true,
      };
    case 'pending':
      return { cls: 'is-pending', text: '·', title: t('live.progress.cell.pending') };
    case 'recused':
      return { cls: 'is-recused', text: t('live.progress.cell.recused'), title: t('live.progress.cell.recused') };
    default:
      return { cls: 'is-off', text: '—', title: t('live.progress.cell.notOnPanel') };
  }
}

export function liveRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  const read = [requirePermission('read'), requirePasswordChanged];
  const edit = [...read, requirePermission('edit')];

  /** The contest chrome (crumbs, heading) plus the contest-day sub-navigation. */
  function chrome(res: Response, doc: ContestDocument, current: Page, title: string) {
    const { t, locale } = res.locals;
    const base = contestChrome(doc, t, locale, '', [{ label: title }]);
    return {
      ...base,
      title: `${title} · ${base.contest.name}`,
      pageTitle: title,
      styles: [LIVE_CSS],
      liveNav: NAV.map((n) => ({
        label: t(`live.nav.${n.key}`),
        href: contestHref(doc.slug) + n.segment,
        current: n.key === current,
      })),
    };
  }

  /** The round a page shows: `?round=<key>`, else the stage's round, else the last round. */
  function pickRound(loaded: LoadedContest, wanted: unknown, stageRoundId: number | null) {
    const rounds = loaded.doc.rounds.map((r) => ({ key: r.key, id: loaded.ids.rounds.get(r.key)!, round: r }));
    return (
      rounds.find((r) => typeof wanted === 'string' && r.key === wanted) ??
      rounds.find((r) => r.id === stageRoundId) ??
      rounds.at(-1)
    );
  }

  function roundTabs(loaded: LoadedContest, selectedKey: string | undefined, path: string, locale: Locale) {
    return loaded.doc.rounds.map((r) => ({
      label: localized(r.name, locale),
      href: `${path}?round=${encodeURIComponent(r.key)}`,
      current: r.key === selectedKey,
    }));
  }

  // -------------------------------------------------------------------------------------------
  // Stage console

  router.get('/:slug/stage', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const loaded = await services.contests.load(slug);
    const { doc } = loaded;
    const view = await services.stage.view(slug);
    const picked = pickRound(loaded, req.query.round, view.roundId);
    const grid = picked ? await services.progress.grid(slug, picked.id) : null;
    const head = await services.ledger.head(loaded.id);
    const projectByRef = new Map(doc.projects.map((p) => [p.ref, p]));
    const trackName = new Map(doc.tracks.map((tr) => [tr.key, localized(tr.name, locale)]));
    const rows = (grid?.projects ?? []).map((p, i) => {
      const item = projectByRef.get(p.ref);
      const eligible = p.submitted + p.pending;
      const current = view.projectId === p.id && view.roundId === grid?.roundId;
      return {
        id: p.id,
        no: i + 1,
        ref: p.ref,
        title: p.title,
        institution: item?.institution ?? '',
        track: item ? (trackName.get(item.trackKey) ?? '') : '',
        current,
        state: current
          ? t('live.stage.row.current')
          : p.submitted === 0
            ? t('live.stage.row.waiting')
            : p.pending === 0
              ? t('live.stage.row.done', { submitted: p.submitted, eligible })
              : t('live.stage.row.partial', { submitted: p.submitted, eligible }),
        done: !current && p.submitted > 0 && p.pending === 0,
      };
    });
    const stageRound = view.round && picked && view.round.id !== picked.id ? localized(view.round.name, locale) : null;
    const pitch = picked?.round.pitchSeconds ?? 0;
    const qa = picked?.round.qaSeconds ?? 0;
    renderPage(views, res, 'admin/live/stage', {
      ...chrome(res, doc, 'stage', t('live.stage.title')),
      scripts: ['/static/build/stage.js'],
      canRun: hasPermission(req.user, 'run-stage'),
      rounds: roundTabs(loaded, picked?.key, `${contestHref(slug)}/stage`, locale),
      round: picked
        ? {
            id: picked.id,
            name: localized(picked.round.name, locale),
            plan: t('live.stage.timerPlan', { pitch: +(pitch / 60).toFixed(1), qa: +(qa / 60).toFixed(1) }),
          }
        : null,
      stageRound,
      rows,
      view,
      phaseLabel: t(`live.phase.${view.phase}`),
      head,
      headShort: head ? `${head.hash.slice(0, 12)}…${head.hash.slice(-6)}` : '',
      stageJson: JSON.stringify(view),
      gridJson: JSON.stringify(grid),
      i18nJson: clientMessages(t),
      slug,
      ledgerHref: `${contestHref(slug)}/ledger`,
      progressHref: `${contestHref(slug)}/progress${picked ? `?round=${encodeURIComponent(picked.key)}` : ''}`,
    });
  });

  // -------------------------------------------------------------------------------------------
  // Live progress

  router.get('/:slug/progress', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const slug = String(req.params.slug);
    const loaded = await services.contests.load(slug);
    const { doc } = loaded;
    const view = await services.stage.view(slug);
    const picked = pickRound(loaded, req.query.round, view.roundId);
    const grid = picked ? await services.progress.grid(slug, picked.id) : null;
    const canUnlock = hasPermission(req.user, 'edit');
    const judgeByKey = new Map(doc.judges.map((j) => [j.key, j]));
    const judges = (grid?.judges ?? []).map((j, ji) => {
      const item = judgeByKey.get(j.key);
      const submitted = (grid?.cells ?? []).filter((row) => row[ji] === 'submitted').length;
      return {
        id: j.id,
        name: j.name,
        title: item?.title ?? '',
        institution: item?.institution ?? '',
        isHeadJudge: j.isHeadJudge,
        lastSeenAt: j.lastSeenAt ?? '',
        lastSeen: j.lastSeenAt ? formatTime(j.lastSeenAt, locale) : t('live.progress.never'),
        submitted,
      };
    });
    const rows = (grid?.projects ?? []).map((p, pi) => ({
      id: p.id,
      ref: p.ref,
      title: p.title,
      submitted: p.submitted,
      pending: p.pending,
      current: view.projectId === p.id && view.roundId === grid?.roundId,
      cells: judges.map((j, ji) => ({ ...cellOf(grid!, pi, ji, t), judgeId: j.id, judgeName: j.name })),
    }));
    const submitted = rows.reduce((n, r) => n + r.submitted, 0);
    const pending = rows.reduce((n, r) => n + r.pending, 0);
    renderPage(views, res, 'admin/live/progress', {
      ...chrome(res, doc, 'progress', t('live.progress.title')),
      scripts: ['/static/build/progress.js'],
      rounds: roundTabs(loaded, picked?.key, `${contestHref(slug)}/progress`, locale),
      round: picked ? { id: picked.id, name: localized(picked.round.name, locale) } : null,
      judges,
      rows,
      totals: {
        summary: t('live.progress.summary', { submitted, expected: submitted + pending, pending }),
        submitted,
        pending,
      },
      canUnlock,
      gridJson: JSON.stringify(grid),
      stageJson: JSON.stringify(view),
      i18nJson: clientMessages(t),
      slug,
    });
  });

  // -------------------------------------------------------------------------------------------
  // Judge links and QR cards

  async function renderLinks(
    req: Request,
    res: Response,
    loaded: LoadedContest,
    issued?: { name: string; url: string; qr: string },
  ) {
    const { t, locale } = res.locals;
    const { doc } = loaded;
    const status = new Map((await services.judgeLinks.status(loaded.id)).map((s) => [s.judgeId, s]));
    const base = `${contestHref(doc.slug)}/judges/links`;
    const revokedKey = typeof req.query.revoked === 'string' ? req.query.revoked : undefined;
    const revoked = doc.judges.find((j) => j.key === revokedKey);
    const rows = doc.judges.map((j) => {
      const id = loaded.ids.judges.get(j.key)!;
      const s = status.get(id);
      const seen = linkDigest([{ judgeId: id, issuedAt: s?.issuedAt ?? null }]);
      return {
        id,
        name: j.name,
        sub: [j.title, j.institution].filter(Boolean).join(' · '),
        isHeadJudge: j.isHeadJudge,
        active: !!s?.issuedAt,
        issued: s?.issuedAt ? t('live.links.issued', { at: formatTime(s.issuedAt, locale) }) : t('live.links.none'),
        used: s?.issuedAt
          ? s.lastUsedAt
            ? t('live.links.used', { at: formatTime(s.lastUsedAt, locale) })
            : t('live.links.unused')
          : '',
        seen,
        issueAction: `${base}/${id}/issue`,
        revokeAction: `${base}/${id}/revoke`,
        confirmReissue: t('live.links.confirmReissue', { name: j.name }),
        confirmRevoke: t('live.links.confirmRevoke', { name: j.name }),
      };
    });
    renderPage(views, res, 'admin/live/links', {
      ...chrome(res, doc, 'links', t('live.links.title')),
      scripts: ['/static/build/progress.js'],
      rows,
      issued,
      revokedNotice: revoked ? t('live.links.revoked', { name: revoked.name }) : undefined,
      stale: req.query.stale === '1' && !issued,
      canEdit: hasPermission(req.user, 'edit'),
      cardsHref: `${contestHref(doc.slug)}/judges/cards`,
    });
  }

  const judgeIdParam = (req: Request, loaded: LoadedContest): number => {
    const id = Number(req.params.judgeId);
    if (!Number.isSafeInteger(id) || ![...loaded.ids.judges.values()].includes(id)) throw new AppError('not-found');
    return id;
  };

  /**
   * What an issuing form saw: a digest of the judges' current link issue times. A form sent
   * again (a browser reload of the result page) no longer matches and changes nothing, so it
   * cannot silently replace links that were just shown or printed.
   */
  async function linksSeen(contestId: number, judgeId?: number): Promise<string> {
    const status = await services.judgeLinks.status(contestId);
    return linkDigest(status.filter((s) => judgeId === undefined || s.judgeId === judgeId));
  }
  const seenIn = (req: Request) => String((req.body as Record<string, unknown> | undefined)?.seen ?? '');

  router.get('/:slug/judges/links', ...read, async (req, res) => {
    await renderLinks(req, res, await services.contests.load(String(req.params.slug)));
  });

  router.post('/:slug/judges/links/:judgeId/issue', ...edit, async (req, res) => {
    const loaded = await services.contests.load(String(req.params.slug));
    const judgeId = judgeIdParam(req, loaded);
    if (seenIn(req) !== (await linksSeen(loaded.id, judgeId))) {
      res.redirect(303, `${contestHref(loaded.doc.slug)}/judges/links?stale=1`);
      return;
    }
    const [link] = await services.judgeLinks.issue(loaded.id, [judgeId], req.user!.id);
    const key = invert(loaded.ids.judges).get(judgeId);
    const name = loaded.doc.judges.find((j) => j.key === key)?.name ?? '';
    res.set('Cache-Control', 'no-store');
    await renderLinks(req, res, loaded, { name, url: link!.url, qr: await qrDataUrl(link!.url) });
  });

  router.post('/:slug/judges/links/:judgeId/revoke', ...edit, async (req, res) => {
    const loaded = await services.contests.load(String(req.params.slug));
    const judgeId = judgeIdParam(req, loaded);
    await services.judgeLinks.revoke(loaded.id, judgeId, req.user!.id);
    const key = invert(loaded.ids.judges).get(judgeId) ?? '';
    res.redirect(303, `${contestHref(loaded.doc.slug)}/judges/links?revoked=${encodeURIComponent(key)}`);
  });

  router.get('/:slug/judges/cards', ...read, async (req, res) => {
    const { t } = res.locals;
    const loaded = await services.contests.load(String(req.params.slug));
    renderPage(views, res, 'admin/live/cards-intro', {
      ...chrome(res, loaded.doc, 'cards', t('live.cards.title')),
      count: loaded.doc.judges.length,
      intro: t('live.cards.intro', { count: loaded.doc.judges.length }),
      canEdit: hasPermission(req.user, 'edit'),
      action: `${contestHref(loaded.doc.slug)}/judges/cards`,
      linksHref: `${contestHref(loaded.doc.slug)}/judges/links`,
      seen: await linksSeen(loaded.id),
      stale: req.query.stale === '1',
    });
  });

  router.post('/:slug/judges/cards', ...edit, async (req, res) => {
    const { t, locale } = res.locals;
    const loaded = await services.contests.load(String(req.params.slug));
    const { doc } = loaded;
    const ids = doc.judges.map((j) => loaded.ids.judges.get(j.key)!);
    if (seenIn(req) !== (await linksSeen(loaded.id))) {
      res.redirect(303, `${contestHref(doc.slug)}/judges/cards?stale=1`);
      return;
    }
    const links = ids.length ? await services.judgeLinks.issue(loaded.id, ids, req.user!.id) : [];
    const urlOf = new Map(links.map((l) => [l.judgeId, l.url]));
    const contestName = localized(doc.name, locale);
    const cards = await Promise.all(
      doc.judges.map(async (j, i) => ({
        no: i + 1,
        name: j.name,
        title: j.title,
        institution: j.institution,
        isHeadJudge: j.isHeadJudge,
        qr: await qrDataUrl(urlOf.get(ids[i]!)!),
        alt: t('live.links.qrAlt', { name: j.name }),
      })),
    );
    const pages = [];
    for (let i = 0; i < cards.length; i += CARDS_PER_PAGE) {
      pages.push({ n: pages.length + 1, cards: cards.slice(i, i + CARDS_PER_PAGE) });
    }
    res.set('Cache-Control', 'no-store');
    renderPage(views, res, 'admin/live/cards', {
      ...chrome(res, doc, 'cards', t('live.cards.title')),
      scripts: ['/static/build/progress.js'],
      contestName,
      pages,
      ready: t('live.cards.ready', { count: cards.length }),
      linksHref: `${contestHref(doc.slug)}/judges/links`,
    });
  });

  // -------------------------------------------------------------------------------------------
  // Ledger

  router.get('/:slug/ledger', ...read, async (req, res) => {
    const { t, locale } = res.locals;
    const loaded = await services.contests.load(String(req.params.slug));
    const { doc } = loaded;
    const head = await services.ledger.head(loaded.id);
    const entries = head
      ? (await services.ledger.entries(loaded.id, Math.max(0, head.seq - RECENT_ENTRIES), RECENT_ENTRIES)).reverse()
      : [];
    const verify = req.query.verify === '1' ? await services.ledger.verify(loaded.id) : null;
    const people = await names(loaded);
    renderPage(views, res, 'admin/live/ledger', {
      ...chrome(res, doc, 'ledger', t('live.ledger.title')),
      scripts: ['/static/build/progress.js'],
      head,
      entries: entries.map((e) => ({
        seq: e.seq,
        at: formatTime(e.at, locale),
        iso: e.at,
        actor: actorLabel(e, people, t),
        action: hasLedgerAction(e.action) ? t(`live.ledgerAction.${e.action}`) : e.action,
        summary: summarize(e, people, t),
        hash: e.hash.slice(0, 12),
        fullHash: e.hash,
      })),
      recentTitle: t('live.ledger.recent', { count: entries.length }),
      verify: verify
        ? verify.ok
          ? { ok: true, message: t('live.ledger.ok', { count: verify.count }) }
          : {
              ok: false,
              message: t('live.ledger.bad', { seq: verify.seq, reason: t(`live.ledger.reason.${verify.reason}`) }),
            }
        : null,
      verifyHref: `${contestHref(doc.slug)}/ledger`,
      cli: `npm run roadshow -- ledger:verify --contest ${doc.slug}`,
    });
  });

  async function names(loaded: LoadedContest): Promise<People> {
    const users = await services.users.list();
    const judgeKey = invert(loaded.ids.judges);
    const judgeName = new Map(loaded.doc.judges.map((j) => [j.key, j.name]));
    const projectRef = invert(loaded.ids.projects);
    const roundKey = invert(loaded.ids.rounds);
    return {
      user: new Map(users.map((u) => [u.id, u.displayName || u.email])),
      judge: (id: unknown) => (typeof id === 'number' ? (judgeName.get(judgeKey.get(id) ?? '') ?? `#${id}`) : null),
      project: (id: unknown) => (typeof id === 'number' ? (projectRef.get(id) ?? `#${id}`) : null),
      round: (id: unknown) => (typeof id === 'number' ? (roundKey.get(id) ?? `#${id}`) : null),
    };
  }

  return router;
}

/** Names for the ids that ledger payloads carry. */
interface People {
  user: Map<number, string>;
  judge(id: unknown): string | null;
  project(id: unknown): string | null;
  round(id: unknown): string | null;
}

const LEDGER_ACTIONS = new Set([
  'stage.call',
  'stage.start-pitch',
  'stage.start-qa',
  'stage.pause',
  'stage.resume',
  'stage.extend',
  'stage.open-scoring',
  'stage.close-scoring',
  'stage.reset',
  'score.recorded',
  'score.unlocked',
  'judge-link.issued',
  'judge-link.revoked',
]);
const hasLedgerAction = (action: string) => LEDGER_ACTIONS.has(action);

function actorLabel(e: LedgerEntry, people: People, t: Translate): string {
  const kind = t(`live.actor.${e.actor.kind}`);
  if (e.actor.id === null) return kind;
  if (e.actor.kind === 'organizer') return `${kind} · ${people.user.get(e.actor.id) ?? `#${e.actor.id}`}`;
  if (e.actor.kind === 'judge') return `${kind} · ${people.judge(e.actor.id)}`;
  return kind;
}

/** A one-line, human summary of an entry's payload (the full payload is in the entry's tooltip). */
function summarize(e: LedgerEntry, people: People, t: Translate): string {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  const project = people.project(p.projectId);
  if (project) parts.push(t('live.sum.project', { ref: project }));
  const judge = people.judge(p.judgeId);
  if (judge && !(e.actor.kind === 'judge' && e.actor.id === p.judgeId))
    parts.push(t('live.sum.judge', { name: judge }));
  if (typeof p.version === 'number') parts.push(t('live.sum.version', { version: p.version }));
  if (typeof p.unlockId === 'number' && e.action === 'score.recorded') parts.push(t('live.sum.unlocked'));
  if (typeof p.seconds === 'number')
    parts.push(
      e.action === 'stage.extend'
        ? t('live.sum.seconds', { seconds: p.seconds > 0 ? `+${p.seconds}` : p.seconds })
        : t('live.sum.duration', { seconds: p.seconds }),
    );
  if (typeof p.phase === 'string' && e.action.startsWith('stage.') && e.action !== 'stage.call')
    parts.push(t('live.sum.phase', { phase: t(`live.phase.${p.phase}`) }));
  if (p.closedBy === 'auto') parts.push(t('live.sum.auto'));
  if (typeof p.reason === 'string') parts.push(t('live.sum.reason', { reason: p.reason }));
  return parts.join(' · ');
}
