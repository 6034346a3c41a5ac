import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '@esimlab/domain';

/** The longest single advance: ten years of days keeps every due-work window bounded. */
export const MAX_ADVANCE_MS = 3660 * DAY_MS;

export const durationExample = 'P1D, PT12H, P1DT6H30M or P2W';

// Weeks, days and a time part; years and months are refused on purpose: their length
// depends on the calendar and the time zone, so "P1M" would be ambiguous for a test clock.
const DURATION =
  /^P(?:(\d{1,9})W)?(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})(?:\.(\d{1,3}))?S)?)?$/;

export type DurationResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly message: string };

/**
 * Parses a positive ISO 8601 duration of weeks, days, hours, minutes and seconds (e.g.
 * `P1D`, `PT90M`, `P1W2DT3H`) into milliseconds.
 */
export function parseIsoDuration(input: string): DurationResult {
  const refuse = (why: string): DurationResult => ({
    ok: false,
    message: `${why}; use a positive ISO 8601 duration such as ${durationExample}`,
  });
  if (input.startsWith('-')) return refuse('the clock only moves forward');
  const match = DURATION.exec(input);
  if (!match || input === 'P' || input.endsWith('T')) {
    const datePart = input.split('T')[0] ?? '';
    if (datePart.startsWith('P') && /\d[YM]/.test(datePart)) {
      return refuse(`"${input}" uses years or months, whose length depends on the calendar`);
    }
    return refuse(`"${input}" is not an ISO 8601 duration of weeks, days, hours, minutes, seconds`);
  }
  const [, weeks, days, hours, minutes, seconds, fraction] = match;
  const ms =
    Number(weeks ?? 0) * 7 * DAY_MS +
    Number(days ?? 0) * DAY_MS +
    Number(hours ?? 0) * HOUR_MS +
    Number(minutes ?? 0) * MINUTE_MS +
    Number(seconds ?? 0) * SECOND_MS +
    Number((fraction ?? '').padEnd(3, '0'));
  if (ms <= 0) return refuse(`"${input}" is zero`);
  if (ms > MAX_ADVANCE_MS)
    return refuse(`"${input}" is longer than the limit of P3660D per advance`);
  return { ok: true, ms };
}
