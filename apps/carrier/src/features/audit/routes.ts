import { violationKinds } from '@esimlab/domain';
import { z } from 'zod';
import { defineRoute } from '../../http/route.ts';
import { auditCarrier } from './carrier-audit.ts';

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
  })
  .meta({ id: 'Audit' });

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
      const report = await auditCarrier(context);
      return {
        status: 200,
        body: { ok: report.ok, counts: report.counts, violations: report.violations },
      };
    },
  }),
];
