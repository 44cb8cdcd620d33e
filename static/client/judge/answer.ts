/**
 * What the judge's outbox does with the server's answer to a score POST, by status and error
 * code. Pure, so the crash test's simulated tablets (scripts/crash/tablet.ts) follow the very same
 * rules as the real outbox (outbox.ts):
 *   accepted — 2xx: remove the entry, show the receipt;
 *   retry    — 408, 429, 5xx: keep it, retry with backoff;
 *   auth     — 401 or a stale CSRF token (403 csrf-invalid): not an answer about the score, keep it;
 *   refused  — any other 4xx: remove it, show the error.
 */
export type AnswerKind = 'accepted' | 'retry' | 'auth' | 'refused';

export function answerKind(status: number, code: string | undefined): AnswerKind {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 401 || (status === 403 && code === 'csrf-invalid')) return 'auth';
  return 'refused';
}
