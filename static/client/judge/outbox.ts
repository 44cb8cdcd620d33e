/**
 * The judge's outbox: exactly-once delivery of score submissions over unreliable venue Wi-Fi.
 *
 * Each submission gets a client id from `crypto.getRandomValues` (venue Wi-Fi is often plain
 * http, where `crypto.randomUUID` does not exist), is written to IndexedDB BEFORE it is sent, and
 * is POSTed until the server answers definitively:
 *   2xx            → accepted: removed, receipt shown (a replay returns the original receipt);
 *   4xx (not 408/429, 401 or a stale CSRF token) → refused: removed, the translated error shown;
 *   5xx, 408, 429, network errors, timeouts → kept and retried with capped exponential backoff
 *                    and jitter; also flushed on `online`, socket reconnect, page visible and load.
 * 401 (session ended) and a stale CSRF token are not answers about the score: the entry is kept
 * (never lost) and sent once the judge is back. Entries survive reloads; only the signed-in
 * judge's entries are sent. No DOM here: the page listens through the callbacks.
 */
import { createStore, del, set, values, type UseStore } from 'idb-keyval';
import { answerKind } from './answer.js';

export interface ScoreBody {
  submissionId: string;
  roundId: number;
  projectId: number;
  judgeId: number;
  marks: Record<string, number>;
  comment: string;
  interest: string[];
}

export interface Receipt {
  submissionId: string;
  scoreId: number;
  roundId: number;
  projectId: number;
  judgeId: number;
  version: number;
  recordedAt: string;
  replay: boolean;
}

export interface OutboxEntry {
  body: ScoreBody;
  createdAt: number;
  attempts: number;
}

export interface Refusal {
  status: number;
  code: string;
  message: string;
  fields: { path: string; code: string; message: string }[];
}

type Delivery =
  | { kind: 'accepted'; receipt: Receipt }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'retry' }
  | { kind: 'auth'; code: string };

export interface OutboxOptions {
  judgeId: number;
  /** Current CSRF token (read at send time, so a refreshed token is used). */
  csrfToken(): string;
  /** Fetches a fresh CSRF token after the server said the token is stale; true when it got one. */
  refreshCsrf(): Promise<boolean>;
  onChange(entries: OutboxEntry[]): void;
  onAccepted(entry: OutboxEntry, receipt: Receipt): void;
  onRefused(entry: OutboxEntry, refusal: Refusal): void;
  /** The session ended (401): entries are kept until the judge opens their link again. */
  onSessionEnded(): void;
  /** IndexedDB is unavailable: entries live in memory only. */
  onStorageProblem(): void;
  endpoint?: string;
  fetch?: typeof fetch;
  random?: () => number;
}

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 30_000;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The wait before retry number `attempt` (1-based): exponential, capped at ~30 s, with "equal
 * jitter" (half fixed, half random) so tablets that lost Wi-Fi together do not retry together.
 * @example backoffMs(1, () => 0) === 500; backoffMs(10, () => 1) === 30000
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** 128 random bits as 22 URL-safe characters (the server accepts [A-Za-z0-9_-]{16,64}). */
export function newSubmissionId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private store: UseStore | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private blocked = false;

  constructor(private readonly options: OutboxOptions) {
    try {
      this.store = createStore('roadshow-judge-outbox', 'entries');
    } catch {
      this.store = null;
    }
  }

  /** Loads the entries a reload left behind (this judge's only) and sends them. */
  async load(): Promise<void> {
    if (this.store) {
      try {
        const saved = await values<OutboxEntry>(this.store);
        for (const entry of saved) {
          if (entry?.body?.judgeId === this.options.judgeId) this.entries.set(entry.body.submissionId, entry);
        }
      } catch {
        this.storageFailed();
      }
    }
    this.changed();
    void this.flush();
  }

  /** Pending entries, oldest first. */
  pending(): OutboxEntry[] {
    return [...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Stores a submission durably, then sends it. Resolves once it is stored (not delivered). */
  async add(body: Omit<ScoreBody, 'submissionId' | 'judgeId'>): Promise<OutboxEntry> {
    const entry: OutboxEntry = {
      body: { ...body, submissionId: newSubmissionId(), judgeId: this.options.judgeId },
      createdAt: Date.now(),
      attempts: 0,
    };
    await this.persist(entry);
    this.entries.set(entry.body.submissionId, entry);
    this.changed();
    void this.flush();
    return entry;
  }

  /**
   * Sends everything pending now (single flight: a flush asked for while one runs runs again
   * right after). An explicit trigger (online, reconnect, page visible, a new entry) is news
   * about the network, so it starts the backoff over; timed retries keep growing it.
   */
  flush(fresh = true): Promise<void> {
    this.blocked = false;
    if (fresh) this.attempt = 0;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.sendAll();
        } while (this.again && !this.blocked);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async sendAll(): Promise<void> {
    for (const entry of this.pending()) {
      if (!this.entries.has(entry.body.submissionId)) continue;
      entry.attempts++;
      let result = await this.deliver(entry.body);
      if (result.kind === 'auth' && result.code === 'csrf-invalid' && (await this.options.refreshCsrf())) {
        result = await this.deliver(entry.body);
      }
      switch (result.kind) {
        case 'accepted':
          this.attempt = 0;
          await this.remove(entry);
          this.options.onAccepted(entry, result.receipt);
          break;
        case 'refused':
          await this.remove(entry);
          this.options.onRefused(entry, result.refusal);
          break;
        case 'auth':
          this.blocked = true;
          this.changed();
          this.options.onSessionEnded();
          return;
        case 'retry':
          this.changed();
          this.scheduleRetry();
          return;
      }
    }
  }

  private scheduleRetry(): void {
    this.attempt++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.flush(false);
      },
      backoffMs(this.attempt, this.options.random),
    );
  }

  private async deliver(body: ScoreBody): Promise<Delivery> {
    const doFetch = this.options.fetch ?? fetch.bind(globalThis);
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    let res: Response;
    try {
      res = await doFetch(this.options.endpoint ?? '/api/v1/judge/scores', {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-csrf-token': this.options.csrfToken(),
        },
        body: JSON.stringify(body),
        signal: abort.signal,
      });
    } catch {
      return { kind: 'retry' };
    } finally {
      clearTimeout(timeout);
    }
    const payload = (await res.json().catch(() => null)) as
      | (Receipt & { error?: undefined })
      | { error?: { code?: string; message?: string; fields?: Refusal['fields'] } }
      | null;
    if (res.ok) {
      const receipt = payload as Receipt | null;
      // A 2xx without a readable receipt: ask again, the replay returns the original receipt.
      return receipt && typeof receipt.version === 'number' ? { kind: 'accepted', receipt } : { kind: 'retry' };
    }
    const error = payload && 'error' in payload ? payload.error : undefined;
    const code = error?.code ?? `http-${res.status}`;
    const kind = answerKind(res.status, code);
    if (kind === 'retry') return { kind };
    if (kind === 'auth') return { kind, code };
    return {
      kind: 'refused',
      refusal: { status: res.status, code, message: error?.message ?? code, fields: error?.fields ?? [] },
    };
  }

  private async persist(entry: OutboxEntry): Promise<void> {
    if (!this.store) return this.storageFailed();
    try {
      await set(entry.body.submissionId, entry, this.store);
    } catch {
      this.storageFailed();
    }
  }

  private async remove(entry: OutboxEntry): Promise<void> {
    this.entries.delete(entry.body.submissionId);
    if (this.store) {
      try {
        await del(entry.body.submissionId, this.store);
      } catch {
        this.storageFailed();
      }
    }
    this.changed();
  }

  private storageFailed(): void {
    this.store = null;
    this.options.onStorageProblem();
  }

  private changed(): void {
    this.options.onChange(this.pending());
  }
}
