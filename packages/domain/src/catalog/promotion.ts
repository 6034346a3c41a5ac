import { unwrap } from '../result.ts';
import type { EpochMillis } from '../time/instant.ts';
import {
  compareLocalDates,
  type LocalParts,
  localParts,
  parseLocalDate,
  type Weekday,
} from '../time/local-date.ts';
import type { CarrierProfile } from './carrier-profile.ts';
import type { Plan, PlanId } from './plan.ts';

/** A promotion's catalog id, prefixed with its carrier, e.g. `att-weekend-double-data`. */
export type PromotionId = string & { readonly __brand: 'PromotionId' };

/**
 * Open on some days of every week, in the carrier's local time: hours `startHour` (0-23,
 * default 0) up to but excluding `endHour` (1-24, default 24) on each of `weekdays`.
 */
export interface WeeklyWindow {
  readonly kind: 'weekly';
  /** 0 is Sunday. */
  readonly weekdays: readonly Weekday[];
  readonly startHour?: number;
  readonly endHour?: number;
}

/** Open from the start of local date `from` to the end of local date `to` (`YYYY-MM-DD`). */
export interface DatedWindow {
  readonly kind: 'dated';
  readonly from: string;
  readonly to: string;
}

export type PromotionWindow = WeeklyWindow | DatedWindow;

/**
 * Bonus data granted with a purchase, credited to the `promo` bucket: the plan's data
 * `factor` times over in total (so `factor - 1` times as bonus), or a fixed number of bytes.
 */
export type PromotionBonus =
  | { readonly kind: 'multiplier'; readonly factor: number }
  | { readonly kind: 'extraBytes'; readonly bytes: number };

/** Which plans a promotion covers: a plan must match every criterion given. */
export interface PromotionTarget {
  readonly planKinds?: readonly Plan['kind'][];
  readonly planIds?: readonly PlanId[];
}

export interface Promotion {
  readonly id: PromotionId;
  readonly name: string;
  readonly description: string;
  readonly appliesTo: PromotionTarget;
  readonly window: PromotionWindow;
  readonly bonus: PromotionBonus;
}

/**
 * The carrier's promotions that apply to buying `plan` at `at`, judged by the wall clock in
 * the carrier's time zone (a Saturday promotion in New York opens while it is still Friday
 * in Los Angeles). Another carrier's plan gets none.
 */
export function activePromotions(
  profile: Pick<CarrierProfile, 'id' | 'timeZone' | 'promotions'>,
  plan: Plan,
  at: EpochMillis,
): readonly Promotion[] {
  if (plan.carrier !== profile.id) return [];
  const local = localParts(at, profile.timeZone);
  return profile.promotions.filter(
    (promotion) =>
      promotionCovers(promotion.appliesTo, plan) && windowIsOpen(promotion.window, local),
  );
}

/** The bonus data, in bytes, that `promotion` adds to a purchase of `plan`. */
export function promotionBonusBytes(promotion: Promotion, plan: Plan): number {
  switch (promotion.bonus.kind) {
    case 'multiplier':
      return plan.dataBytes * (promotion.bonus.factor - 1);
    case 'extraBytes':
      return promotion.bonus.bytes;
  }
}

/** Whether a plan matches a promotion's target, regardless of when it is bought. */
export function promotionCovers(target: PromotionTarget, plan: Plan): boolean {
  return (
    (target.planKinds === undefined || target.planKinds.includes(plan.kind)) &&
    (target.planIds === undefined || target.planIds.includes(plan.id))
  );
}

function windowIsOpen(window: PromotionWindow, local: LocalParts): boolean {
  switch (window.kind) {
    case 'weekly':
      return (
        window.weekdays.includes(local.weekday) &&
        local.hour >= (window.startHour ?? 0) &&
        local.hour < (window.endHour ?? 24)
      );
    case 'dated': {
      // Catalogs are validated at load, so an unreadable date here is a bug.
      const from = unwrap(parseLocalDate(window.from, 'window.from'));
      const to = unwrap(parseLocalDate(window.to, 'window.to'));
      return compareLocalDates(local, from) >= 0 && compareLocalDates(local, to) <= 0;
    }
  }
}
