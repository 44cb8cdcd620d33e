/**
 * Appeals (申诉) against published results: anyone may file one while the contest is published
 * and before its appeal deadline; the appellant gets a reference and a private status link (a
 * random token, stored only as its SHA-256). Organizers list appeals and answer each once with a
 * recorded decision (upheld / rejected + answer text) that lands in the ledger.
 *
 * The ledger never holds the appellant's name or contact (it cannot be erased): only the
 * reference, the project and a hash of the text.
 */
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import * as contests from '../data/contest.repo.js';
import * as repo from '../data/appeal.repo.js';
import { AppError } from '../errors.js';
import { fieldErrorsFromZod } from '../field-errors.js';
import { isoNow, type Clock } from './clock.js';
import type { LedgerService } from './ledger.service.js';
import { randomToken, sha256Hex } from './secrets.js';

const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** What the public form sends. */
export const AppealInput = z.object({
  name: z.string().trim().min(1).max(100),
  contact: z.string().trim().min(1).max(200),
  projectRef: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => (v ? v : null)),
  body: z.string().trim().min(1).max(5000),
});
export type AppealInput = z.output<typeof AppealInput>;

export const AppealAnswer = z.object({
  decision: z.enum(['upheld', 'rejected']),
  answer: z.string().trim().min(1).max(5000),
});
export type AppealAnswer = z.output<typeof AppealAnswer>;

export interface AppealReceipt {
  reference: string;
  /** The private status link (shown once); the token is in the query so request logs never hold it. */
  statusUrl: string;
  statusToken: string;
}

/** What the appellant's status page shows. */
export interface AppealStatusView {
  reference: string;
  contestSlug: string;
  contestName: { zh: string; en: string };
  projectRef: string | null;
  projectTitle: string | null;
  body: string;
  status: repo.AppealStatus;
  answer: string;
  createdAt: string;
  answeredAt: string | null;
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new AppError('validation-failed', {}, fieldErrorsFromZod(parsed.error));
  return parsed.data;
}

function newReference(): string {
  let out = 'SS-';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  for (const b of bytes) {
    if (out.length >= 11) break;
    if (b < 256 - (256 % REFERENCE_ALPHABET.length)) out += REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length];
  }
  return out.length >= 11 ? out : newReference();
}

/** Whether appeals are accepted now for a contest row. */
export function appealsOpen(row: Pick<contests.ContestRow, 'status' | 'appeal_deadline'>, now: Date): boolean {
  return row.status === 'published' && !!row.appeal_deadline && now.getTime() < Date.parse(row.appeal_deadline);
}

export function createAppealService(db: Db, clock: Clock, ledger: LedgerService, publicUrl: string) {
  async function contestRow(slug: string) {
    const row = await contests.findContestBySlug(db, slug);
    if (!row) throw new AppError('contest-not-found', { slug });
    return row;
  }

  return {
    /** Files an appeal. 404 when the results are not published, 409 after the deadline. */
    async submit(slug: string, input: unknown): Promise<AppealReceipt> {
      const row = await contestRow(slug);
      if (row.status !== 'published') throw new AppError('contest-not-found', { slug });
      if (!appealsOpen(row, clock.now())) throw new AppError('appeal-closed', { deadline: row.appeal_deadline ?? '' });
      const appeal = parse(AppealInput, input);
      let projectId: number | null = null;
      if (appeal.projectRef) {
        projectId = await repo.projectIdByRef(db, row.id, appeal.projectRef);
        if (projectId === null)
          throw new AppError('validation-failed', {}, [{ path: 'projectRef', code: 'unknown-project-ref' }]);
      }
      const statusToken = randomToken('', 24);
      const now = isoNow(clock);
      for (let attempt = 0; attempt < 5; attempt++) {
        const reference = newReference();
        const inserted = await db.transaction().execute(async (tx) => {
          const id = await repo.insertAppeal(tx, {
            contestId: row.id,
            projectId,
            reference,
            appellantName: appeal.name,
            contact: appeal.contact,
            body: appeal.body,
            statusTokenHash: sha256Hex(statusToken),
            createdAt: now,
          });
          if (id === null) return false;
          await ledger.append(tx, row.id, { kind: 'public', id: null }, 'appeal.submitted', {
            reference,
            projectRef: appeal.projectRef,
            bodySha256: sha256Hex(appeal.body),
          });
          return true;
        });
        if (inserted)
          return {
            reference,
            statusToken,
            statusUrl: `${publicUrl}/appeals/status?t=${encodeURIComponent(statusToken)}`,
          };
      }
      throw new AppError('internal');
    },

    /** The appellant's view through the private link; 404 for an unknown token. */
    async status(token: string): Promise<AppealStatusView> {
      if (!token || token.length > 100) throw new AppError('not-found');
      const appeal = await repo.findAppealByTokenHash(db, sha256Hex(token));
      if (!appeal) throw new AppError('not-found');
      const contest = await repo.contestNameById(db, appeal.contest_id);
      return {
        reference: appeal.reference,
        contestSlug: contest.slug,
        contestName: { zh: contest.name_zh, en: contest.name_en },
        projectRef: appeal.project_ref,
        projectTitle: appeal.project_title,
        body: appeal.body,
        status: appeal.status,
        answer: appeal.answer,
        createdAt: appeal.created_at,
        answeredAt: appeal.answered_at,
      };
    },

    async list(slug: string) {
      const row = await contestRow(slug);
      return repo.listAppeals(db, row.id);
    },

    async counts(slug: string) {
      const row = await contestRow(slug);
      return repo.countAppeals(db, row.id);
    },

    /** Records the decision on an open appeal (once); 409 when it was already answered. */
    async answer(slug: string, reference: string, input: unknown, actorUserId: number): Promise<void> {
      const row = await contestRow(slug);
      const answer = parse(AppealAnswer, input);
      const appeal = await repo.findAppeal(db, row.id, reference);
      if (!appeal) throw new AppError('not-found');
      if (appeal.status !== 'open') throw new AppError('appeal-answered', { reference });
      const now = isoNow(clock);
      await db.transaction().execute(async (tx) => {
        const ok = await repo.answerAppeal(tx, appeal.id, {
          status: answer.decision,
          answer: answer.answer,
          answeredBy: actorUserId,
          answeredAt: now,
        });
        if (!ok) throw new AppError('appeal-answered', { reference });
        await ledger.append(tx, row.id, { kind: 'organizer', id: actorUserId }, 'appeal.answered', {
          reference,
          decision: answer.decision,
          answer: answer.answer,
        });
      });
    },
  };
}

export type AppealService = ReturnType<typeof createAppealService>;
