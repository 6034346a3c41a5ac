import { webhookEventTypes } from '@esimlab/client';
import { apiStyles, carrierIds } from '@esimlab/domain';
import { crashPointNames, faultPresetNames, faultRuleSchema } from '@esimlab/faults';
import { z } from 'zod';
import { checkViolationKinds } from '../checker/check-report.ts';

/**
 * The scenario language. One schema validates a YAML file and, through `z.toJSONSchema`,
 * becomes `scenarios/scenario.schema.json`, which editors use to complete scenario files.
 */

/** A name a step gives to what it creates (`as:`), so later steps can refer to it. */
const ref = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a name of lowercase letters, digits and dashes, e.g. alice')
  .meta({ description: 'A name given with `as:` by an earlier step' });

const dataSize = z
  .union([
    z.number().int().min(0),
    z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|KiB|MiB|GiB)$/, 'a size such as 500MB or 5GB'),
  ])
  .meta({ description: 'Bytes, or a size with a unit: 500MB, 5GB (decimal), 1GiB (binary)' });

const location = z
  .strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
  .meta({ description: 'A point on the map, in degrees' });

const problemCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a snake_case problem code, e.g. card_declined')
  .meta({ description: 'The `code` of the problem+json the step must get' });

const paymentMethodName = z
  .string()
  .regex(/^pm_[A-Za-z_]+$/, 'a test payment method such as pm_card_visa');

const paymentMethod = paymentMethodName.default('pm_card_visa').meta({
  description:
    'pm_card_visa, pm_card_mastercard, pm_paypal succeed; pm_card_chargeDeclined, pm_card_insufficientFunds decline; pm_card_processingError fails retryably; pm_card_slow takes 3 s',
});

const topupStrategy = z
  .string()
  .regex(
    /^(idempotent|reference|async|mutant:[a-z-]+)$/,
    'idempotent, reference, async or mutant:<name>',
  )
  .meta({
    description:
      'How the client retries: the reference client for an API style (idempotent, reference, async), or a deliberately broken one (mutant:fresh-key-retry, mutant:reference-blind-retry, mutant:timeout-buys-again)',
  });

const violationKind = z.enum(checkViolationKinds);

const intentStatus = z.enum(['ok', 'failed', 'unknown']);

const isoDuration = z
  .string()
  .regex(
    /^P(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?)?$/,
    'an ISO 8601 duration such as P1D, PT6H or P1DT30M',
  );

export const weekdayNames = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

const steps = {
  tenant: z
    .strictObject({ as: ref })
    .meta({ description: 'Create a tenant with its own API key (POST /_sim/tenants)' }),
  esim: z
    .strictObject({
      as: ref,
      plan: z.string().min(1).meta({ description: 'A base plan of the carrier (GET /v1/plans)' }),
      paymentMethod,
      tenant: ref.optional().meta({ description: 'Order as this tenant; default tenant dev' }),
      timeZone: z.string().min(1).optional().meta({
        description: "The subscriber's IANA time zone; default the carrier's",
      }),
      error: problemCode.optional().meta({ description: 'The order must fail with this code' }),
    })
    .meta({ description: 'Order an eSIM (POST /v1/esims)' }),
  device: z
    .strictObject({ as: ref, at: location, wifi: z.boolean().default(true) })
    .meta({ description: 'A simulated phone at a place (POST /_sim/devices)' }),
  activate: z
    .strictObject({
      esim: ref,
      device: ref,
      confirmationCode: z.string().optional().meta({
        description: 'Send this code instead of the one the order returned (e.g. a wrong one)',
      }),
      times: z.number().int().min(1).max(20).default(1).meta({
        description:
          'Send the download this many times in a row (e.g. wrong codes up to a lockout)',
      }),
      error: problemCode.optional().meta({ description: 'Every attempt must fail with this code' }),
    })
    .meta({ description: 'The phone downloads and enables the profile (POST /v1/lpa/download)' }),
  profile: z
    .strictObject({
      device: ref,
      esim: ref,
      action: z.enum(['enable', 'disable', 'delete']),
    })
    .meta({ description: 'Act on a profile installed on the phone' }),
  qr: z
    .strictObject({ esim: ref })
    .meta({ description: "Fetch the eSIM's QR PNG and check it decodes to its activation code" }),
  move: z
    .strictObject({ device: ref, to: location.optional(), wifi: z.boolean().optional() })
    .meta({ description: 'Move a phone or switch its wifi (PATCH /_sim/devices/{eid})' }),
  coverage: z
    .strictObject({
      at: location,
      signal: z.enum(['none', 'weak', 'good']).meta({ description: 'The signal expected there' }),
    })
    .meta({ description: 'Check the coverage map at a point (GET /v1/coverage)' }),
  config: z
    .strictObject({
      apiStyle: z.enum(apiStyles).optional(),
      asyncCompletionMs: z.number().int().min(0).max(600_000).optional(),
    })
    .meta({ description: "Change the carrier's settings (PATCH /_sim/config)" }),
  faults: z
    .strictObject({
      preset: z.enum(faultPresetNames).optional(),
      rules: z.array(faultRuleSchema).optional(),
      clear: z.boolean().optional().meta({ description: 'Remove every rule first' }),
    })
    .meta({
      description: 'Arm fault rules (a preset and/or rules); `clear: true` alone disarms all',
    }),
  crash: z.strictObject({ point: z.enum(crashPointNames) }).meta({
    description: 'Arm a saga crash point: the carrier process exits there once and is restarted',
  }),
  topup: z
    .strictObject({
      as: ref,
      esim: ref,
      plan: z.string().min(1).meta({ description: 'An add-on of the carrier' }),
      paymentMethod,
      strategy: topupStrategy.optional().meta({
        description:
          "How the client retries; default the reference client for the carrier's API style",
      }),
      concurrent: z.number().int().min(1).max(50).default(1).meta({
        description: 'Send the same purchase this many times at once (a double tap), one intent',
      }),
      tenant: ref.optional(),
      maxAttempts: z.number().int().min(1).max(20).optional(),
      expect: intentStatus.optional().meta({ description: "The intent's outcome" }),
      error: problemCode.optional().meta({
        description: 'A failed outcome must carry this problem code',
      }),
    })
    .meta({
      description:
        'Buy an add-on as one intent, through the client (POST /v1/esims/{iccid}/topups)',
    }),
  advance: z
    .union([
      z.strictObject({ by: isoDuration }),
      z.strictObject({
        to: z.iso.datetime({ offset: true }).meta({
          description:
            'An instant ahead of the carrier clock, e.g. 2027-03-08T10:00:00-05:00 (fails once that date has passed: prefer `next`)',
        }),
      }),
      z.strictObject({
        next: z
          .strictObject({
            weekday: z.enum(weekdayNames).optional(),
            time: z
              .string()
              .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM such as 00:30')
              .optional(),
            dst: z.enum(['start', 'end']).optional().meta({
              description: 'The next daylight saving time change: start (spring forward) or end',
            }),
            timeZone: z.string().min(1).optional().meta({ description: "Default: the carrier's" }),
          })
          .refine(
            (n) => (n.dst === undefined) !== (n.time === undefined && n.weekday === undefined),
            {
              message: 'name either a local `weekday` and/or `time`, or a `dst` change',
            },
          )
          .meta({
            description:
              'The next moment the local clock shows this weekday and time, or the next DST change',
          }),
        before: isoDuration.optional().meta({ description: 'Stop this long before that moment' }),
      }),
    ])
    .meta({ description: "Move the carrier's clock forward; due work runs before the step ends" }),
  use: z
    .strictObject({ device: ref, bytes: dataSize })
    .meta({ description: 'The phone consumes data (POST /_sim/devices/{eid}/usage)' }),
  update: z
    .strictObject({
      esim: ref,
      autoRenew: z.boolean().optional(),
      paymentMethod: paymentMethodName.optional(),
    })
    .meta({ description: 'Change auto-renewal or the payment method (PATCH /v1/esims/{iccid})' }),
  cancel: z
    .strictObject({
      esim: ref,
      fee: z
        .number()
        .int()
        .min(0)
        .optional()
        .meta({ description: 'The early-termination fee expected, in cents' }),
    })
    .meta({ description: 'Cancel the eSIM (POST /v1/esims/{iccid}/cancel)' }),
  webhooks: z
    .strictObject({
      as: ref,
      events: z
        .array(z.enum(['*', ...webhookEventTypes]))
        .min(1)
        .default(['*']),
      receiver: z.enum(['correct', 'mutant:applies-duplicates']).default('correct').meta({
        description: 'The receiver that applies events: the deduping one, or a broken one',
      }),
      tenant: ref.optional(),
    })
    .meta({
      description: 'Start a webhook receiver and subscribe it (POST /v1/webhook-endpoints)',
    }),
  trigger: z
    .strictObject({ type: z.enum(webhookEventTypes), esim: ref })
    .meta({ description: 'Emit a webhook event on demand (POST /_sim/webhooks/trigger)' }),
  wait: z
    .strictObject({ ms: z.number().int().min(1).max(30_000) })
    .meta({ description: 'Let wall time pass (async completion, webhook delivery)' }),
  expect: z
    .strictObject({
      balance: z
        .record(
          ref,
          z.strictObject({
            dataRemainingBytes: dataSize.optional(),
            throttled: z.boolean().optional(),
            expiresAt: z.iso.datetime().optional(),
          }),
        )
        .optional(),
      charges: z
        .record(
          ref,
          z.strictObject({
            captured: z.number().int().min(0).optional(),
            authorized: z.number().int().min(0).optional(),
            voided: z.number().int().min(0).optional(),
            refunded: z.number().int().min(0).optional(),
            capturedAmount: z
              .number()
              .int()
              .min(0)
              .optional()
              .meta({ description: 'Sum of captured charges, in cents' }),
          }),
        )
        .optional()
        .meta({ description: "Counts of the gateway's charges for each eSIM, by status" }),
      state: z
        .record(
          ref,
          z.strictObject({
            status: z.enum(['active', 'grace', 'suspended', 'cancelled', 'expired']).optional(),
            state: z
              .string()
              .optional()
              .meta({ description: 'The SGP.22 profile state, e.g. enabled' }),
            autoRenew: z.boolean().optional(),
          }),
        )
        .optional(),
      intents: z.record(ref, intentStatus).optional(),
      events: z
        .record(
          ref,
          z.strictObject({
            received: z.array(z.enum(webhookEventTypes)).optional().meta({
              description: 'Event types the receiver must have applied, each at least once',
            }),
            applied: z.number().int().min(0).optional().meta({
              description: 'How many distinct events the receiver applied',
            }),
          }),
        )
        .optional()
        .meta({ description: 'What each webhook receiver (named by `as:`) got' }),
      journal: z.array(z.string()).optional().meta({
        description: 'Event types that must be in the carrier journal (GET /_sim/events)',
      }),
      audit: z
        .enum(['clean'])
        .optional()
        .meta({ description: "The carrier's own audit (GET /_sim/audit)" }),
      within: z.number().int().min(0).max(30_000).default(3000).meta({
        description:
          'Keep checking for up to this many ms of wall time before failing (async completions, webhook deliveries)',
      }),
    })
    .meta({ description: 'Check what the carrier and the receivers show now' }),
} as const;

export type StepKind = keyof typeof steps;
export const stepKinds = Object.keys(steps) as StepKind[];

/** The schema of one kind of step's body, for precise error messages. */
export const stepBodySchemas: Readonly<Record<StepKind, z.ZodType>> = steps;

/** A step is an object with exactly one key, its kind. */
export const stepSchema = z.union([
  z.strictObject({ tenant: steps.tenant }),
  z.strictObject({ esim: steps.esim }),
  z.strictObject({ device: steps.device }),
  z.strictObject({ activate: steps.activate }),
  z.strictObject({ profile: steps.profile }),
  z.strictObject({ qr: steps.qr }),
  z.strictObject({ move: steps.move }),
  z.strictObject({ coverage: steps.coverage }),
  z.strictObject({ config: steps.config }),
  z.strictObject({ faults: steps.faults }),
  z.strictObject({ crash: steps.crash }),
  z.strictObject({ topup: steps.topup }),
  z.strictObject({ advance: steps.advance }),
  z.strictObject({ use: steps.use }),
  z.strictObject({ update: steps.update }),
  z.strictObject({ cancel: steps.cancel }),
  z.strictObject({ webhooks: steps.webhooks }),
  z.strictObject({ trigger: steps.trigger }),
  z.strictObject({ wait: steps.wait }),
  z.strictObject({ expect: steps.expect }),
]);

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(3).max(120).meta({ description: 'Unique in a suite; shown in reports' }),
    description: z.string().optional(),
    carrier: z.enum(carrierIds),
    apiStyle: z.enum(apiStyles).optional().meta({ description: "Default: the carrier's own" }),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional()
      .meta({
        description:
          'Seeds faults, client jitter and generated data; default derived from the run seed and the name',
      }),
    tags: z.array(z.string().min(1)).optional(),
    timeoutMs: z.number().int().min(1000).max(300_000).default(60_000),
    steps: z.array(stepSchema).min(1),
    checker: z
      .union([
        z.literal('clean'),
        z.strictObject({
          violations: z.array(violationKind).min(1).meta({
            description: 'Exactly these violation kinds must be reported (a mutant scenario)',
          }),
        }),
      ])
      .default('clean')
      .meta({
        description: "The checker's verdict at the end: clean, or exactly these violations",
      }),
  })
  .meta({ title: 'esimlab scenario', description: 'A scenario of the esimlab harness' });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
export type StepOf<K extends StepKind> = z.output<(typeof steps)[K]>;
export type ViolationKindName = z.infer<typeof violationKind>;
