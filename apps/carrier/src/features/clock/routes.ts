import { toIso } from '@esimlab/domain';
import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { isoTime } from '../../http/schemas.ts';
import { advanceClock, type ClockReading } from './advance-clock.ts';
import { durationExample, MAX_ADVANCE_MS, parseIsoDuration } from './iso-duration.ts';

const clockSchema = z
  .object({
    now: isoTime,
    offsetMs: z.number().int().meta({ description: 'How far the clock is ahead of wall time' }),
  })
  .meta({ id: 'Clock' });

/** `{by: "P1D"}` or `{ms: 86400000}`, parsed to milliseconds. */
const advanceSchema = z
  .strictObject({
    by: z
      .string({ error: `must be an ISO 8601 duration string such as ${durationExample}` })
      .max(64, { error: `is too long for a duration; use e.g. ${durationExample}` })
      .transform((value, ctx) => {
        const parsed = parseIsoDuration(value);
        if (parsed.ok) return parsed.ms;
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      })
      .optional()
      .meta({ description: `An ISO 8601 duration: ${durationExample}`, example: 'P1D' }),
    ms: z
      .number()
      .int()
      .positive()
      .max(MAX_ADVANCE_MS)
      .optional()
      .meta({ description: 'The same in milliseconds, instead of `by`' }),
  })
  .refine((body) => (body.by === undefined) !== (body.ms === undefined), {
    message: `send exactly one of \`by\` (an ISO 8601 duration such as ${durationExample}) or \`ms\``,
    path: ['by'],
  })
  .transform((body) => ({ ms: body.by ?? body.ms ?? 0 }));

const clockView = (reading: ClockReading): z.infer<typeof clockSchema> => ({
  now: toIso(reading.now),
  offsetMs: reading.offsetMs,
});

export const clockRoutes = [
  defineRoute({
    method: 'get',
    path: '/_sim/clock',
    operationId: 'getClock',
    summary: "The carrier's simulated time: wall time plus an offset",
    tag: 'Control plane',
    access: 'control-plane',
    responses: { 200: { description: 'The current simulated time', schema: clockSchema } },
    async handle(_input, context) {
      return {
        status: 200,
        body: clockView({ now: context.clock.now(), offsetMs: context.clock.offsetMs }),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/_sim/clock/advance',
    operationId: 'advanceClock',
    summary: 'Move the clock forward and run everything that fell due (expiry, renewals, …)',
    tag: 'Control plane',
    access: 'control-plane',
    body: advanceSchema,
    responses: {
      200: { description: 'The new time, after all due work has run', schema: clockSchema },
    },
    async handle({ body }, context) {
      return { status: 200, body: clockView(await advanceClock(context, body.ms)) };
    },
  }),
];
