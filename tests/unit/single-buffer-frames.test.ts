/**
 * Broadcast frames as one buffer: after useSingleBufferFrames, the frame socket.io-adapter
 * pre-computes for a broadcast is a single buffer holding exactly the bytes of its two-part
 * frame (WebSocket header + "4" + the Socket.IO packet), and sockets still receive the event.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
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
});
