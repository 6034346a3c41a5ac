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
});
