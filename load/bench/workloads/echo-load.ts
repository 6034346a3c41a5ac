import { formatDuration, runWorkload } from '../../src/index.ts';
import type { Measurement } from './measurement.ts';

/** The request every echo benchmark sends: a top-up's body, so the JSON work is alike. */
export const echoBody = JSON.stringify({
  planId: 'att-boost-1gb',
  paymentMethod: 'pm_card_visa',
  clientReference: 'bench-0000000000-echo-000000',
});

/**
 * A closed loop of `connections` VUs, each POSTing the echo body and reading the answer
 * (its body read and dropped, as autocannon does) as fast as the server answers.
 */
export async function runEchoLoad(
  name: string,
  url: string,
  connections: number,
  durationMs: number,
): Promise<Measurement> {
  const result = await runWorkload({
    scenario: name,
    executor: {
      executor: 'constant-vus',
      vus: connections,
      duration: formatDuration(durationMs),
      gracefulStop: '5s',
    },
    async iterate(_data, { runtime }) {
      await runtime.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        body: echoBody,
        timeoutMs: 10_000,
        name,
        discardBody: true,
      });
    },
  });
  if (result.iterationErrors.length > 0) {
    throw new Error(`${name}: ${result.iterationErrors.join('; ')}`);
  }
  const failed = result.metrics.get('http_req_failed')?.statistic('rate', 0) ?? 0;
  if (failed > 0.001) {
    throw new Error(`${name}: ${(failed * 100).toFixed(2)} % of requests failed; is ${url} up?`);
  }
  return {
    name,
    rps: result.requestsPerSecond,
    p50Ms: result.latency.p50Ms,
    p99Ms: result.latency.p99Ms,
    requests: result.metrics.get('http_reqs')?.statistic('count', 0) ?? 0,
    durationMs: result.scenarioDurationMs,
  };
}
