import { seededRandom } from '@esimlab/domain';
import type { z } from 'zod';
import { formatHostPort, type HostPort } from './internal/host-port.ts';
import { type Toxic, toxicAttributeSchemas } from './toxic.ts';
import { ToxicProxy } from './toxic-proxy.ts';
import { proxyNotFound, ToxiproxyApiError, toxicNotFound } from './toxiproxy-api-error.ts';

/** A proxy to create: where it listens (loopback), where it forwards, and whether it runs. */
export interface ProxySpec {
  readonly name: string;
  readonly listen: HostPort;
  readonly upstream: HostPort;
  readonly enabled: boolean;
}

export interface ProxyChange {
  readonly listen?: HostPort;
  readonly upstream?: HostPort;
  readonly enabled?: boolean;
}

/** An update to a toxic: attributes are merged over the current ones, as Toxiproxy does. */
export interface ToxicChange {
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly toxicity?: number;
}

/**
 * The named proxies of one Toxiproxy-compatible server. Changes are applied one at a time,
 * in the order they were asked for, so two clients racing to create a name get one 201 and
 * one 409. Each proxy draws toxicity and jitter from its own source, seeded from `seed` and
 * its name, so a test's faults do not depend on what other proxies carry.
 */
export class ProxyCollection {
  readonly #proxies = new Map<string, ToxicProxy>();
  readonly #seed: number;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: { seed?: number } = {}) {
    this.#seed = (options.seed ?? 0) >>> 0;
  }

  /** The proxies, by name. */
  list(): ToxicProxy[] {
    return [...this.#proxies.values()];
  }

  get(name: string): ToxicProxy {
    const proxy = this.#proxies.get(name);
    if (!proxy) throw proxyNotFound(name);
    return proxy;
  }

  create(spec: ProxySpec): Promise<ToxicProxy> {
    return this.#serially(async () => {
      if (this.#proxies.has(spec.name)) {
        throw new ToxiproxyApiError(
          409,
          'proxy_already_exists',
          `proxy already exists: ${JSON.stringify(spec.name)}; change it with POST /proxies/${encodeURIComponent(spec.name)} or use POST /populate to replace it`,
        );
      }
      return this.#add(spec);
    });
  }

  /**
   * Creates each proxy, replacing one of the same name unless it already listens and forwards
   * as asked (then it is kept with its toxics). Stops at the first failure and reports it with
   * the proxies done so far, as Toxiproxy does.
   */
  populate(
    specs: readonly ProxySpec[],
  ): Promise<{ proxies: ToxicProxy[]; error?: ToxiproxyApiError }> {
    return this.#serially(async () => {
      const proxies: ToxicProxy[] = [];
      for (const spec of specs) {
        const existing = this.#proxies.get(spec.name);
        if (
          existing &&
          existing.listen === formatHostPort(spec.listen) &&
          existing.upstream === formatHostPort(spec.upstream)
        ) {
          proxies.push(existing);
          continue;
        }
        if (existing) {
          await existing.stop();
          this.#proxies.delete(spec.name);
        }
        try {
          proxies.push(await this.#add(spec));
        } catch (error) {
          if (error instanceof ToxiproxyApiError) return { proxies, error };
          throw error;
        }
      }
      return { proxies };
    });
  }

  update(name: string, change: ProxyChange): Promise<ToxicProxy> {
    return this.#serially(async () => {
      const proxy = this.get(name);
      const listen = change.listen ?? proxy.listenAddress;
      const upstream = change.upstream ?? proxy.upstreamAddress;
      if (formatHostPort(listen) !== proxy.listen || formatHostPort(upstream) !== proxy.upstream) {
        await proxy.moveTo(listen, upstream);
      }
      if (change.enabled === true) await proxy.start();
      if (change.enabled === false) await proxy.stop();
      return proxy;
    });
  }

  remove(name: string): Promise<void> {
    return this.#serially(async () => {
      const proxy = this.get(name);
      this.#proxies.delete(name);
      await proxy.stop();
    });
  }

  /** Enables every proxy and removes every toxic. */
  reset(): Promise<void> {
    return this.#serially(async () => {
      for (const proxy of this.#proxies.values()) {
        await proxy.start();
        proxy.setToxics([]);
      }
    });
  }

  addToxic(proxyName: string, toxic: Toxic): Promise<Toxic> {
    return this.#serially(async () => {
      const proxy = this.get(proxyName);
      if (proxy.toxics.some((t) => t.name === toxic.name)) {
        throw new ToxiproxyApiError(
          409,
          'toxic_already_exists',
          `toxic already exists: proxy ${JSON.stringify(proxyName)} has a toxic named ${JSON.stringify(toxic.name)}; update it with POST /proxies/${encodeURIComponent(proxyName)}/toxics/${encodeURIComponent(toxic.name)} or give the new one another name`,
        );
      }
      proxy.setToxics([...proxy.toxics, toxic]);
      return toxic;
    });
  }

  updateToxic(proxyName: string, toxicName: string, change: ToxicChange): Promise<Toxic> {
    return this.#serially(async () => {
      const proxy = this.get(proxyName);
      const current = proxy.toxics.find((t) => t.name === toxicName);
      if (!current) throw toxicNotFound(proxyName, toxicName);
      const attributes = parseToxicAttributes(current.type, {
        ...current.attributes,
        ...change.attributes,
      });
      const updated = {
        ...current,
        attributes,
        toxicity: change.toxicity ?? current.toxicity,
      } as Toxic;
      proxy.setToxics(proxy.toxics.map((t) => (t === current ? updated : t)));
      return updated;
    });
  }

  removeToxic(proxyName: string, toxicName: string): Promise<void> {
    return this.#serially(async () => {
      const proxy = this.get(proxyName);
      if (!proxy.toxics.some((t) => t.name === toxicName)) {
        throw toxicNotFound(proxyName, toxicName);
      }
      proxy.setToxics(proxy.toxics.filter((t) => t.name !== toxicName));
    });
  }

  /** Stops every proxy and forgets them. */
  close(): Promise<void> {
    return this.#serially(async () => {
      const proxies = [...this.#proxies.values()];
      this.#proxies.clear();
      await Promise.all(proxies.map((proxy) => proxy.stop()));
    });
  }

  async #add(spec: ProxySpec): Promise<ToxicProxy> {
    const proxy = new ToxicProxy({
      name: spec.name,
      listen: spec.listen,
      upstream: spec.upstream,
      random: seededRandom(this.#seed ^ nameHash(spec.name)),
    });
    if (spec.enabled) await proxy.start();
    this.#proxies.set(spec.name, proxy);
    return proxy;
  }

  #serially<T>(change: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(change);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * Validates a type's attributes (missing ones default as in Toxiproxy); throws a 400
 * `bad_request_body` naming each wrong field.
 */
export function parseToxicAttributes(
  type: Toxic['type'],
  attributes: unknown,
): Toxic['attributes'] {
  const schema: z.ZodType<Toxic['attributes']> = toxicAttributeSchemas[type];
  const parsed = schema.safeParse(attributes ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${['attributes', ...issue.path].join('.')}: ${issue.message}`,
  );
  throw new ToxiproxyApiError(
    400,
    'bad_request_body',
    `bad request body: ${type} toxic ${problems.join('; ')}`,
  );
}

// FNV-1a, so a proxy's random source depends on its name and the collection's seed only.
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
