import { describe, expect, it } from 'vitest';
import { carrierNodeFlags, DISK_STORE_OLD_SPACE_MB } from './carrier-node-flags.ts';

const sqlite = { kind: 'sqlite', file: '/tmp/att.sqlite' } as const;
const postgres = { kind: 'postgres', url: 'postgres://127.0.0.1/test', schema: 'att' } as const;

describe('carrierNodeFlags', () => {
  it('caps the old generation of a carrier whose state is on disk', () => {
    for (const store of [sqlite, postgres]) {
      expect(carrierNodeFlags(store, undefined)).toEqual([
        '--enable-source-maps',
        '--max-semi-space-size=8',
        `--max-old-space-size=${DISK_STORE_OLD_SPACE_MB}`,
      ]);
    }
  });

  it('leaves the old generation of a memory store, which holds every record, to V8', () => {
    expect(carrierNodeFlags({ kind: 'memory' }, undefined)).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=8',
    ]);
  });

  it('leaves a size that NODE_OPTIONS sets to it', () => {
    expect(carrierNodeFlags(sqlite, '--max-old-space-size=4096 --trace-warnings')).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=8',
    ]);
    expect(carrierNodeFlags(sqlite, '--max-semi-space-size=16')).toEqual([
      '--enable-source-maps',
      `--max-old-space-size=${DISK_STORE_OLD_SPACE_MB}`,
    ]);
  });
});
