import { CarrierProblemError } from '@esimlab/client';
import { StepFailure } from '../scenario-world.ts';

/**
 * Runs a request that must fail with problem `code`. Any other outcome, a success
 * included, fails the step with what happened instead.
 */
export async function expectProblem(code: string, request: () => Promise<unknown>): Promise<void> {
  try {
    await request();
  } catch (error) {
    if (error instanceof CarrierProblemError) {
      if (error.code === code) return;
      throw new StepFailure(
        `expected ${code}; got ${error.status} ${error.code}: ${error.message}`,
      );
    }
    throw error;
  }
  throw new StepFailure(`expected ${code}; the request succeeded`);
}

/** A data size from a scenario (bytes, or `5GB`, `500MB`, `1GiB`) in bytes. */
export function bytesOf(size: number | string): number {
  if (typeof size === 'number') return size;
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(size);
  if (!match) throw new StepFailure(`"${size}" is not a data size such as 500MB or 5GB`);
  const units: Record<string, number> = {
    B: 1,
    KB: 1e3,
    MB: 1e6,
    GB: 1e9,
    KiB: 1024,
    MiB: 1024 ** 2,
    GiB: 1024 ** 3,
  };
  return Math.round(Number(match[1]) * (units[match[2] ?? 'B'] ?? 1));
}
