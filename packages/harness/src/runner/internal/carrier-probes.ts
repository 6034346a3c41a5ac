import type { TimelinePoint } from '../../reports/run-report.ts';
import type { ScenarioWorld } from '../scenario-world.ts';

/**
 * Waits until the carrier answers `GET /healthz`: after a crash point fired, its launcher
 * needs a moment to restart it. A refused connection never reached the carrier, so waiting
 * and asking again is always safe.
 */
export async function waitUntilHealthy(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `the carrier at ${baseUrl} did not answer /healthz within ${timeoutMs} ms (${last})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each named eSIM's data balance and captured charges now, for the report's chart. */
export async function sampleTimeline(world: ScenarioWorld): Promise<TimelinePoint[]> {
  if (world.esims.size === 0) return [];
  const { now } = await world.client.sim.clock();
  const atMs = world.elapsedMs();
  return Promise.all(
    [...world.esims.entries()].map(async ([name, esim]) => {
      const [usage, charges] = await Promise.all([
        esim.client.usage(esim.iccid),
        world.client.sim.gatewayCharges({ iccid: esim.iccid }),
      ]);
      const captured = charges.filter((c) => c.status === 'captured');
      return {
        atMs,
        clock: now,
        esim: name,
        dataRemainingBytes: usage.dataRemainingBytes,
        capturedMinor: captured.reduce((sum, c) => sum + c.amount.amount, 0),
        charges: captured.length,
      };
    }),
  );
}
