import { parseDuration } from '../../scenarios/duration.ts';
import type {
  ConstantArrivalRateConfig,
  RampingArrivalRateConfig,
} from '../../scenarios/executor-config.ts';

/** When each iteration of an arrival-rate executor is due, from the start of the scenario. */
export interface ArrivalSchedule {
  readonly durationMs: number;
  /** Iterations due before the end: the k-th is due when k iterations' worth of rate has passed. */
  readonly total: number;
  /** When iteration `index` (0-based, < total) is due, in ms. */
  dueAtMs(index: number): number;
}

interface Segment {
  readonly startMs: number;
  readonly lengthMs: number;
  /** Iterations per ms at the start and end of the segment (linear in between). */
  readonly fromRate: number;
  readonly toRate: number;
  /** Iterations due before the segment starts (fractional). */
  readonly before: number;
}

/**
 * The schedule of a constant or ramping arrival rate. Like k6, the rate changes linearly
 * across each stage, and the first iteration is due at once.
 */
export function arrivalSchedule(
  config: ConstantArrivalRateConfig | RampingArrivalRateConfig,
): ArrivalSchedule {
  const unitMs = durationMs(config.timeUnit, 'timeUnit');
  const stages =
    config.executor === 'constant-arrival-rate'
      ? [{ ms: durationMs(config.duration, 'duration'), from: config.rate, to: config.rate }]
      : config.stages.map((stage, i, all) => ({
          ms: durationMs(stage.duration, `stages[${i}].duration`),
          from: i === 0 ? config.startRate : (all[i - 1]?.target ?? config.startRate),
          to: stage.target,
        }));
  const segments: Segment[] = [];
  let startMs = 0;
  let before = 0;
  for (const stage of stages) {
    const segment: Segment = {
      startMs,
      lengthMs: stage.ms,
      fromRate: stage.from / unitMs,
      toRate: stage.to / unitMs,
      before,
    };
    segments.push(segment);
    before += ((segment.fromRate + segment.toRate) / 2) * stage.ms;
    startMs += stage.ms;
  }
  // A float sum such as 2.9999999 is three iterations' worth of rate.
  const total = Math.max(0, Math.ceil(before - 1e-6));
  let cursor = 0;
  return {
    durationMs: startMs,
    total,
    dueAtMs(index) {
      // Indexes are asked for in order, so the segment cursor only moves forward.
      if (cursor >= segments.length || index < (segments[cursor]?.before ?? 0)) cursor = 0;
      while (cursor + 1 < segments.length && index >= (segments[cursor + 1]?.before ?? 0)) {
        cursor++;
      }
      const s = segments[cursor];
      if (s === undefined) return startMs;
      return s.startMs + offsetInSegment(s, index - s.before);
    },
  };
}

/** Solves before + a·t + (b−a)·t²/(2L) = index for t, the time the index-th iteration is due. */
function offsetInSegment(s: Segment, due: number): number {
  if (due <= 0) return 0;
  const a = s.fromRate;
  const slope = (s.toRate - s.fromRate) / s.lengthMs;
  if (Math.abs(slope) < 1e-15) return a === 0 ? s.lengthMs : Math.min(s.lengthMs, due / a);
  const t = (-a + Math.sqrt(Math.max(0, a * a + 2 * slope * due))) / slope;
  return Math.min(s.lengthMs, Math.max(0, t));
}

function durationMs(text: string, field: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new RangeError(`${field}: ${parsed.message}`);
  return parsed.ms;
}
