import type { CarrierContext } from '../../../app/carrier-context.ts';

/**
 * Real time, without the test clock's offset: signatures use real Unix time (receivers check
 * them against their own clock) and attempt durations are wall time.
 */
export const wallNow = (context: CarrierContext): number =>
  context.clock.now() - context.clock.offsetMs;
