import type { EpochMillis } from '@esimlab/domain';
import type { DeviceFaultKind, FaultRule } from '@esimlab/faults';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { devices, type SettingsRecord } from '../../persistence/collections.ts';
import { coverageAt } from '../coverage/coverage-at.ts';
import type { LatLon } from '../coverage/coverage-map.ts';
import { circleContains } from '../coverage/internal/geometry.ts';
import { recordEvent } from '../events/journal.ts';
import { readSettings, writeSettings } from '../settings/carrier-settings.ts';

export type DeviceFaultRule = Extract<FaultRule, { kind: DeviceFaultKind }>;

/**
 * A device rule in force now. A `coverage-gap` is in force from the moment its rule is armed
 * (added through `/_sim/faults`) for `durationMs` of simulated time, so advancing the clock
 * past it ends it; a `weak-signal` is in force while its rule is armed. Removing the rule ends
 * either at once. A rule with `times` stops being in force once it has hit that many times.
 */
export interface DeviceFaultInForce {
  readonly rule: DeviceFaultRule;
  /** When a coverage gap ends (simulated time, exclusive). */
  readonly until?: EpochMillis;
}

/** What a device rule is tested against: a device (its EID and place) or just a place. */
export interface DeviceFaultSubject {
  readonly eid?: string;
  readonly location: LatLon;
}

/**
 * What a device does, as device rules see it: an LPA download (over wifi when it is on, then
 * no device rule applies), mobile data (always cellular), or a profile switch (enable,
 * disable, delete: done on the eUICC, so a gap does not stop it, but the phone re-registers
 * on the network afterwards, which a weak signal slows down).
 */
export type DeviceOperation = 'download' | 'mobile-data' | 'profile-switch';

/** What the device rules did to one operation. */
export interface DeviceOperationFaults {
  /** The coverage gap that cut the operation off: it fails as if there were no signal. */
  readonly gap?: DeviceFaultInForce;
  /** Whether a weak signal fired for it (the signal it saw is `weak` at best). */
  readonly weak: boolean;
  /** Wall time the operation waited for its slow link. */
  readonly extraMs: number;
  readonly ruleIds: readonly string[];
}

const untouched: DeviceOperationFaults = { weak: false, extraMs: 0, ruleIds: [] };

const isDeviceRule = (rule: FaultRule): rule is DeviceFaultRule =>
  rule.kind === 'coverage-gap' || rule.kind === 'weak-signal';

/**
 * Stores when each device rule was armed, in the transaction that changes the plan. A rule
 * that was in `previous` (the same rule object, kept by an append or a removal) keeps its
 * time; any other is armed now, so replacing the rules starts their gaps over, as it restarts
 * their counters. Without `previous` (at start-up) every stored time is kept.
 */
export async function armDeviceFaults(
  tx: StoreTx,
  context: CarrierContext,
  previous?: readonly FaultRule[],
): Promise<SettingsRecord> {
  const stored = (await readSettings(tx, context)).deviceFaultsArmedAt ?? {};
  const now = context.clock.now();
  const armedAt: Record<string, number> = {};
  for (const rule of context.faults.rulesFor('device')) {
    const kept = previous === undefined || previous.includes(rule);
    armedAt[rule.id] = (kept ? stored[rule.id] : undefined) ?? now;
  }
  return writeSettings(tx, context, { deviceFaultsArmedAt: armedAt });
}

/**
 * The device rules in force now for `subject`, in list order: a rule naming an EID applies to
 * that device only, a rule naming a region to every device (and point) inside its circle.
 * Reading spends no roll: this is what the phone's signal bars show, not what an operation gets.
 */
export async function deviceFaultsInForce(
  tx: StoreTx,
  context: CarrierContext,
  subject: DeviceFaultSubject,
): Promise<DeviceFaultInForce[]> {
  const rules = context.faults.rulesFor('device').filter(isDeviceRule);
  if (rules.length === 0) return [];
  const armedAt = await armedTimes(tx, context, rules);
  const now = context.clock.now();
  const spent = spentRuleIds(context);
  const inForce: DeviceFaultInForce[] = [];
  for (const rule of rules) {
    if (spent.has(rule.id) || !appliesTo(rule, subject)) continue;
    const armed = armedAt[rule.id] ?? now;
    if (rule.kind === 'weak-signal') {
      inForce.push({ rule });
      continue;
    }
    const until = armed + rule.params.durationMs;
    if (now < until) inForce.push({ rule, until });
  }
  return inForce;
}

/**
 * Rolls the device rules in force for one operation of the device `eid` (in list order, each
 * once, with the plan's seeded source: `probability`, `after` and `times` count operations) and
 * waits out a weak signal: each weak signal that fires adds its `extraMs` of wall time, through
 * the scheduler, before the operation's own transaction, so a slow link never holds the store.
 * The first gap that fires cuts the operation off, at once. An unknown device, a download over
 * wifi, and a device with no signal anyway are left alone: the operation answers for itself.
 */
export async function faultDeviceOperation(
  context: CarrierContext,
  eid: string,
  operation: DeviceOperation,
): Promise<DeviceOperationFaults> {
  if (context.faults.rulesFor('device').length === 0) return untouched;
  const inForce = await context.store.transaction(async (tx) => {
    const device = await tx.get(devices, eid);
    if (!device || (operation === 'download' && device.wifi)) return [];
    const { coverageOverrides } = await readSettings(tx, context);
    if (coverageAt(context.profile.id, coverageOverrides, device.location).signal === 'none') {
      return [];
    }
    return deviceFaultsInForce(tx, context, device);
  });
  let gap: DeviceFaultInForce | undefined;
  let weak = false;
  let extraMs = 0;
  const ruleIds: string[] = [];
  for (const fault of inForce) {
    const { rule } = fault;
    if (rule.kind === 'coverage-gap' && operation === 'profile-switch') continue;
    if (!context.faults.roll(rule)) continue;
    ruleIds.push(rule.id);
    if (rule.kind === 'coverage-gap') {
      gap = fault;
      break;
    }
    weak = true;
    extraMs += rule.params.extraMs;
  }
  if (ruleIds.length === 0) return untouched;
  // No signal at all: the phone learns that at once, however slow the signal before it was.
  const waitMs = gap === undefined ? extraMs : 0;
  const data = { operation, faultRules: ruleIds, cutOff: gap !== undefined, extraMs: waitMs };
  context.logger.info({ eid, ...data }, 'device fault injected');
  await context.store.transaction((tx) =>
    recordEvent(tx, context, { type: 'device.faulted', eid, data }),
  );
  if (waitMs > 0) await context.scheduler.delay(waitMs);
  return { ...(gap === undefined ? {} : { gap }), weak, extraMs: waitMs, ruleIds };
}

function appliesTo(rule: DeviceFaultRule, subject: DeviceFaultSubject): boolean {
  const { params } = rule;
  if ('eid' in params) return subject.eid === params.eid;
  return circleContains(params.region.center, params.region.radiusKm, subject.location);
}

/** Rules that used up their `times`: they fire no more, so they are no longer in force. */
function spentRuleIds(context: CarrierContext): Set<string> {
  return new Set(
    context.faults
      .list()
      .filter((rule) => rule.times !== undefined && rule.counters.hits >= rule.times)
      .map((rule) => rule.id),
  );
}

/**
 * The stored arming times. A rule put into the plan without `/_sim/faults` (in-process) has
 * none yet: it is armed the first time a device meets it, and that time is stored.
 */
async function armedTimes(
  tx: StoreTx,
  context: CarrierContext,
  rules: readonly DeviceFaultRule[],
): Promise<Readonly<Record<string, number>>> {
  const stored = (await readSettings(tx, context)).deviceFaultsArmedAt ?? {};
  if (rules.every((rule) => stored[rule.id] !== undefined)) return stored;
  const now = context.clock.now();
  const armedAt = { ...stored };
  for (const rule of rules) armedAt[rule.id] ??= now;
  await writeSettings(tx, context, { deviceFaultsArmedAt: armedAt });
  return armedAt;
}
