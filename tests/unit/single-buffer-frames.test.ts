/**
 * The /screen broadcast write path. Frames as one buffer: after useSingleBufferFrames, the frame
 * socket.io-adapter pre-computes for a broadcast is a single buffer holding exactly the bytes of
 * its two-part frame (WebSocket header + "4" + the Socket.IO packet). Direct writes: with
 * writeBroadcastFramesDirectly, broadcasts to an idle WebSocket skip engine.io's packet path
 * (counted), anything else takes it, and a client sees every event, ack and broadcast in order.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBroadcastFramesDirectly } from '../../server/realtime/direct-frame-writes.js';
import { useSingleBufferFrames } from '../../server/realtime/single-buffer-frames.js';

type Encodable = { _encode(packet: unknown, opts: { wsPreEncodedFrame?: Buffer[] }): unknown };
const packet = () => ({ type: 2, data: ['stage:updated', { revision: 7, title: '智能影像' }], nsp: '/screen' });

let io: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
  io = null;
});

describe('single-buffer broadcast frames', () => {
  it('joins the two-part frame into one buffer with the same bytes', () => {
    io = new Server(http.createServer(), { perMessageDeflate: false });
    const plain = io.of('/plain').adapter as unknown as Encodable;
    const joined = io.of('/joined').adapter;
    useSingleBufferFrames(joined);
    const two: { wsPreEncodedFrame?: Buffer[] } = {};
    const one: { wsPreEncodedFrame?: Buffer[] } = {};
    plain._encode(packet(), two);
    (joined as unknown as Encodable)._encode(packet(), one);
    expect(two.wsPreEncodedFrame).toHaveLength(2);
    expect(one.wsPreEncodedFrame).toHaveLength(1);
    expect(one.wsPreEncodedFrame![0]!.equals(Buffer.concat(two.wsPreEncodedFrame!))).toBe(true);
    expect(one.wsPreEncodedFrame![0]!.toString()).toContain('42/screen,["stage:updated",{"revision":7');
  });

  it('delivers a room broadcast to a WebSocket client', async () => {
    const server = http.createServer();
    io = new Server(server, { perMessageDeflate: false });
    useSingleBufferFrames(io.of('/screen').adapter);
    io.of('/screen').on('connection', (socket) => void socket.join('room'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}/screen`, {
      transports: ['websocket'],
    });
    await new Promise<void>((resolve) => client.on('connect', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const got = new Promise((resolve) => client.on('stage:updated', resolve));
    io.of('/screen').to('room').emit('stage:updated', { revision: 7, title: '智能影像' });
    expect(await got).toEqual({ revision: 7, title: '智能影像' });
    client.disconnect();
  });

  it('writes broadcasts to an idle WebSocket directly and keeps every event in order', async () => {
    const server = http.createServer();
    io = new Server(server, { perMessageDeflate: false });
    const screen = io.of('/screen');
    useSingleBufferFrames(screen.adapter);
    type Conn = { write: (...a: unknown[]) => unknown; flush(): void; transport: { writable: boolean } };
    let conn: Conn | null = null;
    let enginePath = 0;
    screen.on('connection', (socket) => {
      writeBroadcastFramesDirectly(socket);
      conn = socket.conn as unknown as Conn;
      const write = conn.write.bind(conn);
      conn.write = (...args: unknown[]) => {
        enginePath++; // engine.io's own packet path
        return write(...args);
      };
      void socket.join('room');
      socket.on('ping?', (n: number, ack: (n: number) => void) => ack(n));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}/screen`, {
      transports: ['websocket'],
    });
    await new Promise<void>((resolve) => client.on('connect', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seen: string[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('n', (n: number) => {
        seen.push(`n${n}`);
        if (n === 30) resolve();
      }),
    );
    for (let n = 1; n <= 30; n++) {
      if (n === 10) {
        // A write still in flight: engine.io buffers this one, and the direct path must not pass it.
        conn!.transport.writable = false;
        screen.to('room').emit('n', n);
        conn!.transport.writable = true;
        conn!.flush();
      } else screen.to('room').emit('n', n);
      if (n % 7 === 0) seen.push(`ack${await client.emitWithAck('ping?', n)}`);
    }
    await all;
    const order = seen.filter((x) => x.startsWith('n')).map((x) => Number(x.slice(1)));
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(seen.filter((x) => x.startsWith('ack'))).toEqual(['ack7', 'ack14', 'ack21', 'ack28']);
    // Engine.io's path: the four ack replies, the broadcast sent while the transport was busy and
    // the few after it until that write's callback (the transport stays busy until then); without
    // the direct path all 34 packets would take it.
    const direct = 30 - (enginePath - 4);
    expect(enginePath).toBeGreaterThanOrEqual(5);
    expect(direct).toBeGreaterThanOrEqual(20);
    client.disconnect();
  });
});
