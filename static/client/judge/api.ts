/**
 * The judge page's HTTP calls besides score posts (outbox.ts): the state snapshot and a fresh
 * CSRF token. Types come from the server modules (type-only imports, erased by the bundler).
 */
import type { JudgeState } from '../../../server/http/api/judge.api.js';
import type { StageView } from '../../../server/realtime/contract.js';

export type { JudgeState, StageView };
export type Criterion = NonNullable<JudgeState['round']>['criteria'][number];
export type ProjectRow = JudgeState['projects'][number];

export class SessionEnded extends Error {
  constructor() {
    super('session-ended');
  }
}

export function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

/** The judge's current state; throws SessionEnded on 401, another Error on anything else. */
export async function fetchState(): Promise<JudgeState> {
  const res = await fetch('/api/v1/judge/state', {
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { accept: 'application/json' },
  });
  if (res.status === 401) throw new SessionEnded();
  if (!res.ok) throw new Error(`state: HTTP ${res.status}`);
  return (await res.json()) as JudgeState;
}

/** Reloads the page shell to pick up the session's CSRF token; true when the judge is still signed in. */
export async function refreshCsrf(): Promise<boolean> {
  try {
    const res = await fetch('/judge', { credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) return false;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const token = doc.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;
    const meta = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]');
    if (!token || !meta) return false;
    meta.content = token;
    return true;
  } catch {
    return false;
  }
}
