/**
 * The audience served by a second Socket.IO server fed over the relay (server/realtime/
 * audience-server.ts + relay-adapter.ts), both in this test process on loopback ports: a viewer
 * watching through the audience server gets the same acks and pushes as on the app's own /screen
 * (current revision in the ack, then the stage, leaderboard and screen pushes after a score);
 * bad slugs, drafts and foreign origins are refused; and an audience socket keeps no reference to
 * its handshake request (the memory trim that keeps a connection under 12 KB: if an engine.io
 * upgrade brings the reference back, the WeakRef check below fails).
 */
import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../server/realtime/contract.js';
import {
  attachAudienceRelay,
  startAudienceServer,
  type AudienceServer,
} from '../../server/realtime/audience-server.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { recordScore, seedLiveContest, type LiveFixture } from '../support/fixtures.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let t: TestApp;
let f: LiveFixture;
let relay: { port: number; close(): Promise<void> };
let audience: AudienceServer;
const upgrades: WeakRef<http.IncomingMessage>[] = [];
/** engine.io's WebSocket response objects (what an engine middleware gets as `res` on an upgrade). */
const responses: WeakRef<object>[] = [];
const sockets: Socket[] = [];

beforeEach(async () => {
  t = await buildTestApp();
  f = await seedLiveContest(t.services, { judges: 3, projects: 2 });
  relay = await attachAudienceRelay(t.io, t.services, { port: 0, host: '127.0.0.1' });
  audience = await startAudienceServer({
    port: 0,
    relayPort: relay.port,
    publicUrl: t.config.publicUrl,
  });
  audience.httpServer.on('upgrade', (req: http.IncomingMessage) => upgrades.push(new WeakRef(req)));
  audience.io.engine.use((_req: object, res: object, next: () => void) => {
    if (!(res instanceof http.ServerResponse)) responses.push(new WeakRef(res));
    next();
  });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  audience.httpServer.closeAllConnections();
  await audience.close();
  await relay.close();
  t.services.stage.stop();
  await t.destroy();
});

function viewer(origin = t.config.publicUrl): Socket {
  const socket = connect(`http://127.0.0.1:${audience.port}/screen`, {
    transports: ['websocket'],
    extraHeaders: { origin },
    reconnection: false,
  });
  sockets.push(socket);
  return socket;
}

const watch = (socket: Socket, slug: unknown): Promise<Ack> =>
  new Promise((resolve) => socket.emit('contest:watch', slug, resolve));

/** Resolves with the first push of `event` whose revision is at least `min`. */
function pushed<T extends { revision: number }>(socket: Socket, event: string, min: number): Promise<T> {
  return new Promise((resolve) => {
    const on = (payload: T) => {
      if (payload.revision < min) return;
      socket.off(event, on);
      resolve(payload);
    };
    socket.on(event, on);
  });
}

const revision = async () => (await t.services.contests.load(f.slug)).revision;
const organizer = { kind: 'organizer' as const, id: 0 };

describe('audience server over the relay', () => {
  it('acks a watch with the current revision and sends the current stage', async () => {
    const socket = viewer();
    const stage = pushed<{ revision: number; slug: string }>(socket, 'stage:updated', 0);
    const ack = await watch(socket, f.slug);
    expect(ack).toEqual({ ok: true, revision: await revision() });
    expect((await stage).slug).toBe(f.slug);
  });

  it('relays the pushes that follow a judge score to every viewer', async () => {
    organizer.id = (await t.organizer('admin')).id;
    const [a, b] = [viewer(), viewer()];
    await Promise.all([watch(a, f.slug), watch(b, f.slug)]);
    await t.services.stage.act(f.slug, organizer, { kind: 'call', roundId: f.roundId, projectId: f.projectIds[0] });
    await t.services.stage.act(f.slug, organizer, { kind: 'open-scoring' });
    const before = await revision();
    const waits = [a, b].flatMap((s) => [
      pushed(s, 'stage:updated', before + 1),
      pushed(s, 'leaderboard:updated', before + 1),
    ]);
    await recordScore(t.services, f, 0, 0, [15, 10]);
    const after = await revision();
    expect(after).toBeGreaterThan(before);
    const got = await Promise.all(waits);
    for (const payload of got) expect(payload.revision).toBe(after);
  });

  it('refuses a malformed slug, an unknown contest and a draft', async () => {
    await t.services.contests.createContest({ slug: 'still-draft', name: { zh: '草稿' }, status: 'draft' });
    const socket = viewer();
    expect(await watch(socket, { $ne: 1 })).toEqual({ ok: false, code: 'validation-failed' });
    expect(await watch(socket, 'no-such-contest')).toEqual({ ok: false, code: 'contest-not-found' });
    expect(await watch(socket, 'still-draft')).toEqual({ ok: false, code: 'contest-not-found' });
    // The socket stays usable after refusals.
    expect(await watch(socket, f.slug)).toMatchObject({ ok: true });
  });

  it('refuses a handshake from a foreign origin', async () => {
    const socket = viewer('https://evil.example');
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    expect(error.message).toMatch(/websocket error|forbidden|xhr poll error/i);
    expect(socket.connected).toBe(false);
  });

  it('keeps no reference to a viewer’s handshake request or engine.io response once connected', async () => {
    const socket = viewer();
    expect(await watch(socket, f.slug)).toMatchObject({ ok: true });
    expect(upgrades.length).toBeGreaterThan(0);
    const ref = upgrades.at(-1)!;
    const res = responses.at(-1)!;
    for (let i = 0; i < 5 && (ref.deref() || res.deref()); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(ref.deref()).toBeUndefined();
    // Nor engine.io's response object for the upgrade, which a close listener would keep.
    expect(res.deref()).toBeUndefined();
    // The socket still works after the trim.
    expect(await watch(socket, f.slug)).toMatchObject({ ok: true });
    // And every viewer shares one empty handshake instead of its own copies.
    expect(await watch(viewer(), f.slug)).toMatchObject({ ok: true });
    const [first, second] = [...audience.io.of('/screen').sockets.values()];
    expect(first!.handshake).toBe(second!.handshake);
    expect(first!.handshake).toMatchObject({ headers: {}, query: {}, auth: {}, url: '', address: '' });
  });
});
