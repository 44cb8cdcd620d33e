/**
 * Public registration pages (phone first): the form at `/contests/:slug/register`, the private
 * status link `/r/:token` (the confirmation right after registering) and its edit form
 * `/r/:token/edit`. Also mounts the JSON API (registration.api.ts) so both share one rate limit.
 *
 * The forms are multipart (optional PDF deck). The global CSRF check defers these two paths while
 * the body is unparsed (middleware/csrf.ts); here multer parses it and `verifyCsrf` runs again
 * before anything else. Business rules live in services/registration.service.ts.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { DEVELOPMENT_STAGES, type Project } from '../../domain/contest-document.js';
import { AppError } from '../../errors.js';
import type { FieldError } from '../../field-errors.js';
import { localized, type Locale, type Translate } from '../../i18n/catalog.js';
import { DECK_MAX_BYTES, DECK_MAX_MB, SUMMARY_MAX, type DeckUpload } from '../../services/registration.service.js';
import { parseForm } from '../form.js';
import { verifyCsrf } from '../middleware/csrf.js';
import { limit } from '../middleware/rate-limit.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import { registrationApiRouter } from '../api/registration.api.js';

const PAGE = 'public/registration';
const STYLES = ['/static/css/public.css'];
const SCRIPTS = ['/static/build/register.js'];
const RECEIVED = 'registration.flash.received';
/** Errors shown on the form itself (the rest become error pages). */
const FORM_ERRORS = new Set(['validation-failed', 'likely-duplicate', 'deck-too-large']);
const STATE_TONES: Record<string, string> = { approved: 'ok', rejected: 'danger', returned: 'warn' };

const FORM_SPEC = {
  title: 'string',
  trackKey: 'string',
  institution: 'string',
  'leader.name': 'string',
  'leader.phone': 'string',
  'leader.email': 'string',
  membersText: 'string',
  stage: 'string',
  summary: 'string',
  consent: 'bool',
} as const;

/** Team members typed one per line as `name | role` (the role is optional). */
export function parseMembers(text: string): { members: { name: string; role: string }[]; lines: number[] } {
  const members: { name: string; role: string }[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    const cut = raw.search(/[|｜]/);
    members.push({ name: (cut < 0 ? raw : raw.slice(0, cut)).trim(), role: cut < 0 ? '' : raw.slice(cut + 1).trim() });
    lines.push(i + 1);
  });
  return { members, lines };
}

const membersText = (members: Project['members']) =>
  members.map((m) => (m.role ? `${m.name} | ${m.role}` : m.name)).join('\n');

/** The form as typed (for showing it again) and the service input built from it. */
function readForm(body: unknown) {
  const values = parseForm(body, FORM_SPEC) as Record<string, unknown> & { membersText: string };
  const { members, lines } = parseMembers(values.membersText);
  const { membersText: _text, ...rest } = values;
  return { values, input: { ...rest, members }, lines };
}

/** Service error paths → form field names: `members[2].name` → `membersText` naming line 3. */
function formErrors(errors: FieldError[], lines: number[]): FieldError[] {
  const out = new Map<string, FieldError>();
  for (const e of errors) {
    const member = /^members\[(\d+)\]/.exec(e.path);
    const mapped: FieldError = member
      ? { path: 'membersText', code: 'invalid-members', params: { line: lines[Number(member[1])] ?? 1 } }
      : e.path === 'members'
        ? { ...e, path: 'membersText' }
        : e;
    if (!out.has(mapped.path)) out.set(mapped.path, mapped);
  }
  return [...out.values()];
}

function deckOf(req: Request): DeckUpload | undefined {
  const file = req.file;
  if (!file || (file.size === 0 && !file.originalname)) return undefined;
  return { originalName: file.originalname, bytes: file.buffer };
}

function formatTime(iso: string | null, locale: Locale): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Status pages carry the secret in their address: keep it out of caches and Referer headers. */
const privatePage: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  res.set('Referrer-Policy', 'no-referrer');
  next();
};

export function registrationRouter(deps: RouterDeps): Router {
  const { services, views, config } = deps;
  const registration = services.registration;
  const router = Router();
  const registrationPosts = limit({ windowMs: 10 * 60_000, limit: 10, key: 'registration' });
  const statusLinks = limit({ windowMs: 60_000, limit: 60, key: 'registration-status' });

  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: DECK_MAX_BYTES, files: 1, fields: 30, fieldSize: 64 * 1024, parts: 32 },
    defParamCharset: 'utf8',
  }).single('deck');
  /** Parses the multipart form; an over-large deck is remembered so the form can say so (413). */
  const parseMultipart: RequestHandler = (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        res.locals.deckTooLarge = true;
        req.body ??= {};
        return next();
      }
      if (err instanceof multer.MulterError) return next(new AppError('payload-too-large'));
      next(err);
    });
  /** The order matters: limit, parse, then the CSRF check the global middleware deferred. */
  const formPost = (limiter: RequestHandler) => [limiter, parseMultipart, verifyCsrf];

  const options = (t: Translate, locale: Locale, tracks: { key: string; name: { zh: string; en: string } }[]) => ({
    trackOptions: [
      ...(tracks.length === 1 ? [] : [{ value: '', label: t('registration.field.trackKey.choose') }]),
      ...tracks.map((tr) => ({ value: tr.key, label: localized(tr.name, locale) })),
    ],
    stageOptions: [
      { value: '', label: t('registration.field.stage.choose') },
      ...DEVELOPMENT_STAGES.map((s) => ({ value: s, label: t(`enum.stage.${s}`) })),
    ],
  });

  const fieldLabels = (t: Translate) => ({
    title: t('project.field.title'),
    trackKey: t('project.field.trackKey'),
    stage: t('project.field.stage'),
    institution: t('project.field.institution'),
    'leader.name': t('registration.field.leader.name'),
    'leader.phone': t('project.field.leader.phone'),
    'leader.email': t('project.field.leader.email'),
    membersText: t('project.field.membersText'),
    summary: t('project.field.summary'),
    deck: t('registration.field.deck'),
    consent: t('registration.field.consent.short'),
  });

  interface FormView {
    contest: { slug: string; name: { zh: string; en: string } };
    tracks: { key: string; name: { zh: string; en: string } }[];
    closesAt: string | null;
    editing?: { token: string; deck: { originalName: string; sizeBytes: number } | null };
  }

  function renderForm(
    res: Response,
    view: FormView,
    values: unknown,
    opts: { status?: number; fieldErrors?: FieldError[]; alert?: string; deckDropped?: boolean } = {},
  ) {
    const { t, locale } = res.locals;
    const contestName = localized(view.contest.name, locale);
    const editing = view.editing;
    renderPage(
      views,
      res,
      `${PAGE}/form`,
      {
        title: editing ? t('registration.edit.title') : t('registration.title'),
        contestName,
        action: editing ? `/r/${editing.token}/edit` : `/contests/${encodeURIComponent(view.contest.slug)}/register`,
        editing: Boolean(editing),
        backHref: editing ? `/r/${editing.token}` : undefined,
        currentDeck: editing?.deck
          ? { name: editing.deck.originalName, size: formatSize(editing.deck.sizeBytes) }
          : undefined,
        closesAtText: formatTime(view.closesAt, locale),
        summaryMax: SUMMARY_MAX,
        deckMaxMb: DECK_MAX_MB,
        deckMaxBytes: DECK_MAX_BYTES,
        deckDropped: opts.deckDropped,
        alert: opts.alert,
        fieldLabels: fieldLabels(t),
        styles: STYLES,
        scripts: SCRIPTS,
        ...options(t, locale, view.tracks),
      },
      { layout: 'public', status: opts.status, values, fieldErrors: opts.fieldErrors },
    );
  }

  function renderClosed(res: Response, contest: { name: { zh: string; en: string } }) {
    const { t, locale } = res.locals;
    renderPage(
      views,
      res,
      `${PAGE}/closed`,
      {
        title: t('registration.closed.title'),
        message: t('registration.closed.body', { contest: localized(contest.name, locale) }),
        styles: STYLES,
      },
      { layout: 'public', status: 409 },
    );
  }

  /** Shows a form error again with the values as typed; anything else goes to the error handler. */
  function renderFormError(
    res: Response,
    err: unknown,
    view: FormView,
    form: ReturnType<typeof readForm>,
    sentDeck: boolean,
  ) {
    if (!(err instanceof AppError) || !FORM_ERRORS.has(err.code)) throw err;
    const t = res.locals.t;
    const alert =
      err.code === 'likely-duplicate'
        ? t(`registration.duplicate.${String(err.params.rule)}`)
        : err.code === 'deck-too-large'
          ? t('error.deck-too-large', err.params)
          : undefined;
    renderForm(res, view, form.values, {
      status: err.status,
      fieldErrors: formErrors(err.fields, form.lines),
      alert,
      deckDropped: sentDeck,
    });
  }

  const tooLarge = () =>
    new AppError('deck-too-large', { max: DECK_MAX_MB }, [
      { path: 'deck', code: 'deck-too-large', params: { max: DECK_MAX_MB } },
    ]);

  // ---- the registration form

  router.get('/contests/:slug/register', async (req, res) => {
    const page = await registration.page(String(req.params.slug));
    if (!page.open) return renderClosed(res, page.contest);
    const values = page.tracks.length === 1 ? { trackKey: page.tracks[0]?.key } : {};
    renderForm(res, page, values);
  });

  router.post('/contests/:slug/register', ...formPost(registrationPosts), async (req, res) => {
    const slug = String(req.params.slug);
    const form = readForm(req.body);
    const deck = deckOf(req);
    try {
      if (res.locals.deckTooLarge) throw tooLarge();
      const done = await registration.register(slug, form.input, deck);
      req.session.flash = RECEIVED;
      res.redirect(303, done.statusPath);
    } catch (err) {
      const page = await registration.page(slug);
      if (!page.open) return renderClosed(res, page.contest);
      renderFormError(res, err, page, form, Boolean(deck) || Boolean(res.locals.deckTooLarge));
    }
  });

  // ---- the private status link

  async function renderStatus(req: Request, res: Response, opts: { status?: number; alert?: string } = {}) {
    const token = String(req.params.token);
    const s = await registration.status(token);
    const { t, locale } = res.locals;
    const justRegistered = req.session?.flash === RECEIVED;
    if (justRegistered) delete req.session.flash;
    const track = s.tracks.find((tr) => tr.key === s.project.trackKey);
    const p = s.project;
    renderPage(
      views,
      res,
      `${PAGE}/status`,
      {
        title: justRegistered ? t('registration.done.title') : t('registration.status.title'),
        contestName: localized(s.contest.name, locale),
        justRegistered,
        statusPath: `/r/${token}`,
        statusUrl: `${config.publicUrl}/r/${token}`,
        project: p,
        state: s.status,
        stateTone: STATE_TONES[s.status] ?? 'info',
        reviewNote: s.status === 'returned' || s.status === 'rejected' ? s.reviewNote : '',
        submittedAtText: formatTime(s.submittedAt, locale),
        updatedAtText: s.updatedAt !== s.submittedAt ? formatTime(s.updatedAt, locale) : null,
        closesAtText: formatTime(s.closesAt, locale),
        trackName: track ? localized(track.name, locale) : p.trackKey,
        stageName: t(`enum.stage.${p.stage}`),
        deck: s.deck ? { name: s.deck.originalName, size: formatSize(s.deck.sizeBytes) } : null,
        editable: s.editable,
        open: s.open,
        alert: opts.alert,
        styles: STYLES,
      },
      { layout: 'public', status: opts.status },
    );
  }

  router.get('/r/:token', statusLinks, privatePage, async (req, res) => {
    await renderStatus(req, res);
  });

  const editView = (token: string, s: Awaited<ReturnType<typeof registration.status>>): FormView => ({
    ...s,
    editing: { token, deck: s.deck },
  });

  /** A status page saying why the entry cannot be edited (409). */
  const refuseEdit = (req: Request, res: Response, code: string, params: Record<string, string> = {}) =>
    renderStatus(req, res, { status: 409, alert: res.locals.t(`error.${code}`, params) });

  router.get('/r/:token/edit', statusLinks, privatePage, async (req, res) => {
    const token = String(req.params.token);
    const s = await registration.status(token);
    if (!s.editable)
      return refuseEdit(req, res, s.open ? 'registration-decided' : 'registration-closed', { ref: s.project.ref });
    const p = s.project;
    const values = {
      title: p.title,
      trackKey: p.trackKey,
      institution: p.institution,
      leader: p.leader,
      membersText: membersText(p.members),
      stage: p.stage,
      summary: p.summary,
    };
    renderForm(res, editView(token, s), values);
  });

  router.post('/r/:token/edit', privatePage, ...formPost(statusLinks), async (req, res) => {
    const token = String(req.params.token);
    const form = readForm(req.body);
    const deck = deckOf(req);
    try {
      if (res.locals.deckTooLarge) throw tooLarge();
      await registration.edit(token, form.input, deck);
      req.session.flash = 'registration.flash.saved';
      res.redirect(303, `/r/${token}`);
    } catch (err) {
      const s = await registration.status(token);
      if (err instanceof AppError && (err.code === 'registration-closed' || err.code === 'registration-decided'))
        return refuseEdit(req, res, err.code, { ref: s.project.ref });
      renderFormError(res, err, editView(token, s), form, Boolean(deck) || Boolean(res.locals.deckTooLarge));
    }
  });

  router.use(registrationApiRouter(deps, registrationPosts));
  return router;
}
