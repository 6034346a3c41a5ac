/**
 * A benchmark's size from the environment (`BENCH_ROUNDS=5`), or `fallback` when unset. A value
 * that is not a positive whole number stops the benchmark with a line naming the variable and
 * the fix, exit code 2, instead of a run of NaN rounds.
 */
export function positiveIntegerEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isSafeInteger(value) && value > 0) return value;
  console.error(
    `${name} must be a positive whole number, got \`${raw}\`; unset it for the default (${fallback})`,
  );
  process.exit(2);
}
