import { gigabytes, megabytes } from '../../data/data-size.ts';
import { usd } from '../../money/money.ts';
import { unwrap } from '../../result.ts';
import { parseTimeZone } from '../../time/time-zone.ts';
import type { CarrierProfile } from '../carrier-profile.ts';
import { catalogBuilder } from '../internal/catalog-builder.ts';

const { base, pass, boost, promotion } = catalogBuilder('verizon');

/**
 * Verizon as a mock: postpaid Unlimited plans (Plus on a 12-month term), prepaid monthly and
 * annual plans, TravelPass-style passes (one at a time), boosts, and bonus data on boosts
 * bought on weeknights. The base allowance drains before a pass, which only tops it up;
 * boosts last.
 */
export const verizonProfile: CarrierProfile = {
  id: 'verizon',
  displayName: 'Verizon',
  timeZone: unwrap(parseTimeZone('America/Chicago', 'verizon.timeZone')),
  defaultApiStyle: 'async',
  smdpAddress: 'smdp.verizon.esimlab.test',
  iccidIssuerId: '480',
  mcc: '311',
  mnc: '480',
  dataRules: {
    onePassAtATime: true,
    consumptionOrder: ['promo', 'base', 'pass', 'boost'],
  },
  plans: [
    base({
      id: 'verizon-unlimited-welcome',
      name: 'Unlimited Welcome',
      dataBytes: gigabytes(40),
      validityDays: 30,
      price: usd(65),
      autoRenewable: true,
      minTermDays: 0,
      earlyTerminationFee: null,
      confirmationCodeRequired: false,
    }),
    base({
      id: 'verizon-unlimited-plus',
      name: 'Unlimited Plus',
      dataBytes: gigabytes(100),
      validityDays: 30,
      price: usd(80),
      autoRenewable: true,
      minTermDays: 365,
      earlyTerminationFee: usd(180),
      confirmationCodeRequired: true,
    }),
    base({
      id: 'verizon-prepaid-15gb',
      name: 'Prepaid 15GB',
      dataBytes: gigabytes(15),
      validityDays: 30,
      price: usd(35),
      autoRenewable: false,
      minTermDays: 0,
      earlyTerminationFee: null,
      confirmationCodeRequired: false,
    }),
    base({
      id: 'verizon-prepaid-annual',
      name: 'Prepaid Annual 180GB',
      dataBytes: gigabytes(180),
      validityDays: 365,
      price: usd(300),
      autoRenewable: false,
      minTermDays: 0,
      earlyTerminationFee: null,
      confirmationCodeRequired: true,
    }),
    pass({
      id: 'verizon-pass-1d',
      name: 'TravelPass',
      dataBytes: megabytes(500),
      validityDays: 1,
      price: usd(12),
    }),
    pass({
      id: 'verizon-pass-30d',
      name: 'International Monthly 20GB',
      dataBytes: gigabytes(20),
      validityDays: 30,
      price: usd(100),
    }),
    boost({
      id: 'verizon-boost-2gb',
      name: 'Data Boost 2GB',
      dataBytes: gigabytes(2),
      validityDays: 30,
      price: usd(15),
    }),
    boost({
      id: 'verizon-boost-5gb',
      name: 'Data Boost 5GB',
      dataBytes: gigabytes(5),
      validityDays: 30,
      price: usd(25),
    }),
  ],
  promotions: [
    promotion({
      id: 'verizon-weeknight-boost-bonus',
      name: 'Weeknight Boost Bonus',
      description:
        'Boosts bought Monday to Thursday from 18:00 to midnight, Chicago time, come with 1 GB of bonus data.',
      appliesTo: { planIds: ['verizon-boost-2gb', 'verizon-boost-5gb'] },
      window: { kind: 'weekly', weekdays: [1, 2, 3, 4], startHour: 18 },
      bonus: { kind: 'extraBytes', bytes: gigabytes(1) },
    }),
  ],
};
