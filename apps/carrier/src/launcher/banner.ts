import type { CarrierId } from '@esimlab/domain';
import { DEV_API_KEY } from '../features/tenants/tenant-keys.ts';
import type { RunningCarriers } from './start-carriers.ts';

/** What a developer needs once the carriers are up: URLs, the dev key, where state lives, a first call. */
export function renderBanner<C extends CarrierId>(
  running: RunningCarriers<C>,
  options: { readonly adminToken: string | undefined },
): string {
  const entries = Object.entries(running.urls) as [C, string][];
  const width = Math.max(...entries.map(([carrier]) => carrier.length));
  const rows = entries.map(([carrier, url]) => {
    const state = running.sqliteFiles?.[carrier] ?? 'in memory: lost on restart';
    return `  ${carrier.padEnd(width)}  ${url.padEnd(24)}  state: ${state}`;
  });
  const [first] = entries;
  const firstUrl = first?.[1] ?? '';
  const controlPlane = options.adminToken
    ? 'send X-Sim-Admin-Token: <your --admin-token> on /_sim/*'
    : 'open on this machine (no admin token set)';
  return [
    '',
    `esimlab carriers are running (${running.store === 'sqlite' ? `SQLite in ${running.dataDir}` : 'memory store'}):`,
    '',
    ...rows,
    '',
    `  API key      ${DEV_API_KEY}  (tenant dev, works on every carrier)`,
    `  API docs     ${firstUrl}/docs  (every carrier serves /docs and /openapi.json)`,
    `  control      ${controlPlane}`,
    '',
    '  Try:',
    `    curl -H 'Authorization: Bearer ${DEV_API_KEY}' ${firstUrl}/v1/plans`,
    '',
    '  Ctrl-C stops them; in-flight requests finish first.',
    '',
  ].join('\n');
}
