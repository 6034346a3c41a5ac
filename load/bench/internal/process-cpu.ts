import { readdir, readFile } from 'node:fs/promises';

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used, from `/proc/<pid>/stat` (Linux; undefined
 * elsewhere or once it is gone). Per top-up, it is the one figure other load on a shared
 * machine does not move: time waiting for a core is not counted.
 */
export async function processCpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    return statCpu(await readFile(`/proc/${pid}/stat`, 'utf8')).seconds;
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
