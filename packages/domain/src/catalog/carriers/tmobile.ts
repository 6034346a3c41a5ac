import { gigabytes, megabytes } from '../../data/data-size.ts';
import { usd } from '../../money/money.ts';
import { unwrap } from '../../result.ts';
import { parseTimeZone } from '../../time/time-zone.ts';
import type { CarrierProfile } from '../carrier-profile.ts';
import { catalogBuilder } from '../internal/catalog-builder.ts';

const { base, pass, boost, promotion } = catalogBuilder('tmobile');

/**
 * T-Mobile as a mock: postpaid plans (Go5G Plus on a 12-month term), prepaid, stackable
 * International Passes, a high-speed boost, Tuesday bonus data and a Black Friday bonus.
 * Passes drain first (they are the shortest-lived), then promo data, base, and boosts last.
 */
export const tmobileProfile: CarrierProfile = {
  id: 'tmobile',
  displayName: 'T-Mobile',
  timeZone: unwrap(parseTimeZone('America/Los_Angeles', 'tmobile.timeZone')),
  defaultApiStyle: 'reference',
  smdpAddress: 'smdp.tmobile.esimlab.test',
  iccidIssuerId: '260',
  mcc: '310',
  mnc: '260',
  dataRules: {
    onePassAtATime: false,
    consumptionOrder: ['pass', 'promo', 'base', 'boost'],
  },
  plans: [
    base({
      id: 'tmobile-essentials',
      name: 'Essentials',
      dataBytes: gigabytes(50),
      validityDays: 30,
      price: usd(60),
      autoRenewable: true,
      minTermDays: 0,
      earlyTerminationFee: null,
      confirmationCodeRequired: false,
    }),
    base({
      id: 'tmobile-go5g-plus',
      name: 'Go5G Plus',
      dataBytes: gigabytes(100),
      validityDays: 30,
      price: usd(90),
      autoRenewable: true,
      minTermDays: 365,
      earlyTerminationFee: usd(200),
      confirmationCodeRequired: true,
    }),
    base({
      id: 'tmobile-prepaid-10gb',
      name: 'Prepaid 10GB',
      dataBytes: gigabytes(10),
      validityDays: 30,
      price: usd(30),
      autoRenewable: false,
      minTermDays: 0,
      earlyTerminationFee: null,
      confirmationCodeRequired: false,
    }),
    pass({
      id: 'tmobile-pass-1d',
      name: 'International Pass 1 Day',
      dataBytes: megabytes(512),
      validityDays: 1,
      price: usd(5),
    }),
    pass({
      id: 'tmobile-pass-10d',
      name: 'International Pass 10 Days',
      dataBytes: gigabytes(5),
      validityDays: 10,
      price: usd(35),
    }),
    pass({
      id: 'tmobile-pass-30d',
      name: 'International Pass 30 Days',
      dataBytes: gigabytes(15),
      validityDays: 30,
      price: usd(50),
    }),
    boost({
      id: 'tmobile-boost-5gb',
      name: 'High-Speed Data 5GB',
      dataBytes: gigabytes(5),
      validityDays: 30,
      price: usd(15),
    }),
  ],
  promotions: [
    promotion({
      id: 'tmobile-tuesdays-pass-bonus',
      name: 'T-Mobile Tuesdays',
      description: 'Passes bought on a Tuesday, Los Angeles time, come with 1 GB of bonus data.',
      appliesTo: { planIds: ['tmobile-pass-1d', 'tmobile-pass-10d', 'tmobile-pass-30d'] },
      window: { kind: 'weekly', weekdays: [2] },
      bonus: { kind: 'extraBytes', bytes: gigabytes(1) },
    }),
    promotion({
      id: 'tmobile-black-friday-5gb',
      name: 'Black Friday +5 GB',
      description:
        'Base plans bought from Black Friday to Cyber Monday 2026, Los Angeles time, come with 5 GB of bonus data.',
      appliesTo: { planKinds: ['base'] },
      window: { kind: 'dated', from: '2026-11-27', to: '2026-11-30' },
      bonus: { kind: 'extraBytes', bytes: gigabytes(5) },
    }),
  ],
};
