import {
  type FaultRuleError,
  faultPresetNames,
  faultPresets,
  isFaultPresetName,
  parseFaultRule,
  parseFaultRules,
} from '@esimlab/faults';
import { z } from 'zod';
import { ProblemError } from '../../http/problem.ts';
import { defineRoute } from '../../http/route.ts';
import { problemSchema } from '../../http/schemas.ts';
import { faultPlanView } from './fault-plan-view.ts';
import {
  faultPlanSchema,
  faultPresetNameSchema,
  faultRuleBodySchema,
  faultSeedSchema,
} from './fault-schemas.ts';
import { changeFaults } from './persisted-faults.ts';

const problem = (description: string) => ({ description, schema: problemSchema });
const planReply = {
  200: { description: 'The fault plan after the change', schema: faultPlanSchema },
};

function invalidFaultRule(errors: readonly FaultRuleError[]): ProblemError {
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more, in \`errors\`)` : '';
  return new ProblemError(
    400,
    'invalid_fault_rule',
    `${first ? `${first.field}: ${first.message}` : 'invalid fault rule'}${more}; nothing was changed`,
    { extensions: { errors } },
  );
}

export const faultRoutes = [
  defineRoute({
    method: 'get',
    path: '/_sim/faults',
    operationId: 'listFaults',
    summary: 'The fault rules in order, with their counters, and the seed',
    tag: 'Control plane',
    access: 'control-plane',
    responses: { 200: { description: 'The fault plan', schema: faultPlanSchema } },
    async handle(_input, context) {
      return { status: 200, body: faultPlanView(context.faults) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/_sim/faults',
    operationId: 'replaceFaults',
    summary:
      'Replaces every fault rule (and the seed, if given); counters restart at zero and the random source at the seed, so the same rules and seed fail the same requests',
    tag: 'Control plane',
    access: 'control-plane',
    body: z.strictObject({ rules: z.array(faultRuleBodySchema), seed: faultSeedSchema.optional() }),
    responses: { ...planReply, 400: problem('invalid_fault_rule: `errors` names each field') },
    async handle({ body }, context) {
      await changeFaults(context, 'replaced', (plan) => {
        const parsed = parseFaultRules(body.rules);
        if (!parsed.ok) throw invalidFaultRule(parsed.error);
        if (body.seed !== undefined) plan.reseed(body.seed);
        plan.replace(parsed.value);
      });
      return { status: 200, body: faultPlanView(context.faults) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/_sim/faults',
    operationId: 'addFault',
    summary: 'Appends one fault rule (without an id it gets the first free f1, f2, …)',
    tag: 'Control plane',
    access: 'control-plane',
    body: faultRuleBodySchema,
    responses: {
      ...planReply,
      400: problem('invalid_fault_rule (also for an id already in use)'),
    },
    async handle({ body }, context) {
      await changeFaults(context, 'added', (plan) => {
        const parsed = parseFaultRule(body, { takenIds: plan.rules().map((r) => r.id) });
        if (!parsed.ok) throw invalidFaultRule(parsed.error);
        plan.add(parsed.value);
      });
      return { status: 200, body: faultPlanView(context.faults) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/_sim/faults',
    operationId: 'clearFaults',
    summary: 'Removes every fault rule: requests go through normally again',
    tag: 'Control plane',
    access: 'control-plane',
    responses: planReply,
    async handle(_input, context) {
      await changeFaults(context, 'cleared', (plan) => plan.clear());
      return { status: 200, body: faultPlanView(context.faults) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/_sim/faults/{id}',
    operationId: 'removeFault',
    summary: 'Removes one fault rule; the others keep their counters',
    tag: 'Control plane',
    access: 'control-plane',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    responses: { ...planReply, 404: problem('fault_rule_not_found') },
    async handle({ params }, context) {
      await changeFaults(context, 'removed', (plan) => {
        if (!plan.remove(params.id)) {
          const ids = plan.rules().map((r) => r.id);
          throw new ProblemError(
            404,
            'fault_rule_not_found',
            `no fault rule \`${params.id}\`; ${ids.length > 0 ? `the rules are ${ids.join(', ')}` : 'there are no rules'} (GET /_sim/faults)`,
          );
        }
      });
      return { status: 200, body: faultPlanView(context.faults) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/_sim/faults/presets/{name}',
    operationId: 'applyFaultPreset',
    summary: `Replaces the rules with a preset (${faultPresetNames.join(', ')}), or appends it with {append: true}; appending one already there changes nothing`,
    tag: 'Control plane',
    access: 'control-plane',
    params: z.strictObject({ name: faultPresetNameSchema }),
    body: z
      .strictObject({
        append: z
          .boolean()
          .optional()
          .meta({ description: 'Keep the current rules; default false' }),
        seed: faultSeedSchema.optional(),
      })
      .optional(),
    responses: { ...planReply, 404: problem('fault_preset_not_found: `presets` lists them') },
    async handle({ params, body }, context) {
      const { name } = params;
      if (!isFaultPresetName(name)) {
        throw new ProblemError(
          404,
          'fault_preset_not_found',
          `no fault preset \`${name}\`; use one of ${faultPresetNames.join(', ')}`,
          { extensions: { presets: faultPresetNames } },
        );
      }
      const preset = faultPresets[name];
      await changeFaults(context, `preset ${name}`, (plan) => {
        if (body?.seed !== undefined) plan.reseed(body.seed);
        if (!body?.append) {
          plan.replace(preset.rules);
          return;
        }
        const present = new Set(plan.rules().map((r) => r.id));
        for (const rule of preset.rules) if (!present.has(rule.id)) plan.add(rule);
      });
      return { status: 200, body: faultPlanView(context.faults) };
    },
  }),
];
