import { z } from 'zod';
import type { ProxyChange, ProxySpec, ToxicChange } from '../proxy-collection.ts';
import { parseToxicAttributes } from '../proxy-collection.ts';
import { isToxicType, type Toxic, toxicTypes } from '../toxic.ts';
import { ToxiproxyApiError } from '../toxiproxy-api-error.ts';
import { type HostPort, loopbackListenAddress, parseHostPort } from './host-port.ts';

// The admin API's request bodies, in Toxiproxy's JSON shapes. Unknown top-level fields are
// ignored, as Toxiproxy's decoder does; toxic attributes are checked strictly (see toxic.ts).

const proxyName = z
  .string()
  .min(1)
  .max(200)
  .refine((name) => !name.includes('/'), 'a proxy name cannot contain /');

const proxyBody = z.object({
  name: proxyName,
  listen: z.string().optional(),
  upstream: z.string().min(1),
  enabled: z.boolean().optional(),
});

const proxyUpdateBody = z.object({
  listen: z.string().optional(),
  upstream: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
});

const toxicBody = z.object({
  name: z.string().max(200).optional(),
  type: z.string().optional(),
  stream: z.string().optional(),
  toxicity: z
    .number()
    .min(0, 'toxicity is between 0 and 1')
    .max(1, 'toxicity is between 0 and 1')
    .optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

const toxicUpdateBody = toxicBody.pick({ toxicity: true, attributes: true });

export function proxySpecFrom(body: unknown): ProxySpec {
  return toProxySpec(parseBody(proxyBody, body));
}

/** Every entry is checked before any proxy is touched, as Toxiproxy does. */
export function proxySpecsFrom(body: unknown): ProxySpec[] {
  if (!Array.isArray(body)) {
    throw new ToxiproxyApiError(
      400,
      'bad_request_body',
      'bad request body: /populate takes a JSON array of proxies, e.g. [{"name": "redis", "listen": "127.0.0.1:26379", "upstream": "127.0.0.1:6379"}]',
    );
  }
  return body.map((entry, i) => toProxySpec(parseBody(proxyBody, entry, `proxy ${i + 1}`)));
}

export function proxyChangeFrom(body: unknown): ProxyChange {
  const parsed = parseBody(proxyUpdateBody, body);
  return {
    ...(parsed.listen !== undefined ? { listen: listenAddress(parsed.listen) } : {}),
    ...(parsed.upstream !== undefined ? { upstream: upstreamAddress(parsed.upstream) } : {}),
    ...(parsed.enabled !== undefined ? { enabled: parsed.enabled } : {}),
  };
}

/** A new toxic: stream defaults to downstream, toxicity to 1, the name to `<type>_<stream>`. */
export function toxicFrom(body: unknown): Toxic {
  const parsed = parseBody(toxicBody, body);
  const type = parsed.type ?? '';
  if (!isToxicType(type)) {
    throw new ToxiproxyApiError(
      400,
      'invalid_toxic_type',
      `invalid toxic type: ${JSON.stringify(type)}; use one of ${toxicTypes.join(', ')}`,
    );
  }
  const stream = (parsed.stream ?? 'downstream').toLowerCase();
  if (stream !== 'upstream' && stream !== 'downstream') {
    throw new ToxiproxyApiError(
      400,
      'invalid_stream',
      `stream was invalid, can be either upstream or downstream (got ${JSON.stringify(parsed.stream)})`,
    );
  }
  return {
    name: parsed.name || `${type}_${stream}`,
    type,
    stream,
    toxicity: parsed.toxicity ?? 1,
    attributes: parseToxicAttributes(type, parsed.attributes),
  } as Toxic;
}

export function toxicChangeFrom(body: unknown): ToxicChange {
  const parsed = parseBody(toxicUpdateBody, body);
  return {
    ...(parsed.attributes !== undefined ? { attributes: parsed.attributes } : {}),
    ...(parsed.toxicity !== undefined ? { toxicity: parsed.toxicity } : {}),
  };
}

function toProxySpec(parsed: z.output<typeof proxyBody>): ProxySpec {
  return {
    name: parsed.name,
    listen: listenAddress(parsed.listen ?? '127.0.0.1:0'),
    upstream: upstreamAddress(parsed.upstream),
    enabled: parsed.enabled ?? true,
  };
}

function listenAddress(text: string): HostPort {
  const address = parseHostPort(text);
  if (!address) {
    throw new ToxiproxyApiError(
      400,
      'invalid_listen',
      `invalid listen address ${JSON.stringify(text)}: write host:port, e.g. 127.0.0.1:26379, or 127.0.0.1:0 for any free port`,
    );
  }
  const loopback = loopbackListenAddress(address);
  if (!loopback) {
    throw new ToxiproxyApiError(
      400,
      'invalid_listen',
      `invalid listen address ${JSON.stringify(text)}: esimlab proxies listen on loopback only; use 127.0.0.1 (0.0.0.0 and localhost also mean 127.0.0.1)`,
    );
  }
  return loopback;
}

function upstreamAddress(text: string): HostPort {
  const address = parseHostPort(text);
  if (!address || address.host === '' || address.port === 0) {
    throw new ToxiproxyApiError(
      400,
      'invalid_upstream',
      `invalid upstream ${JSON.stringify(text)}: write host:port of the server to forward to, e.g. 127.0.0.1:6379`,
    );
  }
  return address;
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown, where?: string): z.output<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ToxiproxyApiError(
      400,
      'bad_request_body',
      `bad request body: ${where ? `${where} must be` : 'send'} a JSON object`,
    );
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const at = (path: readonly PropertyKey[]): string =>
    `${path.map(String).join('.')}${where ? ` at ${where}` : ''}`;
  const missing = parsed.error.issues.find((issue) => {
    const value = (body as Record<string, unknown>)[String(issue.path[0])];
    return issue.path.length === 1 && (value === undefined || value === '');
  });
  if (missing) {
    throw new ToxiproxyApiError(
      400,
      'missing_required_field',
      `missing required field: ${at(missing.path)}`,
    );
  }
  const problems = parsed.error.issues.map((issue) => `${at(issue.path)}: ${issue.message}`);
  throw new ToxiproxyApiError(400, 'bad_request_body', `bad request body: ${problems.join('; ')}`);
}
