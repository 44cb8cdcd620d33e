/**
 * The audience feed: the public /screen Socket.IO namespace watching one contest. Pushes are full
 * states carrying the contest revision (callers ignore stale ones). When the connection comes back
 * without Socket.IO's state recovery, the room is joined again (the server answers with the
 * current stage) and `resync` is called so the page refetches its HTTP snapshots.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  LeaderboardSnapshot,
  Pushed,
  ScreenClientEvents,
  ScreenServerEvents,
  StageView,
} from '../../../server/realtime/contract.js';

export interface FeedHandlers {
  stage(view: StageView): void;
  leaderboard(board: Pushed<LeaderboardSnapshot>): void;
  /** Joined (again) without recovery: refetch the snapshots over HTTP. */
  resync(): void;
  status(state: 'online' | 'offline'): void;
}

export interface Feed {
  /** Joins the room again (the server re-sends the stage): after the page was hidden. */
  rewatch(): void;
}

/** `url`: the /screen namespace, here or on the audience process (screenNamespaceUrl). */
export function watchAudience(url: string, slug: string, handlers: FeedHandlers): Feed {
  const socket: Socket<ScreenServerEvents, ScreenClientEvents> = io(url);
  const watch = () =>
    socket.timeout(8000).emit('contest:watch', slug, (err, ack) => {
      if (err || !ack?.ok) handlers.status('offline');
    });
  socket.on('connect', () => {
    handlers.status('online');
    if (socket.recovered) return;
    watch();
    handlers.resync();
  });
  socket.on('disconnect', () => handlers.status('offline'));
  socket.on('connect_error', () => handlers.status('offline'));
  socket.on('stage:updated', (view) => handlers.stage(view));
  socket.on('leaderboard:updated', (board) => handlers.leaderboard(board));
  return {
    rewatch() {
      if (socket.connected) watch();
      else socket.connect();
    },
  };
}
