import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListeningMessage } from '../internal/server-process.ts';

/**
 * Listens on a free loopback port, tells the bench which over IPC, and exits on SIGTERM or
 * when the bench goes away.
 */
export function serveForBench(server: Server): void {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const message: ListeningMessage = {
      type: 'listening',
      port: (server.address() as AddressInfo).port,
    };
    process.send?.(message);
  });
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
}
