/**
 * Messages between the fan-out bench's orchestrator (scripts/bench/fanout.ts) and its two kinds
 * of forked children: the server runner (server.ts: the real app, or the bare `ws` floor) and the
 * load generator (client.ts: N raw `ws` sockets). Types only, plus the clock every process uses.
 */
import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond resolution (comparable across local processes). */
export const now = (): number => performance.timeOrigin + performance.now();

/** app: the whole app in one process; app-split: the app with the audience relay hub on; audience: the second process. */
export type ServerMode = 'app' | 'app-split' | 'audience' | 'floor';

export interface ServerReady {
  type: 'ready';
  port: number;
  /** The app only: what the bench needs to drive a judge's POST. */
  slug?: string;
  roundId?: number;
  projectId?: number;
  judgeLinks?: string[];
  /** The Socket.IO server's perMessageDeflate option as configured (false = off). */
  perMessageDeflate?: unknown;
  /** app-split: the relay hub's port, for the audience process to connect to. */
  relayPort?: number;
}

export interface MemoryReport {
  type: 'mem';
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  gc: boolean;
}

/** 'quiet': answer once the event loop has been mostly idle for 100 ms (no fan-out in progress). */
export type ToServer = { type: 'mem' } | { type: 'quiet' } | { type: 'stop' };
export type FromServer = ServerReady | MemoryReport | { type: 'quiet' } | { type: 'error'; message: string };

export type ToClient =
  /** Opens n sockets; 'sio' speaks Engine.IO v4 / Socket.IO v5 and watches the contest, 'raw' just connects. */
  | { type: 'connect'; url: string; n: number; mode: 'sio' | 'raw'; slug: string; concurrency: number }
  /** Starts timing the first frame carrying revision ≥ minRevision on every socket; answers 'armed'. */
  | { type: 'arm'; minRevision: number; timeoutMs: number }
  /** Waits (untimed) until every socket has seen revision ≥ minRevision and the generator is idle again. */
  | { type: 'settle'; minRevision: number; timeoutMs: number }
  | { type: 'clock'; t1: number }
  | { type: 'sample' }
  | { type: 'close' };

export type FromClient =
  | { type: 'connected'; open: number; failed: number; ms: number; errors: string[] }
  | { type: 'armed' }
  /** The first socket of an armed round just got the revision (the orchestrator's cue for judge B). */
  | { type: 'first' }
  | {
      type: 'round';
      minRevision: number;
      /** Absolute times (now()) of the first, median and last socket to see the revision. */
      first: number;
      median: number;
      last: number;
      received: number;
      missing: number;
      /** Sockets that already held the revision when armed (should be 0). */
      early: number;
    }
  | { type: 'settled'; missing: number }
  | { type: 'clock'; t1: number; t2: number }
  /** Socket 0's latest push: the stage frame, then the audience frames that followed it. */
  | { type: 'sample'; frames: string[] }
  | { type: 'closed' };
