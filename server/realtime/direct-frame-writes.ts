/**
 * Broadcast frames written straight to a socket's WebSocket. For a broadcast, socket.io-adapter
 * hands every socket the same pre-encoded frame (one buffer: single-buffer-frames.ts); engine.io
 * would then, per socket, build a packet object, emit packetCreate / flush / drain, mark the
 * transport busy until the write's callback and push callback bookkeeping — work that costs about
 * as much as the write itself in a 5,000-socket loop. When the socket's WebSocket transport is idle
 * (writable, nothing buffered by engine.io, open), the frame goes to ws's `sendFrame`, exactly as
 * engine.io's own pre-encoded path does, minus that bookkeeping; in every other case (polling,
 * an upgrade in progress, a busy transport, a packet that is not a pre-encoded broadcast) the
 * normal engine.io path runs. Order is kept: both paths write to the same TCP socket in call
 * order, and engine.io only buffers while its transport is busy, when this path is not taken.
 *
 * Only for sockets that use no engine.io write events or send callbacks (the public /screen).
 */
import type { Socket } from 'socket.io';

interface EngineConn {
  readyState: string;
  writeBuffer: unknown[];
  transport: {
    writable: boolean;
    socket?: { readyState?: number; _sender?: { sendFrame(list: Buffer[]): void } };
  };
}
interface ClientInternals {
  conn: EngineConn;
  writeToEngine(encodedPackets: unknown, opts: { wsPreEncodedFrame?: Buffer[]; volatile?: boolean }): void;
}

const WS_OPEN = 1;

function writeToEngineDirectly(this: ClientInternals, encodedPackets: unknown, opts: { wsPreEncodedFrame?: Buffer[] }) {
  const frame = opts.wsPreEncodedFrame;
  const { conn } = this;
  const ws = conn.transport.socket;
  if (
    frame?.length === 1 &&
    conn.readyState === 'open' &&
    conn.transport.writable &&
    conn.writeBuffer.length === 0 &&
    ws?.readyState === WS_OPEN &&
    typeof ws._sender?.sendFrame === 'function'
  ) {
    ws._sender.sendFrame(frame);
    return;
  }
  (Object.getPrototypeOf(this) as ClientInternals).writeToEngine.call(this, encodedPackets, opts);
}

export function writeBroadcastFramesDirectly(socket: Socket): void {
  (socket.client as unknown as ClientInternals).writeToEngine = writeToEngineDirectly;
}
