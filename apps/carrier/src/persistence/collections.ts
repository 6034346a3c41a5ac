import type { ApiStyle, CreditSource, LedgerEntry, Money, Profile } from '@esimlab/domain';
import type { FaultRule } from '@esimlab/faults';
import { type Collection, defineCollection, type Migration } from '@esimlab/store';

/**
 * Which replica (carrier process) is working on a piece of shared work (a payment saga, a
 * request under an `Idempotency-Key`, a webhook attempt), and since when in wall time. Another
 * replica takes the work over only once the holder is presumed dead (see `replication/`).
 */
export interface Hold {
  /** The holder's instance id (`ReplicaRecord.id`). */
  readonly replica: string;
  /** Wall-clock ms (never the test clock: an advance must not make work look abandoned). */
  readonly sinceMs: number;
}

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
  /** While in `grace`: when renewal retries stop and the service is suspended. */
  readonly graceUntil?: number;
  /** When the eSIM was cancelled (`POST /v1/esims/{iccid}/cancel`). */
  readonly cancelledAt?: number;
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
  /** While `authorized`: the replica running its saga. */
  readonly hold?: Hold;
}

export type TopupStatus = 'pending' | 'succeeded' | 'failed';

/** A data top-up: an add-on bought online, paid through the payment saga. */
export interface TopupRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly iccid: string;
  readonly planId: string;
  readonly status: TopupStatus;
  readonly amount: Money;
  readonly dataBytes: number;
  /** Promotion data granted with it, if a promotion was active at purchase. */
  readonly bonusBytes: number;
  /** The gateway charge; null when the payment was declined. */
  readonly chargeId: string | null;
  readonly clientReference: string | null;
  readonly paymentMethod: string;
  readonly apiStyle: ApiStyle;
  /** Why it failed (`card_declined`, ...), when it failed. */
  readonly failureCode?: string;
  readonly createdAt: number;
  /** `async` style: when the carrier completes it (simulated time). */
  readonly dueAt?: number;
  readonly completedAt: number | null;
}

export type RenewalStatus = 'pending' | 'succeeded' | 'failed';

/** One attempt to pay for the next period of an eSIM's base plan, through the payment saga. */
export interface RenewalRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly iccid: string;
  readonly planId: string;
  readonly status: RenewalStatus;
  readonly amount: Money;
  /** The gateway charge; null when the payment was declined. */
  readonly chargeId: string | null;
  /** The period paid for starts here: the expiry it follows (or the reactivation moment). */
  readonly periodStart: number;
  /** When the new data becomes usable: `periodStart` on time, the payment moment when late. */
  readonly validFrom: number;
  /** 1 for the renewal at expiry, then one more per retry of the same period. */
  readonly attempt: number;
  /** `<iccid>:<periodStart>:<attempt>`, unique: a period's attempt is never made twice. */
  readonly periodKey: string;
  readonly paymentMethod: string;
  /** Why it failed (`card_declined`, ...), when it failed. */
  readonly failureCode?: string;
  readonly createdAt: number;
  readonly completedAt: number | null;
}

export type CancellationStatus = 'pending' | 'completed' | 'failed';

/** A cancellation of an eSIM, with the early-termination fee it cost, if any. */
export interface CancellationRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly iccid: string;
  readonly status: CancellationStatus;
  /** The early-termination fee; null outside the minimum term. */
  readonly fee: Money | null;
  /** The fee's gateway charge; null when there is no fee. */
  readonly chargeId: string | null;
  readonly failureCode?: string;
  readonly createdAt: number;
  readonly completedAt: number | null;
}

/** One ledger entry, kept whole, with a sequence that orders entries sharing a timestamp. */
export interface LedgerRecord {
  readonly id: string;
  readonly iccid: string;
  readonly seq: number;
  readonly entry: LedgerEntry;
  /** A data credit's source as `<kind>:<ref>`: fulfilment asks "credited already?" by index. */
  readonly creditSource?: string;
  /** A base bucket's expiry: due work finds the plans that end in a window by index. */
  readonly baseExpiresAt?: number;
}

/** The stored form of a ledger entry, with the keys the carrier looks entries up by. */
export function ledgerRecordOf(entry: LedgerEntry, seq: number): LedgerRecord {
  if (entry.type !== 'data_credited') return { id: entry.id, iccid: entry.iccid, seq, entry };
  return {
    id: entry.id,
    iccid: entry.iccid,
    seq,
    entry,
    creditSource: creditSourceKey(entry.source),
    ...(entry.bucket === 'base' ? { baseExpiresAt: entry.expiresAt } : {}),
  };
}

export const creditSourceKey = (source: CreditSource): string => `${source.kind}:${source.ref}`;

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
  /** What the request created, so its reply can be rebuilt after a crash. */
  readonly resource?: {
    readonly kind: string;
    readonly id: string;
    readonly meta?: Readonly<Record<string, string>>;
  };
  /**
   * While `in_progress`: the request working under the key. `claim` is unique per request, so
   * a request whose key was taken over (its replica presumed dead) cannot attach to it later.
   */
  readonly holder?: Hold & { readonly claim: string };
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
  /** `async` style: how long after acceptance a top-up completes, in wall-clock ms. */
  readonly asyncCompletionMs: number;
  /** Simulated time up to which due work (expiry, renewals, …) has run; absent before the first run. */
  readonly dueWorkThroughMs?: number;
  /** The fault rules (`/_sim/faults`) and their seed, so a restarted carrier fails the same way. */
  readonly faults?: StoredFaults;
  /**
   * When each device fault rule (`coverage-gap`, `weak-signal`) was armed, in simulated time, by
   * rule id: a gap lasts `durationMs` from there, across restarts.
   */
  readonly deviceFaultsArmedAt?: Readonly<Record<string, number>>;
  /**
   * Bumped by every write of this record, so a replica can tell with one read whether what it
   * keeps in memory (the clock offset, the fault rules) is still current.
   */
  readonly revision?: number;
  /** How many times `POST /_sim/reset` ran: a replica that sees it move drops its own pending work. */
  readonly resets?: number;
}

export interface StoredFaults {
  readonly seed: number;
  readonly rules: readonly FaultRule[];
  /**
   * Bumped when the rules' counters and random source start over (a replacement, a new seed);
   * an append or a removal keeps it, and the other rules keep their counters.
   */
  readonly generation?: number;
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
  indexed: ['tenantId', 'eid', 'createdAt', 'status'],
});

export const devices = defineCollection<DeviceRecord>({
  name: 'devices',
  primaryKey: 'eid',
  indexed: ['createdAt'],
});

export const charges = defineCollection<ChargeRecord>({
  name: 'charges',
  primaryKey: 'id',
  indexed: ['iccid', 'createdAt', 'status'],
});

export const topups = defineCollection<TopupRecord>({
  name: 'topups',
  primaryKey: 'id',
  indexed: ['iccid', 'clientReference', 'status', 'createdAt'],
});

export const renewals = defineCollection<RenewalRecord>({
  name: 'renewals',
  primaryKey: 'id',
  unique: [['periodKey']],
  indexed: ['tenantId', 'iccid', 'status', 'createdAt'],
});

export const cancellations = defineCollection<CancellationRecord>({
  name: 'cancellations',
  primaryKey: 'id',
  indexed: ['tenantId', 'iccid', 'status', 'createdAt'],
});

export const ledger = defineCollection<LedgerRecord>({
  name: 'ledger',
  primaryKey: 'id',
  unique: [['seq']],
  indexed: ['iccid', 'creditSource', 'baseExpiresAt'],
});

export const idempotencyKeys = defineCollection<IdempotencyRecord>({
  name: 'idempotencyKeys',
  primaryKey: 'id',
  indexed: ['expiresAt', 'state'],
});

export const events = defineCollection<EventRecord>({
  name: 'events',
  primaryKey: 'id',
  unique: [['seq']],
  // Only the eSIM is looked up by index: the journal is bounded, and other filters read it in
  // order (see the journal route); each index cost every event an insert and a delete more.
  indexed: ['iccid'],
});

export const settings = defineCollection<SettingsRecord>({ name: 'settings', primaryKey: 'id' });

/** A tenant's webhook endpoint: where its events are POSTed, and the secret that signs them. */
export interface WebhookEndpointRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly url: string;
  /** Event types delivered here; `*` means all of them. */
  readonly events: readonly string[];
  readonly secret: string;
  readonly createdAt: number;
}

/** A webhook event in the outbox, written in the same transaction as the change it reports. */
export interface WebhookEventRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly type: string;
  readonly createdAt: number;
  readonly data: Readonly<Record<string, unknown>>;
  /** Makes an emit idempotent: a second event with the same key is never written. */
  readonly dedupeKey?: string;
}

export interface WebhookAttemptRecord {
  /** Simulated time of the attempt. */
  readonly at: number;
  readonly statusCode?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** One event on its way to one endpoint: delivered at least once, retried with backoff. */
export interface WebhookDeliveryRecord {
  readonly id: string;
  readonly eventId: string;
  readonly endpointId: string;
  readonly tenantId: string;
  readonly type: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: readonly WebhookAttemptRecord[];
  /** Simulated time of the next attempt; null unless pending. */
  readonly nextAttemptAt: number | null;
  /** Index in `attempts` where the current retry series began: a resend starts a new one. */
  readonly seriesStart: number;
  readonly createdAt: number;
  /** While an attempt is on the wire: the replica sending it. */
  readonly claim?: Hold;
}

export const webhookEndpoints = defineCollection<WebhookEndpointRecord>({
  name: 'webhookEndpoints',
  primaryKey: 'id',
  indexed: ['tenantId', 'createdAt'],
});

export const webhookEvents = defineCollection<WebhookEventRecord>({
  name: 'webhookEvents',
  primaryKey: 'id',
  unique: [['dedupeKey']],
});

export const webhookDeliveries = defineCollection<WebhookDeliveryRecord>({
  name: 'webhookDeliveries',
  primaryKey: 'id',
  indexed: ['status', 'nextAttemptAt', 'endpointId', 'eventId', 'tenantId', 'createdAt'],
});

/**
 * One carrier process sharing the store with others (replicas on PostgreSQL): it writes a
 * heartbeat every second, and the others presume it dead once the heartbeat is older than
 * the lease, then take over the work it held.
 */
export interface ReplicaRecord {
  /** Unique per process start, e.g. `att-1-3f9a0c2e`. */
  readonly id: string;
  /** Wall-clock ms of the last heartbeat. */
  readonly heartbeatAt: number;
  readonly startedAt: number;
  /** The replica's slot (0 for the first), as the launcher numbers them. */
  readonly index: number;
  readonly pid: number;
}

/** A duty one replica at a time performs (the wall-time due work), and who has it. */
export interface LeaseRecord {
  readonly id: string;
  readonly holder: string;
  /** Wall-clock ms since when `holder` has it. */
  readonly sinceMs: number;
}

export const replicas = defineCollection<ReplicaRecord>({ name: 'replicas', primaryKey: 'id' });

export const leases = defineCollection<LeaseRecord>({ name: 'leases', primaryKey: 'id' });

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
      { name: 'charges', primaryKey: 'id', indexed: ['tenantId', 'iccid', 'createdAt', 'status'] },
      {
        name: 'topups',
        primaryKey: 'id',
        indexed: ['tenantId', 'iccid', 'clientReference', 'status', 'createdAt'],
      },
      {
        name: 'renewals',
        primaryKey: 'id',
        unique: [['periodKey']],
        indexed: ['tenantId', 'iccid', 'status', 'createdAt'],
      },
      {
        name: 'cancellations',
        primaryKey: 'id',
        indexed: ['tenantId', 'iccid', 'status', 'createdAt'],
      },
      { name: 'ledger', primaryKey: 'id', unique: [['seq']], indexed: ['iccid'] },
      { name: 'idempotencyKeys', primaryKey: 'id', indexed: ['expiresAt', 'state'] },
      {
        name: 'events',
        primaryKey: 'id',
        unique: [['seq']],
        indexed: ['type', 'iccid', 'eid', 'tenantId'],
      },
      { name: 'settings', primaryKey: 'id' },
      {
        name: 'webhookEndpoints',
        primaryKey: 'id',
        indexed: ['tenantId', 'createdAt'],
      },
      {
        name: 'webhookEvents',
        primaryKey: 'id',
        unique: [['dedupeKey']],
        indexed: ['tenantId', 'type', 'createdAt'],
      },
      {
        name: 'webhookDeliveries',
        primaryKey: 'id',
        indexed: ['status', 'nextAttemptAt', 'endpointId', 'eventId', 'tenantId', 'createdAt'],
      },
    ],
  },
  {
    version: 2,
    name: 'replication',
    collections: [
      { name: 'replicas', primaryKey: 'id' },
      { name: 'leases', primaryKey: 'id' },
    ],
  },
  {
    // Due work and fulfilment found their rows by reading whole ledgers; these keys let them
    // look up only the entries (and the eSIMs in grace) they are after.
    version: 3,
    name: 'ledger-lookup-keys',
    addIndexes: [
      { collection: 'ledger', indexed: ['creditSource', 'baseExpiresAt'] },
      { collection: 'esims', indexed: ['status'] },
    ],
    async up(tx) {
      const page = 500;
      let after: number | undefined;
      for (;;) {
        const records = await tx.find(
          ledger,
          {},
          { orderBy: 'seq', limit: page, ...(after === undefined ? {} : { after }) },
        );
        for (const record of records) {
          await tx.update(ledger, ledgerRecordOf(record.entry, record.seq));
        }
        if (records.length < page) return;
        after = records.at(-1)?.seq;
      }
    },
  },
  {
    // Ledger entries and journal events were numbered max + 1, which made every two replicas
    // writing at once conflict on PostgreSQL; the store's sequences hand numbers out instead.
    version: 4,
    name: 'conflict-free-sequences',
    sequences: [
      { collection: 'ledger', field: 'seq' },
      { collection: 'events', field: 'seq' },
    ],
  },
  {
    // A top-up journals five events, each inserted into and later trimmed from every index of
    // the journal: dropping the type, device and tenant indexes took 12-18 % off the carrier's
    // CPU per top-up. The journal holds about 10,000 events, few enough to filter in order.
    version: 5,
    name: 'journal-indexes-eSIM-only',
    dropIndexes: [{ collection: 'events', indexed: ['type', 'eid', 'tenantId'] }],
  },
  {
    // Indexes no query reads: a charge or a top-up is found by its id, its eSIM or its status,
    // and a webhook event by its id or its dedupe key, never by tenant, type or time, yet every
    // top-up inserted an entry into each of these (five of its B-trees) for nothing.
    version: 6,
    name: 'unread-indexes',
    dropIndexes: [
      { collection: 'charges', indexed: ['tenantId'] },
      { collection: 'topups', indexed: ['tenantId'] },
      { collection: 'webhookEvents', indexed: ['tenantId', 'type', 'createdAt'] },
    ],
  },
];

/**
 * Every collection, as the latest migration leaves it, by name: for code that walks them all
 * (reset, the simulator's store pool). The migrations' own specs describe each collection as it
 * was created, before later ones added or dropped indexes.
 */
export const carrierCollections: ReadonlyMap<string, Collection<object>> = new Map(
  (
    [
      tenants,
      esims,
      devices,
      charges,
      topups,
      renewals,
      cancellations,
      ledger,
      idempotencyKeys,
      events,
      settings,
      webhookEndpoints,
      webhookEvents,
      webhookDeliveries,
      replicas,
      leases,
    ] as Collection<object>[]
  ).map((collection) => [collection.name, collection]),
);
