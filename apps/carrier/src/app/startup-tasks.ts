import type { CarrierContext } from './carrier-context.ts';

/**
 * Work a carrier does once its store is open and before it serves a request: finishing
 * payment sagas a crash interrupted, re-arming pending webhook deliveries and async
 * completions. Each task must be idempotent: a crash during start-up runs it again.
 */
export interface StartupTask {
  readonly name: string;
  /**
   * Tasks run by phase: 1 finishes interrupted payments, 2 answers the requests they belonged
   * to, 3 re-arms background work (deliveries, async completions) over the recovered state.
   */
  readonly phase: 1 | 2 | 3;
  run(context: CarrierContext): Promise<void>;
}

const tasks: StartupTask[] = [];

/** Registers a start-up task; features call this at module load, in dependency order. */
export function onStartup(task: StartupTask): void {
  if (!tasks.some((t) => t.name === task.name)) tasks.push(task);
}

export async function runStartupTasks(context: CarrierContext): Promise<void> {
  for (const task of [...tasks].sort((a, b) => a.phase - b.phase)) {
    context.logger.debug({ task: task.name }, 'start-up task');
    await task.run(context);
  }
}
