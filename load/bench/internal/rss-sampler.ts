import { readFile } from 'node:fs/promises';

export interface RssSample {
  /** Since the sampler started. */
  readonly atMs: number;
  readonly rssBytes: number;
  /** Top-ups the carrier had taken by then. */
  readonly topups: number;
}

export interface RssSampler {
  readonly samples: readonly RssSample[];
  /** The highest RSS seen, in bytes. */
  readonly maxBytes: number;
  stop(): void;
}

/**
 * Samples a process's resident set size from `/proc/<pid>/status` (Linux) every `everyMs`,
 * with the top-up count at that moment. A process that is gone (or no /proc) is skipped.
 */
export function sampleRss(
  pid: () => number | undefined,
  topups: () => number,
  everyMs = 500,
): RssSampler {
  const startedAt = performance.now();
  const samples: RssSample[] = [];
  let maxBytes = 0;
  let reading = false;
  const sample = async () => {
    const id = pid();
    if (id === undefined || reading) return;
    reading = true;
    try {
      const status = await readFile(`/proc/${id}/status`, 'utf8');
      const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
      if (Number.isFinite(kb)) {
        const rssBytes = kb * 1024;
        maxBytes = Math.max(maxBytes, rssBytes);
        samples.push({ atMs: performance.now() - startedAt, rssBytes, topups: topups() });
      }
    } catch {
      // Between a crash and its restart there is no process to read.
    } finally {
      reading = false;
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), everyMs);
  return {
    samples,
    get maxBytes() {
      return maxBytes;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** The RSS at every tenth of `goal` top-ups: the first sample at or past each mark. */
export function rssAtMarks(
  samples: readonly RssSample[],
  goal: number,
): { readonly topups: number; readonly rssBytes: number }[] {
  return Array.from({ length: 11 }, (_, i) => Math.round((goal * i) / 10)).flatMap((mark) => {
    const at = samples.find((s) => s.topups >= mark);
    return at ? [{ topups: mark, rssBytes: at.rssBytes }] : [];
  });
}
