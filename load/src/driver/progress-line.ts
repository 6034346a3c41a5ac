import { formatMs } from '../summary/text-summary.ts';

/** Where a run is, sampled once a second. */
export interface ProgressSnapshot {
  readonly scenario: string;
  readonly elapsedMs: number;
  /** The scenario's planned length, without the graceful stop. */
  readonly durationMs: number;
  readonly stopping: boolean;
  /** The last snapshot: every iteration has ended. */
  readonly finished: boolean;
  readonly vusActive: number;
  readonly vusMax: number;
  readonly completed: number;
  readonly interrupted: number;
  readonly dropped: number;
  readonly requests: number;
  /** Requests per second over the last sample. */
  readonly currentRps: number;
  /** p95 of http_req_duration so far. */
  readonly p95Ms: number;
}

/**
 * How progress is shown: on a terminal one line rewritten in place (`tty`), elsewhere (a CI
 * log) a line every `everyMs` (default 5 s).
 */
export type ProgressOutput =
  | { readonly mode: 'tty'; write(chunk: string): void }
  | { readonly mode: 'lines'; line(text: string): void; readonly everyMs?: number };

/** One line: `steady [=====>    ] 52% 15.6s/30s  vus 12/60  iters 312 (0 dropped)  45.1 req/s  p95 12ms`. */
export function formatProgressLine(p: ProgressSnapshot): string {
  const share = p.durationMs <= 0 ? 1 : Math.min(1, p.elapsedMs / p.durationMs);
  const width = 20;
  const filled = Math.round(share * width);
  const bar =
    `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (share >= 1 ? '=' : '>') : ''}`.padEnd(
      width,
    );
  const phase = p.finished
    ? 'done'
    : p.stopping
      ? 'stopping'
      : `${String(Math.floor(share * 100)).padStart(3)}%`;
  return [
    `${p.scenario} [${bar}] ${phase} ${formatMs(Math.min(p.elapsedMs, p.durationMs))}/${formatMs(p.durationMs)}`,
    `vus ${p.vusActive}/${p.vusMax}`,
    `iters ${p.completed}${p.interrupted > 0 ? ` (${p.interrupted} interrupted)` : ''} (${p.dropped} dropped)`,
    `${p.currentRps.toFixed(1)} req/s`,
    `p95 ${formatMs(p.p95Ms)}`,
  ].join('  ');
}

/** Shows snapshots on `output`; `finish()` ends a terminal's line. */
export function progressReporter(output: ProgressOutput): {
  show(snapshot: ProgressSnapshot): void;
  finish(snapshot: ProgressSnapshot): void;
} {
  let lastLineAt = Number.NEGATIVE_INFINITY;
  return {
    show(snapshot) {
      if (output.mode === 'tty') {
        output.write(`\r\u001b[2K${formatProgressLine(snapshot)}`);
        return;
      }
      if (snapshot.elapsedMs - lastLineAt >= (output.everyMs ?? 5000)) {
        lastLineAt = snapshot.elapsedMs;
        output.line(formatProgressLine(snapshot));
      }
    },
    finish(snapshot) {
      if (output.mode === 'tty') output.write(`\r\u001b[2K${formatProgressLine(snapshot)}\n`);
      else output.line(formatProgressLine(snapshot));
    },
  };
}
