// Engine-neutral (see flow/load-runtime.ts).

export type DurationParse =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly message: string };

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration as k6 writes them (Go's syntax): `30s`, `2m`, `1m30s`, `1.5s`, `500ms`.
 * A bare number is refused: it is not clear whether it means seconds or milliseconds.
 */
export function parseDuration(text: string): DurationParse {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (trimmed === '' || parts.length === 0 || consumed !== trimmed) {
    return {
      ok: false,
      message: /^\d+(\.\d+)?$/.test(trimmed)
        ? `"${text}" has no unit; write ${trimmed}s for seconds (units: ms, s, m, h)`
        : `"${text}" is not a duration; write e.g. 30s, 2m or 1m30s (units: ms, s, m, h)`,
    };
  }
  const ms = parts.reduce(
    (sum, [, amount = '0', unit = 's']) => sum + Number(amount) * (unitMs[unit] ?? 0),
    0,
  );
  return { ok: true, ms: Math.round(ms) };
}

/** A whole number of milliseconds in the shortest form `parseDuration` and k6 read: `1m30s`. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  if (rest === 0) return '0s';
  let text = '';
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * size;
  }
  return text;
}
