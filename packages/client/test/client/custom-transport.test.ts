import { describe, expect, it } from 'vitest';
import {
  CarrierClient,
  CarrierNetworkError,
  type CarrierTransport,
  httpTransport,
  purchaseTopup,
  type TransportOutcome,
  type TransportRequest,
} from '../../src/index.ts';
import { addonPlan, carrierClient, orderedEsim, uniqueId } from '../support/carriers.ts';

/** A transport that answers from a script and remembers every request it was given. */
function scriptedTransport(answers: TransportOutcome[]): CarrierTransport & {
  readonly requests: TransportRequest[];
  closed: number;
} {
  const requests: TransportRequest[] = [];
  return {
    requests,
    closed: 0,
    async exchange(request) {
      requests.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error(`no scripted answer left for ${request.method} ${request.url}`);
      return answer;
    },
    close() {
      this.closed += 1;
    },
  };
}

const jsonAnswer = (status: number, body: unknown): TransportOutcome => ({
  type: 'response',
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body)),
});

describe('a custom transport', () => {
  it('carries every request of the client, with the URL, headers and body the client built', async () => {
    const transport = scriptedTransport([jsonAnswer(200, { data: [] })]);
    const client = new CarrierClient({
      baseUrl: 'http://carrier.invalid',
      apiKey: 'sk_test_custom',
      timeoutMs: 1234,
      transport,
    });

    await expect(client.plans()).resolves.toEqual([]);
    const [request] = transport.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url.toString()).toBe('http://carrier.invalid/v1/plans');
    expect(request?.timeoutMs).toBe(1234);
    expect(request?.headers['user-agent']).toBe('esimlab-client/0.1');
    expect(request?.headers.authorization).toBe('Bearer sk_test_custom');
  });

  it('turns a failure outcome into a CarrierNetworkError and a problem answer into its error', async () => {
    const transport = scriptedTransport([
      {
        type: 'failure',
        kind: 'reset',
        phase: 'before-response',
        reason: 'reset by the script',
        cause: undefined,
      },
      {
        type: 'response',
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
        body: Buffer.from(
          JSON.stringify({
            type: 'about:blank',
            title: 'Not Found',
            status: 404,
            detail: 'no such eSIM',
            code: 'esim_not_found',
          }),
        ),
      },
    ]);
    const client = new CarrierClient({ baseUrl: 'http://carrier.invalid', transport });

    const reset = await client.getEsim('8901').catch((error: unknown) => error);
    expect(reset).toBeInstanceOf(CarrierNetworkError);
    expect(reset).toMatchObject({ kind: 'reset', phase: 'before-response' });
    await expect(client.getEsim('8901')).rejects.toMatchObject({ code: 'esim_not_found' });
    expect(transport.requests[0]?.headers.authorization).toBe('Bearer sk_test_esimlab');
  });

  it('is closed when the client is closed', () => {
    const transport = scriptedTransport([]);
    new CarrierClient({ baseUrl: 'http://carrier.invalid', transport }).close();
    expect(transport.closed).toBe(1);
  });

  it('times a purchase and sleeps on the clock it is given, not the platform timers', async () => {
    let virtualNow = 1_700_000_000_000;
    const slept: number[] = [];
    const transport = scriptedTransport([
      jsonAnswer(503, {
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'injected',
        code: 'upstream_unavailable',
      }),
      jsonAnswer(201, {
        id: 'tu_1',
        iccid: '8901',
        planId: 'att-boost-2gb',
        status: 'succeeded',
        amount: { amount: 1000, currency: 'USD' },
        dataBytes: 2_000_000_000,
        bonusBytes: 0,
        chargeId: 'ch_1',
        clientReference: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        completedAt: '2026-01-01T00:00:00.000Z',
      }),
    ]);
    const client = new CarrierClient({ baseUrl: 'http://carrier.invalid', transport });

    const result = await purchaseTopup(
      client,
      { intentId: 'i-1', iccid: '8901', planId: 'att-boost-2gb', paymentMethod: 'pm_card_visa' },
      {
        random: () => 0.5,
        now: () => virtualNow,
        sleep: async (ms) => {
          slept.push(ms);
          virtualNow += ms;
        },
      },
    );

    expect(result.outcome.status).toBe('ok');
    expect(slept).toEqual([50]);
    expect(result.attempts.map((a) => a.startedAtMs)).toEqual([
      1_700_000_000_000, 1_700_000_000_050,
    ]);
    expect(result.attempts.every((a) => a.durationMs === 0)).toBe(true);
  });

  it('wraps the default HTTP transport and buys from a real carrier exactly as without it', async () => {
    const att = carrierClient('att');
    const esim = await orderedEsim(att);
    const boost = await addonPlan(att, 'boost');
    att.close();

    const http = httpTransport();
    const seen: string[] = [];
    const recording: CarrierTransport = {
      async exchange(request) {
        const outcome = await http.exchange(request);
        seen.push(`${request.method} ${request.url.pathname} → ${outcome.type}`);
        return outcome;
      },
      close: () => http.close(),
    };
    const base = carrierClient('att');
    const client = new CarrierClient({ baseUrl: base.baseUrl, transport: recording });
    base.close();

    const result = await purchaseTopup(client, {
      intentId: uniqueId('intent'),
      iccid: esim.iccid,
      planId: boost.id,
      paymentMethod: 'pm_card_visa',
    });
    client.close();

    expect(result.outcome.status).toBe('ok');
    expect(seen).toEqual([`POST /v1/esims/${esim.iccid}/topups → response`]);
  });
});
