import {
  CarrierNetworkError,
  type CarrierRequestError,
  isCarrierRequestError,
} from '@esimlab/client';
import type { CarrierWorld } from '../carrier-world.ts';

const MAX_TRIES = 4;

/**
 * A call that is not under test (activation, devices, the control plane): it must succeed,
 * but the carrier may be restarting after a crash point fired in the background. A refused or
 * reset connection waits for the carrier and tries again; every call made this way is safe
 * to repeat (reads, control-plane writes, or POSTs carrying an Idempotency-Key).
 */
export async function steadily<T>(
  world: Pick<CarrierWorld, 'whenUp'>,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const lostConnection =
        error instanceof CarrierNetworkError &&
        (error.kind === 'refused' || error.kind === 'reset');
      if (!lostConnection || attempt >= MAX_TRIES) throw error;
    }
    await world.whenUp();
  }
}

/** The error of a call that must fail, or undefined when it succeeded. */
export async function failureOf(call: Promise<unknown>): Promise<CarrierRequestError | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    if (isCarrierRequestError(error)) return error;
    throw error;
  }
}

/**
 * Time limit of a clock advance: it answers once all due work ran, webhook deliveries
 * included, and a delayed or reordered delivery holds it up for seconds of the world's time.
 */
export const ADVANCE_TIMEOUT_MS = 120_000;
