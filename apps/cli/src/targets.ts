import { isIPv6 } from 'node:net';
import { CarrierConfigError, parseCarrierConfig, portSetting } from '@esimlab/carrier';
import { type CarrierId, carrierIds, isCarrierId } from '@esimlab/domain';
import { CliFailure, CliUsageError } from './cli-error.ts';

/** A running carrier a command talks to. */
export interface CarrierTarget {
  readonly carrier: CarrierId;
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4101`. */
  readonly url: string;
}

/** One `--target` entry as written: a bare URL's carrier is known only once it is asked. */
export interface TargetEntry {
  readonly carrier: CarrierId | undefined;
  readonly url: string;
}

const example = 'att=http://127.0.0.1:4101,tmobile=http://127.0.0.1:4102';
const startHint = 'is it running? start it with `pnpm esimlab up`';

/**
 * Parses `--target` values: each is a comma list of `<carrier>=<url>` or bare URLs, and the
 * flag may repeat. Throws `CliUsageError` naming the entry and the fix.
 */
export function parseTargetEntries(values: readonly string[], flag = '--target'): TargetEntry[] {
  const entries = values.flatMap((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  );
  if (entries.length === 0) {
    throw new CliUsageError(`${flag} needs at least one carrier URL, e.g. ${flag} ${example}`);
  }
  const parsed = entries.map((entry) => parseEntry(entry, flag));
  rejectDuplicates(parsed, flag);
  return parsed;
}

/**
 * Finds out which carrier each bare URL is, with `GET /healthz` → `{carrier}`. Throws
 * `CliFailure` naming the URL when nothing answers or the answer is not a carrier's.
 *
 * A named URL is asked too, and refused when it says it is another carrier. One that does not
 * answer, or answers without a carrier id (a stand-in for a carrier, say), is taken as named:
 * naming is how such a URL is given, and the command reports it if it cannot reach it.
 */
export async function identifyTargets(
  entries: readonly TargetEntry[],
  options: { readonly flag?: string; readonly timeoutMs?: number } = {},
): Promise<CarrierTarget[]> {
  const flag = options.flag ?? '--target';
  const timeoutMs = options.timeoutMs ?? 3000;
  const targets = await Promise.all(
    entries.map(async ({ carrier, url }): Promise<CarrierTarget> => {
      if (carrier === undefined) return { carrier: await carrierAt(url, timeoutMs), url };
      const answered = await askHealthz(url, timeoutMs).catch(() => undefined);
      const actual = answered?.carrier;
      if (actual !== undefined && actual !== carrier) {
        throw new CliUsageError(
          `${flag} entry ${carrier}=${url}: ${url}/healthz says it is ${actual}, not ${carrier}; write ${actual}=${url}, or give ${carrier}'s own URL`,
        );
      }
      return { carrier, url };
    }),
  );
  rejectDuplicates(targets, flag);
  return targets;
}

/** `parseTargetEntries` then `identifyTargets`: the carriers a `--target` flag names. */
export function resolveTargets(
  values: readonly string[],
  options: { readonly flag?: string; readonly timeoutMs?: number } = {},
): Promise<CarrierTarget[]> {
  return identifyTargets(parseTargetEntries(values, options.flag), options);
}

/**
 * The carriers `esimlab up` starts when given the same environment: `ESIMLAB_CARRIERS`,
 * `ESIMLAB_HOST` and `ESIMLAB_<CARRIER>_PORT`, else all three on 127.0.0.1:4101-4103.
 */
export function defaultTargets(env: Readonly<Record<string, string | undefined>>): CarrierTarget[] {
  const addressEnv = {
    ESIMLAB_HOST: env.ESIMLAB_HOST,
    ESIMLAB_CARRIERS: env.ESIMLAB_CARRIERS,
    ...Object.fromEntries(carrierIds.map((c) => [portSetting(c).env, env[portSetting(c).env]])),
  };
  let config: ReturnType<typeof parseCarrierConfig>;
  try {
    // Only the addresses are read here; the token satisfies the parser's rule for binding a
    // non-loopback host, which concerns `up`, not a command that connects.
    config = parseCarrierConfig(['--admin-token', 'unused'], addressEnv, '/');
  } catch (error) {
    if (error instanceof CarrierConfigError) {
      throw new CliUsageError(`${error.message}; or name the carriers with --target ${example}`);
    }
    throw error;
  }
  return config.carriers.map((carrier) => {
    const port = config.ports[carrier];
    if (port === 0) {
      throw new CliUsageError(
        `${portSetting(carrier).env} is 0 (any free port), so ${carrier}'s URL is unknown; pass --target ${carrier}=<URL from the esimlab up banner>`,
      );
    }
    return { carrier, url: `http://${urlHost(config.host)}:${port}` };
  });
}

/**
 * The failure to report when a carrier does not answer: names the URL and how to start it.
 * `cause` is what fetch threw.
 */
export function carrierUnreachable(
  target: { readonly carrier?: CarrierId | undefined; readonly url: string },
  cause: unknown,
): CliFailure {
  const who = target.carrier ? `${target.carrier} at ${target.url}` : target.url;
  return new CliFailure(
    'carrier_unreachable',
    `cannot reach ${who} (${networkReason(cause)}); ${startHint}`,
  );
}

function parseEntry(entry: string, flag: string): TargetEntry {
  const equals = entry.indexOf('=');
  // A URL's query may hold "=", so only a prefix before "://" names a carrier.
  const named = equals >= 0 && !entry.slice(0, equals).includes('://');
  const name = named ? entry.slice(0, equals).trim() : undefined;
  const rawUrl = named ? entry.slice(equals + 1).trim() : entry;
  if (name !== undefined && !isCarrierId(name)) {
    throw new CliUsageError(
      `${flag} entry "${entry}": "${name}" is not a carrier; use ${carrierIds.join(', ')} (e.g. ${example})`,
    );
  }
  return { carrier: name, url: parseBaseUrl(rawUrl, entry, flag) };
}

function parseBaseUrl(raw: string, entry: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(
      `${flag} entry "${entry}" is not a URL; write http://host:port or carrier=http://host:port (e.g. ${example})`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliUsageError(
      `${flag} entry "${entry}" must be an http:// or https:// URL (e.g. ${example})`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function rejectDuplicates(
  targets: readonly { carrier: CarrierId | undefined; url: string }[],
  flag: string,
): void {
  const seen = new Map<CarrierId, string>();
  for (const { carrier, url } of targets) {
    if (carrier === undefined) continue;
    const other = seen.get(carrier);
    if (other !== undefined) {
      throw new CliUsageError(
        `${flag} names ${carrier} twice (${other} and ${url}); give each carrier one URL`,
      );
    }
    seen.set(carrier, url);
  }
}

async function carrierAt(url: string, timeoutMs: number): Promise<CarrierId> {
  let answered: Healthz;
  try {
    answered = await askHealthz(url, timeoutMs);
  } catch (error) {
    throw carrierUnreachable({ url }, error);
  }
  if (answered.carrier === undefined) {
    throw new CliFailure(
      'carrier_not_identified',
      `${url}/healthz answered ${answered.status} without a carrier id, so ${url} does not look like an esimlab carrier; name it with --target att=${url} or check the URL`,
    );
  }
  return answered.carrier;
}

interface Healthz {
  readonly status: number;
  /** Only from a 2xx answer naming a known carrier. */
  readonly carrier: CarrierId | undefined;
}

/** `GET <url>/healthz`; rejects with what fetch threw when nothing answers in time. */
async function askHealthz(url: string, timeoutMs: number): Promise<Healthz> {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  const body: unknown = await response.json().catch(() => undefined);
  const carrier = (body as { carrier?: unknown } | undefined)?.carrier;
  return {
    status: response.status,
    carrier:
      response.ok && typeof carrier === 'string' && isCarrierId(carrier) ? carrier : undefined,
  };
}

function networkReason(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'unknown host';
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

// A wildcard bind is reached over loopback; an IPv6 host needs brackets in a URL.
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIPv6(host) ? `[${host}]` : host;
}
