import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { exclusiveClockWork } from '../clock/clock-work-queue.ts';
import { resetCarrier } from './reset-carrier.ts';

export const resetRoutes = [
  defineRoute({
    method: 'post',
    path: '/_sim/reset',
    operationId: 'resetCarrier',
    summary:
      'Delete all state and start over with only tenant `dev`, the default settings and no crash point armed',
    tag: 'Control plane',
    access: 'control-plane',
    // No body is needed; an empty JSON object is accepted for clients that always send one.
    body: z.strictObject({}).optional(),
    responses: { 204: { description: 'The carrier is as good as new' } },
    async handle(_input, context) {
      await exclusiveClockWork(context, () => resetCarrier(context));
      return { status: 204 };
    },
  }),
];
