const DELAY_SECONDS = /^\s*(\d{1,10})\s*$/;

/**
 * How long a `Retry-After` header asks the client to wait, in ms from `nowMs`: either
 * delay-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`, RFC 9110 §10.2.3).
 * A date in the past means "now" (0). Undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const seconds = DELAY_SECONDS.exec(header);
  if (seconds?.[1] !== undefined) return Number(seconds[1]) * 1000;
  // Date.parse is lenient; an HTTP-date always names a weekday, a month and GMT.
  if (!/GMT\s*$/i.test(header)) return undefined;
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
