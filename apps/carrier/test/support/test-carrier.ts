import type { AddressInfo } from 'node:net';
import { type CarrierId, seededRandom } from '@esimlab/domain';
import { openMemoryStore, type Store } from '@esimlab/store';
import { type CarrierApp, carrierMigrations, createCarrierApp } from '../../src/index.ts';

export interface TestCarrier {
  readonly baseUrl: string;
  readonly carrier: CarrierApp;
  readonly store: Store;
  /** fetch against the carrier with the dev API key (unless `headers.authorization` says otherwise). */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export const DEV_KEY = 'sk_test_esimlab';

/** A real listening carrier on 127.0.0.1 and a free port, over an in-memory store unless given one. */
export async function startTestCarrier(
  options: { carrier?: CarrierId; store?: Store; seed?: number; adminToken?: string } = {},
): Promise<TestCarrier> {
  const store = options.store ?? (await openMemoryStore({ migrations: carrierMigrations }));
  const seed = options.seed ?? 1;
  const secretRandom = seededRandom(seed + 1);
  const carrier = await createCarrierApp({
    carrier: options.carrier ?? 'att',
    store,
    seed,
    secrets: {
      token: (bytes) =>
        Buffer.from(
          Array.from({ length: bytes }, () => Math.floor(secretRandom.next() * 256)),
        ).toString('base64url'),
    },
    crash: (reason) => {
      throw new Error(`crash hook: ${reason}`);
    },
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  });
  const server = carrier.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    carrier,
    store,
    api(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${DEV_KEY}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${baseUrl}${path}`, {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
    async close() {
      await carrier.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await store.close();
    },
  };
}

/** A response body as loosely typed JSON, for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export const json = (res: Response): Promise<any> => res.json();
