import { startCarriers } from '@esimlab/carrier';
import type { CarrierId } from '@esimlab/domain';
import type { TestProject } from 'vitest/node';
import { CarrierClient } from '../../src/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    carrierUrls: Readonly<Record<CarrierId, string>>;
  }
}

/** How soon the shared verizon completes an async top-up: quick, so the tests are. */
export const TEST_ASYNC_COMPLETION_MS = 200;

/**
 * Starts the three carriers once for every test file, as real processes on free ports with
 * in-memory stores. Tests share them, so each keeps to its own eSIMs and scopes its fault
 * rules to its own requests (see `scopedClient`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const running = await startCarriers({
    carriers: ['att', 'tmobile', 'verizon'],
    ports: { att: 0, tmobile: 0, verizon: 0 },
    store: 'memory',
    logLevel: 'silent',
    onLog: () => undefined,
  });
  const verizon = new CarrierClient({ baseUrl: running.urls.verizon });
  await verizon.sim.updateConfig({ asyncCompletionMs: TEST_ASYNC_COMPLETION_MS });
  verizon.close();
  project.provide('carrierUrls', running.urls);
  return () => running.stop();
}
