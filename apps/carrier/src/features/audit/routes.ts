import { type AuditReport, type UnknownIntentResolution, violationKinds } from '@esimlab/domain';
import { z } from 'zod';
import { defineRoute, type RouteReply } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { auditCarrier } from './carrier-audit.ts';
import { auditWithIntentsSchema } from './topup-intent-schema.ts';

const resolutions = [
  'charged_and_credited',
  'not_charged',
  'charged_more_than_once',
  'charged_not_credited',
  'credited_without_charge',
  'credited_more_than_once',
] as const satisfies readonly UnknownIntentResolution['resolution'][];

const unknownIntentSchema = z
  .object({
    intentId: z.string(),
    resolution: z
      .enum(resolutions)
      .meta({ description: 'How it turned out; anything but the first two is also a violation' }),
    chargeIds: z.array(z.string()),
    entryIds: z.array(z.string()),
  })
  .meta({ id: 'UnknownIntentResolution' });

const auditSchema = z
  .object({
    ok: z.boolean(),
    counts: z.record(z.enum(violationKinds), z.number().int()),
    violations: z.array(
      z.looseObject({
        kind: z.enum(violationKinds),
        message: z.string(),
        evidence: z.looseObject({}),
      }),
    ),
    unknownIntents: z
      .array(unknownIntentSchema)
      .meta({ description: 'How each `unknown` intent turned out; empty without intents' }),
  })
  .meta({ id: 'Audit' });

const auditReply = (report: AuditReport): RouteReply => ({
  status: 200,
  body: {
    ok: report.ok,
    counts: report.counts,
    violations: report.violations,
    unknownIntents: report.unknownIntents,
  },
});

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/_sim/audit',
    operationId: 'getAudit',
    summary:
      "Checks the carrier's ledger against its gateway's charges: duplicate charges, lost top-ups, unfulfilled captures, credits without a charge, negative balances, idempotency conflicts",
    tag: 'Control plane',
    access: 'control-plane',
    responses: { 200: { description: 'The audit report', schema: auditSchema } },
    async handle(_input, context) {
      return auditReply(await auditCarrier(context));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/_sim/audit',
    operationId: 'auditIntents',
    summary:
      "The same audit joined with a client's intent log: also ok intents not credited exactly once, failed intents charged, and how each unknown intent turned out",
    tag: 'Control plane',
    access: 'control-plane',
    body: auditWithIntentsSchema,
    responses: {
      200: { description: 'The audit report, with the intents', schema: auditSchema },
      400: {
        description: 'A malformed intent (the field is named), or one intent id twice',
        schema: problemSchema,
      },
    },
    async handle({ body }, context) {
      return auditReply(await auditCarrier(context, body.intents));
    },
  }),
];
