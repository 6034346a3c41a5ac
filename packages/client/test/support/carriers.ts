import { randomUUID } from 'node:crypto';
import { startCarriers } from '@esimlab/carrier';
import type { CarrierId } from '@esimlab/domain';
import { inject } from 'vitest';
import {
  CarrierClient,
  type CarrierClientOptions,
  type Esim,
  type FaultRuleInput,
  type Plan,
} from '../../src/index.ts';

/** The header a scoped client sends on every request, for fault rules to match on. */
export const SCOPE_HEADER = 'x-esimlab-test-scope';

export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A client of one of the shared carriers. */
export function carrierClient(
  carrier: CarrierId,
  options: Omit<CarrierClientOptions, 'baseUrl'> = {},
): CarrierClient {
  return new CarrierClient({ baseUrl: inject('carrierUrls')[carrier], ...options });
}

/**
 * A client of a shared carrier whose requests carry a scope header of their own, and a way
 * to add fault rules that hit only those requests: tests running at the same time against
 * the same carrier never see each other's faults.
 */
export interface ScopedClient {
  readonly client: CarrierClient;
  readonly scope: string;
  /** Adds `rule`, matching this client's requests only (and whatever `match` says). */
  fault(rule: FaultRuleInput): Promise<void>;
  /** Removes this client's rules and closes its connections. */
  close(): Promise<void>;
}

export function scopedClient(
  carrier: CarrierId,
  options: Omit<CarrierClientOptions, 'baseUrl' | 'headers'> = {},
): ScopedClient {
  const scope = uniqueId('scope');
  const client = carrierClient(carrier, { ...options, headers: { [SCOPE_HEADER]: scope } });
  const ruleIds: string[] = [];
  return {
    client,
    scope,
    async fault(rule) {
      const id = rule.id ?? `${scope}-${ruleIds.length + 1}`;
      ruleIds.push(id);
      await client.sim.addFault({
        ...rule,
        id,
        match: { ...rule.match, header: { name: SCOPE_HEADER, value: scope } },
      });
    },
    async close() {
      const present = new Set((await client.sim.listFaults()).rules.map((r) => r.id));
      for (const id of ruleIds) if (present.has(id)) await client.sim.removeFault(id);
      client.close();
    },
  };
}

/** The carrier's first add-on of a kind: boosts can be bought again and again. */
export async function addonPlan(client: CarrierClient, kind: 'boost' | 'pass'): Promise<Plan> {
  const plan = (await client.plans()).find((p) => p.kind === 'addon' && p.addonKind === kind);
  if (!plan) throw new Error(`the carrier sells no ${kind}`);
  return plan;
}

/** A new eSIM on the carrier's first base plan that needs no confirmation code. */
export async function orderedEsim(client: CarrierClient): Promise<Esim> {
  const plan = (await client.plans()).find(
    (p) => p.kind === 'base' && p.confirmationCodeRequired === false,
  );
  if (!plan) throw new Error('the carrier has no base plan without a confirmation code');
  return client.createEsim({
    planId: plan.id,
    paymentMethod: 'pm_card_visa',
    subscriber: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'America/Chicago' },
  });
}

/** A carrier of this test file's own (its state may be reset, seeded, moved in time). */
export interface PrivateCarrier {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startPrivateCarrier(
  carrier: CarrierId,
  options: { readonly adminToken?: string } = {},
): Promise<PrivateCarrier> {
  const running = await startCarriers({
    carriers: [carrier],
    ports: { [carrier]: 0 },
    store: 'memory',
    logLevel: 'silent',
    onLog: () => undefined,
    ...options,
  });
  return { url: running.urls[carrier], stop: () => running.stop() };
}
