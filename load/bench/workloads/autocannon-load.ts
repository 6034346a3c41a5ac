import autocannon from 'autocannon';
import { echoBody } from './echo-load.ts';
import type { Measurement } from './measurement.ts';

/**
 * autocannon against the echo with the driver's connections, duration and request: the
 * yardstick the driver must reach 80 % of. It runs in this process, as the driver does.
 */
export async function runAutocannonEcho(
  url: string,
  connections: number,
  durationMs: number,
): Promise<Measurement> {
  const result = await autocannon({
    url,
    connections,
    duration: durationMs / 1000,
    pipelining: 1,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: echoBody,
  });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `autocannon against ${url}: ${result.errors} errors, ${result.non2xx} answers other than 2xx`,
    );
  }
  return {
    name: 'autocannon',
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    durationMs: result.duration * 1000,
  };
}
