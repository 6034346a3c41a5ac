import { readdir, readFile } from 'node:fs/promises';

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used, from `/proc/<pid>/stat` (Linux; undefined
 * elsewhere or once it is gone). Per top-up, it is the one figure other load on a shared
 * machine does not move: time waiting for a core is not counted.
 */
export async function processCpuSeconds(pid: number | undefined): Promise<number | undefined> {
  return pid === undefined ? undefined : cpuSecondsIn(`/proc/${pid}/stat`);
}

/**
 * CPU seconds one thread of a process has used, from `/proc/<pid>/task/<tid>/stat`; by default
 * its main thread (whose id is the process's), the one that runs a Node process's event loop.
 * Its worker threads, and V8's for garbage collection, are left out. Undefined as above.
 */
export async function threadCpuSeconds(
  pid: number | undefined,
  tid: number | undefined = pid,
): Promise<number | undefined> {
  return pid === undefined || tid === undefined
    ? undefined
    : cpuSecondsIn(`/proc/${pid}/task/${tid}/stat`);
}

/** A thread's CPU seconds, and when they were read (`performance.now()`). */
export interface ThreadCpuReading {
  readonly cpuSeconds: number | undefined;
  readonly atMs: number;
}

/** Reads a process's main thread's CPU seconds now (`threadCpuSeconds`). */
export async function readMainThreadCpu(pid: number | undefined): Promise<ThreadCpuReading> {
  const cpuSeconds = await threadCpuSeconds(pid);
  return { cpuSeconds, atMs: performance.now() };
}

/**
 * The share of the time between two readings that the thread spent on a core, 0 to 1: near 1,
 * a Node process's event loop had no time left, and whatever arrived waited for what ran.
 */
export function threadBusyShare(
  before: ThreadCpuReading | undefined,
  after: ThreadCpuReading | undefined,
): number | undefined {
  if (before?.cpuSeconds === undefined || after?.cpuSeconds === undefined) return undefined;
  const elapsedMs = after.atMs - before.atMs;
  return elapsedMs > 0 ? ((after.cpuSeconds - before.cpuSeconds) * 1000) / elapsedMs : undefined;
}

async function cpuSecondsIn(statFile: string): Promise<number | undefined> {
  try {
    return statCpu(await readFile(statFile, 'utf8')).seconds;
  } catch {
    return undefined;
  }
}

/** The CPU seconds of several processes together (a carrier's replicas); undefined if one is gone. */
export async function processesCpuSeconds(
  pids: readonly (number | undefined)[],
): Promise<number | undefined> {
  const each = await Promise.all(pids.map(processCpuSeconds));
  let total = 0;
  for (const seconds of each) {
    if (seconds === undefined) return undefined;
    total += seconds;
  }
  return total;
}

/**
 * The CPU seconds of every process named `name` on the machine: a PostgreSQL server forks a
 * backend per connection, each named `postgres`. It counts other clients of that server too,
 * and loses a backend's time once it exits.
 */
export async function cpuSecondsOfProcessesNamed(name: string): Promise<number | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  let total = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = statCpu(await readFile(`/proc/${entry}/stat`, 'utf8'));
      if (stat.command === name && stat.seconds !== undefined) total += stat.seconds;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return total;
}

function statCpu(stat: string): { command: string; seconds: number | undefined } {
  // The command is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
  const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { command, seconds: Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : undefined };
}
