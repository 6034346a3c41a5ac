import { describe, expect, it } from 'vitest';
import { parseMetricSelector, parseThreshold, thresholdHolds } from './threshold-expression.ts';

const parse = (source: string, type: Parameters<typeof parseThreshold>[1]) => {
  const parsed = parseThreshold(source, type);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.expression;
};

describe('parseThreshold', () => {
  it('reads the k6 threshold strings the scenarios use', () => {
    expect(parse('count==0', 'counter')).toMatchObject({
      statistic: 'count',
      operator: '==',
      bound: 0,
    });
    expect(parse('rate<0.01', 'rate')).toMatchObject({
      statistic: 'rate',
      operator: '<',
      bound: 0.01,
    });
    expect(parse('p(99)<1500', 'trend')).toMatchObject({ statistic: 'p(99)', bound: 1500 });
    expect(parse('p(99.9) <= 2000', 'trend')).toMatchObject({
      statistic: 'p(99.9)',
      operator: '<=',
    });
    expect(parse(' avg > 1e3 ', 'trend')).toMatchObject({
      statistic: 'avg',
      operator: '>',
      bound: 1000,
    });
    expect(parse('med!=5', 'trend').statistic).toBe('med');
    expect(parse('value===3', 'gauge').operator).toBe('===');
  });

  it('refuses a statistic the metric type does not have', () => {
    const parsed = parseThreshold('p(95)<100', 'counter');
    expect(parsed).toMatchObject({ ok: false });
    expect(!parsed.ok && parsed.message).toMatch(/a counter metric has count, rate, not p\(95\)/);
    expect(parseThreshold('count==0', 'rate').ok).toBe(false);
  });

  it('refuses what is not "<statistic> <operator> <number>"', () => {
    for (const bad of ['p95<100', 'count = 0', 'rate<', 'avg<fast', 'p(101)<5']) {
      expect(parseThreshold(bad, 'trend').ok, bad).toBe(false);
    }
  });

  it('reads what k6 reads and refuses what k6 refuses', () => {
    // Bounds as Go's ParseFloat takes them.
    expect(parse('p(99)<.5', 'trend').bound).toBe(0.5);
    expect(parse('p(99)<+5', 'trend').bound).toBe(5);
    expect(parse('avg<-1.5E2', 'trend').bound).toBe(-150);
    // Statistics in lower case, no spaces inside p(…), a gauge read by its value only.
    for (const [bad, type] of [
      ['P(99)<1000', 'trend'],
      ['AVG<1', 'trend'],
      ['p( 99 )<5', 'trend'],
      ['max>0', 'gauge'],
    ] as const) {
      expect(parseThreshold(bad, type).ok, bad).toBe(false);
    }
  });
});

describe('thresholdHolds', () => {
  it('compares the actual value with the bound by the operator', () => {
    const cases: [string, number, boolean][] = [
      ['count==0', 0, true],
      ['count==0', 1, false],
      ['count<1', 0.5, true],
      ['count<=1', 1, true],
      ['count>1', 1, false],
      ['count>=1', 1, true],
      ['count!=1', 2, true],
      ['count===2', 2, true],
    ];
    for (const [source, actual, holds] of cases) {
      expect(thresholdHolds(parse(source, 'counter'), actual), `${source} at ${actual}`).toBe(
        holds,
      );
    }
  });
});

describe('parseMetricSelector', () => {
  it('splits a sub-metric key into its metric and tags', () => {
    expect(parseMetricSelector('recharge_duration{api_style:async}')).toEqual({
      metric: 'recharge_duration',
      tags: { api_style: 'async' },
    });
    expect(parseMetricSelector('http_req_duration{name:topup.create, status:201}')).toEqual({
      metric: 'http_req_duration',
      tags: { name: 'topup.create', status: '201' },
    });
    expect(parseMetricSelector('iterations')).toEqual({ metric: 'iterations', tags: {} });
    expect(parseMetricSelector('bad{nocolon}')).toBeUndefined();
  });
});
