import type { CarrierContext } from '../../app/carrier-context.ts';

const queues = new WeakMap<CarrierContext, Promise<unknown>>();

/**
 * Runs `task` after every earlier task of this carrier has settled. Clock advances, resets
 * and seeding go through here, so a due-work window never interleaves with a reset.
 * Do not call it from inside a task: that would wait for itself.
 */
export function exclusiveClockWork<T>(context: CarrierContext, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(context) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(task);
  queues.set(context, next);
  return next;
}
