import { faultKinds, faultPresetNames, faultRuleSchema } from '@esimlab/faults';
import { z } from 'zod';

const { $schema: _dialect, ...faultRuleShape } = z.toJSONSchema(faultRuleSchema, {
  target: 'draft-2020-12',
  io: 'input',
  unrepresentable: 'any',
}) as Record<string, unknown>;

/**
 * A fault rule in a request body. The router only checks that one is there; the handler
 * validates it with `parseFaultRules` (the same `faultRuleSchema` documented here), so that
 * every error names its rule and field, e.g. `rules[2].params.status`.
 */
export const faultRuleBodySchema = z
  .custom<unknown>((value) => value !== undefined, { message: 'send a fault rule' })
  .meta({
    ...faultRuleShape,
    id: 'FaultRule',
    description:
      'One fault rule. `match` (method, path glob where * is one segment and ** any number, header) selects requests; `probability` (default 1) is rolled per matching request; `after` skips the first N matches; `times` caps the hits. `latency` rules add up; the first terminal rule that fires applies. Kinds and their params: latency {ms} | {min, max} | {median, sigma, cap}; error {status: 500|502|503|504|429, retryAfter?}; timeout; reset-before; reset-after-commit; truncated {bytes}; slow-body {durationMs}; crash {point}; plus webhook and device kinds.',
    // Harmless on purpose: the robustness tests send every documented example.
    examples: [
      {
        id: 'slow-topups',
        match: { method: 'POST', path: '/v1/esims/*/topups' },
        probability: 0.5,
        kind: 'latency',
        params: { min: 20, max: 80 },
      },
    ],
  });

export const faultPresetNameSchema = z.string().meta({
  description: `A preset: ${faultPresetNames.join(', ')}`,
  examples: ['flaky-mobile'],
});

const faultRuleStatusSchema = z
  .looseObject({
    id: z.string(),
    kind: z.enum(faultKinds),
    probability: z.number(),
    counters: z.object({
      matched: z.number().int().meta({ description: 'Requests (or deliveries) the rule matched' }),
      hits: z.number().int().meta({ description: 'Times it fired' }),
    }),
  })
  .meta({ id: 'FaultRuleStatus', description: 'A FaultRule as stored, with its counters' });

/** The carrier's fault plan as `/_sim/faults` shows it. */
export const faultPlanSchema = z
  .object({
    seed: z.number().int().meta({
      description: 'The seed of every probability roll and latency draw: same seed, same faults',
    }),
    rules: z.array(faultRuleStatusSchema),
  })
  .meta({ id: 'FaultPlan' });

export const faultSeedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .meta({ description: 'Restarts the random source from this seed (an unsigned 32-bit integer)' });
