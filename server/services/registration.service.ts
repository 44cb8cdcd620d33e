/**
 * Public registration use-cases: what the registration page needs, registering a team (reference
 * number, private status link, optional PDF pitch deck), and the status link's view and edits.
 *
 * Rules: registration is open while the contest's status is 'registration-open' and its closing
 * time (if any) has not passed; a likely duplicate (domain findLikelyDuplicate) is refused; the
 * reference sequence is claimed in the same transaction as the insert. Nothing is written when a
 * request fails: a deck file is written just before the transaction and removed if it fails.
 * The status token (256 bits) is returned once and stored only as its SHA-256.
 */
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as parts from '../data/contest-parts.repo.js';
import * as repo from '../data/registration.repo.js';
import {
  DEVELOPMENT_STAGES,
  Member,
  Phone,
  Project,
  type ContestStatus,
  type LocalizedName,
  type ProjectStatus,
} from '../domain/contest-document.js';
import {
  findLikelyDuplicate,
  formatReference,
  nextSequence,
  normalizePhone,
  type DuplicateRule,
} from '../domain/registration/index.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod, type FieldError } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import type { LedgerService } from './ledger.service.js';
import { randomToken, sha256Hex } from './secrets.js';

export const SUMMARY_MAX = 1000;
export const MEMBERS_MAX = 30;
export const DECK_MAX_BYTES = 20 * 1024 * 1024;
export const DECK_MAX_MB = DECK_MAX_BYTES / (1024 * 1024);
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
/** Statuses a team may still edit; approved and rejected entries are decided. */
const EDITABLE: ReadonlySet<ProjectStatus> = new Set(['submitted', 'returned']);
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface DeckUpload {
  originalName: string;
  bytes: Uint8Array;
}

/** Which form fields a duplicate rule points at. */
export const DUPLICATE_FIELDS: Record<DuplicateRule, string[]> = {
  'title-and-institution': ['title', 'institution'],
  'leader-phone': ['leader.phone'],
  'leader-email': ['leader.email'],
};

/** Mainland mobile numbers as people type them (spaces, dashes, +86, full-width digits), stored as 11 digits. */
const Mobile = z
  .string()
  .transform((s) => s.normalize('NFKC').replace(/[\s-]/g, ''))
  .pipe(z.string().min(1))
  .pipe(Phone)
  .transform(normalizePhone);

/** The fields a team fills in (the edit form has the same fields without the consent box). */
function fieldsSchema(trackKeys: readonly string[]) {
  return z.object({
    title: Project.shape.title,
    trackKey: z
      .string()
      .trim()
      .min(1)
      .refine((k) => trackKeys.includes(k), { error: 'invalid-value' }),
    institution: Project.shape.institution,
    leader: z.object({
      name: Project.shape.leader.shape.name,
      phone: Mobile,
      email: z.string().trim().min(1).max(200).pipe(z.email()),
    }),
    members: z.array(Member).max(MEMBERS_MAX).default([]),
    stage: z.enum(DEVELOPMENT_STAGES, {
      error: (issue) => (issue.input === undefined || issue.input === '' ? 'required' : 'invalid-value'),
    }),
    summary: z.string().trim().min(1).max(SUMMARY_MAX),
  });
}
const registrationSchema = (trackKeys: readonly string[]) =>
  fieldsSchema(trackKeys).extend({ consent: z.literal(true, { error: 'consent-required' }) });
type RegistrationFields = z.output<ReturnType<typeof fieldsSchema>>;

/** Whether a contest takes registrations at `now`. */
export function registrationOpen(
  contest: { status: ContestStatus; registration_closes_at: string | null },
  now: Date,
): boolean {
  if (contest.status !== 'registration-open') return false;
  if (!contest.registration_closes_at) return true;
  const closes = Date.parse(contest.registration_closes_at);
  return Number.isNaN(closes) || now.getTime() < closes;
}

function deckErrors(deck: DeckUpload | undefined): FieldError[] {
  if (!deck) return [];
  if (deck.bytes.byteLength > DECK_MAX_BYTES) {
    const params = { max: DECK_MAX_MB };
    throw new AppError('deck-too-large', params, [{ path: 'deck', code: 'deck-too-large', params }]);
  }
  const head = Buffer.from(deck.bytes.subarray(0, PDF_MAGIC.length));
  return head.equals(PDF_MAGIC) ? [] : [{ path: 'deck', code: 'deck-not-pdf' }];
}

/** The uploader's file name as a label only: base name, no control characters, at most 200 characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'deck.pdf').slice(0, 200);
}

function duplicateError(rule: DuplicateRule): AppError {
  return new AppError(
    'likely-duplicate',
    { rule },
    DUPLICATE_FIELDS[rule].map((p) => ({ path: p, code: `duplicate-${rule}` })),
  );
}

export function createRegistrationService(
  db: Db,
  clock: Clock,
  ledger: LedgerService,
  options: { publicUrl: string; dataDir?: string },
) {
  if (!options.dataDir) throw new Error('the registration service needs config.dataDir (decks go to DATA_DIR/uploads)');
  const uploads = path.join(options.dataDir, 'uploads');
  const statusPath = (token: string) => `/r/${token}`;

  /** The contest by slug with its tracks; drafts are invisible to the public. */
  async function publicContest(slug: string) {
    const row = await contests.findContestBySlug(db, slug);
    if (!row || row.status === 'draft') throw new AppError('contest-not-found', { slug });
    const tracks = (await parts.listTracks(db, row.id)).map((t) => ({ id: t.id, key: t.item.key, name: t.item.name }));
    return { row, tracks };
  }

  /** Validates the fields and the deck together, so the form shows every problem at once. */
  function validate<S extends z.ZodType>(schema: S, input: unknown, deck: DeckUpload | undefined): z.output<S> {
    const parsed = schema.safeParse(input, { reportInput: true });
    const fields = [...(parsed.success ? [] : fieldErrorsFromZod(parsed.error)), ...deckErrors(deck)];
    if (!parsed.success || fields.length) throw new AppError('validation-failed', {}, fields);
    return parsed.data;
  }

  /** Writes the deck, runs `work`, and removes the file again if `work` fails. */
  async function withDeckFile<T>(
    deck: DeckUpload | undefined,
    work: (stored: repo.StoredDeck | null) => Promise<T>,
  ): Promise<T> {
    const stored = deck ? await repo.writeDeckFile(uploads, deck.bytes) : null;
    try {
      return await work(stored);
    } catch (err) {
      if (stored) await repo.removeDeckFile(uploads, stored.storedName);
      throw err;
    }
  }

  /** The state of a registration behind a status link; status-link-invalid (404) when unknown. */
  async function status(token: string) {
    const found = TOKEN_SHAPE.test(token) ? await repo.findByTokenHash(db, sha256Hex(token)) : undefined;
    if (!found) throw new AppError('status-link-invalid');
    const { row, tracks } = await publicContest(found.slug);
    const project = (await parts.listProjects(db, row.id)).find((p) => p.id === found.id)!.item;
    const deck = await repo.findDeck(db, found.id);
    const open = registrationOpen(row, clock.now());
    return {
      contestId: row.id,
      contest: {
        slug: row.slug,
        name: { zh: row.name_zh, en: row.name_en } as LocalizedName,
        organizer: row.organizer,
      },
      tracks,
      open,
      closesAt: row.registration_closes_at,
      editable: open && EDITABLE.has(found.status),
      project,
      status: found.status,
      reviewNote: found.review_note,
      submittedAt: found.submitted_at,
      updatedAt: found.updated_at,
      deck: deck
        ? { originalName: deck.original_name, sizeBytes: deck.size_bytes, uploadedAt: deck.uploaded_at }
        : null,
    };
  }

  /** The project as the contest document has it; the organizer's 打星 flag is kept on edits. */
  function toProject(ref: string, input: RegistrationFields, outOfCompetition = false): Project {
    return Project.parse({
      ref,
      title: input.title,
      trackKey: input.trackKey,
      institution: input.institution,
      leader: input.leader,
      members: input.members,
      stage: input.stage,
      summary: input.summary,
      status: 'submitted',
      outOfCompetition,
    });
  }

  function deckRow(projectId: number, deck: DeckUpload, stored: repo.StoredDeck, now: string): repo.DeckRow {
    return {
      project_id: projectId,
      original_name: cleanFileName(deck.originalName),
      stored_name: stored.storedName,
      size_bytes: stored.sizeBytes,
      sha256: stored.sha256,
      uploaded_at: now,
    };
  }

  return {
    /** What the registration page shows: the contest, its tracks, whether it is open and until when. */
    async page(slug: string) {
      const { row, tracks } = await publicContest(slug);
      return {
        contest: {
          slug: row.slug,
          name: { zh: row.name_zh, en: row.name_en } as LocalizedName,
          organizer: row.organizer,
        },
        tracks,
        open: registrationOpen(row, clock.now()),
        closesAt: row.registration_closes_at,
      };
    },

    /**
     * Registers a team. Returns the reference and the private status path (shown once).
     * Throws registration-closed (409), validation-failed / likely-duplicate (422), deck-too-large (413).
     */
    async register(
      slug: string,
      input: unknown,
      deck?: DeckUpload,
    ): Promise<{ ref: string; token: string; statusPath: string; statusUrl: string }> {
      const { row, tracks } = await publicContest(slug);
      if (!registrationOpen(row, clock.now())) throw new AppError('registration-closed', { slug });
      const data = validate(registrationSchema(tracks.map((t) => t.key)), input, deck);
      const candidate = { title: data.title, institution: data.institution, leader: data.leader };
      const early = findLikelyDuplicate(candidate, await repo.listDuplicateCandidates(db, row.id));
      if (early) throw duplicateError(early.rule);

      const token = randomToken('', 32);
      const ref = await withDeckFile(deck, (stored) =>
        db.transaction().execute(async (tx) => {
          const contest = await contests.findContestBySlug(tx, slug);
          if (!contest || !registrationOpen(contest, clock.now())) throw new AppError('registration-closed', { slug });
          const dup = findLikelyDuplicate(candidate, await repo.listDuplicateCandidates(tx, contest.id));
          if (dup) throw duplicateError(dup.rule);
          const prefix = contest.reference_prefix;
          const year = contest.starts_on ? Number(contest.starts_on.slice(0, 4)) : clock.now().getFullYear();
          const seq = Math.max(
            contest.registration_seq + 1,
            nextSequence(await repo.listRefs(tx, contest.id), prefix, year),
          );
          const ref = formatReference({ prefix, year, sequence: seq });
          const now = isoNow(clock);
          const trackId = tracks.find((t) => t.key === data.trackKey)!.id;
          await repo.setRegistrationSeq(tx, contest.id, seq);
          const projectId = await parts.insertProject(
            tx,
            contest.id,
            toProject(ref, data),
            trackId,
            await repo.nextPosition(tx, contest.id),
            now,
          );
          await repo.markRegistered(tx, projectId, sha256Hex(token), now);
          if (stored && deck) await repo.upsertDeck(tx, deckRow(projectId, deck, stored, now));
          await ledger.append(tx, contest.id, { kind: 'public', id: null }, 'registration.submitted', {
            ref,
            trackKey: data.trackKey,
            deckSha256: stored?.sha256 ?? null,
          });
          return ref;
        }),
      );
      return { ref, token, statusPath: statusPath(token), statusUrl: `${options.publicUrl}${statusPath(token)}` };
    },

    status,

    /**
     * Edits a registration through its status link while registration is open and the entry is
     * not decided; a returned entry goes back to 'submitted'. A new deck replaces the old one.
     */
    async edit(token: string, input: unknown, deck?: DeckUpload): Promise<{ ref: string }> {
      const current = await status(token);
      if (!current.open) throw new AppError('registration-closed', { slug: current.contest.slug });
      if (!current.editable) throw new AppError('registration-decided', { ref: current.project.ref });
      const data = validate(fieldsSchema(current.tracks.map((t) => t.key)), input, deck);
      const ref = current.project.ref;
      const candidate = { ref, title: data.title, institution: data.institution, leader: data.leader };
      const early = findLikelyDuplicate(candidate, await repo.listDuplicateCandidates(db, current.contestId));
      if (early) throw duplicateError(early.rule);
      const tokenHash = sha256Hex(token);
      let replaced: string | null = null;
      await withDeckFile(deck, (stored) =>
        db.transaction().execute(async (tx) => {
          const found = await repo.findByTokenHash(tx, tokenHash);
          const contest = found && (await contests.findContestBySlug(tx, found.slug));
          if (!found || !contest) throw new AppError('status-link-invalid');
          if (!registrationOpen(contest, clock.now()))
            throw new AppError('registration-closed', { slug: contest.slug });
          if (!EDITABLE.has(found.status)) throw new AppError('registration-decided', { ref });
          const dup = findLikelyDuplicate(candidate, await repo.listDuplicateCandidates(tx, contest.id));
          if (dup) throw duplicateError(dup.rule);
          const now = isoNow(clock);
          const trackId = current.tracks.find((t) => t.key === data.trackKey)!.id;
          await parts.updateProject(tx, found.id, toProject(ref, data, current.project.outOfCompetition), trackId, now);
          if (stored && deck) {
            replaced = (await repo.findDeck(tx, found.id))?.stored_name ?? null;
            await repo.upsertDeck(tx, deckRow(found.id, deck, stored, now));
          }
          await ledger.append(tx, contest.id, { kind: 'public', id: null }, 'registration.edited', {
            ref,
            trackKey: data.trackKey,
            resubmitted: found.status === 'returned',
            deckSha256: stored?.sha256 ?? null,
          });
        }),
      );
      if (replaced) await repo.removeDeckFile(uploads, replaced);
      return { ref };
    },
  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
