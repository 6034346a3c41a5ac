import { describe, expect, it } from 'vitest';
import { InvalidSchemaError } from '../errors.ts';
import type { Migration } from '../migration.ts';
import { planMigration, validateMigrations } from './schema.ts';

describe('validateMigrations', () => {
  it.each([
    ['a repeated version', [1, 1]],
    ['a decreasing version', [2, 1]],
    ['version zero', [0]],
    ['a fractional version', [1.5]],
  ])('refuses %s', (_, versions) => {
    const migrations = versions.map((version) => ({ version, name: `v${version}` }));
    expect(() => validateMigrations(migrations)).toThrow(InvalidSchemaError);
  });

  it('accepts gaps between versions', () => {
    expect(() =>
      validateMigrations([
        { version: 1, name: 'a' },
        { version: 5, name: 'b' },
      ]),
    ).not.toThrow();
  });
});

describe('planMigration', () => {
  const created: Migration = {
    version: 1,
    name: 'topups',
    collections: [{ name: 'topups', primaryKey: 'id', indexed: ['iccid'] }],
  };

  it('adds a column only for fields that have none yet, and skips indexes that exist', () => {
    const { schema } = planMigration(new Map(), created);
    const { changes } = planMigration(schema, {
      version: 2,
      name: 'references',
      addIndexes: [
        { collection: 'topups', indexed: ['iccid'], unique: [['iccid', 'clientReference']] },
      ],
    });
    expect(changes).toEqual([
      { kind: 'addColumn', collection: 'topups', field: 'clientReference' },
      { kind: 'addUnique', collection: 'topups', fields: ['iccid', 'clientReference'] },
    ]);
  });

  it('refuses to create a collection twice or to index one that does not exist', () => {
    const { schema } = planMigration(new Map(), created);
    expect(() => planMigration(schema, { ...created, version: 2 })).toThrow(InvalidSchemaError);
    expect(() =>
      planMigration(schema, {
        version: 2,
        name: 'x',
        addIndexes: [{ collection: 'esims', indexed: ['iccid'] }],
      }),
    ).toThrow(InvalidSchemaError);
  });

  it('plans the sequences a migration declares on indexed or unique fields', () => {
    const { schema } = planMigration(new Map(), created);
    const plan = planMigration(
      schema,
      { version: 2, name: 'numbered', sequences: [{ collection: 'topups', field: 'iccid' }] },
      new Set(['topups.other']),
    );
    expect(plan.sequences).toEqual([{ collection: 'topups', field: 'iccid' }]);
  });

  it.each([
    ['an unknown collection', { collection: 'esims', field: 'iccid' }, []],
    ['a field without an index', { collection: 'topups', field: 'amountMinor' }, []],
    ['the primary key', { collection: 'topups', field: 'id' }, []],
    ['a sequence declared before', { collection: 'topups', field: 'iccid' }, ['topups.iccid']],
  ])('refuses a sequence on %s', (_, sequence, declared) => {
    const { schema } = planMigration(new Map(), created);
    const migration: Migration = { version: 2, name: 'numbered', sequences: [sequence] };
    expect(() => planMigration(schema, migration, new Set(declared))).toThrow(InvalidSchemaError);
  });

  it('refuses a sequence declared twice in one migration', () => {
    const { schema } = planMigration(new Map(), created);
    const sequence = { collection: 'topups', field: 'iccid' };
    expect(() =>
      planMigration(schema, { version: 2, name: 'numbered', sequences: [sequence, sequence] }),
    ).toThrow(InvalidSchemaError);
  });
});
