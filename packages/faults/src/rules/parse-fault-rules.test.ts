import { describe, expect, it } from 'vitest';
import { parseFaultRule, parseFaultRules } from './parse-fault-rules.ts';

const valid = { kind: 'error', params: { status: 503 } };

function errorsOf(input: unknown): { field: string; message: string }[] {
  const result = parseFaultRules(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error;
}

describe('parseFaultRules', () => {
  it('fills in missing ids with the first free f1, f2, … and probability 1', () => {
    const result = parseFaultRules([
      valid,
      { id: 'f2', kind: 'timeout' },
      { kind: 'latency', params: { ms: 5 } },
    ]);
    expect(result).toEqual({
      ok: true,
      value: [
        { id: 'f1', probability: 1, kind: 'error', params: { status: 503 } },
        { id: 'f2', probability: 1, kind: 'timeout', params: {} },
        { id: 'f3', probability: 1, kind: 'latency', params: { ms: 5 } },
      ],
    });
  });

  it('avoids ids already taken by the rules it joins', () => {
    const result = parseFaultRules([valid], { takenIds: ['f1', 'f2'] });
    expect(result.ok && result.value[0]?.id).toBe('f3');
  });

  it('normalises the method to upper case', () => {
    const result = parseFaultRules([{ ...valid, match: { method: 'post' } }]);
    expect(result.ok && result.value[0]?.match).toEqual({ method: 'POST' });
  });

  it('accepts every kind with its own params', () => {
    const result = parseFaultRules([
      { kind: 'latency', params: { ms: 100 } },
      { kind: 'latency', params: { min: 10, max: 20 } },
      { kind: 'latency', params: { median: 80, sigma: 0.5, cap: 1000 } },
      { kind: 'error', params: { status: 429, retryAfter: 5 } },
      { kind: 'timeout', params: {} },
      { kind: 'reset-before' },
      { kind: 'reset-after-commit' },
      { kind: 'truncated', params: { bytes: 10 } },
      { kind: 'slow-body', params: { durationMs: 500 } },
      { kind: 'crash', params: { point: 'after-credit' } },
    ]);
    expect(result.ok).toBe(true);
  });

  it.each([
    ['a probability above 1', { ...valid, probability: 1.5 }, 'rules[0].probability'],
    ['a negative probability', { ...valid, probability: -0.1 }, 'rules[0].probability'],
    ['an unknown kind', { kind: 'meteor', params: {} }, 'rules[0].kind'],
    ['no kind', { params: {} }, 'rules[0].kind'],
    [
      'a path glob without a leading slash',
      { ...valid, match: { path: 'v1/**' } },
      'rules[0].match.path',
    ],
    [
      'a partial wildcard in a glob',
      { ...valid, match: { path: '/v1/es*' } },
      'rules[0].match.path',
    ],
    [
      'a method that is not a word',
      { ...valid, match: { method: 'GET /' } },
      'rules[0].match.method',
    ],
    ['an unknown match key', { ...valid, match: { query: 'x' } }, 'rules[0].match'],
    [
      'a header without a name',
      { ...valid, match: { header: { value: 'x' } } },
      'rules[0].match.header.name',
    ],
    [
      'an error status it cannot inject',
      { kind: 'error', params: { status: 418 } },
      'rules[0].params.status',
    ],
    ['an error without a status', { kind: 'error', params: {} }, 'rules[0].params.status'],
    [
      'a negative Retry-After',
      { kind: 'error', params: { status: 503, retryAfter: -1 } },
      'rules[0].params.retryAfter',
    ],
    ['params of another kind', { kind: 'error', params: { ms: 5 } }, 'rules[0].params'],
    ['params on a kind that takes none', { kind: 'timeout', params: { ms: 5 } }, 'rules[0].params'],
    ['a negative latency', { kind: 'latency', params: { ms: -1 } }, 'rules[0].params.ms'],
    [
      'a uniform latency without max',
      { kind: 'latency', params: { min: 5 } },
      'rules[0].params.max',
    ],
    [
      'a uniform latency with min above max',
      { kind: 'latency', params: { min: 50, max: 5 } },
      'rules[0].params.min',
    ],
    [
      'a lognormal latency without a cap',
      { kind: 'latency', params: { median: 80, sigma: 1 } },
      'rules[0].params.cap',
    ],
    ['a latency of no known shape', { kind: 'latency', params: { seconds: 1 } }, 'rules[0].params'],
    [
      'a fractional truncation',
      { kind: 'truncated', params: { bytes: 1.5 } },
      'rules[0].params.bytes',
    ],
    [
      'a slow body without a duration',
      { kind: 'slow-body', params: {} },
      'rules[0].params.durationMs',
    ],
    [
      'an unknown crash point',
      { kind: 'crash', params: { point: 'after-lunch' } },
      'rules[0].params.point',
    ],
    ['times of zero', { ...valid, times: 0 }, 'rules[0].times'],
    ['a negative after', { ...valid, after: -1 }, 'rules[0].after'],
    ['an id with spaces', { ...valid, id: 'my rule' }, 'rules[0].id'],
    ['an unknown top-level key', { ...valid, weight: 3 }, 'rules[0]'],
    ['a rule that is not an object', 'error 503', 'rules[0]'],
  ])('refuses %s, naming %s', (_what, rule, field) => {
    const errors = errorsOf([rule]);
    expect(errors.map((e) => e.field)).toContain(field);
    for (const e of errors) expect(e.message).not.toBe('');
  });

  it('refuses a duplicate id at the second rule that uses it', () => {
    expect(errorsOf([{ ...valid, id: 'x' }, valid, { ...valid, id: 'x' }])).toEqual([
      { field: 'rules[2].id', message: 'id `x` is already used by another rule; ids are unique' },
    ]);
    const taken = parseFaultRules([{ ...valid, id: 'x' }], { takenIds: ['x'] });
    expect(taken.ok).toBe(false);
  });

  it('reports every invalid rule with its index, not only the first', () => {
    const fields = errorsOf([valid, { ...valid, probability: 2 }, valid, { kind: 'nope' }]).map(
      (e) => e.field,
    );
    expect(fields).toEqual(['rules[1].probability', 'rules[3].kind']);
  });

  it('explains the three latency shapes when none is recognisable', () => {
    const [error] = errorsOf([{ kind: 'latency', params: { seconds: 1 } }]);
    expect(error?.message).toContain('{ms}, {min, max} (uniform) or {median, sigma, cap}');
  });

  it('refuses something that is not a list', () => {
    expect(errorsOf({ kind: 'timeout' })).toEqual([
      { field: 'rules', message: 'expected an array of fault rules' },
    ]);
  });
});

describe('parseFaultRule', () => {
  it('validates one rule, naming fields from `rule`', () => {
    const result = parseFaultRule({ kind: 'error', params: { status: 200 } });
    expect(!result.ok && result.error.map((e) => e.field)).toEqual(['rule.params.status']);
    const added = parseFaultRule(valid, { takenIds: ['f1'] });
    expect(added.ok && added.value.id).toBe('f2');
  });
});
