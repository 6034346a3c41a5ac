import { type RawOutcome, rawRequest } from '@esimlab/test-utils';
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
export type ClientOutcome = RawOutcome;

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
  return rawRequest(`${t.baseUrl}${path}`, {
    ...(options.method === undefined ? {} : { method: options.method }),
    ...(options.json === undefined ? {} : { body: options.json }),
    headers: { authorization: 'Bearer sk_test_esimlab', ...options.headers },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
