import { defineCollection, type Migration } from '../../src/index.ts';

// What both store benchmarks write: a purchase's charge and the journal events it emits.

export interface Charge {
  readonly id: string;
  readonly tenantId: string;
  readonly iccid: string;
  readonly status: 'authorized' | 'captured';
  readonly createdAt: number;
  readonly note: string;
}

export interface JournalEvent {
  readonly id: string;
  readonly seq: number;
  readonly type: string;
  readonly iccid: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export const charges = defineCollection<Charge>({
  name: 'charges',
  primaryKey: 'id',
  indexed: ['tenantId', 'iccid', 'status', 'createdAt'],
});
export const events = defineCollection<JournalEvent>({
  name: 'events',
  primaryKey: 'id',
  unique: [['seq']],
  indexed: ['type', 'iccid'],
});
export const migrations: readonly Migration[] = [
  { version: 1, name: 'charges and events', collections: [charges, events] },
  { version: 2, name: 'event numbers', sequences: [{ collection: 'events', field: 'seq' }] },
];

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

const randomChars = (length: number) => {
  let chars = '';
  for (let i = 0; i < length; i++) chars += alphabet[Math.floor(Math.random() * alphabet.length)];
  return chars;
};
export const randomKey = (prefix: string) => `${prefix}_${randomChars(20)}`;
let lastMs = 0;
let sameMs = 0;
/** Time first, then a counter and random characters: appends to the primary-key index. */
export const orderedKey = (prefix: string) => {
  const now = Date.now();
  sameMs = now === lastMs ? sameMs + 1 : 0;
  lastMs = now;
  return `${prefix}_${now.toString(36).padStart(9, '0')}${sameMs.toString(36).padStart(4, '0')}${randomChars(7)}`;
};
