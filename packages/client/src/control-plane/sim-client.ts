import type { LedgerEntry, TopupIntent } from '@esimlab/domain';
import type { CallOptions } from '../call-options.ts';
import type { CoverageMap, CoverageOverride, CoverageOverrideInput } from '../contract/coverage.ts';
import type {
  DataUse,
  DataUseInput,
  Device,
  DeviceInput,
  DeviceUpdate,
  ProfileAction,
  ProfileActionResult,
} from '../contract/device.ts';
import type { WebhookEventType } from '../contract/webhook.ts';
import type { CarrierCalls } from '../internal/carrier-calls.ts';
import type { CarrierAudit, IntentAudit } from './carrier-audit.ts';
import type { CarrierConfig, CarrierConfigUpdate } from './carrier-config.ts';
import type { Clock, ClockAdvance } from './clock.ts';
import type { CrashPoint, CrashPoints } from './crash-points.ts';
import type { FaultPlan, FaultPresetName, FaultRuleInput } from './faults.ts';
import type { GatewayCharge, GatewayChargePage, GatewayChargeQuery } from './gateway-charge.ts';
import type { JournalPage, JournalQuery } from './journal.ts';
import type { LedgerPage, PageQuery } from './page-query.ts';
import type { SeedInput, SeedResult } from './seed.ts';
import type { CreatedTenant, Tenant } from './tenants.ts';

const segment = encodeURIComponent;

/**
 * The carrier's test control plane (`/_sim/*`): state, clock, simulated devices, faults,
 * crash points, tenants, settings and the audit. It takes no API key; the client's
 * `adminToken`, when set, goes in `X-Sim-Admin-Token`. Reached through `CarrierClient.sim`.
 */
export class SimClient {
  readonly #transport: CarrierCalls;

  constructor(transport: CarrierCalls) {
    this.#transport = transport;
  }

  /**
   * Back to a first start: every record deleted, default settings, no fault rules, no crash
   * points, the clock at wall time; only tenant `dev` remains.
   */
  async reset(): Promise<void> {
    await this.#transport.send({
      method: 'POST',
      path: '/_sim/reset',
      body: {},
      auth: 'control-plane',
    });
  }

  /** Resets, then creates subscribers with devices and eSIMs: the same seed, the same data. */
  seed(input: SeedInput, options?: CallOptions): Promise<SeedResult> {
    return this.#post('/_sim/seed', input, options);
  }

  clock(): Promise<Clock> {
    return this.#get('/_sim/clock');
  }

  /** Moves the clock forward; resolves once everything that fell due has run. */
  advanceClock(advance: ClockAdvance, options?: CallOptions): Promise<Clock> {
    return this.#post('/_sim/clock/advance', advance, options);
  }

  createDevice(input: DeviceInput): Promise<Device> {
    return this.#post('/_sim/devices', input);
  }

  async listDevices(): Promise<readonly Device[]> {
    return (await this.#get<{ data: Device[] }>('/_sim/devices')).data;
  }

  getDevice(eid: string): Promise<Device> {
    return this.#get(`/_sim/devices/${segment(eid)}`);
  }

  updateDevice(eid: string, update: DeviceUpdate): Promise<Device> {
    return this.#transport.json({
      method: 'PATCH',
      path: `/_sim/devices/${segment(eid)}`,
      body: update,
      auth: 'control-plane',
    });
  }

  /** The phone uses data: it drains the eSIM's buckets in the carrier's order. */
  consumeData(eid: string, use: DataUseInput): Promise<DataUse> {
    return this.#post(`/_sim/devices/${segment(eid)}/usage`, use);
  }

  /** What the phone's user does to a profile on it (ES10c): enable, disable or delete. */
  profileAction(eid: string, iccid: string, action: ProfileAction): Promise<ProfileActionResult> {
    return this.#transport.json({
      method: 'POST',
      path: `/_sim/devices/${segment(eid)}/profiles/${segment(iccid)}/${action}`,
      auth: 'control-plane',
    });
  }

  listFaults(): Promise<FaultPlan> {
    return this.#get('/_sim/faults');
  }

  /** Appends one rule. */
  addFault(rule: FaultRuleInput): Promise<FaultPlan> {
    return this.#transport.json({
      method: 'PATCH',
      path: '/_sim/faults',
      body: rule,
      auth: 'control-plane',
    });
  }

  /** Replaces every rule; counters restart, and the rolls restart at `seed` when given. */
  replaceFaults(input: {
    readonly rules: readonly FaultRuleInput[];
    readonly seed?: number;
  }): Promise<FaultPlan> {
    return this.#post('/_sim/faults', input);
  }

  clearFaults(): Promise<FaultPlan> {
    return this.#delete('/_sim/faults');
  }

  removeFault(id: string): Promise<FaultPlan> {
    return this.#delete(`/_sim/faults/${segment(id)}`);
  }

  /** Replaces the rules with a preset, or appends it with `{append: true}`. */
  applyFaultPreset(
    name: FaultPresetName,
    options: { readonly append?: boolean; readonly seed?: number } = {},
  ): Promise<FaultPlan> {
    return this.#post(`/_sim/faults/presets/${segment(name)}`, options);
  }

  /** The carrier process exits at `point` once (its supervisor restarts it). */
  armCrashPoint(point: CrashPoint): Promise<CrashPoints> {
    return this.#post('/_sim/crash-points', { point });
  }

  listCrashPoints(): Promise<CrashPoints> {
    return this.#get('/_sim/crash-points');
  }

  disarmCrashPoints(): Promise<CrashPoints> {
    return this.#delete('/_sim/crash-points');
  }

  /** A new tenant; its API key is only in this answer. */
  createTenant(input: { readonly name: string }): Promise<CreatedTenant> {
    return this.#post('/_sim/tenants', input);
  }

  async listTenants(): Promise<readonly Tenant[]> {
    return (await this.#get<{ data: Tenant[] }>('/_sim/tenants')).data;
  }

  getConfig(): Promise<CarrierConfig> {
    return this.#get('/_sim/config');
  }

  /** Changes run-time settings, e.g. `{apiStyle: 'reference'}`. */
  updateConfig(update: CarrierConfigUpdate): Promise<CarrierConfig> {
    return this.#transport.json({
      method: 'PATCH',
      path: '/_sim/config',
      body: update,
      auth: 'control-plane',
    });
  }

  /** The carrier's ledger checked against its gateway's charges. */
  audit(): Promise<CarrierAudit>;
  /** The same, joined with a client's intent log: how each intent really turned out. */
  audit(input: { readonly intents: readonly TopupIntent[] }): Promise<IntentAudit>;
  audit(input?: { readonly intents: readonly TopupIntent[] }): Promise<CarrierAudit | IntentAudit> {
    return input === undefined ? this.#get('/_sim/audit') : this.#post('/_sim/audit', input);
  }

  /**
   * The carrier's ledger, every eSIM or one, in append order, as the domain models it: the
   * contract's ISO 8601 times become epoch milliseconds here, so the entries can go straight
   * into the domain's `audit` or `deriveBalance`.
   */
  async ledger(filter: { readonly iccid?: string } = {}): Promise<readonly LedgerEntry[]> {
    const page = await this.#transport.json<{ data: WireLedgerEntry[] }>({
      method: 'GET',
      path: '/_sim/ledger',
      query: { iccid: filter.iccid },
      auth: 'control-plane',
    });
    return page.data.map(ledgerEntryOf);
  }

  /**
   * One page of the ledger, as `ledger` converts it; follow `nextCursor` for the rest. Unlike
   * `ledger`, each page is read on its own: page after the writes, not during them.
   */
  async ledgerPage(query: PageQuery & { readonly iccid?: string }): Promise<LedgerPage> {
    const page = await this.#transport.json<{
      data: WireLedgerEntry[];
      nextCursor: string | null;
    }>({
      method: 'GET',
      path: '/_sim/ledger',
      query: { iccid: query.iccid, limit: query.limit, cursor: query.cursor },
      auth: 'control-plane',
    });
    return { data: page.data.map(ledgerEntryOf), nextCursor: page.nextCursor };
  }

  /** One page of the journal of state changes, oldest first. */
  events(query: JournalQuery = {}): Promise<JournalPage> {
    return this.#transport.json({
      method: 'GET',
      path: '/_sim/events',
      query: { ...query },
      auth: 'control-plane',
    });
  }

  /** The mock payment gateway's charges, oldest first. */
  async gatewayCharges(query: GatewayChargeQuery = {}): Promise<readonly GatewayCharge[]> {
    const page = await this.#transport.json<{ data: GatewayCharge[] }>({
      method: 'GET',
      path: '/_sim/gateway/charges',
      query: { ...query },
      auth: 'control-plane',
    });
    return page.data;
  }

  /** One page of the gateway's charges, oldest first; follow `nextCursor` for the rest. */
  gatewayChargePage(query: GatewayChargeQuery & PageQuery): Promise<GatewayChargePage> {
    return this.#transport.json({
      method: 'GET',
      path: '/_sim/gateway/charges',
      query: { ...query },
      auth: 'control-plane',
    });
  }

  /** Emits a test event of any type about an eSIM to its tenant's endpoints. */
  triggerWebhook(input: {
    readonly type: WebhookEventType;
    readonly iccid: string;
  }): Promise<{ readonly eventId: string }> {
    return this.#post('/_sim/webhooks/trigger', input);
  }

  coverageMap(): Promise<CoverageMap> {
    return this.#get('/_sim/coverage');
  }

  addCoverageOverride(input: CoverageOverrideInput): Promise<CoverageOverride> {
    return this.#post('/_sim/coverage/overrides', input);
  }

  clearCoverageOverrides(): Promise<{ readonly deleted: number }> {
    return this.#delete('/_sim/coverage/overrides');
  }

  async removeCoverageOverride(id: string): Promise<void> {
    await this.#transport.send({
      method: 'DELETE',
      path: `/_sim/coverage/overrides/${segment(id)}`,
      auth: 'control-plane',
    });
  }

  #get<T>(path: string): Promise<T> {
    return this.#transport.json({ method: 'GET', path, auth: 'control-plane' });
  }

  #post<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
    return this.#transport.json({ method: 'POST', path, body, auth: 'control-plane', options });
  }

  #delete<T>(path: string): Promise<T> {
    return this.#transport.json({ method: 'DELETE', path, auth: 'control-plane' });
  }
}

/** A ledger entry as sent: times as ISO 8601 strings. */
type WireLedgerEntry = Omit<LedgerEntry, 'at' | 'expiresAt'> & {
  readonly at: string;
  readonly expiresAt?: string;
};

function ledgerEntryOf(entry: WireLedgerEntry): LedgerEntry {
  return {
    ...entry,
    at: Date.parse(entry.at),
    ...(entry.expiresAt === undefined ? {} : { expiresAt: Date.parse(entry.expiresAt) }),
  } as LedgerEntry;
}
