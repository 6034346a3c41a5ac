import { z } from 'zod';
import { isLoopbackHost } from '../../config/carrier-config.ts';
import { ProblemError } from '../../http/problem.ts';

const example = 'http://127.0.0.1:8080/webhooks';

/** An absolute http(s) URL without credentials, normalised (`new URL(...).href`). */
export const webhookUrlSchema = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    const refuse = (why: string) => {
      ctx.addIssue({ code: 'custom', message: `${why}; use e.g. ${example}` });
      return z.NEVER;
    };
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return refuse('url must be an absolute URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return refuse(`url must use http or https, not ${url.protocol.replace(/:$/, '')}`);
    }
    // fetch refuses URLs with credentials: every delivery would fail.
    if (url.username !== '' || url.password !== '') {
      return refuse('url must not carry a user name or password');
    }
    return url.href;
  })
  .meta({ description: 'Where events are POSTed: http(s) on a loopback host', example });

/**
 * The mock carrier only sends traffic to this machine: a URL whose host is not loopback
 * (127.0.0.0/8, ::1, localhost) is 422 `webhook_url_not_allowed`.
 */
export function requireLoopbackUrl(url: string): void {
  const { hostname } = new URL(url);
  if (isLoopbackHost(hostname)) return;
  const message = `host ${hostname} is not loopback; esimlab delivers webhooks only to this machine (127.0.0.0/8, ::1 or localhost), e.g. ${example}`;
  throw new ProblemError(422, 'webhook_url_not_allowed', message, {
    extensions: { errors: [{ field: 'body.url', message }] },
  });
}
