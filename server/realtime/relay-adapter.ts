/**
 * A Socket.IO cluster adapter over a plain TCP relay, so Socket.IO servers in other processes, on
 * this machine or on others, share broadcasts, server-side emits and fetchSockets. It is the
 * official extension point of socket.io-adapter (ClusterAdapterWithHeartbeat: the same base the
 * Redis Streams and Postgres adapters use) with the transport swapped for a TCP star: one hub
 * (the main app, `RelayHub.listen`) and any number of peers (audience servers, `RelayPeer.connect`).
 * The hub delivers every frame to its own adapters and forwards it to the other peers.
 *
 * Why not an off-the-shelf adapter: the Redis adapter needs a Redis server (none here), and
 * @socket.io/cluster-adapter only spans the workers of one node:cluster primary. This file adds
 * no dependency and works across machines (bind the hub to a private address and set a secret).
 *
 * Frames: 4-byte big-endian length + v8.serialize (Buffers and binary packets survive; every
 * process must run the same Node major). Delivery is at most once: while a peer is disconnected its
 * frames are dropped, and screens resync by revision (every push carries it, and `previous`).
 * Connection-state recovery needs a persistent log this transport does not keep, so sockets on a
 * relay adapter do not recover missed packets; they refetch the snapshot instead.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import v8 from 'node:v8';
import type { Namespace } from 'socket.io';
import {
  ClusterAdapterWithHeartbeat,
  MessageType,
  type ClusterAdapterOptions,
  type ClusterMessage,
  type ClusterResponse,
} from 'socket.io-adapter';
import { useSingleBufferFrames } from './single-buffer-frames.js';

type Frame =
  | { kind: 'hello'; proof: string }
  | { kind: 'message'; message: ClusterMessage }
  | { kind: 'response'; to: string; response: ClusterResponse };

const MAX_FRAME = 16 * 1024 * 1024;
/** A peer that cannot keep up (more than this buffered) is dropped rather than grow memory. */
const MAX_BUFFERED = 64 * 1024 * 1024;

function encode(frame: Frame): Buffer {
  const body = v8.serialize(frame);
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Splits a byte stream into frames; destroys the socket on an oversized or undecodable frame. */
function readFrames(socket: net.Socket, onFrame: (frame: Frame) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4) {
      const size = pending.readUInt32BE(0);
      if (size > MAX_FRAME) return void socket.destroy(new Error('relay frame too large'));
      if (pending.length < 4 + size) break;
      let frame: Frame;
      try {
        frame = v8.deserialize(pending.subarray(4, 4 + size)) as Frame;
      } catch {
        return void socket.destroy(new Error('relay frame undecodable'));
      }
      pending = pending.subarray(4 + size);
      onFrame(frame);
    }
  });
}

function write(socket: net.Socket, bytes: Buffer): void {
  if (socket.destroyed) return;
  if (socket.writableLength > MAX_BUFFERED) return void socket.destroy(new Error('relay peer too slow'));
  socket.write(bytes);
}

/** The proof a peer sends first: an HMAC of a fixed label under the shared secret. */
const proofOf = (secret: string) => crypto.createHmac('sha256', secret).update('roadshow-relay-v1').digest('hex');

function sameProof(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Where adapters of this process receive relayed frames, by namespace. */
abstract class RelayBus {
  private readonly adapters = new Map<string, RelayAdapter>();

  register(adapter: RelayAdapter): void {
    this.adapters.set(adapter.nsp.name, adapter);
  }

  unregister(adapter: RelayAdapter): void {
    if (this.adapters.get(adapter.nsp.name) === adapter) this.adapters.delete(adapter.nsp.name);
  }

  /** Hands a frame from elsewhere to this process's adapter of its namespace, if any. */
  protected deliver(frame: Frame): void {
    if (frame.kind === 'message') this.adapters.get(frame.message.nsp)?.receive(frame.message);
    else if (frame.kind === 'response')
      this.adapters.get(frame.response.nsp)?.receiveResponse(frame.to, frame.response);
  }

  /** Re-announces every adapter (after a reconnection), so the others count this node again. */
  protected announce(): void {
    for (const adapter of this.adapters.values()) void adapter.init();
  }

  abstract send(frame: Frame): void;
  abstract close(): Promise<void>;
}

export interface RelayOptions {
  /** Shared secret; peers without it are refused. Required when the hub listens beyond loopback. */
  secret?: string;
}

/** The hub: listens for peers, delivers their frames locally and forwards them to the others. */
export class RelayHub extends RelayBus {
  private readonly peers = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private readonly proof: string | null,
  ) {
    super();
    server.on('connection', (socket) => this.accept(socket));
  }

  static async listen(port: number, host = '127.0.0.1', opts: RelayOptions = {}): Promise<RelayHub> {
    const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
    if (!loopback && !opts.secret) throw new Error('a relay hub listening beyond loopback needs a secret');
    const server = net.createServer();
    const hub = new RelayHub(server, opts.secret ? proofOf(opts.secret) : null);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return hub;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    let trusted = this.proof === null;
    if (trusted) this.peers.add(socket);
    const refuse = setTimeout(() => trusted || socket.destroy(), 5_000);
    socket.on('close', () => {
      clearTimeout(refuse);
      this.peers.delete(socket);
    });
    readFrames(socket, (frame) => {
      if (frame.kind === 'hello') {
        if (this.proof !== null && !sameProof(String(frame.proof), this.proof)) return void socket.destroy();
        trusted = true;
        this.peers.add(socket);
        return;
      }
      if (!trusted) return void socket.destroy();
      this.deliver(frame);
      const bytes = encode(frame);
      for (const peer of this.peers) if (peer !== socket) write(peer, bytes);
    });
  }

  send(frame: Frame): void {
    if (!this.peers.size) return;
    const bytes = encode(frame);
    for (const peer of this.peers) write(peer, bytes);
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A peer: connects to the hub, and reconnects (with backoff) whenever the link drops. */
export class RelayPeer extends RelayBus {
  private socket: net.Socket | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  private constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly opts: RelayOptions,
  ) {
    super();
  }

  /** Resolves once the first connection is up. */
  static async connect(port: number, host = '127.0.0.1', opts: RelayOptions = {}): Promise<RelayPeer> {
    const peer = new RelayPeer(port, host, opts);
    await new Promise<void>((resolve, reject) => peer.open({ resolve, reject }));
    return peer;
  }

  private open(first?: { resolve: () => void; reject: (err: Error) => void }, delay = 250): void {
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    let up = false;
    socket.once('connect', () => {
      up = true;
      this.socket = socket;
      if (this.opts.secret) socket.write(encode({ kind: 'hello', proof: proofOf(this.opts.secret) }));
      this.announce();
      first?.resolve();
    });
    socket.on('error', (err) => {
      if (!up) first?.reject(err);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      // A first attempt that failed is reported by connect(); later drops are retried with backoff.
      if (this.closed || (first && !up)) return;
      this.retry = setTimeout(
        () => {
          this.retry = null;
          this.open(undefined, up ? 250 : Math.min(delay * 2, 5_000));
        },
        up ? 0 : delay,
      );
      this.retry.unref();
    });
    readFrames(socket, (frame) => this.deliver(frame));
  }

  send(frame: Frame): void {
    if (this.socket) write(this.socket, encode(frame));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.destroy();
  }
}

export interface RelayAdapterOptions extends ClusterAdapterOptions {
  /** Called for every broadcast another node relays here, before it reaches local sockets. */
  onRelayedBroadcast?: (packet: { data?: unknown[] }, rooms: string[]) => void;
}

/** The Socket.IO adapter: ClusterAdapterWithHeartbeat publishing through a relay bus. */
export class RelayAdapter extends ClusterAdapterWithHeartbeat {
  constructor(
    nsp: Namespace,
    private readonly bus: RelayBus,
    private readonly relayOpts: RelayAdapterOptions = {},
  ) {
    super(nsp, { heartbeatInterval: 5_000, heartbeatTimeout: 12_000, ...relayOpts });
    bus.register(this);
    useSingleBufferFrames(this);
  }

  /** A message relayed from another node. */
  receive(message: ClusterMessage): void {
    if (message.type === MessageType.BROADCAST && message.uid !== this.uid && this.relayOpts.onRelayedBroadcast) {
      const data = message.data as { packet: { data?: unknown[] }; opts: { rooms: string[] } };
      this.relayOpts.onRelayedBroadcast(data.packet, data.opts.rooms);
    }
    this.onMessage(message);
  }

  /** A response to a request; only the requester acts on it. */
  receiveResponse(to: string, response: ClusterResponse): void {
    if (to === this.uid) this.onResponse(response);
  }

  protected override async doPublish(message: ClusterMessage): Promise<string> {
    this.bus.send({ kind: 'message', message });
    return '';
  }

  protected override async doPublishResponse(requesterUid: string, response: ClusterResponse): Promise<void> {
    this.bus.send({ kind: 'response', to: requesterUid, response });
  }

  override close(): void {
    super.close();
    this.bus.unregister(this);
  }
}

/** An adapter constructor for `io.adapter(…)`: every namespace of the server relays through `bus`. */
export function relayAdapter(bus: RelayBus, opts: RelayAdapterOptions = {}) {
  return function (nsp: Namespace) {
    return new RelayAdapter(nsp, bus, opts);
  };
}

export type { RelayBus };
