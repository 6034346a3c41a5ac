import { describe, expect, it } from 'vitest';
import { carrierNodeFlags, DISK_STORE_OLD_SPACE_MB } from './carrier-node-flags.ts';

const sqlite = { kind: 'sqlite', file: '/tmp/att.sqlite' } as const;
const postgres = { kind: 'postgres', url: 'postgres://127.0.0.1/test', schema: 'att' } as const;
const GiB = 2 ** 30;
const oldSpaceLimit = `--max-old-space-size=${DISK_STORE_OLD_SPACE_MB}`;

describe('carrierNodeFlags', () => {
  it('limits the old generation of a carrier whose state is on disk, on a machine of 8 GB or more', () => {
    for (const store of [sqlite, postgres]) {
      for (const memory of [8 * GiB, 24 * GiB]) {
        expect(carrierNodeFlags(store, undefined, memory)).toEqual([
          '--enable-source-maps',
          '--max-semi-space-size=8',
          oldSpaceLimit,
        ]);
      }
    }
  });

  it("keeps V8's default on a smaller machine, where it is already under 2 GB", () => {
    expect(carrierNodeFlags(sqlite, undefined, 8 * GiB - 2 ** 20)).not.toContain(oldSpaceLimit);
    expect(carrierNodeFlags(postgres, undefined, 4 * GiB)).not.toContain(oldSpaceLimit);
  });

  it('leaves the old generation of a memory store, which holds every record, to V8', () => {
    expect(carrierNodeFlags({ kind: 'memory' }, undefined, 24 * GiB)).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=8',
    ]);
  });

  it('leaves a size that NODE_OPTIONS sets, in either spelling, to it', () => {
    for (const options of [
      '--max-old-space-size=4096 --trace-warnings',
      '--trace-warnings --max_old_space_size=3000',
    ]) {
      expect(carrierNodeFlags(sqlite, options, 24 * GiB)).toEqual([
        '--enable-source-maps',
        '--max-semi-space-size=8',
      ]);
    }
    for (const options of ['--max-semi-space-size=16', '--max_semi_space_size=32']) {
      expect(carrierNodeFlags(sqlite, options, 24 * GiB)).toEqual([
        '--enable-source-maps',
        oldSpaceLimit,
      ]);
    }
  });

  it('is not fooled by a path that contains a flag name', () => {
    expect(
      carrierNodeFlags(sqlite, '--import=/opt/--max-old-space-size/hook.mjs', 24 * GiB),
    ).toEqual(['--enable-source-maps', '--max-semi-space-size=8', oldSpaceLimit]);
  });
});
