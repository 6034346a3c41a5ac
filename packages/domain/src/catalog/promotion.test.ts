import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { gigabytes } from '../data/data-size.ts';
import { unwrap } from '../result.ts';
import { DAY_MS } from '../time/instant.ts';
import { addLocalDays, localParts } from '../time/local-date.ts';
import { parseTimeZone, type TimeZone } from '../time/time-zone.ts';
import { carrierIds } from './carrier.ts';
import type { CarrierProfile } from './carrier-profile.ts';
import { carrierProfiles, findPlan, validateCarrierProfile } from './catalog.ts';
import type { Plan } from './plan.ts';
import {
  activePromotions,
  type Promotion,
  type PromotionId,
  promotionBonusBytes,
} from './promotion.ts';

const { att, tmobile, verizon } = carrierProfiles;
const at = (iso: string): number => Date.parse(iso);
const plan = (profile: CarrierProfile, id: string): Plan => unwrap(findPlan(profile.id, id));
const activeIds = (profile: CarrierProfile, planId: string, iso: string): string[] =>
  activePromotions(profile, plan(profile, planId), at(iso)).map((promotion) => promotion.id);

describe('att weekend double data (Saturday and Sunday, New York time)', () => {
  it('is on at Saturday 00:30 in New York, while Los Angeles is still on Friday', () => {
    expect(activeIds(att, 'att-boost-2gb', '2026-03-07T05:30:00Z')).toEqual([
      'att-weekend-double-data',
    ]);
  });

  it('is off at Friday 23:59:59 in New York, although UTC is already on Saturday', () => {
    expect(activeIds(att, 'att-boost-2gb', '2026-03-07T04:59:59Z')).toEqual([]);
  });

  it('is on at Sunday 23:30 EDT on the spring-forward day, although UTC is on Monday', () => {
    expect(activeIds(att, 'att-pass-1d', '2026-03-09T03:30:00Z')).toEqual([
      'att-weekend-double-data',
    ]);
  });

  it('is off from Monday 00:00 in New York', () => {
    expect(activeIds(att, 'att-pass-1d', '2026-03-09T04:00:00Z')).toEqual([]);
    expect(activeIds(att, 'att-pass-1d', '2026-03-09T16:00:00Z')).toEqual([]);
  });

  it('does not cover base plans', () => {
    expect(activeIds(att, 'att-unlimited-starter', '2026-03-07T16:00:00Z')).toEqual([]);
  });

  it('doubles the add-on’s data: its own data again as bonus', () => {
    const [weekend] = activePromotions(att, plan(att, 'att-boost-5gb'), at('2026-03-07T16:00:00Z'));
    expect(weekend).toBeDefined();
    if (weekend)
      expect(promotionBonusBytes(weekend, plan(att, 'att-boost-5gb'))).toBe(gigabytes(5));
  });
});

describe('verizon weeknight boost bonus (Monday-Thursday 18:00-24:00, Chicago time)', () => {
  it.each([
    ['2026-06-11T22:59:59Z', 'Thursday 17:59:59 CDT', []],
    ['2026-06-11T23:00:00Z', 'Thursday 18:00 CDT', ['verizon-weeknight-boost-bonus']],
    ['2026-06-12T04:59:59Z', 'Thursday 23:59:59 CDT', ['verizon-weeknight-boost-bonus']],
    ['2026-06-12T05:00:00Z', 'Friday 00:00 CDT', []],
    ['2026-06-14T23:30:00Z', 'Sunday 18:30 CDT', []],
    ['2026-01-13T00:15:00Z', 'Monday 18:15 CST', ['verizon-weeknight-boost-bonus']],
  ])('at %s (%s) gives %j on a boost', (iso, _, expected) => {
    expect(activeIds(verizon, 'verizon-boost-2gb', iso)).toEqual(expected);
  });

  it('does not cover passes', () => {
    expect(activeIds(verizon, 'verizon-pass-1d', '2026-06-11T23:00:00Z')).toEqual([]);
  });
});

describe('tmobile Black Friday +5 GB (2026-11-27 to 2026-11-30, Los Angeles time)', () => {
  it.each([
    ['2026-11-27T07:59:59Z', []],
    ['2026-11-27T08:00:00Z', ['tmobile-black-friday-5gb']],
    ['2026-12-01T07:59:59Z', ['tmobile-black-friday-5gb']],
    ['2026-12-01T08:00:00Z', []],
  ])('at %s gives %j on a base plan', (iso, expected) => {
    expect(activeIds(tmobile, 'tmobile-essentials', iso)).toEqual(expected);
  });

  it('grants 5 GB whatever the plan’s own data', () => {
    const [blackFriday] = activePromotions(
      tmobile,
      plan(tmobile, 'tmobile-prepaid-10gb'),
      at('2026-11-28T20:00:00Z'),
    );
    expect(
      blackFriday && promotionBonusBytes(blackFriday, plan(tmobile, 'tmobile-prepaid-10gb')),
    ).toBe(gigabytes(5));
  });
});

describe('a dated promotion across the fall-back change', () => {
  const halloween: Promotion = {
    id: 'tmobile-halloween' as PromotionId,
    name: 'Halloween',
    description: 'Bonus data on passes around Halloween.',
    appliesTo: { planKinds: ['addon'] },
    window: { kind: 'dated', from: '2026-10-30', to: '2026-11-02' },
    bonus: { kind: 'multiplier', factor: 3 },
  };
  const profile = unwrap(validateCarrierProfile({ ...tmobile, promotions: [halloween] }));

  it('opens at 00:00 PDT on the first day and closes at 24:00 PST on the last', () => {
    expect(activeIds(profile, 'tmobile-pass-1d', '2026-10-30T06:59:59Z')).toEqual([]);
    expect(activeIds(profile, 'tmobile-pass-1d', '2026-10-30T07:00:00Z')).toEqual([
      'tmobile-halloween',
    ]);
    expect(activeIds(profile, 'tmobile-pass-1d', '2026-11-03T07:59:59Z')).toEqual([
      'tmobile-halloween',
    ]);
    expect(activeIds(profile, 'tmobile-pass-1d', '2026-11-03T08:00:00Z')).toEqual([]);
  });

  it('pays a multiplier of 3 as twice the plan’s data', () => {
    expect(promotionBonusBytes(halloween, plan(tmobile, 'tmobile-pass-10d'))).toBe(gigabytes(10));
  });
});

it('gives no promotion to another carrier’s plan', () => {
  expect(
    activePromotions(att, plan(verizon, 'verizon-boost-2gb'), at('2026-03-07T16:00:00Z')),
  ).toEqual([]);
});

describe('promotions follow the carrier’s wall clock only', () => {
  const utc = unwrap(parseTimeZone('UTC', 'zone'));
  const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2036, 0, 1) - 1 });
  const carrierPlans = fc.constantFrom(...carrierIds).chain((carrier) =>
    fc.record({
      profile: fc.constant(carrierProfiles[carrier]),
      plan: fc.constantFrom(...carrierProfiles[carrier].plans),
    }),
  );
  const wallClockAsUtc = (instant: number, zone: TimeZone): number => {
    const p = localParts(instant, zone);
    return (
      Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) +
      (((instant % 1000) + 1000) % 1000)
    );
  };
  const ids = (promotions: readonly Promotion[]) => promotions.map((promotion) => promotion.id);

  test.prop([carrierPlans, instants])(
    'moving the carrier to UTC and the instant to the same wall-clock time changes nothing',
    ({ profile, plan: bought }, instant) => {
      const moved = { ...profile, timeZone: utc };
      expect(
        ids(activePromotions(moved, bought, wallClockAsUtc(instant, profile.timeZone))),
      ).toEqual(ids(activePromotions(profile, bought, instant)));
    },
  );

  test.prop([carrierPlans, instants, fc.integer({ min: -100, max: 100 })])(
    'the same local time a whole number of weeks later opens the same weekly promotions',
    ({ profile, plan: bought }, instant, weeks) => {
      const zone = profile.timeZone;
      const roughly = instant + weeks * 7 * DAY_MS;
      // Undo any DST difference so the wall clock reads the same time of day.
      const later =
        roughly +
        (wallClockAsUtc(instant, zone) - instant) -
        (wallClockAsUtc(roughly, zone) - roughly);
      const before = localParts(instant, zone);
      const after = localParts(later, zone);
      fc.pre(after.hour === before.hour); // not when that time falls in a spring-forward gap
      expect(after).toMatchObject({
        ...addLocalDays(before, weeks * 7),
        hour: before.hour,
        minute: before.minute,
        weekday: before.weekday,
      });
      const weekly = (promotions: readonly Promotion[]) =>
        ids(promotions.filter((promotion) => promotion.window.kind === 'weekly'));
      expect(weekly(activePromotions(profile, bought, later))).toEqual(
        weekly(activePromotions(profile, bought, instant)),
      );
    },
  );
});
