import type { CarrierProcessConfig } from './carrier-process-protocol.ts';

/** The old generation's limit that keeps its growth near the carrier's live data; see `carrierNodeFlags`. */
export const DISK_STORE_OLD_SPACE_MB = 2000;

/**
 * The Node flags a carrier process runs with:
 * - stack traces that name the .ts files;
 * - a young generation of 8 MB semi-spaces instead of V8's 16: a carrier keeps little in memory
 *   but allocates fast, and over 300,000 top-ups its peak anonymous memory was 186 MB against
 *   255, at the same top-ups/s (1,449 against 1,456);
 * - with its state on disk (SQLite, PostgreSQL), an old generation of at most 2,000 MB, just
 *   under 2 GB. Node 20's V8 lets the old generation grow to up to four times what survived its
 *   last full collection when its limit is 2 GB or more (the default limit is a quarter of the
 *   machine's memory, up to 4 GB), and to at most twice that below 2 GB. Under load a carrier
 *   keeps about 30 MB alive while its heap grew to 100-130 MB between collections, so the limit
 *   changes how soon V8 collects, not what the carrier can hold. Four alternating pairs at
 *   saturation (27,000-29,000 top-ups each): RSS peaked at 161-172 MB against 220-226, CPU per
 *   top-up within the runs' noise (-4 % to +14 %, median +3 %). A limit of 1,024 MB (at most
 *   1.6 times) saved about as much (peaks 158-163 MB) and cost 7-15 % more CPU in each of three
 *   pairs. A memory store holds every record in that heap, so it keeps V8's default.
 *
 * A flag that `nodeOptions` (the `NODE_OPTIONS` the child inherits) already sets is left to it:
 * a command-line flag would override it.
 */
export function carrierNodeFlags(
  store: CarrierProcessConfig['store'],
  nodeOptions: string | undefined,
): string[] {
  const flags = ['--enable-source-maps'];
  const set = (flag: string) => nodeOptions?.includes(flag) ?? false;
  if (!set('--max-semi-space-size')) flags.push('--max-semi-space-size=8');
  if (store.kind !== 'memory' && !set('--max-old-space-size')) {
    flags.push(`--max-old-space-size=${DISK_STORE_OLD_SPACE_MB}`);
  }
  return flags;
}
