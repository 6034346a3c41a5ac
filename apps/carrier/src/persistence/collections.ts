import type { ApiStyle, LedgerEntry, Money, Profile } from '@esimlab/domain';
import { defineCollection, type Migration } from '@esimlab/store';

/** A customer of the mock carrier: an app developer's account, reached with an API key. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** SHA-256 of the API key; the key itself is shown once, at creation. */
  readonly apiKeyHash: string;
  readonly createdAt: number;
}

export interface Subscriber {
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
}

/** Service status, beside the SGP.22 profile state. */
export type ServiceStatus = 'active' | 'grace' | 'suspended' | 'cancelled' | 'expired';

export interface EsimRecord {
  readonly iccid: string;
  readonly tenantId: string;
  readonly msisdn: string;
  readonly imsi: string;
  /** The device the profile is bound to; absent until linked or first downloaded. */
  readonly eid?: string;
  readonly planId: string;
  readonly profile: Profile;
  readonly status: ServiceStatus;
  readonly activationCode: string;
  readonly matchingId: string;
  readonly confirmationCodeRequired: boolean;
  readonly subscriber: Subscriber;
  readonly paymentMethod: string;
  readonly autoRenew: boolean;
  /** Capability token for the unauthenticated QR URL. */
  readonly qrToken: string;
  readonly createdAt: number;
  /** The order's gateway charge. */
  readonly chargeId: string;
}

export interface DeviceRecord {
  readonly eid: string;
  readonly location: { readonly lat: number; readonly lon: number };
  readonly wifi: boolean;
  readonly createdAt: number;
}

export type ChargeStatus = 'authorized' | 'captured' | 'voided' | 'refunded';

/** The mock payment gateway's own record of a charge (`GET /_sim/gateway/charges`). */
export interface ChargeRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly iccid: string;
  readonly amount: Money;
  readonly status: ChargeStatus;
  readonly purpose: { readonly kind: 'order' | 'topup' | 'renewal' | 'fee'; readonly ref: string };
  readonly paymentMethod: string;
  readonly idempotencyKey?: string;
  /** The client's own reference for a top-up (the `reference` API style). */
  readonly clientReference?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One ledger entry, kept whole, with a sequence that orders entries sharing a timestamp. */
export interface LedgerRecord {
  readonly id: string;
  readonly iccid: string;
  readonly seq: number;
  readonly entry: LedgerEntry;
}

/** A stored `Idempotency-Key` outcome (Stripe semantics), scoped to tenant + method + path. */
export interface IdempotencyRecord {
  /** `<tenant> <METHOD> <path> <key>`: the scope and the key. */
  readonly id: string;
  readonly tenantId: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly state: 'in_progress' | 'completed';
  readonly response?: {
    readonly status: number;
    readonly body: unknown;
    readonly headers: Readonly<Record<string, string>>;
  };
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** The journal behind `GET /_sim/events`: requests and state changes, bounded. */
export interface EventRecord {
  readonly id: string;
  readonly seq: number;
  readonly at: number;
  readonly type: string;
  readonly tenantId?: string;
  readonly iccid?: string;
  readonly eid?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Carrier-wide settings that survive a restart: the clock offset, the API style, overrides. */
export interface SettingsRecord {
  readonly id: 'carrier';
  readonly clockOffsetMs: number;
  readonly apiStyle: ApiStyle;
  readonly coverageOverrides: readonly CoverageOverride[];
  /** Simulated time up to which due work (expiry, renewals, …) has run; absent before the first run. */
  readonly dueWorkThroughMs?: number;
}

export interface CoverageOverride {
  readonly id: string;
  readonly name: string;
  /** A circle on the map: points within `radiusKm` get `signal`. */
  readonly center: { readonly lat: number; readonly lon: number };
  readonly radiusKm: number;
  readonly signal: 'none' | 'weak' | 'good';
}

export const tenants = defineCollection<Tenant>({
  name: 'tenants',
  primaryKey: 'id',
  unique: [['apiKeyHash'], ['name']],
});

export const esims = defineCollection<EsimRecord>({
  name: 'esims',
  primaryKey: 'iccid',
  unique: [['msisdn'], ['imsi'], ['matchingId'], ['qrToken']],
  indexed: ['tenantId', 'eid', 'createdAt'],
});

export const devices = defineCollection<DeviceRecord>({
  name: 'devices',
  primaryKey: 'eid',
  indexed: ['createdAt'],
});

export const charges = defineCollection<ChargeRecord>({
  name: 'charges',
  primaryKey: 'id',
  indexed: ['tenantId', 'iccid', 'createdAt'],
});

export const ledger = defineCollection<LedgerRecord>({
  name: 'ledger',
  primaryKey: 'id',
  unique: [['seq']],
  indexed: ['iccid'],
});

export const idempotencyKeys = defineCollection<IdempotencyRecord>({
  name: 'idempotencyKeys',
  primaryKey: 'id',
  indexed: ['expiresAt'],
});

export const events = defineCollection<EventRecord>({
  name: 'events',
  primaryKey: 'id',
  unique: [['seq']],
  indexed: ['type', 'iccid', 'eid', 'tenantId'],
});

export const settings = defineCollection<SettingsRecord>({ name: 'settings', primaryKey: 'id' });

/**
 * The carrier's schema, one append-only step per version. Each step spells out the specs as
 * they were at that version, so an old database migrates the same way forever.
 */
export const carrierMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'carrier-core',
    collections: [
      { name: 'tenants', primaryKey: 'id', unique: [['apiKeyHash'], ['name']] },
      {
        name: 'esims',
        primaryKey: 'iccid',
        unique: [['msisdn'], ['imsi'], ['matchingId'], ['qrToken']],
        indexed: ['tenantId', 'eid', 'createdAt'],
      },
      { name: 'devices', primaryKey: 'eid', indexed: ['createdAt'] },
      { name: 'charges', primaryKey: 'id', indexed: ['tenantId', 'iccid', 'createdAt'] },
      { name: 'ledger', primaryKey: 'id', unique: [['seq']], indexed: ['iccid'] },
      { name: 'idempotencyKeys', primaryKey: 'id', indexed: ['expiresAt'] },
      {
        name: 'events',
        primaryKey: 'id',
        unique: [['seq']],
        indexed: ['type', 'iccid', 'eid', 'tenantId'],
      },
      { name: 'settings', primaryKey: 'id' },
    ],
  },
];
