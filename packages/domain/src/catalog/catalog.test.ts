import { describe, expect, it } from 'vitest';
import { usd } from '../money/money.ts';
import { carrierIds } from './carrier.ts';
import type { CarrierProfile } from './carrier-profile.ts';
import { attProfile } from './carriers/att.ts';
import { tmobileProfile } from './carriers/tmobile.ts';
import { verizonProfile } from './carriers/verizon.ts';
import { carrierProfiles, findPlan, plansOf, validateCarrierProfile } from './catalog.ts';
import type { Plan } from './plan.ts';

// A writable deep copy to break one rule at a time; the catalog itself is frozen.
// biome-ignore lint/suspicious/noExplicitAny: a mutant may hold any value, that is the point
type Mutant = Record<string, any>;
const mutated = (profile: CarrierProfile, mutate: (copy: Mutant) => void): CarrierProfile => {
  const copy: Mutant = structuredClone(profile);
  mutate(copy);
  return copy as CarrierProfile;
};

function expectRejected(profile: CarrierProfile, path: string, message: RegExp): void {
  const result = validateCarrierProfile(profile);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('invalid_catalog');
  expect(result.error.problems).toContainEqual({ path, message: expect.stringMatching(message) });
  expect(result.error.message).toContain(path);
}

describe('the shipped catalogs', () => {
  it.each([attProfile, tmobileProfile, verizonProfile])('$id validates', (profile) => {
    expect(validateCarrierProfile(profile)).toEqual({ ok: true, value: profile });
  });

  it.each([
    ['att', 'America/New_York', 'idempotent', '410', '310', '410'],
    ['tmobile', 'America/Los_Angeles', 'reference', '260', '310', '260'],
    ['verizon', 'America/Chicago', 'async', '480', '311', '480'],
  ] as const)(
    '%s lives in %s, speaks %s and issues ICCIDs as %s on %s-%s',
    (id, zone, style, issuer, mcc, mnc) => {
      expect(carrierProfiles[id]).toMatchObject({
        id,
        timeZone: zone,
        defaultApiStyle: style,
        iccidIssuerId: issuer,
        mcc,
        mnc,
        smdpAddress: `smdp.${id}.esimlab.test`,
      });
    },
  );

  it.each(carrierIds)(
    '%s sells 3-4 base plans, 3-5 add-ons, passes and boosts, terms and prepaid',
    (id) => {
      const plans = plansOf(id);
      const bases = plans.filter((plan) => plan.kind === 'base');
      const addons = plans.filter((plan) => plan.kind === 'addon');
      expect(bases.length).toBeGreaterThanOrEqual(3);
      expect(bases.length).toBeLessThanOrEqual(4);
      expect(addons.length).toBeGreaterThanOrEqual(3);
      expect(addons.length).toBeLessThanOrEqual(5);
      expect(addons.some((plan) => plan.addonKind === 'pass')).toBe(true);
      expect(addons.some((plan) => plan.addonKind === 'boost')).toBe(true);
      expect(bases.some((plan) => plan.autoRenewable && plan.minTermDays > 0)).toBe(true);
      expect(bases.some((plan) => !plan.autoRenewable && plan.minTermDays === 0)).toBe(true);
      expect(bases.some((plan) => plan.confirmationCodeRequired)).toBe(true);
      expect(carrierProfiles[id].promotions.length).toBeGreaterThan(0);
    },
  );

  it('lets tmobile stack passes while att and verizon sell one at a time', () => {
    expect(carrierIds.map((id) => carrierProfiles[id].dataRules.onePassAtATime)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(carrierProfiles.att.plans[0])).toBe(true);
    expect(() => {
      (carrierProfiles.att.plans as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });
});

describe('validateCarrierProfile rejects', () => {
  it('a duplicate plan id', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans.push({ ...p.plans[0] });
    });
    expectRejected(
      profile,
      `plans[${attProfile.plans.length}] (att-unlimited-starter)`,
      /appears more than once/,
    );
  });

  it('a plan id without the carrier prefix', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[0].id = 'unlimited-starter';
    });
    expectRejected(profile, 'plans[0] (unlimited-starter).id', /starting with `att-`/);
  });

  it('a plan that names another carrier', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[0].carrier = 'verizon';
    });
    expectRejected(profile, 'plans[0] (att-unlimited-starter).carrier', /in the `att` catalog/);
  });

  it('a fractional number of bytes', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[0].dataBytes = 1.5;
    });
    expectRejected(
      profile,
      'plans[0] (att-unlimited-starter).dataBytes',
      /positive integer number of bytes, got 1.5/,
    );
  });

  it('a plan with no data', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[0].dataBytes = 0;
    });
    expectRejected(profile, 'plans[0] (att-unlimited-starter).dataBytes', /positive integer/);
  });

  it('a zero validity', () => {
    const profile = mutated(tmobileProfile, (p) => {
      p.plans[3].validityDays = 0;
    });
    expectRejected(
      profile,
      'plans[3] (tmobile-pass-1d).validityDays',
      /positive integer number of days, got 0/,
    );
  });

  it('a price in fractional cents', () => {
    const profile = mutated(verizonProfile, (p) => {
      p.plans[0].price = { amount: 64.99, currency: 'USD' };
    });
    expectRejected(
      profile,
      'plans[0] (verizon-unlimited-welcome).price',
      /integer amount of USD cents, got .*64.99/,
    );
  });

  it('a negative price', () => {
    const profile = mutated(verizonProfile, (p) => {
      p.plans[0].price = { amount: -100, currency: 'USD' };
    });
    expectRejected(profile, 'plans[0] (verizon-unlimited-welcome).price', /non-negative integer/);
  });

  it('a price in another currency', () => {
    const profile = mutated(verizonProfile, (p) => {
      p.plans[0].price = { amount: 6500, currency: 'EUR' };
    });
    expectRejected(profile, 'plans[0] (verizon-unlimited-welcome).price', /USD cents/);
  });

  it('an early-termination fee without a minimum term', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[0].earlyTerminationFee = usd(50);
    });
    expectRejected(
      profile,
      'plans[0] (att-unlimited-starter).earlyTerminationFee',
      /minTermDays is 0/,
    );
  });

  it('a minimum term without an early-termination fee', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[1].earlyTerminationFee = null;
    });
    expectRejected(
      profile,
      'plans[1] (att-unlimited-premium).earlyTerminationFee',
      /minimum term needs a fee/,
    );
  });

  it('a negative minimum term', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[0].minTermDays = -30;
    });
    expectRejected(profile, 'plans[0] (att-unlimited-starter).minTermDays', /non-negative integer/);
  });

  it('a minimum term longer than a plan that does not renew', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[1].autoRenewable = false;
    });
    expectRejected(
      profile,
      'plans[1] (att-unlimited-premium).minTermDays',
      /must be autoRenewable/,
    );
  });

  it('an auto-renewing add-on', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[4].autoRenewable = true;
    });
    expectRejected(profile, 'plans[4] (att-pass-1d).autoRenewable', /one-off purchase/);
  });

  it('an add-on with a term and a fee', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[4].minTermDays = 30;
      p.plans[4].earlyTerminationFee = usd(10);
    });
    expectRejected(profile, 'plans[4] (att-pass-1d).minTermDays', /no minimum term/);
    expectRejected(profile, 'plans[4] (att-pass-1d).earlyTerminationFee', /no minimum term/);
  });

  it('an add-on of unknown kind', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[4].addonKind = 'bundle';
    });
    expectRejected(profile, 'plans[4] (att-pass-1d).addonKind', /pass or boost/);
  });

  it('a catalog with no base plan', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans = p.plans.filter((plan: Plan) => plan.kind === 'addon');
      p.promotions = [];
    });
    expectRejected(profile, 'plans', /no base plan/);
  });

  it('boost drained before base', () => {
    const profile = mutated(attProfile, (p) => {
      p.dataRules.consumptionOrder = ['promo', 'pass', 'boost', 'base'];
    });
    expectRejected(profile, 'dataRules.consumptionOrder', /boost must come after base/);
  });

  it('a bucket missing from, or repeated in, the consumption order', () => {
    const profile = mutated(attProfile, (p) => {
      p.dataRules.consumptionOrder = ['pass', 'pass', 'base', 'boost'];
    });
    expectRejected(profile, 'dataRules.consumptionOrder', /`promo` exactly once, found it 0 times/);
    expectRejected(profile, 'dataRules.consumptionOrder', /`pass` exactly once, found it 2 times/);
  });

  it('a promotion naming a plan the carrier does not sell', () => {
    const profile = mutated(verizonProfile, (p) => {
      p.promotions[0].appliesTo.planIds.push('verizon-boost-50gb');
    });
    expectRejected(
      profile,
      'promotions[0] (verizon-weeknight-boost-bonus).appliesTo.planIds',
      /`verizon-boost-50gb`, which this catalog does not sell/,
    );
  });

  it('a promotion that matches no plan', () => {
    const profile = mutated(verizonProfile, (p) => {
      p.promotions[0].appliesTo.planKinds = ['base'];
    });
    expectRejected(
      profile,
      'promotions[0] (verizon-weeknight-boost-bonus).appliesTo',
      /matches no plan/,
    );
  });

  it('a duplicate promotion id', () => {
    const profile = mutated(tmobileProfile, (p) => {
      p.promotions.push({ ...p.promotions[0] });
    });
    expectRejected(
      profile,
      'promotions[2] (tmobile-tuesdays-pass-bonus)',
      /appears more than once/,
    );
  });

  it('a weekly window on a day that does not exist', () => {
    const profile = mutated(attProfile, (p) => {
      p.promotions[0].window.weekdays = [6, 7];
    });
    expectRejected(
      profile,
      'promotions[0] (att-weekend-double-data).window.weekdays',
      /7 is not a weekday/,
    );
  });

  it('a weekly window that closes before it opens', () => {
    const profile = mutated(verizonProfile, (p) => {
      p.promotions[0].window.endHour = 18;
    });
    expectRejected(profile, 'promotions[0] (verizon-weeknight-boost-bonus).window', /never open/);
  });

  it('a dated window on a day the calendar does not have', () => {
    const profile = mutated(tmobileProfile, (p) => {
      p.promotions[1].window.to = '2026-11-31';
    });
    expectRejected(
      profile,
      'promotions[1] (tmobile-black-friday-5gb).window.to',
      /not a day of the calendar/,
    );
  });

  it('a dated window that ends before it starts', () => {
    const profile = mutated(tmobileProfile, (p) => {
      p.promotions[1].window.from = '2026-12-27';
    });
    expectRejected(
      profile,
      'promotions[1] (tmobile-black-friday-5gb).window',
      /ends before it starts/,
    );
  });

  it('a multiplier that adds nothing or a fraction', () => {
    for (const factor of [1, 1.5]) {
      const profile = mutated(attProfile, (p) => {
        p.promotions[0].bonus.factor = factor;
      });
      expectRejected(
        profile,
        'promotions[0] (att-weekend-double-data).bonus.factor',
        /integer of at least 2/,
      );
    }
  });

  it('an extra-bytes bonus of no bytes', () => {
    const profile = mutated(verizonProfile, (p) => {
      p.promotions[0].bonus.bytes = 0;
    });
    expectRejected(
      profile,
      'promotions[0] (verizon-weeknight-boost-bonus).bonus.bytes',
      /positive integer/,
    );
  });

  it('an unknown time zone, with the fix', () => {
    const profile = mutated(attProfile, (p) => {
      p.timeZone = 'America/Gotham';
    });
    expectRejected(profile, 'timeZone', /America\/New_York/);
  });

  it('an MCC outside the US range and a two-digit MNC', () => {
    const profile = mutated(attProfile, (p) => {
      p.mcc = '320';
      p.mnc = '41';
    });
    expectRejected(profile, 'mcc', /310 to 316/);
    expectRejected(profile, 'mnc', /three digits/);
  });

  it('an SM-DP+ address outside the reserved .test domain', () => {
    const profile = mutated(attProfile, (p) => {
      p.smdpAddress = 'smdp.att.com';
    });
    expectRejected(profile, 'smdpAddress', /under \.test/);
  });

  it('an unknown API style', () => {
    const profile = mutated(attProfile, (p) => {
      p.defaultApiStyle = 'graphql';
    });
    expectRejected(profile, 'defaultApiStyle', /idempotent, reference, async/);
  });

  it('with every problem listed at once', () => {
    const profile = mutated(attProfile, (p) => {
      p.plans[0].price = { amount: 65.99, currency: 'USD' };
      p.dataRules.consumptionOrder = ['boost', 'base', 'pass', 'promo'];
      p.mnc = '4100';
    });
    const result = validateCarrierProfile(profile);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.problems.map((problem) => problem.path)).toEqual([
        'mnc',
        'dataRules.consumptionOrder',
        'plans[0] (att-unlimited-starter).price',
      ]);
      expect(result.error.message).toMatch(/^the `att` catalog has 3 problem\(s\):\n- mnc: /);
    }
  });
});

describe('findPlan', () => {
  it('finds a plan the carrier sells', () => {
    const result = findPlan('tmobile', 'tmobile-pass-1d');
    expect(result.ok && result.value).toMatchObject({
      id: 'tmobile-pass-1d',
      carrier: 'tmobile',
      addonKind: 'pass',
    });
  });

  it('says how to list plans when the carrier does not sell it', () => {
    expect(findPlan('att', 'att-unlimited-infinite')).toEqual({
      ok: false,
      error: {
        code: 'plan_not_found',
        field: 'planId',
        message:
          'plan `att-unlimited-infinite` is not sold by `att`; list `att` plans with GET /v1/plans',
      },
    });
  });

  it('says which carrier sells a plan asked of the wrong one', () => {
    const result = findPlan('att', 'tmobile-pass-1d');
    expect(!result.ok && result.error.message).toBe(
      'plan `tmobile-pass-1d` is not sold by `att` (it is a `tmobile` plan); list `att` plans with GET /v1/plans',
    );
  });

  it('refuses an add-on where a base plan is needed, and the other way round', () => {
    const order = findPlan('verizon', 'verizon-boost-2gb', 'base');
    expect(!order.ok && order.error.message).toMatch(
      /is an add-on, but an eSIM order needs a base plan/,
    );
    const topup = findPlan('verizon', 'verizon-unlimited-plus', 'addon');
    expect(!topup.ok && topup.error.message).toMatch(
      /is a base plan, but a top-up needs an add-on/,
    );
    const boost = findPlan('verizon', 'verizon-boost-2gb', 'addon');
    expect(boost.ok && boost.value.addonKind).toBe('boost');
  });

  it('keeps the message short for an absurdly long id', () => {
    const result = findPlan('att', 'x'.repeat(10_000));
    expect(!result.ok && result.error.message.length).toBeLessThan(200);
  });
});

describe('plansOf', () => {
  it('lists only the carrier’s own plans, with ids unique across carriers', () => {
    const all = carrierIds.flatMap((id) => plansOf(id).map((plan) => ({ id, plan })));
    for (const { id, plan } of all) {
      expect(plan.carrier).toBe(id);
      expect(plan.id.startsWith(`${id}-`)).toBe(true);
    }
    expect(new Set(all.map(({ plan }) => plan.id)).size).toBe(all.length);
  });
});
