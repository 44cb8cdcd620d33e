/**
 * Unsubmitted marks per project kept in IndexedDB, so a tablet that sleeps or reloads during a
 * pitch keeps what the judge already entered. Best effort: a storage failure only loses the draft.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { Draft } from './sheet.js';

export class DraftStore {
  private store: UseStore | null = null;
  private timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly judgeId: number) {
    try {
      this.store = createStore('roadshow-judge-drafts', 'drafts');
    } catch {
      this.store = null;
    }
  }

  private id(key: string): string {
    return `${this.judgeId}:${key}`;
  }

  /** Every saved draft of this judge, by `roundId:projectId`. */
  async loadAll(): Promise<Map<string, Draft>> {
    const out = new Map<string, Draft>();
    if (!this.store) return out;
    try {
      const prefix = `${this.judgeId}:`;
      for (const [k, v] of await entries<string, Draft>(this.store)) {
        if (typeof k === 'string' && k.startsWith(prefix) && v?.marks) out.set(k.slice(prefix.length), v);
      }
    } catch {
      this.store = null;
    }
    return out;
  }

  /** Saves soon (coalescing keystrokes). */
  save(key: string, draft: Draft): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (this.store) set(this.id(key), draft, this.store).catch(() => undefined);
      }, 250),
    );
  }

  remove(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (this.store) del(this.id(key), this.store).catch(() => undefined);
  }
}
