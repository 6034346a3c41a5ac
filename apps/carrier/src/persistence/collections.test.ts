import { describe, expect, it } from 'vitest';
import { carrierCollections, carrierMigrations } from './collections.ts';

describe('carrierCollections', () => {
  it('names every collection a migration creates, so a reset wipes collections added later', () => {
    const created = carrierMigrations.flatMap((m) => m.collections ?? []).map((c) => c.name);
    expect([...carrierCollections.keys()].sort()).toEqual([...created].sort());
  });
});
