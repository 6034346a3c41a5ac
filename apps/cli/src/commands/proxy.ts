import {
  defaultToxiproxyPort,
  type ProxyJson,
  startToxiproxyServer,
  type ToxiproxyServer,
  toxiproxyApiVersion,
} from '@esimlab/faults/proxy';
import type { CliCommand } from '../cli-command.ts';
import { CliFailure, CliUsageError } from '../cli-error.ts';
import { parseCommandFlags } from '../internal/command-flags.ts';
import { cwdOf, untilStopped } from '../io.ts';
import { type ProxyConfigEntry, readProxyConfigFile } from './internal/proxy-config-file.ts';

const usage = `esimlab proxy [--admin-port ${defaultToxiproxyPort}] [--host 127.0.0.1] [--config FILE]

Runs the fault proxy: a Toxiproxy-compatible admin API (/version, /proxies, /populate,
/proxies/{name}/toxics, /reset), so Toxiproxy clients and toxiproxy-cli drive it unchanged,
and the TCP proxies they create. Everything listens on loopback. Stops on Ctrl-C or SIGTERM.

  --admin-port <port>  the admin API's port; default ${defaultToxiproxyPort} (Toxiproxy's), 0 for any free port
  --host <address>     the admin API's address: 127.0.0.1 (default), ::1 or localhost
  --config <file>      proxies to create at start, as Toxiproxy's -config takes them: a JSON array
                       [{"name": "att", "listen": "127.0.0.1:26101", "upstream": "127.0.0.1:4101"}]
  --help               this text`;

/** `esimlab proxy`: the Toxiproxy-compatible fault proxy from @esimlab/faults, until stopped. */
export const proxyCommand: CliCommand = {
  name: 'proxy',
  summary: 'run the Toxiproxy-compatible fault proxy (admin API on :8474)',
  usage,
  async run(args, io) {
    const values = parseCommandFlags(args, {
      'admin-port': { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
    });
    const port = parsePort(values['admin-port']);
    const host = parseLoopbackHost(values.host);
    const proxies =
      values.config === undefined ? [] : readProxyConfigFile(values.config, cwdOf(io));
    const stopped = untilStopped(io);

    const server = await startToxiproxyServer({ port, host }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new CliFailure(
          'port_in_use',
          `cannot listen on ${host}:${port}: the port is in use (another Toxiproxy or esimlab proxy?); stop it or choose another with --admin-port, or 0 for any free port`,
        );
      }
      throw error;
    });
    let created: ProxyJson[];
    try {
      created = await populate(server, proxies, values.config ?? '');
    } catch (error) {
      await server.close();
      throw error;
    }

    io.out(`esimlab proxy: Toxiproxy ${toxiproxyApiVersion}-compatible admin API on ${server.url}`);
    if (created.length > 0) {
      const width = Math.max(...created.map((p) => p.name.length));
      io.out('  proxies:');
      for (const p of created) {
        io.out(
          `    ${p.name.padEnd(width)}  ${p.listen} -> ${p.upstream}${p.enabled ? '' : ' (disabled)'}`,
        );
      }
    }
    io.out(
      `  add one: curl -X POST ${server.url}/proxies -d '{"name": "att", "upstream": "127.0.0.1:4101"}'`,
    );
    io.out('  Ctrl-C stops it.');

    const reason = await stopped;
    io.out(`esimlab proxy: ${reason}: stopping`);
    await server.close();
    return 0;
  },
};

/**
 * Creates the `--config` proxies through the admin API's own `POST /populate`, so a file is
 * checked exactly as a Toxiproxy client's request would be.
 */
async function populate(
  server: ToxiproxyServer,
  proxies: readonly ProxyConfigEntry[],
  file: string,
): Promise<ProxyJson[]> {
  if (proxies.length === 0) return [];
  const response = await fetch(`${server.url}/populate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(proxies),
  });
  const body = (await response.json()) as { proxies?: ProxyJson[]; error?: string };
  if (response.status === 201 && body.proxies) return body.proxies;
  const problem = `--config ${file}: ${body.error ?? `the proxy server answered ${response.status}`}`;
  // 400: the file asks for something impossible; 409 and others: the machine is in the way.
  if (response.status === 400) throw new CliUsageError(problem);
  throw new CliFailure('proxy_config_rejected', problem);
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return defaultToxiproxyPort;
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new CliUsageError(
      `--admin-port must be a port number from 0 to 65535 (0 picks any free port); got "${value}"`,
    );
  }
  return port;
}

// The admin API reconfigures proxies without authentication, so it never leaves this machine.
function parseLoopbackHost(value: string | undefined): string {
  if (value === undefined) return '127.0.0.1';
  const host = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    return host;
  }
  throw new CliUsageError(
    `--host must be a loopback address (127.0.0.1, ::1 or localhost): the admin API has no authentication; got "${value}"`,
  );
}
