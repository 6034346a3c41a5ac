import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliUsageError } from '../../cli-error.ts';

/** A proxy to create at start, as Toxiproxy's `-config` file and `POST /populate` take it. */
export interface ProxyConfigEntry {
  readonly name: string;
  /** `host:port` on loopback; default `127.0.0.1:0` (any free port). */
  readonly listen?: string;
  /** `host:port` of the server to forward to. */
  readonly upstream: string;
  readonly enabled?: boolean;
}

const shape = '[{"name": "att", "listen": "127.0.0.1:26101", "upstream": "127.0.0.1:4101"}, …]';
const hostPort = /^(\[[^\]]+\]|[^:[\]]*):\d{1,5}$/;

/**
 * Reads and checks a `--config` file: a JSON array of proxies. Addresses are checked for
 * shape here; the proxy server checks the rest (loopback listen, free port) when it creates
 * them. Throws `CliUsageError` naming the file, the entry and the field.
 */
export function readProxyConfigFile(path: string, cwd: string): ProxyConfigEntry[] {
  const file = resolve(cwd, path);
  const fail = (problem: string) => new CliUsageError(`--config ${file}: ${problem}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(
      `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}); give the path of a JSON file such as ${shape}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(`not valid JSON (${(error as Error).message}); write ${shape}`);
  }
  if (!Array.isArray(json)) throw fail(`must be a JSON array of proxies, e.g. ${shape}`);
  const names = new Set<string>();
  return json.map((entry: unknown, i): ProxyConfigEntry => {
    const at = (field: string) => `[${i}]${field === '' ? '' : `.${field}`}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw fail(`${at('')} must be an object {name, listen, upstream}`);
    }
    const { name, listen, upstream, enabled } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '' || name.includes('/')) {
      throw fail(`${at('name')} must be a non-empty name without "/", e.g. "att"`);
    }
    if (names.has(name))
      throw fail(`${at('name')} "${name}" is used twice; give each proxy its own name`);
    names.add(name);
    if (typeof upstream !== 'string' || !hostPort.test(upstream)) {
      throw fail(
        `${at('upstream')} must be "host:port" of the server to forward to, e.g. "127.0.0.1:4101"; got ${JSON.stringify(upstream)}`,
      );
    }
    if (listen !== undefined && (typeof listen !== 'string' || !hostPort.test(listen))) {
      throw fail(
        `${at('listen')} must be "host:port" on loopback, e.g. "127.0.0.1:26101" (port 0 for any free port); got ${JSON.stringify(listen)}`,
      );
    }
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      throw fail(`${at('enabled')} must be true or false; got ${JSON.stringify(enabled)}`);
    }
    return {
      name,
      upstream,
      ...(listen !== undefined ? { listen } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
    };
  });
}
