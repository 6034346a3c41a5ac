import { describe, expect, it } from 'vitest';
import { type CollectionDefinition, defineCollection } from './collection.ts';
import { InvalidSchemaError } from './errors.ts';

interface Device {
  readonly eid: string;
  readonly tenantId: string;
  readonly TenantId?: string;
  readonly doc?: string;
  readonly wifi: boolean;
}

function define(definition: CollectionDefinition<Device>) {
  return () => defineCollection<Device>(definition);
}

describe('defineCollection', () => {
  it('returns a frozen handle without duplicate indexes', () => {
    const devices = defineCollection<Device>({
      name: 'devices',
      primaryKey: 'eid',
      indexed: ['tenantId', 'tenantId', 'wifi'],
      unique: [
        ['tenantId', 'wifi'],
        ['wifi', 'tenantId'],
      ],
    });
    expect(devices).toEqual({
      name: 'devices',
      primaryKey: 'eid',
      indexed: ['tenantId', 'wifi'],
      unique: [['tenantId', 'wifi']],
    });
    expect(Object.isFrozen(devices)).toBe(true);
  });

  it.each([
    ['a name that is not an identifier', { name: 'sim-devices', primaryKey: 'eid' }],
    ['a name with a reserved prefix', { name: 'schema_devices', primaryKey: 'eid' }],
    [
      'a field named like the document column',
      { name: 'devices', primaryKey: 'eid', indexed: ['doc'] },
    ],
    [
      'fields that differ only in case',
      { name: 'devices', primaryKey: 'eid', indexed: ['tenantId', 'TenantId'] },
    ],
    ['an empty unique constraint', { name: 'devices', primaryKey: 'eid', unique: [[]] }],
    [
      'a unique constraint repeating a field',
      { name: 'devices', primaryKey: 'eid', unique: [['tenantId', 'tenantId']] },
    ],
  ] as const)('refuses %s', (_, definition) => {
    expect(define(definition as CollectionDefinition<Device>)).toThrow(InvalidSchemaError);
  });
});
