import { readFileSync } from 'node:fs';

/**
 * A process's main thread's time from `/proc/<pid>/task/<pid>/schedstat` (Linux; in
 * nanoseconds, where `/proc/<pid>/stat` counts 10 ms ticks): on a core, and ready to run but
 * waiting for one. In a Node process that thread runs the event loop; its worker threads and
 * V8's helper threads are not counted.
 */
export interface MainThreadTime {
  readonly pid: number;
  readonly onCoreMs: number;
  readonly waitingMs: number;
  /** When it was read (`performance.now()`). */
  readonly atMs: number;
}

/**
 * Reads it now; undefined where `/proc` has no schedstat, the kernel keeps no scheduler
 * statistics, or the process is gone. Read synchronously (a few bytes from `/proc`), so the
 * time it is stamped with is the time it was read.
 */
export function readMainThreadTime(pid: number | undefined): MainThreadTime | undefined {
  if (pid === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8');
  } catch {
    return undefined;
  }
  const atMs = performance.now();
  const parsed = parseSchedstat(text);
  return parsed === undefined ? undefined : { pid, ...parsed, atMs };
}

/**
 * `<ns on a core> <ns waiting on a run queue> <time slices>`. A kernel that keeps no scheduler
 * statistics prints zeros: no thread that ran has spent no time on a core, so that is none.
 */
export function parseSchedstat(
  text: string,
): { readonly onCoreMs: number; readonly waitingMs: number } | undefined {
  const [onCoreNs, waitingNs] = text.trim().split(/\s+/).map(Number);
  if (onCoreNs === undefined || waitingNs === undefined) return undefined;
  if (!Number.isFinite(onCoreNs) || !Number.isFinite(waitingNs) || onCoreNs <= 0) return undefined;
  return { onCoreMs: onCoreNs / 1e6, waitingMs: waitingNs / 1e6 };
}

/** How the main thread spent the time between two readings, each a share of it (0 to 1). */
export interface MainThreadShares {
  /** On a core: near 1, the event loop had no time left, and what arrived waited for what ran. */
  readonly busyShare: number;
  /** Ready to run, but another thread or process had the cores. */
  readonly waitingShare: number;
}

/** Undefined unless both readings are of the same process and some time passed between them. */
export function mainThreadShares(
  before: MainThreadTime | undefined,
  after: MainThreadTime | undefined,
): MainThreadShares | undefined {
  if (before === undefined || after === undefined || before.pid !== after.pid) return undefined;
  const elapsedMs = after.atMs - before.atMs;
  if (elapsedMs <= 0) return undefined;
  return {
    busyShare: (after.onCoreMs - before.onCoreMs) / elapsedMs,
    waitingShare: (after.waitingMs - before.waitingMs) / elapsedMs,
  };
}

/** "main thread 96 % busy, 4 % waiting for a core" */
export function describeMainThread(shares: MainThreadShares): string {
  const percent = (share: number) => `${Math.round(share * 100)} %`;
  return `main thread ${percent(shares.busyShare)} busy, ${percent(shares.waitingShare)} waiting for a core`;
}
