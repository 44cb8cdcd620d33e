/**
 * The organizer pages' live feed: the /admin Socket.IO namespace (session cookie), watching one
 * contest. Pushes carry the contest revision; callers ignore stale ones. When a connection comes
 * back without Socket.IO's state recovery, the room is joined again and `resync` is called so
 * the page refetches its snapshot over HTTP.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  AdminClientEvents,
  AdminServerEvents,
  ProgressGrid,
  StageView,
} from '../../../server/realtime/contract.js';

export type LiveGrid = ProgressGrid & { connectedJudgeIds?: number[] };

export interface LiveHandlers {
  stage(view: StageView): void;
  progress(grid: LiveGrid): void;
  /** The connection came back without recovery: refetch snapshots over HTTP. */
  resync(): void;
  status(state: 'online' | 'offline'): void;
}

export function watchContest(slug: string, handlers: LiveHandlers): Socket<AdminServerEvents, AdminClientEvents> {
  const socket: Socket<AdminServerEvents, AdminClientEvents> = io('/admin', { withCredentials: true });
  let first = true;
  socket.on('connect', () => {
    handlers.status('online');
    if (socket.recovered) return;
    socket.timeout(8000).emit('contest:watch', slug, (err, ack) => {
      if (err || !ack?.ok) handlers.status('offline');
    });
    if (!first) handlers.resync();
    first = false;
  });
  socket.on('disconnect', () => handlers.status('offline'));
  socket.on('connect_error', () => handlers.status('offline'));
  socket.on('stage:updated', (view) => handlers.stage(view));
  socket.on('progress:updated', (grid) => handlers.progress(grid));
  return socket;
}

/** Shows the connection state in the page's #conn badge. */
export function showConnection(el: HTMLElement | null, state: 'online' | 'offline', text: string): void {
  if (!el) return;
  el.textContent = text;
  el.classList.toggle('is-online', state === 'online');
  el.classList.toggle('is-offline', state === 'offline');
  el.classList.remove('is-connecting');
}
