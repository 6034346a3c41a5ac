import { parseLocalDate } from '../../time/local-date.ts';
import { parseTimeZone } from '../../time/time-zone.ts';
import { apiStyles, carrierIds } from '../carrier.ts';
import type { CarrierProfile } from '../carrier-profile.ts';
import { bucketKinds, type DataRules } from '../data-rules.ts';
import type { Plan } from '../plan.ts';
import { type Promotion, promotionCovers } from '../promotion.ts';

/** One thing wrong with a catalog, at a path such as `plans[2] (att-pass-1d).price`. */
export interface CatalogProblem {
  readonly path: string;
  readonly message: string;
}

type Report = (path: string, message: string) => void;

// Catalog values are typed, but the rules still look at what is really there: a catalog
// edited by hand (or mutated in a test) can hold anything.
const isPositiveInteger = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) > 0;
const isNonNegativeInteger = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;
const isNonEmptyText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;
const show = (value: unknown): string => JSON.stringify(value) ?? String(value);
const isKebabIdWithPrefix = (id: unknown, prefix: string): boolean =>
  typeof id === 'string' && id.startsWith(`${prefix}-`) && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id);
// Under the reserved `.test` TLD (RFC 2606) so an activation code never points at a real SM-DP+.
const TEST_FQDN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+test$/;

/** Every problem with a carrier profile, in catalog order; empty when it is sound. */
export function carrierProfileProblems(profile: CarrierProfile): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const report: Report = (path, message) => problems.push({ path, message });

  checkIdentity(profile, report);
  checkDataRules(profile.dataRules, report);
  const plans: readonly Plan[] = Array.isArray(profile.plans) ? profile.plans : [];
  if (plans.length === 0) report('plans', 'the catalog sells no plans');
  else if (!plans.some((plan) => plan.kind === 'base')) {
    report('plans', 'the catalog sells no base plan, so no eSIM can be ordered');
  }
  const seenPlans = new Set<string>();
  plans.forEach((plan, index) => {
    const path = `plans[${index}] (${plan.id})`;
    if (seenPlans.has(plan.id)) report(path, `plan id \`${plan.id}\` appears more than once`);
    seenPlans.add(plan.id);
    checkPlan(profile.id, plan, path, report);
  });
  const promotions: readonly Promotion[] = Array.isArray(profile.promotions)
    ? profile.promotions
    : [];
  if (!Array.isArray(profile.promotions)) report('promotions', 'must be a list (it may be empty)');
  const seenPromotions = new Set<string>();
  promotions.forEach((promotion, index) => {
    const path = `promotions[${index}] (${promotion.id})`;
    if (seenPromotions.has(promotion.id)) {
      report(path, `promotion id \`${promotion.id}\` appears more than once`);
    }
    seenPromotions.add(promotion.id);
    checkPromotion(profile.id, promotion, plans, path, report);
  });
  return problems;
}

function checkIdentity(profile: CarrierProfile, report: Report): void {
  if (!(carrierIds as readonly unknown[]).includes(profile.id)) {
    report('id', `\`${show(profile.id)}\` is not a carrier; use one of ${carrierIds.join(', ')}`);
  }
  if (!isNonEmptyText(profile.displayName)) report('displayName', 'must be a non-empty name');
  const zone = parseTimeZone(profile.timeZone, 'timeZone');
  if (!zone.ok) report('timeZone', zone.error.message);
  if (!(apiStyles as readonly unknown[]).includes(profile.defaultApiStyle)) {
    report(
      'defaultApiStyle',
      `\`${show(profile.defaultApiStyle)}\` is not an API style; use one of ${apiStyles.join(', ')}`,
    );
  }
  if (typeof profile.smdpAddress !== 'string' || !TEST_FQDN.test(profile.smdpAddress)) {
    report(
      'smdpAddress',
      `${show(profile.smdpAddress)} must be a lowercase host name under .test, e.g. smdp.${profile.id}.esimlab.test`,
    );
  }
  if (typeof profile.iccidIssuerId !== 'string' || !/^\d{3}$/.test(profile.iccidIssuerId)) {
    report('iccidIssuerId', `${show(profile.iccidIssuerId)} must be three digits`);
  }
  const mcc = Number(profile.mcc);
  if (typeof profile.mcc !== 'string' || !/^\d{3}$/.test(profile.mcc) || mcc < 310 || mcc > 316) {
    report('mcc', `${show(profile.mcc)} must be a US mobile country code, 310 to 316`);
  }
  if (typeof profile.mnc !== 'string' || !/^\d{3}$/.test(profile.mnc)) {
    report('mnc', `${show(profile.mnc)} must be three digits, as US mobile network codes are`);
  }
}

function checkDataRules(rules: DataRules, report: Report): void {
  if (typeof rules?.onePassAtATime !== 'boolean') {
    report('dataRules.onePassAtATime', 'must be true or false');
  }
  const order: readonly unknown[] = Array.isArray(rules?.consumptionOrder)
    ? rules.consumptionOrder
    : [];
  for (const kind of bucketKinds) {
    const count = order.filter((entry) => entry === kind).length;
    if (count !== 1) {
      report(
        'dataRules.consumptionOrder',
        `must list bucket \`${kind}\` exactly once, found it ${count} times`,
      );
    }
  }
  for (const entry of order) {
    if (!(bucketKinds as readonly unknown[]).includes(entry)) {
      report('dataRules.consumptionOrder', `\`${show(entry)}\` is not a bucket kind`);
    }
  }
  if (order.indexOf('boost') < order.indexOf('base')) {
    report(
      'dataRules.consumptionOrder',
      'boost must come after base: boosts are used once base data runs out',
    );
  }
}

function checkPlan(carrier: string, plan: Plan, path: string, report: Report): void {
  if (!isKebabIdWithPrefix(plan.id, carrier)) {
    report(`${path}.id`, `must be lowercase kebab-case starting with \`${carrier}-\``);
  }
  if (plan.carrier !== carrier) {
    report(
      `${path}.carrier`,
      `is \`${show(plan.carrier)}\` but the plan is in the \`${carrier}\` catalog`,
    );
  }
  if (!isNonEmptyText(plan.name)) report(`${path}.name`, 'must be a non-empty name');
  if (!isPositiveInteger(plan.dataBytes)) {
    report(
      `${path}.dataBytes`,
      `must be a positive integer number of bytes, got ${show(plan.dataBytes)}`,
    );
  }
  if (!isPositiveInteger(plan.validityDays)) {
    report(
      `${path}.validityDays`,
      `must be a positive integer number of days, got ${show(plan.validityDays)}`,
    );
  }
  checkUsd(plan.price, `${path}.price`, report, 'non-negative');
  if (plan.kind === 'base') checkBasePlan(plan, path, report);
  else if (plan.kind === 'addon') checkAddonPlan(plan, path, report);
  else
    report(`${path}.kind`, `\`${show((plan as { kind: unknown }).kind)}\` must be base or addon`);
}

function checkBasePlan(plan: Extract<Plan, { kind: 'base' }>, path: string, report: Report): void {
  if (typeof plan.autoRenewable !== 'boolean')
    report(`${path}.autoRenewable`, 'must be true or false');
  if (typeof plan.confirmationCodeRequired !== 'boolean') {
    report(`${path}.confirmationCodeRequired`, 'must be true or false');
  }
  if (!isNonNegativeInteger(plan.minTermDays)) {
    report(
      `${path}.minTermDays`,
      `must be a non-negative integer number of days, got ${show(plan.minTermDays)}`,
    );
    return;
  }
  if (plan.minTermDays === 0 && plan.earlyTerminationFee !== null) {
    report(
      `${path}.earlyTerminationFee`,
      'is set but minTermDays is 0: a fee needs a minimum term (or set it to null)',
    );
  }
  if (plan.minTermDays > 0) {
    if (plan.earlyTerminationFee === null) {
      report(
        `${path}.earlyTerminationFee`,
        `is null but minTermDays is ${plan.minTermDays}: a minimum term needs a fee`,
      );
    } else {
      checkUsd(plan.earlyTerminationFee, `${path}.earlyTerminationFee`, report, 'positive');
    }
    if (plan.minTermDays > plan.validityDays && plan.autoRenewable !== true) {
      report(
        `${path}.minTermDays`,
        `${plan.minTermDays} days outlast the ${plan.validityDays}-day validity, so the plan must be autoRenewable`,
      );
    }
  }
}

function checkAddonPlan(
  plan: Extract<Plan, { kind: 'addon' }>,
  path: string,
  report: Report,
): void {
  if (plan.addonKind !== 'pass' && plan.addonKind !== 'boost') {
    report(`${path}.addonKind`, `\`${show(plan.addonKind)}\` must be pass or boost`);
  }
  if (plan.autoRenewable !== false) {
    report(`${path}.autoRenewable`, 'must be false: an add-on is a one-off purchase');
  }
  if (plan.minTermDays !== 0)
    report(`${path}.minTermDays`, 'must be 0: an add-on has no minimum term');
  if (plan.earlyTerminationFee !== null) {
    report(`${path}.earlyTerminationFee`, 'must be null: an add-on has no minimum term');
  }
}

function checkUsd(
  value: unknown,
  path: string,
  report: Report,
  sign: 'positive' | 'non-negative',
): void {
  const amount = (value as { amount?: unknown } | null)?.amount;
  const currency = (value as { currency?: unknown } | null)?.currency;
  const amountOk = sign === 'positive' ? isPositiveInteger(amount) : isNonNegativeInteger(amount);
  if (!amountOk || currency !== 'USD') {
    report(path, `must be a ${sign} integer amount of USD cents, got ${show(value)}`);
  }
}

function checkPromotion(
  carrier: string,
  promotion: Promotion,
  plans: readonly Plan[],
  path: string,
  report: Report,
): void {
  if (!isKebabIdWithPrefix(promotion.id, carrier)) {
    report(`${path}.id`, `must be lowercase kebab-case starting with \`${carrier}-\``);
  }
  if (!isNonEmptyText(promotion.name)) report(`${path}.name`, 'must be a non-empty name');
  if (!isNonEmptyText(promotion.description)) {
    report(`${path}.description`, 'must say what the subscriber gets');
  }
  checkTarget(promotion, plans, `${path}.appliesTo`, report);
  checkWindow(promotion, `${path}.window`, report);
  const bonus = promotion.bonus;
  if (bonus?.kind === 'multiplier') {
    if (!Number.isSafeInteger(bonus.factor) || bonus.factor < 2) {
      report(`${path}.bonus.factor`, `must be an integer of at least 2, got ${show(bonus.factor)}`);
    }
  } else if (bonus?.kind === 'extraBytes') {
    if (!isPositiveInteger(bonus.bytes)) {
      report(
        `${path}.bonus.bytes`,
        `must be a positive integer number of bytes, got ${show(bonus.bytes)}`,
      );
    }
  } else {
    report(`${path}.bonus`, 'must be {kind: multiplier, factor} or {kind: extraBytes, bytes}');
  }
}

function checkTarget(
  promotion: Promotion,
  plans: readonly Plan[],
  path: string,
  report: Report,
): void {
  const { planKinds, planIds } = promotion.appliesTo ?? {};
  if (planKinds !== undefined) {
    if (!Array.isArray(planKinds) || planKinds.length === 0) {
      report(`${path}.planKinds`, 'must list base and/or addon, or be left out');
    } else {
      for (const kind of planKinds as readonly unknown[]) {
        if (kind !== 'base' && kind !== 'addon') {
          report(`${path}.planKinds`, `\`${show(kind)}\` must be base or addon`);
        }
      }
    }
  }
  if (planIds !== undefined) {
    if (!Array.isArray(planIds) || planIds.length === 0) {
      report(`${path}.planIds`, 'must list plan ids, or be left out');
    } else {
      for (const id of planIds) {
        if (!plans.some((plan) => plan.id === id)) {
          report(`${path}.planIds`, `names \`${id}\`, which this catalog does not sell`);
        }
      }
    }
  }
  if (!plans.some((plan) => promotionCovers(promotion.appliesTo ?? {}, plan))) {
    report(path, 'matches no plan in the catalog');
  }
}

function checkWindow(promotion: Promotion, path: string, report: Report): void {
  const window = promotion.window;
  if (window?.kind === 'weekly') {
    const weekdays: readonly unknown[] = Array.isArray(window.weekdays) ? window.weekdays : [];
    if (weekdays.length === 0)
      report(`${path}.weekdays`, 'must list at least one day, 0 (Sunday) to 6');
    for (const day of weekdays) {
      if (!Number.isInteger(day) || (day as number) < 0 || (day as number) > 6) {
        report(`${path}.weekdays`, `${show(day)} is not a weekday, 0 (Sunday) to 6 (Saturday)`);
      }
    }
    if (new Set(weekdays).size !== weekdays.length) report(`${path}.weekdays`, 'lists a day twice');
    const start = window.startHour ?? 0;
    const end = window.endHour ?? 24;
    if (!Number.isInteger(start) || start < 0 || start > 23) {
      report(`${path}.startHour`, `must be an hour from 0 to 23, got ${show(start)}`);
    }
    if (!Number.isInteger(end) || end < 1 || end > 24) {
      report(`${path}.endHour`, `must be an hour from 1 to 24, got ${show(end)}`);
    }
    if (start >= end)
      report(path, `opens at ${start}:00 but closes at ${end}:00, so it is never open`);
  } else if (window?.kind === 'dated') {
    const from = parseLocalDate(window.from, `${path}.from`);
    const to = parseLocalDate(window.to, `${path}.to`);
    if (!from.ok) report(`${path}.from`, from.error.message);
    if (!to.ok) report(`${path}.to`, to.error.message);
    if (from.ok && to.ok && window.from > window.to) {
      report(path, `runs from ${window.from} to ${window.to}, which ends before it starts`);
    }
  } else {
    report(path, 'must be {kind: weekly, weekdays} or {kind: dated, from, to}');
  }
}
