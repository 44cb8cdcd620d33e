/**
 * Keeping an audience view current: each kind of state (stage, leaderboard, screen, ceremony)
 * is held with the contest revision it was computed at. A push older than what is shown is
 * ignored; a push whose `previous` is newer than what is shown means one was missed (the view
 * applies it, it is a full state, and asks for a resync over HTTP); after a reconnect without
 * recovery, an acknowledged revision newer than everything shown asks for a resync too.
 * The resync fetches the JSON snapshots with If-None-Match, so an unchanged state costs a 304.
 */

export type Verdict = 'applied' | 'stale' | 'gap';

export class Held<T extends { revision: number }> {
  constructor(public value: T) {}

  get revision(): number {
    return this.value.revision;
  }

  /** Takes a pushed or fetched state if it is newer; says whether a push was missed before it. */
  offer(next: T & { previous?: number | null }): Verdict {
    if (next.revision <= this.value.revision) return 'stale';
    const missed = typeof next.previous === 'number' && next.previous > this.value.revision;
    const { previous: _drop, ...rest } = next;
    this.value = rest as unknown as T;
    return missed ? 'gap' : 'applied';
  }
}

/** GET with If-None-Match: the body when changed, null on 304 or a failure. */
export async function fetchIfChanged<T>(url: string, revision: number): Promise<T | null> {
  try {
    const res = await fetch(url, {
      cache: 'no-store',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'if-none-match': `"${revision}"` },
    });
    if (res.status !== 200) return null;
    return (await res.json()) as T;
  } catch {
    return null;
  }
}
