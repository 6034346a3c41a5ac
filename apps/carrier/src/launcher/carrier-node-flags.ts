import { totalmem } from 'node:os';
import type { CarrierProcessConfig } from './carrier-process-protocol.ts';

/** The old generation's limit that keeps its growth near the carrier's live data; see `carrierNodeFlags`. */
export const DISK_STORE_OLD_SPACE_MB = 2000;

/** Where Node 20's V8 switches to its high heap-growing factor: an old generation of 2 GB. */
const HIGH_GROWTH_FROM_MB = 2048;

/**
 * The Node flags a carrier process runs with, on a machine (or in a container) with
 * `memoryBytes` of memory:
 * - stack traces that name the .ts files;
 * - a young generation of 8 MB semi-spaces instead of V8's 16: a carrier keeps little in memory
 *   but allocates fast, and over 300,000 top-ups its peak anonymous memory was 186 MB against
 *   255, at the same top-ups/s (1,449 against 1,456);
 * - with its state on disk (SQLite, PostgreSQL), an old generation of at most 2,000 MB, just
 *   under 2 GB, where V8 would allow more. Node 20's V8 sizes the old generation at a quarter
 *   of the memory, up to 4 GB, and from 2 GB up lets it grow to up to four times what survived
 *   its last full collection before the next; below 2 GB, to at most twice. Under load a
 *   carrier keeps about 30 MB alive while its heap grew to 100-130 MB between collections. Four
 *   alternating pairs at saturation (27,000-29,000 top-ups each): RSS peaked at 161-172 MB
 *   against 220-226, CPU per top-up within the runs' noise (-4 % to +14 %, median +3 %). A limit
 *   of 1,024 MB (at most 1.6 times) saved about as much (peaks 158-163 MB) and cost 7-15 % more
 *   CPU in each of three pairs. It also halves the most the heap can hold, from 4 GB on a
 *   machine of 16 GB or more. Only requests that read a whole collection come near it, after
 *   hundreds of thousands of top-ups without a reset: the audit reads a page at a time, and the
 *   full lists of the ledger and of the gateway's charges read every row at once but write
 *   their answer in pieces outside the heap. A memory store holds every record in that heap, so
 *   it keeps V8's default, as does a machine under 8 GB, whose default is already under 2 GB.
 *
 * A size that `nodeOptions` (the `NODE_OPTIONS` the child inherits) already sets, in either
 * spelling (`--max-old-space-size`, `--max_old_space_size`), is left to it: a command-line flag
 * would override it.
 */
export function carrierNodeFlags(
  store: CarrierProcessConfig['store'],
  nodeOptions: string | undefined,
  memoryBytes: number = machineMemoryBytes(),
): string[] {
  const flags = ['--enable-source-maps'];
  const given = new Set(
    (nodeOptions ?? '')
      .split(/\s+/)
      .filter((token) => token.startsWith('--'))
      .map((token) => (token.split('=')[0] as string).replaceAll('_', '-')),
  );
  if (!given.has('--max-semi-space-size')) flags.push('--max-semi-space-size=8');
  const defaultOldSpaceMb = memoryBytes / 4 / 2 ** 20;
  if (
    store.kind !== 'memory' &&
    defaultOldSpaceMb >= HIGH_GROWTH_FROM_MB &&
    !given.has('--max-old-space-size')
  ) {
    flags.push(`--max-old-space-size=${DISK_STORE_OLD_SPACE_MB}`);
  }
  return flags;
}

/** The memory Node sizes V8's heap from: the machine's, or its container's limit if lower. */
function machineMemoryBytes(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}
