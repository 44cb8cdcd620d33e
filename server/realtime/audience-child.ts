/**
 * Entry of the audience process forked by audience-process.ts: takes its options over IPC (so
 * RELAY_SECRET never shows in `ps`), starts the audience server (audience-server.ts) and reports
 * `ready` or `failed`. Stops on SIGTERM from the app, and by itself when the app is gone (the IPC
 * channel closes). Must not read the environment or open the database: the app decides everything.
 * To run an audience server by hand (another machine), use audience-server.ts instead.
 */
import type { FromChild, ToChild } from './audience-process.js';
import { startAudienceServer, type AudienceServer } from './audience-server.js';

const STOP_TIMEOUT_MS = 4_000;

if (!process.send) {
  console.error('audience-child.ts is forked by the app; run server/realtime/audience-server.ts by hand instead');
  process.exit(2);
}

const send = (message: FromChild, then: () => void = () => undefined) =>
  process.connected && process.send?.(message, then);
let server: AudienceServer | null = null;
let stopping = false;

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
  if (server) {
    server.httpServer.closeAllConnections();
    await server.close();
  }
  process.exit(0);
}

process.once('message', (message: ToChild) => {
  if (message?.type !== 'start') return;
  startAudienceServer(message.options).then(
    (started) => {
      server = started;
      send({ type: 'ready', port: started.port });
    },
    (err: Error) => send({ type: 'failed', message: err.message }, () => process.exit(1)),
  );
});
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
// Ctrl-C reaches the whole process group: the app's own shutdown stops this process (SIGTERM),
// so a child exiting first is not mistaken for a crash and restarted.
process.on('SIGINT', () => undefined);
