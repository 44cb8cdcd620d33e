/**
 * A simulated judge tablet, in the supervisor process: signs in once through its private link
 * (the session lives in the server's database, so the cookie survives restarts), keeps
 * generating score sheets with client submission ids, and delivers them like the real outbox
 * (static/client/judge/outbox.ts): oldest first, one at a time, the same id and the same payload
 * on every retry; 2xx = acknowledged (removed), other 4xx (not 401/408/429 or a stale CSRF
 * token) = refused (removed), anything else (network errors, 5xx, 408, 429) = kept and retried
 * with capped exponential backoff, and flushed again at once when the server is back.
 */
import crypto from 'node:crypto';
import { CookieJar, csrfFromHtml, request, type HttpResponse, type HttpTarget } from './http-client.js';
import type { Rng } from './rng.js';
import type { SeededCriterion } from './seed.js';
import { answerKind } from '../../static/client/judge/answer.js';
import type { Receipt, ScoreBody } from '../../static/client/judge/outbox.js';

export interface TabletStats {
  generated: number;
  attempts: number;
  /** Sends of an entry that had been sent before (after a network error, 5xx, 408 or 429). */
  retries: number;
  acks: number;
  /** Acks that said replay: the first attempt was committed but its answer was lost. */
  replayAcks: number;
  networkErrors: number;
  serverErrors: number;
  rateLimited: number;
  authRetries: number;
  refused: number;
}

interface Entry {
  body: ScoreBody;
  attempts: number;
}

/** 128 random bits as 22 URL-safe characters, like the tablet's newSubmissionId(). */
export function newSubmissionId(): string {
  return crypto.randomBytes(16).toString('base64url');
}

const COMMENTS = ['', '临床需求明确', 'Strong team 👍', '数据不足，需要补充；"quotes" & <tags>', 'ok'];
const INTEREST = ['investment', 'clinical-pilot', 'cooperation'];

export class Tablet {
  readonly jar = new CookieJar();
  private csrf = '';
  private readonly pending = new Map<string, Entry>();
  readonly sent = new Map<string, ScoreBody>();
  readonly acked = new Map<string, Receipt>();
  readonly refusedIds = new Map<string, { status: number; code: string }>();
  readonly problems: string[] = [];
  readonly stats: TabletStats = {
    generated: 0,
    attempts: 0,
    retries: 0,
    acks: 0,
    replayAcks: 0,
    networkErrors: 0,
    serverErrors: 0,
    rateLimited: 0,
    authRetries: 0,
    refused: 0,
  };
  inFlight = false;
  private wakeUp: (() => void) | null = null;
  private backoffAttempt = 0;

  constructor(
    readonly judgeId: number,
    private readonly opts: {
      target: HttpTarget;
      localAddress: string;
      roundId: number;
      projectIds: number[];
      criteria: SeededCriterion[];
      linkPath: string;
      rng: Rng;
      maxPending: number;
    },
  ) {}

  private send(method: string, path: string, extra: { headers?: Record<string, string>; body?: string } = {}) {
    return request(this.opts.target, {
      method,
      path,
      localAddress: this.opts.localAddress,
      timeoutMs: 20_000,
      headers: { cookie: this.jar.header(), ...extra.headers },
      body: extra.body,
    }).then((res) => {
      this.jar.update(res);
      return res;
    });
  }

  /** Exchanges the private link for a session and reads the CSRF token from the judge page. */
  async signIn(): Promise<void> {
    const exchanged = await this.send('GET', this.opts.linkPath);
    if (exchanged.status !== 303) throw new Error(`judge ${this.judgeId}: link exchange answered ${exchanged.status}`);
    await this.refreshCsrf();
  }

  private async refreshCsrf(): Promise<void> {
    const page = await this.send('GET', '/judge', { headers: { accept: 'text/html' } });
    const token = csrfFromHtml(page.text);
    if (page.status !== 200 || !token) throw new Error(`judge ${this.judgeId}: /judge answered ${page.status}`);
    this.csrf = token;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** A new sheet for a random project this judge may score, with marks on the rubric's steps. */
  generate(): void {
    if (this.pending.size >= this.opts.maxPending) return;
    const rng = this.opts.rng;
    const marks: Record<string, number> = {};
    for (const c of this.opts.criteria) {
      const steps = Math.floor((c.maxCenti - c.minCenti) / c.stepCenti);
      marks[c.key] = (c.minCenti + rng.int(0, steps) * c.stepCenti) / 100;
    }
    const interest = INTEREST.filter(() => rng.chance(0.4));
    if (rng.chance(0.5)) interest.reverse();
    const body: ScoreBody = {
      submissionId: newSubmissionId(),
      roundId: this.opts.roundId,
      projectId: rng.pick(this.opts.projectIds),
      judgeId: this.judgeId,
      marks,
      comment: rng.pick(COMMENTS),
      interest,
    };
    this.pending.set(body.submissionId, { body, attempts: 0 });
    this.sent.set(body.submissionId, body);
    this.stats.generated++;
    this.wake();
  }

  /** Network news (the server is back): retry now, with the backoff started over. */
  wake(): void {
    this.backoffAttempt = 0;
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Delivers pending entries until `keepGoing()` is false (and, when draining, until none are left). */
  async run(keepGoing: () => boolean): Promise<void> {
    while (keepGoing()) {
      const entry = this.pending.values().next().value as Entry | undefined;
      if (!entry) {
        await this.wait(50);
        continue;
      }
      const verdict = await this.deliver(entry);
      if (verdict === 'retry') {
        this.backoffAttempt++;
        const base = Math.min(1000, 40 * 2 ** Math.min(10, this.backoffAttempt - 1));
        await this.wait(Math.round(base / 2 + (this.opts.rng.next() * base) / 2));
      } else {
        this.backoffAttempt = 0;
      }
    }
  }

  private async deliver(entry: Entry): Promise<'done' | 'retry'> {
    entry.attempts++;
    this.stats.attempts++;
    if (entry.attempts > 1) this.stats.retries++;
    let res: HttpResponse;
    this.inFlight = true;
    try {
      res = await this.send('POST', '/api/v1/judge/scores', {
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': this.csrf },
        body: JSON.stringify(entry.body),
      });
    } catch {
      this.stats.networkErrors++;
      return 'retry';
    } finally {
      this.inFlight = false;
    }
    const id = entry.body.submissionId;
    const code = String((res.json as { error?: { code?: string } } | undefined)?.error?.code ?? '');
    const kind = answerKind(res.status, code);
    if (kind === 'accepted') {
      const receipt = res.json as Receipt;
      if (receipt?.submissionId !== id) this.problems.push(`receipt for ${id} names ${receipt?.submissionId}`);
      this.acked.set(id, receipt);
      this.stats.acks++;
      if (receipt.replay) this.stats.replayAcks++;
      this.pending.delete(id);
      return 'done';
    }
    if (kind === 'retry') {
      if (res.status >= 500) this.stats.serverErrors++;
      else this.stats.rateLimited++;
      return 'retry';
    }
    if (kind === 'auth') {
      // Not an answer about the score: the real outbox keeps the entry until the judge is back.
      this.stats.authRetries++;
      this.problems.push(`judge ${this.judgeId}: ${res.status} ${code} (session or CSRF token lost)`);
      try {
        if (res.status === 401) await this.signIn();
        else await this.refreshCsrf();
      } catch {
        // Server gone again: retried later.
      }
      return 'retry';
    }
    this.refusedIds.set(id, { status: res.status, code });
    this.stats.refused++;
    this.problems.push(`judge ${this.judgeId}: ${id} refused ${res.status} ${code}`);
    this.pending.delete(id);
    return 'done';
  }
}
