import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule } from '../rules/fault-rule.ts';

type ErrorRule = Extract<FaultRule, { kind: 'error' }>;

const problems = {
  500: { code: 'internal_error', title: 'Internal Server Error', what: 'failed unexpectedly' },
  502: { code: 'upstream_unavailable', title: 'Bad Gateway', what: 'got a bad upstream answer' },
  503: { code: 'upstream_unavailable', title: 'Service Unavailable', what: 'is unavailable' },
  504: { code: 'upstream_unavailable', title: 'Gateway Timeout', what: 'timed out upstream' },
  429: { code: 'rate_limited', title: 'Too Many Requests', what: 'is rate limiting you' },
} as const;

/** Seconds a 429 or 503 asks the client to wait when the rule names none. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Answers with the problem+json an `error` rule stands for, as a carrier under load or in an
 * outage would: 429 and 503 always carry `Retry-After`. The body names the rule, so a tester
 * can tell an injected failure from a real bug.
 */
export function writeInjectedError(
  req: IncomingMessage,
  res: ServerResponse,
  rule: ErrorRule,
): void {
  const { status } = rule.params;
  const problem = problems[status];
  const retryAfter =
    rule.params.retryAfter ??
    (status === 429 || status === 503 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
  const requestId = res.getHeader('x-request-id');
  const body = JSON.stringify({
    type: `https://esimlab.dev/problems/${problem.code.replaceAll('_', '-')}`,
    title: problem.title,
    status,
    detail: `the carrier ${problem.what}${retryAfter === undefined ? '' : `; retry after ${retryAfter} s`} (fault rule \`${rule.id}\`)`,
    code: problem.code,
    faultRule: rule.id,
    instance: req.url,
    ...(requestId === undefined ? {} : { requestId: String(requestId) }),
  });
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/problem+json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.end(body);
}
