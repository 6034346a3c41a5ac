import { gigabytes } from '../../data/data-size.ts';
import { usd } from '../../money/money.ts';
import { unwrap } from '../../result.ts';
import { parseTimeZone } from '../../time/time-zone.ts';
import type { CarrierProfile } from '../carrier-profile.ts';
import { catalogBuilder } from '../internal/catalog-builder.ts';

const { base, pass, boost, promotion } = catalogBuilder('att');

/**
 * AT&T as a mock: postpaid unlimited plans with a premium tier on a 12-month term, a
 * prepaid plan, day and week passes (one at a time) and boosts, and weekend double data on
 * add-ons. Promo data drains first, then the pass, the base allowance, and boosts last.
 */
export const attProfile: CarrierProfile = {
  id: 'att',
  displayName: 'AT&T',
  timeZone: unwrap(parseTimeZone('America/New_York', 'att.timeZone')),
  defaultApiStyle: 'idempotent',
  smdpAddress: 'smdp.att.esimlab.test',
  iccidIssuerId: '410',
  mcc: '310',
  mnc: '410',
  dataRules: {
    onePassAtATime: true,
    consumptionOrder: ['promo', 'pass', 'base', 'boost'],
  },
  plans: [
    base({
      id: 'att-unlimited-starter',
      name: 'Unlimited Starter',
      dataBytes: gigabytes(50),
      validityDays: 30,
      price: usd(65, 99),
      autoRenewable: true,
      minTermDays: 0,
      earlyTerminationFee: null,
      confirmationCodeRequired: false,
    }),
    base({
      id: 'att-unlimited-premium',
      name: 'Unlimited Premium',
      dataBytes: gigabytes(150),
      validityDays: 30,
      price: usd(85, 99),
      autoRenewable: true,
      minTermDays: 365,
      earlyTerminationFee: usd(150),
      confirmationCodeRequired: true,
    }),
    base({
      id: 'att-value-plus',
      name: 'Value Plus',
      dataBytes: gigabytes(20),
      validityDays: 30,
      price: usd(50, 99),
      autoRenewable: true,
      minTermDays: 30,
      earlyTerminationFee: usd(25),
      confirmationCodeRequired: false,
    }),
    base({
      id: 'att-prepaid-16gb',
      name: 'Prepaid 16GB',
      dataBytes: gigabytes(16),
      validityDays: 30,
      price: usd(40),
      autoRenewable: false,
      minTermDays: 0,
      earlyTerminationFee: null,
      confirmationCodeRequired: false,
    }),
    pass({
      id: 'att-pass-1d',
      name: 'International Day Pass',
      dataBytes: gigabytes(2),
      validityDays: 1,
      price: usd(12),
    }),
    pass({
      id: 'att-pass-7d',
      name: 'Week Pass 10GB',
      dataBytes: gigabytes(10),
      validityDays: 7,
      price: usd(35),
    }),
    boost({
      id: 'att-boost-2gb',
      name: 'Data Boost 2GB',
      dataBytes: gigabytes(2),
      validityDays: 30,
      price: usd(10),
    }),
    boost({
      id: 'att-boost-5gb',
      name: 'Data Boost 5GB',
      dataBytes: gigabytes(5),
      validityDays: 30,
      price: usd(20),
    }),
  ],
  promotions: [
    promotion({
      id: 'att-weekend-double-data',
      name: 'Weekend Double Data',
      description:
        'Add-ons bought on Saturday or Sunday, New York time, come with their data again as bonus data.',
      appliesTo: { planKinds: ['addon'] },
      window: { kind: 'weekly', weekdays: [6, 0] },
      bonus: { kind: 'multiplier', factor: 2 },
    }),
  ],
};
