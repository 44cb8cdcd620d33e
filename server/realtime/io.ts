/**
 * Attaches the namespaces to the Socket.IO server. The Express session is shared through the
 * engine middleware: /judge needs a judge session whose link is still active, /admin an
 * organizer session, /screen is public. Client commands are validated; bad ones get a failed
 * ack and never affect other sockets.
 */
import type { RequestHandler, Request } from 'express';
import type { Server, Socket } from 'socket.io';

import { Slug } from '../domain/contest-document.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import { hasPermission } from '../services/user.service.js';
import { createBroadcaster, type Broadcaster } from './broadcaster.js';
import { NAMESPACES, type Ack } from './contract.js';
import { writeBroadcastFramesDirectly } from './direct-frame-writes.js';
import { Presence } from './presence.js';
import { useSingleBufferFrames } from './single-buffer-frames.js';
import { contestRoom, judgeRoom, organizerRoom } from './rooms.js';

type SessionRequest = Request & { session?: Request['session'] };

const sessionOf = (socket: Socket) => (socket.request as SessionRequest).session;

function safeAck(ack: unknown): (value: Ack) => void {
  return typeof ack === 'function' ? (ack as (value: Ack) => void) : () => undefined;
}

export interface Realtime {
  broadcaster: Broadcaster;
  presence: Presence;
  stop(): void;
}

export function attachRealtime(
  io: Server,
  services: Services,
  sessionMiddleware: RequestHandler,
  logger: Logger,
): Realtime {
  io.engine.use(sessionMiddleware);
  useSingleBufferFrames(io.of(NAMESPACES.screen).adapter);
  const presence = new Presence();
  const broadcaster = createBroadcaster(io, services, presence, logger);

  /** Joins a contest's room after validating the slug; answers with the current revision. */
  async function watch(socket: Socket, slug: unknown, ack: unknown, publicOnly: boolean): Promise<void> {
    const reply = safeAck(ack);
    const parsed = Slug.safeParse(slug);
    if (!parsed.success) return reply({ ok: false, code: 'validation-failed' });
    const contest = (await services.contests.list()).find((c) => c.slug === parsed.data);
    if (!contest || (publicOnly && contest.status === 'draft')) return reply({ ok: false, code: 'contest-not-found' });
    for (const room of socket.rooms) if (room.startsWith('contest:')) await socket.leave(room);
    await socket.join(contestRoom(contest.id));
    reply({ ok: true, revision: contest.revision });
    socket.emit('stage:updated', await services.stage.view(contest.slug));
    if (!publicOnly) broadcaster.markDirty(contest.id, contest.slug);
  }

  const judge = io.of(NAMESPACES.judge);
  judge.use((socket, next) => {
    const who = sessionOf(socket)?.judge;
    if (!who) return next(new Error('not-judge'));
    services.judgeLinks
      .stillActive(who.judgeId, who.contestId)
      .then((ok) => (ok ? next() : next(new Error('judge-link-invalid'))))
      .catch(() => next(new Error('internal')));
  });
  judge.on('connection', async (socket) => {
    const who = sessionOf(socket)!.judge!;
    await socket.join([contestRoom(who.contestId), judgeRoom(who.judgeId)]);
    presence.connect(who.judgeId);
    void services.judgeLinks.seen(who.judgeId);
    broadcaster.markDirty(who.contestId, who.slug);
    socket.emit('stage:updated', await services.stage.view(who.slug));
    socket.on('disconnect', () => {
      presence.disconnect(who.judgeId);
      broadcaster.markDirty(who.contestId, who.slug);
    });
  });

  const admin = io.of(NAMESPACES.admin);
  admin.use((socket, next) => {
    const userId = sessionOf(socket)?.userId;
    if (!userId) return next(new Error('unauthenticated'));
    services.users
      .byId(userId)
      .then((user) => (hasPermission(user, 'read') ? next() : next(new Error('forbidden'))))
      .catch(() => next(new Error('internal')));
  });
  admin.on('connection', (socket) => {
    void socket.join(organizerRoom(sessionOf(socket)!.userId!));
    socket.on(
      'contest:watch',
      (slug: unknown, ack: unknown) => void watch(socket, slug, ack, false).catch(() => safeAck(ack)({ ok: false })),
    );
  });

  const screen = io.of(NAMESPACES.screen);
  screen.on('connection', (socket) => {
    writeBroadcastFramesDirectly(socket);
    socket.on(
      'contest:watch',
      (slug: unknown, ack: unknown) => void watch(socket, slug, ack, true).catch(() => safeAck(ack)({ ok: false })),
    );
  });

  // Access ends with the link or the account: close sockets opened before the change.
  const offRevoked = services.events.on('judge.revoked', (e) => judge.in(judgeRoom(e.judgeId)).disconnectSockets(true));
  const offDisabled = services.events.on('organizer.disabled', (e) =>
    admin.in(organizerRoom(e.userId)).disconnectSockets(true),
  );

  return {
    broadcaster,
    presence,
    stop: () => {
      offRevoked();
      offDisabled();
      broadcaster.stop();
    },
  };
}
