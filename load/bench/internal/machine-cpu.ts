import { readFile } from 'node:fs/promises';

/** The machine's CPU time in clock ticks, all cores together, from the first line of `/proc/stat`. */
export interface MachineCpuTicks {
  readonly busy: number;
  readonly total: number;
}

/** Reads `/proc/stat` (Linux; undefined elsewhere). */
export async function readMachineCpu(): Promise<MachineCpuTicks | undefined> {
  try {
    return parseProcStat(await readFile('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** `cpu  user nice system idle iowait irq softirq steal …`: idle and iowait are not busy. */
export function parseProcStat(text: string): MachineCpuTicks | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  // guest and guest_nice are already counted in user and nice.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((t) => !Number.isFinite(t))) return undefined;
  const total = ticks.reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * The share of all cores that were busy between two readings, whoever used them: near 1, the
 * machine had no core left to give another replica.
 */
export function busyShare(
  before: MachineCpuTicks | undefined,
  after: MachineCpuTicks | undefined,
): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : undefined;
}
