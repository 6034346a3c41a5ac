import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { exclusiveClockWork } from '../clock/clock-work-queue.ts';
import { seedSubscribers } from './seed-subscribers.ts';

export const MAX_SEEDED_SUBSCRIBERS = 200;

const seededSubscriberSchema = z
  .object({
    name: z.string(),
    email: z.string(),
    timeZone: z.string(),
    eid: z.string(),
    iccid: z.string(),
    msisdn: z.string(),
    planId: z.string(),
    activationCode: z.string(),
    confirmationCode: z.string().optional(),
  })
  .meta({ id: 'SeededSubscriber' });

export const seedRoutes = [
  defineRoute({
    method: 'post',
    path: '/_sim/seed',
    operationId: 'seedCarrier',
    summary:
      'Reset, then create realistic subscribers for tenant `dev`, each with a phone and an eSIM (same seed, same data)',
    tag: 'Control plane',
    access: 'control-plane',
    body: z.strictObject({
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 1)
        .meta({ description: 'Any 32-bit unsigned integer', example: 42 }),
      subscribers: z
        .number()
        .int()
        .min(1)
        .max(MAX_SEEDED_SUBSCRIBERS)
        .default(10)
        .meta({ description: `How many subscribers, 1..${MAX_SEEDED_SUBSCRIBERS}` }),
    }),
    responses: {
      200: {
        description: 'The subscribers, in creation order',
        schema: z.object({ subscribers: z.array(seededSubscriberSchema) }),
      },
    },
    async handle({ body }, context) {
      const subscribers = await exclusiveClockWork(context, () => seedSubscribers(context, body));
      return { status: 200, body: { subscribers } };
    },
  }),
];
