/**
 * Fans committed changes out to sockets. Domain events mark a contest dirty; a flush (right away
 * after a quiet spell, then at most every `intervalMs`: "latest wins") recomputes the stage view
 * and progress once and pushes it to the contest's rooms, so a burst of scores becomes one push,
 * never one per score. When the newest event of a contest is a score, its stage view (read in the
 * score's own transaction) is pushed as it is: nothing changed since, as any later change would
 * be a newer event.
 * Audience rooms (/screen) also get the leaderboard, the screen state and the ceremony step,
 * each computed once per flush (cached by revision in the services) and pushed only when its
 * content changed, with `previous` (the revision of the last push of that kind) for gap checks.
 * The ceremony step depends only on what `contest.changed` announces (award locks, the step,
 * publication), so scores, stage moves and presence do not recompute it.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Server } from 'socket.io';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { StageView } from '../services/stage.service.js';
import { NAMESPACES } from './contract.js';
import type { Presence } from './presence.js';
import { contestRoom } from './rooms.js';

export interface Broadcaster {
  /**
   * `contestChanged`: a `contest.changed` event (anything beyond scores, the stage and presence);
   * `stage`: the stage view as the change left it, when the event carries one.
   */
  markDirty(contestId: number, slug: string, contestChanged?: boolean, stage?: StageView): void;
  flushNow(): Promise<void>;
  stop(): void;
}

export function createBroadcaster(
  io: Server,
  services: Services,
  presence: Presence,
  logger: Logger,
  intervalMs = 150,
): Broadcaster {
  /** `stage`: the stage view the newest event carried, if it carried one. */
  const dirty = new Map<number, { slug: string; contestChanged: boolean; stage?: StageView }>();
  /** Cancels the scheduled flush, if one is scheduled. */
  let scheduled: (() => void) | null = null;
  let lastFlush = 0;
  /** Per contest and kind: the revision and content of the last audience push. */
  const lastSent = new Map<string, { revision: number; content: string }>();

  type AudienceEvent = 'leaderboard:updated' | 'screen:updated' | 'ceremony:updated';
  const sentKey = (contestId: number, event: AudienceEvent) => `${contestId}:${event}`;

  /** Pushes an audience payload to the /screen room unless its content equals the last push. */
  function pushAudience(contestId: number, event: AudienceEvent, payload: { revision: number }): void {
    const key = sentKey(contestId, event);
    const { revision, ...rest } = payload;
    const content = JSON.stringify(rest);
    const last = lastSent.get(key);
    if (last && (last.content === content || last.revision > revision)) return;
    lastSent.set(key, { revision, content });
    io.of(NAMESPACES.screen)
      .to(contestRoom(contestId))
      .emit(event, { ...payload, previous: last?.revision ?? null });
  }

  async function flushAudience(contestId: number, slug: string, contestChanged: boolean): Promise<void> {
    // Nobody watching here and no other process (an audience server on a relay adapter) to serve.
    const adapter = io.of(NAMESPACES.screen).adapter;
    if (!adapter.rooms.get(contestRoom(contestId))?.size && (await adapter.serverCount()) <= 1) return;
    pushAudience(contestId, 'leaderboard:updated', await services.leaderboard.snapshot(slug));
    pushAudience(contestId, 'screen:updated', await services.screen.view(slug));
    if (contestChanged || !lastSent.has(sentKey(contestId, 'ceremony:updated')))
      pushAudience(contestId, 'ceremony:updated', await services.ceremony.view(slug));
  }

  async function flush(): Promise<void> {
    scheduled = null;
    lastFlush = Date.now();
    const batch = [...dirty.entries()];
    dirty.clear();
    for (const [contestId, { slug, contestChanged, stage: carried }] of batch) {
      try {
        const room = contestRoom(contestId);
        const stage = carried ?? (await services.stage.view(slug));
        // The audience first: with an audience process its loop over thousands of sockets starts
        // on the other core while this one serves the judges and organizers.
        io.of(NAMESPACES.screen).to(room).emit('stage:updated', stage);
        io.of(NAMESPACES.judge).to(room).emit('stage:updated', stage);
        const admin = io.of(NAMESPACES.admin).to(room);
        admin.emit('stage:updated', stage);
        // Let waiting requests (a judge's score POST) in before the recomputation below.
        await yieldToIo();
        // The progress grid is for organizers: computed only when one is watching this contest.
        if (io.of(NAMESPACES.admin).adapter.rooms.get(room)?.size) {
          const grid = await services.progress.grid(slug);
          if (grid) admin.emit('progress:updated', { ...grid, connectedJudgeIds: presence.connected() });
        }
        await flushAudience(contestId, slug, contestChanged);
      } catch (err) {
        logger.error({ err, contestId }, 'broadcast failed');
      }
    }
  }

  const unsubscribe = [
    services.events.on('stage.changed', (e) => markDirty(e.contestId, e.slug)),
    services.events.on('score.recorded', (e) => markDirty(e.contestId, e.slug, false, e.stage)),
    services.events.on('contest.changed', (e) => markDirty(e.contestId, e.slug, true)),
  ];

  function markDirty(contestId: number, slug: string, contestChanged = false, stage?: StageView): void {
    dirty.set(contestId, { slug, contestChanged: contestChanged || !!dirty.get(contestId)?.contestChanged, stage });
    if (scheduled) return;
    const wait = intervalMs - (Date.now() - lastFlush);
    if (wait <= 0) {
      // The first change after a quiet spell goes out at once: its events are emitted after the
      // commit, so the flush starts as a microtask, before the rest of the request that made the
      // change (the HTTP answer, the session touch) rather than after it. Later changes are
      // coalesced for `intervalMs`.
      let cancelled = false;
      queueMicrotask(() => {
        if (!cancelled) void flush();
      });
      scheduled = () => {
        cancelled = true;
      };
    } else {
      const timer = setTimeout(() => void flush(), wait);
      timer.unref();
      scheduled = () => clearTimeout(timer);
    }
  }

  return {
    markDirty,
    flushNow: flush,
    stop() {
      scheduled?.();
      scheduled = null;
      unsubscribe.forEach((off) => off());
    },
  };
}
