import { type BasePlan, generateEid, seededRandom } from '@esimlab/domain';
import type { Faker } from '@faker-js/faker';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { sortableIds } from '../../runtime/ids.ts';
import { createDevice } from '../devices/device-registry.ts';
import { orderEsim } from '../esims/order-esim.ts';
import type { TestPaymentMethod } from '../gateway/payment-methods.ts';
import { resetCarrier } from '../reset/reset-carrier.ts';
import { DEV_TENANT_ID } from '../tenants/tenant-keys.ts';
import { usCities } from './internal/us-cities.ts';

export interface SeedRequest {
  /** 0..2^32-1: the same seed gives the same subscribers, across calls and restarts. */
  readonly seed: number;
  readonly subscribers: number;
}

export interface SeededSubscriber {
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
  readonly eid: string;
  readonly iccid: string;
  readonly msisdn: string;
  readonly planId: string;
  readonly activationCode: string;
  /** Only for plans whose activation code demands one. */
  readonly confirmationCode?: string;
}

interface SubscriberDraft {
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
  readonly location: { readonly lat: number; readonly lon: number };
  readonly plan: BasePlan;
  readonly paymentMethod: TestPaymentMethod;
}

const paymentMethods: readonly TestPaymentMethod[] = [
  'pm_card_visa',
  'pm_card_mastercard',
  'pm_paypal',
];

/**
 * Resets the carrier, then gives tenant `dev` realistic US subscribers: each with a phone
 * (near a US city, wifi on) and an eSIM ordered on one of the carrier's base plans, bound
 * to that phone. Everything the caller sees derives from `seed` alone.
 */
export async function seedSubscribers(
  context: CarrierContext,
  request: SeedRequest,
): Promise<SeededSubscriber[]> {
  // Loaded on first use: it is a tenth of a second of every carrier's start-up otherwise.
  const { faker } = await import('@faker-js/faker/locale/en_US');
  const drafts = draftSubscribers(faker, context, request);
  await resetCarrier(context);
  // Identifiers come from the request's seed, not the carrier's shared random source,
  // so the same seed gives the same ICCIDs and EIDs whatever ran before.
  const random = seededRandom(request.seed);
  const seeding: CarrierContext = { ...context, random, ids: sortableIds(context.clock, random) };
  const seeded: SeededSubscriber[] = [];
  for (const draft of drafts) {
    const eid = generateEid(random);
    await context.store.transaction((tx) =>
      createDevice(tx, seeding, { eid, location: draft.location, wifi: true }),
    );
    const { esim, confirmationCode } = await orderEsim(seeding, {
      tenantId: DEV_TENANT_ID,
      planId: draft.plan.id,
      paymentMethod: draft.paymentMethod,
      subscriber: { name: draft.name, email: draft.email, timeZone: draft.timeZone },
      eid,
    });
    seeded.push({
      name: draft.name,
      email: draft.email,
      timeZone: draft.timeZone,
      eid,
      iccid: esim.iccid,
      msisdn: esim.msisdn,
      planId: esim.planId,
      activationCode: esim.activationCode,
      ...(confirmationCode === undefined ? {} : { confirmationCode }),
    });
  }
  return seeded;
}

// faker is one shared instance: draw everything in one synchronous pass after seeding it,
// so nothing else can draw in between.
function draftSubscribers(
  faker: Faker,
  context: CarrierContext,
  request: SeedRequest,
): SubscriberDraft[] {
  const basePlans = context.profile.plans.filter((p): p is BasePlan => p.kind === 'base');
  faker.seed(request.seed);
  return Array.from({ length: request.subscribers }, () => {
    const city = faker.helpers.weightedArrayElement(
      usCities.map((c) => ({ value: c, weight: c.weight })),
    );
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const jitter = () => faker.number.float({ min: -0.05, max: 0.05, fractionDigits: 4 });
    return {
      name: `${firstName} ${lastName}`,
      // Reserved example domains (RFC 2606): a seeded address never reaches a real mailbox.
      email: faker.internet
        .email({
          firstName,
          lastName,
          provider: faker.helpers.arrayElement(['example.com', 'example.net', 'example.org']),
        })
        .toLowerCase(),
      timeZone: city.timeZone,
      location: {
        lat: Number((city.lat + jitter()).toFixed(4)),
        lon: Number((city.lon + jitter()).toFixed(4)),
      },
      plan: faker.helpers.arrayElement(basePlans),
      paymentMethod: faker.helpers.arrayElement(paymentMethods),
    };
  });
}
