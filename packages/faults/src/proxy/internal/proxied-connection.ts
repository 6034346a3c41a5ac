import { connect, type Socket } from 'node:net';
import type { RandomSource } from '@esimlab/domain';
import type { Toxic } from '../toxic.ts';
import type { HostPort } from './host-port.ts';
import { ToxicPipe } from './toxic-pipe.ts';
import type { StageContext } from './toxic-stages.ts';

/**
 * One client connection and its own connection to the upstream, joined by two toxic pipes.
 * Both sockets allow half-open, so a FIN travels through like any other byte; a reset on one
 * side is passed on as a reset, any other failure as a close.
 */
export class ProxiedConnection {
  readonly #client: Socket;
  readonly #upstream: Socket;
  readonly #random: RandomSource;
  readonly #abort = new AbortController();
  readonly #toUpstream: ToxicPipe;
  readonly #toClient: ToxicPipe;
  readonly #onGone: (connection: ProxiedConnection) => void;
  #openSockets = 2;

  constructor(options: {
    client: Socket;
    upstream: HostPort;
    toxics: readonly Toxic[];
    random: RandomSource;
    onGone: (connection: ProxiedConnection) => void;
  }) {
    this.#client = options.client;
    this.#random = options.random;
    this.#onGone = options.onGone;
    this.#client.setNoDelay(true);
    this.#upstream = connect({
      host: options.upstream.host,
      port: options.upstream.port,
      allowHalfOpen: true,
      noDelay: true,
    });
    this.#toUpstream = new ToxicPipe(this.#client, this.#upstream, this.#stageContext());
    this.#toClient = new ToxicPipe(this.#upstream, this.#client, this.#stageContext());
    this.sync(options.toxics);
    for (const [socket, peer] of [
      [this.#client, this.#upstream],
      [this.#upstream, this.#client],
    ] as const) {
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNRESET') resetSocket(peer);
        else peer.destroy();
      });
      socket.on('close', () => {
        this.#openSockets--;
        if (this.#openSockets === 0) this.#gone();
      });
    }
  }

  /** Applies the proxy's current toxics (both directions) to this connection. */
  sync(toxics: readonly Toxic[]): void {
    this.#toUpstream.sync(
      toxics.filter((t) => t.stream === 'upstream'),
      this.#random,
    );
    this.#toClient.sync(
      toxics.filter((t) => t.stream === 'downstream'),
      this.#random,
    );
  }

  /** Drops both sides at once (the proxy is being disabled or removed). */
  destroy(): void {
    this.#stopPipes();
    this.#client.destroy();
    this.#upstream.destroy();
  }

  #stageContext(): StageContext {
    return {
      random: this.#random,
      signal: this.#abort.signal,
      transmitted: new Map(),
      close: () => {
        this.#stopPipes();
        closeAfterFlush(this.#client);
        closeAfterFlush(this.#upstream);
      },
      reset: () => {
        this.#stopPipes();
        resetSocket(this.#client);
        resetSocket(this.#upstream);
      },
    };
  }

  #stopPipes(): void {
    this.#toUpstream.stop();
    this.#toClient.stop();
    this.#abort.abort();
  }

  #gone(): void {
    this.#stopPipes();
    this.#onGone(this);
  }
}

function closeAfterFlush(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writableFinished) socket.destroy();
  else socket.end(() => socket.destroy());
}

/** Sends a TCP RST (not a FIN): the peer sees ECONNRESET. */
function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  socket.resetAndDestroy();
}
