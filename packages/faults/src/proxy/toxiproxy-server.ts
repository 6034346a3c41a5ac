import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatHostPort, isLoopbackHost } from './internal/host-port.ts';
import { ProxyCollection } from './proxy-collection.ts';
import { createToxiproxyApi } from './toxiproxy-api.ts';

/** Toxiproxy's own admin port, which its clients use by default. */
export const defaultToxiproxyPort = 8474;

export interface ToxiproxyServerOptions {
  /** Default 8474; 0 picks a free port. */
  readonly port?: number;
  /** A loopback host; default 127.0.0.1. */
  readonly host?: string;
  /** Seeds toxicity draws, jitter and slice sizes; default 0. */
  readonly seed?: number;
  /** Serve an existing collection instead of a new, empty one. */
  readonly collection?: ProxyCollection;
}

export interface ToxiproxyServer {
  /** `http://127.0.0.1:8474`: what to give a Toxiproxy client. */
  readonly url: string;
  readonly port: number;
  readonly proxies: ProxyCollection;
  /** Stops the admin API and every proxy it created. */
  close(): Promise<void>;
}

/**
 * A Toxiproxy-compatible server: the admin API on `port`, and the TCP proxies its clients
 * create. Everything binds loopback only.
 */
export async function startToxiproxyServer(
  options: ToxiproxyServerOptions = {},
): Promise<ToxiproxyServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(
      `the Toxiproxy admin API listens on loopback only; ${host} is not (use 127.0.0.1 or ::1)`,
    );
  }
  const proxies = options.collection ?? new ProxyCollection({ seed: options.seed ?? 0 });
  const server = createHttpServer({ keepAliveTimeout: 5_000 }, createToxiproxyApi(proxies));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? defaultToxiproxyPort }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${formatHostPort({ host, port })}`,
    port,
    proxies,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await proxies.close();
    },
  };
}
