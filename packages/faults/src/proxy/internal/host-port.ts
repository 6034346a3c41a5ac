/** A TCP address as Toxiproxy writes it: `host:port`, IPv6 hosts in brackets. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port` (`[::1]:80` for IPv6); `undefined` when it is not one. */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  return { host: match[1] ?? match[2] ?? '', port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);
// Toxiproxy configs written for containers listen on every interface; here that means loopback.
const wildcardHosts = new Set(['', '0.0.0.0', '::']);

/**
 * The address a proxy binds for a requested `listen`: esimlab binds loopback only, so a
 * wildcard host (`0.0.0.0:26379`, `:26379`) binds 127.0.0.1 and anything else is refused.
 */
export function loopbackListenAddress(listen: HostPort): HostPort | undefined {
  if (wildcardHosts.has(listen.host) || listen.host === 'localhost') {
    return { host: '127.0.0.1', port: listen.port };
  }
  if (loopbackHosts.has(listen.host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(listen.host)) {
    return listen;
  }
  return undefined;
}

export function isLoopbackHost(host: string): boolean {
  return loopbackHosts.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
