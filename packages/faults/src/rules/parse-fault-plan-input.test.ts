import { describe, expect, it } from 'vitest';
import { parseFaultPlanInput } from './parse-fault-plan-input.ts';

const rule = { kind: 'timeout' };

describe('parseFaultPlanInput', () => {
  it('takes a bare array of rules', () => {
    const result = parseFaultPlanInput([rule]);
    expect(result.ok && result.value).toEqual({
      rules: [{ id: 'f1', probability: 1, kind: 'timeout', params: {} }],
    });
  });

  it('takes {rules, seed}', () => {
    const result = parseFaultPlanInput({ rules: [rule], seed: 42 });
    expect(result.ok && result.value.seed).toBe(42);
  });

  it.each([
    [{ rules: [rule], seed: -1 }, 'seed'],
    [{ rules: [rule], seed: 2 ** 32 }, 'seed'],
    [{ rules: [rule], seeds: 1 }, 'seeds'],
    [{ rules: [{ kind: 'error', params: { status: 404 } }] }, 'rules[0].params.status'],
    [{ seed: 1 }, '(root)'],
    ['flaky-mobile', '(root)'],
  ])('refuses %j, naming %s', (input, field) => {
    const result = parseFaultPlanInput(input);
    expect(!result.ok && result.error.map((e) => e.field)).toContain(field);
  });
});
