import { type AddressInfo, createServer, type Server } from 'node:net';
import type { RandomSource } from '@esimlab/domain';
import { formatHostPort, type HostPort } from './internal/host-port.ts';
import { ProxiedConnection } from './internal/proxied-connection.ts';
import type { Toxic } from './toxic.ts';
import { ToxiproxyApiError } from './toxiproxy-api-error.ts';

/** A proxy as the Toxiproxy API shows it. */
export interface ProxyJson {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly Toxic[];
}

/**
 * One named TCP proxy (Toxiproxy's model): it listens on a loopback address, opens a
 * connection to `upstream` for each client, and applies its toxics to every connection,
 * including those already open when a toxic is added, updated or removed.
 */
export class ToxicProxy {
  readonly name: string;
  #listen: HostPort;
  #upstream: HostPort;
  #toxics: Toxic[] = [];
  #server: Server | undefined;
  readonly #connections = new Set<ProxiedConnection>();
  readonly #random: RandomSource;

  /** `listen` must already be a loopback address (see `loopbackListenAddress`). */
  constructor(options: {
    name: string;
    listen: HostPort;
    upstream: HostPort;
    random: RandomSource;
  }) {
    this.name = options.name;
    this.#listen = options.listen;
    this.#upstream = options.upstream;
    this.#random = options.random;
  }

  get enabled(): boolean {
    return this.#server !== undefined;
  }

  /** `host:port`; once started, the port is the one bound (never 0). */
  get listen(): string {
    return formatHostPort(this.#listen);
  }

  get listenAddress(): HostPort {
    return this.#listen;
  }

  get upstream(): string {
    return formatHostPort(this.#upstream);
  }

  get upstreamAddress(): HostPort {
    return this.#upstream;
  }

  get toxics(): readonly Toxic[] {
    return this.#toxics;
  }

  /** Open connections, for tests and diagnostics. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Starts listening; does nothing when already started. */
  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
      const connection = new ProxiedConnection({
        client,
        upstream: this.#upstream,
        toxics: this.#toxics,
        random: this.#random,
        onGone: (gone) => this.#connections.delete(gone),
      });
      this.#connections.add(connection);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: this.#listen.host, port: this.#listen.port }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new ToxiproxyApiError(
          409,
          'listen_address_in_use',
          `listen address in use: ${this.listen} is taken; pick another port, or port 0 for any free one`,
        );
      }
      throw new ToxiproxyApiError(
        400,
        'invalid_listen',
        `invalid listen address: cannot listen on ${this.listen} (${code ?? String(error)})`,
      );
    }
    this.#listen = { host: this.#listen.host, port: (server.address() as AddressInfo).port };
    this.#server = server;
  }

  /** Stops listening and drops every open connection, as Toxiproxy does when disabling. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of this.#connections) connection.destroy();
    await closed;
  }

  /** Moves the proxy (restarting it if it was enabled); toxics are kept. */
  async moveTo(listen: HostPort, upstream: HostPort): Promise<void> {
    const wasEnabled = this.enabled;
    await this.stop();
    this.#listen = listen;
    this.#upstream = upstream;
    if (wasEnabled) await this.start();
  }

  setToxics(toxics: readonly Toxic[]): void {
    this.#toxics = [...toxics];
    for (const connection of this.#connections) connection.sync(this.#toxics);
  }

  toJSON(): ProxyJson {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.#toxics,
    };
  }
}
