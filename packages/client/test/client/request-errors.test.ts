import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CarrierClient,
  CarrierNetworkError,
  CarrierProblemError,
  type Esim,
  type Plan,
} from '../../src/index.ts';
import {
  addonPlan,
  carrierClient,
  orderedEsim,
  type ScopedClient,
  scopedClient,
  uniqueId,
} from '../support/carriers.ts';

/** The error a call failed with; fails the test if it succeeded. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let esim: Esim;
let boost: Plan;
beforeAll(async () => {
  const att = carrierClient('att');
  esim = await orderedEsim(att);
  boost = await addonPlan(att, 'boost');
  att.close();
});

let scoped: ScopedClient;
afterEach(() => scoped?.close());

const buyBoost = (client: CarrierClient, key = uniqueId('key')) =>
  client.createTopup(
    esim.iccid,
    { planId: boost.id, paymentMethod: 'pm_card_visa' },
    { idempotencyKey: key },
  );

describe('network failures', () => {
  it('reports a refused connection as refused, before any response, naming method and URL', async () => {
    const port = await closedPort();
    const client = new CarrierClient({ baseUrl: `http://127.0.0.1:${port}` });
    const error = await failureOf(client.plans());
    client.close();
    expect(error).toBeInstanceOf(CarrierNetworkError);
    const network = error as CarrierNetworkError;
    expect(network).toMatchObject({
      kind: 'refused',
      phase: 'before-response',
      code: 'connection_refused',
      mayHaveBeenProcessed: false,
    });
    expect(network.message).toContain(`GET http://127.0.0.1:${port}/v1/plans`);
  });

  it('reports a reset before the carrier saw the request as a reset before any response', async () => {
    scoped = scopedClient('att');
    await scoped.fault({ kind: 'reset-before', times: 1 });
    const error = await failureOf(scoped.client.plans());
    expect(error).toMatchObject({
      kind: 'reset',
      phase: 'before-response',
      code: 'connection_reset',
    });
    // The rule fired once: the connection after it works.
    expect((await scoped.client.plans()).length).toBeGreaterThan(0);
  });

  it('cannot tell a reset after the commit from one before it: both may have been processed', async () => {
    scoped = scopedClient('att');
    await scoped.fault({ kind: 'reset-after-commit', match: { method: 'POST' }, times: 1 });
    const key = uniqueId('key');
    const error = await failureOf(buyBoost(scoped.client, key));
    expect(error).toMatchObject({
      kind: 'reset',
      phase: 'before-response',
      mayHaveBeenProcessed: true,
    });
    // It was: the same key replays the purchase the lost answer was about.
    const replay = await buyBoost(scoped.client, key);
    expect(replay).toMatchObject({ httpStatus: 201, replayed: true });
    expect(replay.topup.status).toBe('succeeded');
  });

  it('gives up on an answer that never comes after the attempt time limit', async () => {
    scoped = scopedClient('att', { timeoutMs: 300 });
    await scoped.fault({ kind: 'timeout', times: 1 });
    const started = performance.now();
    const error = await failureOf(scoped.client.plans());
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({
      kind: 'timeout',
      phase: 'before-response',
      code: 'request_timeout',
    });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
  });

  it('applies a per-call time limit over the client default', async () => {
    scoped = scopedClient('att');
    await scoped.fault({ kind: 'timeout', times: 1 });
    const error = await failureOf(scoped.client.plans({ timeoutMs: 200 }));
    expect(error).toMatchObject({ kind: 'timeout' });
  });

  it('reports a body cut short as truncated after the headers, with the status it had', async () => {
    scoped = scopedClient('att');
    await scoped.fault({
      kind: 'truncated',
      params: { bytes: 10 },
      match: { method: 'POST' },
      times: 1,
    });
    const error = await failureOf(buyBoost(scoped.client));
    expect(error).toMatchObject({
      kind: 'truncated',
      phase: 'after-headers',
      httpStatus: 201,
      code: 'response_truncated',
    });
  });
});

describe('error answers', () => {
  it('turns a problem into CarrierProblemError with its code, detail and Retry-After', async () => {
    scoped = scopedClient('att');
    await scoped.fault({ kind: 'error', params: { status: 503, retryAfter: 7 }, times: 1 });
    const error = await failureOf(scoped.client.plans());
    expect(error).toBeInstanceOf(CarrierProblemError);
    const problem = error as CarrierProblemError;
    expect(problem).toMatchObject({
      status: 503,
      code: 'upstream_unavailable',
      title: 'Service Unavailable',
      retryAfterMs: 7000,
    });
    expect(problem.raw.faultRule).toBe(`${scoped.scope}-1`);
    expect(problem.message).toContain('GET ');
    expect(problem.message).toContain('/v1/plans answered 503 upstream_unavailable');
  });

  it('reports a 429 with its Retry-After', async () => {
    scoped = scopedClient('att');
    await scoped.fault({ kind: 'error', params: { status: 429 }, times: 1 });
    expect(await failureOf(scoped.client.plans())).toMatchObject({
      status: 429,
      code: 'rate_limited',
      retryAfterMs: 1000,
    });
  });

  it('keeps a decline and its extensions: the failed top-up it recorded', async () => {
    const client = carrierClient('att');
    const error = await failureOf(
      client.createTopup(
        esim.iccid,
        { planId: boost.id, paymentMethod: 'pm_card_chargeDeclined' },
        { idempotencyKey: uniqueId('key') },
      ),
    );
    client.close();
    expect(error).toMatchObject({ status: 402, code: 'card_declined', retryAfterMs: undefined });
    expect((error as CarrierProblemError).raw.topupId).toEqual(expect.any(String));
  });

  it('reports the retryable decline with the wait it asks for', async () => {
    const client = carrierClient('att');
    const error = await failureOf(
      client.createTopup(
        esim.iccid,
        { planId: boost.id, paymentMethod: 'pm_card_processingError' },
        { idempotencyKey: uniqueId('key') },
      ),
    );
    client.close();
    expect(error).toMatchObject({ status: 402, code: 'processing_error', retryAfterMs: 2000 });
  });

  it('sends the API key it was given: a wrong one is refused', async () => {
    const client = carrierClient('att', { apiKey: 'sk_test_nobody' });
    const error = await failureOf(client.plans());
    client.close();
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('reports an unknown eSIM as esim_not_found', async () => {
    const client = carrierClient('att');
    const error = await failureOf(client.getEsim('8914101234567890121'));
    client.close();
    expect(error).toMatchObject({ status: 404, code: 'esim_not_found' });
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new CarrierClient({ baseUrl: 'ftp://example.com' })).toThrow(/http\(s\) URL/);
    expect(() => new CarrierClient({ baseUrl: 'localhost:4101' })).toThrow(/http\(s\) URL/);
  });
});
