import type { FaultPlan } from '@esimlab/faults';
import type { CarrierContext } from '../../../app/carrier-context.ts';

interface HeldAttempt {
  /** Lets the attempt go out. */
  readonly letOut: () => void;
  /** Resolves once the attempt has been answered (or given up): the next one may go. */
  readonly answered: Promise<void>;
  readonly markAnswered: () => void;
}

// Open windows per carrier and endpoint: attempts to one receiver are reordered among themselves.
const openWindows = new WeakMap<CarrierContext, Map<string, HeldAttempt[]>>();

function windowsOf(context: CarrierContext): Map<string, HeldAttempt[]> {
  let windows = openWindows.get(context);
  if (!windows) {
    windows = new Map();
    openWindows.set(context, windows);
  }
  return windows;
}

/**
 * Holds an attempt to `endpointId` in a window that closes `windowMs` (wall time) after the
 * first attempt entered it; then the held attempts go out one at a time, each after the one
 * before was answered, in an order shuffled with the fault plan's seeded source. Resolves
 * when it is this attempt's turn, with a function to call once it has been sent and answered.
 */
export async function holdForReorder(
  context: CarrierContext,
  endpointId: string,
  windowMs: number,
): Promise<() => void> {
  const windows = windowsOf(context);
  let letOut = () => {};
  const turn = new Promise<void>((resolve) => {
    letOut = resolve;
  });
  let markAnswered = () => {};
  const answered = new Promise<void>((resolve) => {
    markAnswered = resolve;
  });
  const held: HeldAttempt = { letOut, answered, markAnswered };

  const open = windows.get(endpointId);
  if (open) {
    open.push(held);
  } else {
    const window = [held];
    windows.set(endpointId, window);
    // `delay`, not `schedule`: a reset cancels scheduled tasks, and a held attempt must not
    // wait for a window that never closes.
    await context.scheduler.delay(windowMs);
    windows.delete(endpointId);
    void letOutInOrder(shuffled(window, context.faults));
  }
  await turn;
  return markAnswered;
}

async function letOutInOrder(order: readonly HeldAttempt[]): Promise<void> {
  for (const held of order) {
    held.letOut();
    await held.answered;
  }
}

/**
 * A seeded Fisher-Yates shuffle that never returns the original order of two or more: a
 * window that let deliveries out as they came would not be a reorder.
 */
export function shuffled<T>(items: readonly T[], plan: Pick<FaultPlan, 'draw'>): T[] {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(plan.draw() * (i + 1));
    [order[i], order[j]] = [order[j] as T, order[i] as T];
  }
  if (order.length > 1 && order.every((item, i) => item === items[i])) {
    order.push(order.shift() as T);
  }
  return order;
}
