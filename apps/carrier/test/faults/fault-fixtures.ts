import { request } from 'node:http';
import { json, type TestCarrier } from '../support/test-carrier.ts';

export {
  activatedEsim,
  addon,
  auditOf,
  type LooseJson,
  topupCharges,
} from '../topups/topup-fixtures.ts';

/** A `/_sim/faults` call: the response status and its JSON body. */
export async function faults(
  t: TestCarrier,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path = '/_sim/faults',
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
): Promise<{ status: number; body: any }> {
  const res = await t.api(path, { method, ...(body === undefined ? {} : { json: body }) });
  return { status: res.status, body: res.status === 204 ? undefined : await json(res) };
}

/** Replaces the carrier's rules and fails the test unless the carrier took them. */
export async function useFaults(t: TestCarrier, rules: unknown[], seed?: number): Promise<void> {
  const res = await faults(t, 'POST', '/_sim/faults', {
    rules,
    ...(seed === undefined ? {} : { seed }),
  });
  if (res.status !== 200) throw new Error(`faults: ${res.status} ${JSON.stringify(res.body)}`);
}

/** What a real client saw: a response (maybe cut short) or a connection error. */
export type ClientOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: Readonly<Record<string, string | string[] | undefined>>;
      readonly body: Buffer;
      /** False when the connection closed before Content-Length bytes arrived. */
      readonly complete: boolean;
      readonly elapsedMs: number;
    }
  | { readonly kind: 'error'; readonly code: string; readonly elapsedMs: number };

/**
 * One request over a fresh node:http connection (no keep-alive reuse, no automatic retry),
 * with the dev API key; gives up after `timeoutMs` by destroying its socket.
 */
export function clientRequest(
  t: TestCarrier,
  path: string,
  options: {
    method?: string;
    json?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<ClientOutcome> {
  const started = performance.now();
  const elapsedMs = () => performance.now() - started;
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  return new Promise((resolve) => {
    const req = request(`${t.baseUrl}${path}`, {
      method: options.method ?? 'GET',
      agent: false,
      headers: {
        authorization: 'Bearer sk_test_esimlab',
        ...(payload === undefined
          ? {}
          : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        ...options.headers,
      },
    });
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error('gave up'), { code: 'CLIENT_TIMEOUT' })),
      options.timeoutMs ?? 5000,
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ kind: 'error', code: error.code ?? error.message, elapsedMs: elapsedMs() });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const done = () => {
        clearTimeout(timer);
        resolve({
          kind: 'response',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete: res.complete,
          elapsedMs: elapsedMs(),
        });
      };
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
    req.end(payload);
  });
}
