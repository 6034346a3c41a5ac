import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan } from '../engine/fault-plan.ts';
import { faultMiddleware, type InjectedFault } from '../http/fault-middleware.ts';
import type { FaultRule, FaultRuleInput } from '../rules/fault-rule.ts';
import { parseFaultRules } from '../rules/parse-fault-rules.ts';
import { createRequestForwarder } from './internal/forward-request.ts';
import {
  formatHostPort,
  type HostPort,
  loopbackListenAddress,
  parseHostPort,
} from './internal/host-port.ts';
import { ProxyCollection } from './proxy-collection.ts';
import { startToxiproxyServer, type ToxiproxyServer } from './toxiproxy-server.ts';

export interface FaultProxyOptions {
  /** `host:port` clients connect to, loopback only; default `127.0.0.1:0` (any free port). */
  readonly listen?: string;
  /** `host:port` of the HTTP server to put in front of. */
  readonly upstream: string;
  /** Fault rules as written (see `faultRuleSchema`); validated here. Default: none. */
  readonly rules?: readonly FaultRuleInput[];
  /** Seeds every probability roll and latency sample (and the toxics'); default 0. */
  readonly seed?: number;
  /** Paths never faulted; default `defaultExcludedPaths` (the carrier's control plane). */
  readonly excludedPaths?: readonly string[];
  /**
   * Also serve the Toxiproxy admin API on this port (0: any free one). Clients then reach the
   * rules through a Toxiproxy proxy named `name`, so toxics act on their connections too.
   * Default: no admin API (the CLI defaults it to 8474).
   */
  readonly adminPort?: number;
  /** The Toxiproxy name of the client-facing proxy; default `esimlab`. */
  readonly name?: string;
  /** Told about every request a rule fired on, before the fault applies. */
  readonly onFault?: (fault: InjectedFault) => void;
}

export interface FaultProxy {
  /** `http://127.0.0.1:port`: where clients send what they meant for the upstream. */
  readonly url: string;
  /** `127.0.0.1:port`. */
  readonly listen: string;
  readonly upstream: string;
  /** The live rule list: replace, add or remove rules, read their counters. */
  readonly plan: FaultPlan;
  /** The Toxiproxy admin API, when `adminPort` was given. */
  readonly admin: ToxiproxyServer | undefined;
  /** Stops listening, drops open connections (a held `timeout` too) and the admin API. */
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of any HTTP server that applies esimlab's fault rules to the
 * requests passing through, as the carriers apply them to their own: latency, injected
 * errors, timeouts, resets before and after the upstream committed, truncated and slow
 * bodies. A `crash` rule needs a carrier to crash; here the request passes unchanged.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const listen = listenAddressOf(options.listen ?? '127.0.0.1:0');
  const upstream = upstreamAddressOf(options.upstream);
  const seed = options.seed ?? 0;
  const plan = new FaultPlan({
    seed,
    rules: validRules(options.rules ?? []),
    ...(options.excludedPaths ? { excludedPaths: options.excludedPaths } : {}),
  });
  const forwarder = createRequestForwarder(upstream);
  const applyFaults = faultMiddleware(plan, options.onFault ? { onFault: options.onFault } : {});
  const server = createServer((req, res) => {
    applyFaults(req, res, (error) => {
      if (error === undefined) forwarder.forward(req, res);
      else res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  const { adminPort } = options;
  // With an admin API, the rules listen on a private port behind a Toxiproxy proxy on `listen`.
  const bound = await listenOn(
    server,
    adminPort === undefined ? listen : { host: '127.0.0.1', port: 0 },
  );
  let admin: ToxiproxyServer | undefined;
  let publicAddress = bound;
  if (adminPort !== undefined) {
    const proxies = new ProxyCollection({ seed });
    try {
      const proxy = await proxies.create({
        name: options.name ?? 'esimlab',
        listen,
        upstream: bound,
        enabled: true,
      });
      publicAddress = proxy.listenAddress;
      admin = await startToxiproxyServer({ port: adminPort, collection: proxies });
    } catch (error) {
      await proxies.close();
      await closeServer(server);
      throw error;
    }
  }

  return {
    url: `http://${formatHostPort(publicAddress)}`,
    listen: formatHostPort(publicAddress),
    upstream: formatHostPort(upstream),
    plan,
    admin,
    async close() {
      await admin?.close();
      await closeServer(server);
      forwarder.close();
    },
  };
}

function validRules(rules: readonly FaultRuleInput[]): FaultRule[] {
  const parsed = parseFaultRules(rules);
  if (parsed.ok) return parsed.value;
  const problems = parsed.error.map((e) => `${e.field}: ${e.message}`).join('; ');
  throw new Error(`the fault proxy's rules are invalid: ${problems}`);
}

function listenAddressOf(text: string): HostPort {
  const parsed = parseHostPort(text);
  const loopback = parsed && loopbackListenAddress(parsed);
  if (!loopback) {
    throw new Error(
      `the fault proxy cannot listen on ${JSON.stringify(text)}: give a loopback host:port, e.g. 127.0.0.1:8080 (127.0.0.1:0 for any free port)`,
    );
  }
  return loopback;
}

function upstreamAddressOf(text: string): HostPort {
  const parsed = parseHostPort(text);
  if (!parsed || parsed.host === '' || parsed.port === 0) {
    throw new Error(
      `the fault proxy's upstream ${JSON.stringify(text)} is not host:port; give the HTTP server to put in front of, e.g. 127.0.0.1:4101`,
    );
  }
  return parsed;
}

async function listenOn(server: Server, address: HostPort): Promise<HostPort> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address.host, port: address.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { host: address.host, port: (server.address() as AddressInfo).port };
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
