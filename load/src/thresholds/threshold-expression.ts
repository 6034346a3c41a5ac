// Engine-neutral (see flow/load-runtime.ts): the Node driver evaluates with it what k6
// evaluates itself, so both read the same threshold strings the same way.

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

export type ThresholdOperator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** A parsed k6 threshold such as `p(99)<1500`: a statistic, an operator and a bound. */
export interface ThresholdExpression {
  readonly source: string;
  /** `count`, `rate`, `value`, `avg`, `min`, `max`, `med` or `p(N)`. */
  readonly statistic: string;
  readonly operator: ThresholdOperator;
  readonly bound: number;
}

export type ThresholdParse =
  | { readonly ok: true; readonly expression: ThresholdExpression }
  | { readonly ok: false; readonly message: string };

/** The statistics a threshold may read on each metric type, as k6 names them. */
export const statisticsOf: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
};

// As k6 reads one: a lower-case statistic, `p(N)` without spaces inside, spaces allowed around
// the operator, and the bound as Go's ParseFloat takes it (`.5`, `+5`, `1e3`).
const grammar =
  /^\s*(count|rate|value|avg|min|max|med|p\((\d+(?:\.\d+)?)\))\s*(===|==|!=|<=|>=|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;

/** Parses a threshold for a metric of `type`; the failure says what a valid one looks like. */
export function parseThreshold(source: string, type: MetricType): ThresholdParse {
  const match = grammar.exec(source);
  if (!match) {
    return {
      ok: false,
      message: `threshold "${source}" is not "<statistic> <operator> <number>" (e.g. "p(99)<1500", "count==0", "rate<0.01")`,
    };
  }
  const [, , percentile, operator = '', bound = ''] = match;
  const statistic = statisticIn(match);
  const family = percentile === undefined ? statistic : 'p(N)';
  if (percentile !== undefined && Number(percentile) > 100) {
    return { ok: false, message: `threshold "${source}": a percentile is between 0 and 100` };
  }
  if (!statisticsOf[type].includes(family)) {
    return {
      ok: false,
      message: `threshold "${source}": a ${type} metric has ${statisticsOf[type].join(', ')}, not ${statistic}`,
    };
  }
  return {
    ok: true,
    expression: {
      source,
      statistic,
      operator: operator as ThresholdOperator,
      bound: Number(bound),
    },
  };
}

/** The statistic a threshold reads, as the metric's values name it (`p(99)`, `rate`), if any. */
export function statisticOf(source: string): string | undefined {
  const match = grammar.exec(source);
  return match ? statisticIn(match) : undefined;
}

/** A grammar match's statistic, a percentile written in its shortest form (`p(99)`). */
function statisticIn(match: RegExpExecArray): string {
  const [, statistic = '', percentile] = match;
  return percentile === undefined ? statistic : `p(${Number(percentile)})`;
}

/** Whether `actual` (the statistic's value) satisfies the threshold. */
export function thresholdHolds(expression: ThresholdExpression, actual: number): boolean {
  const { bound } = expression;
  switch (expression.operator) {
    case '<':
      return actual < bound;
    case '<=':
      return actual <= bound;
    case '>':
      return actual > bound;
    case '>=':
      return actual >= bound;
    case '==':
    case '===':
      return actual === bound;
    case '!=':
      return actual !== bound;
  }
}

/** A threshold key split into its metric and sub-metric tags: `recharge_duration{api_style:async}`. */
export interface MetricSelector {
  readonly metric: string;
  readonly tags: Readonly<Record<string, string>>;
}

export function parseMetricSelector(key: string): MetricSelector | undefined {
  const match = /^([A-Za-z_][\w.]*)(?:\{([^}]*)\})?$/.exec(key.trim());
  if (!match) return undefined;
  const [, metric = '', rawTags] = match;
  const tags: Record<string, string> = {};
  if (rawTags !== undefined) {
    for (const pair of rawTags.split(',')) {
      const colon = pair.indexOf(':');
      if (colon <= 0) return undefined;
      tags[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
    }
  }
  return { metric, tags };
}
