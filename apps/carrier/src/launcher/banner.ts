import type { CarrierId } from '@esimlab/domain';
import { describeStore } from '../config/carrier-config.ts';
import { DEV_API_KEY } from '../features/tenants/tenant-keys.ts';
import type { RunningCarriers } from './start-carriers.ts';

/** What a developer needs once the carriers are up: URLs, the dev key, where state lives, a first call. */
export function renderBanner<C extends CarrierId>(
  running: RunningCarriers<C>,
  options: { readonly adminToken: string | undefined },
): string {
  const carriers = Object.keys(running.urls) as C[];
  const label = (carrier: C, replica: number) =>
    running.replicas === 1 ? carrier : `${carrier}/${replica}`;
  const entries = carriers.flatMap((carrier) =>
    (running.replicaUrls[carrier] ?? [running.urls[carrier]]).map(
      (url, replica) => [carrier, label(carrier, replica), url] as const,
    ),
  );
  const width = Math.max(...entries.map(([, name]) => name.length));
  const rows = entries.map(([carrier, name, url]) => {
    const state =
      running.sqliteFiles?.[carrier] ??
      (running.postgresSchemas?.[carrier] !== undefined
        ? `schema ${running.postgresSchemas[carrier]}`
        : 'in memory: lost on restart');
    return `  ${name.padEnd(width)}  ${url.padEnd(24)}  state: ${state}`;
  });
  const firstUrl = entries[0]?.[2] ?? '';
  const controlPlane = options.adminToken
    ? 'send X-Sim-Admin-Token: <your --admin-token> on /_sim/*'
    : 'open on this machine (no admin token set)';
  const where =
    running.store === 'sqlite'
      ? `SQLite in ${running.dataDir}`
      : running.store === 'memory'
        ? 'memory store'
        : describeStore(running.store);
  const replicas =
    running.replicas === 1
      ? []
      : [
          `  replicas     ${running.replicas} per carrier, sharing its schema: send any request to any of them`,
        ];
  return [
    '',
    `esimlab carriers are running (${where}):`,
    '',
    ...rows,
    '',
    `  API key      ${DEV_API_KEY}  (tenant dev, works on every carrier)`,
    `  API docs     ${firstUrl}/docs  (every carrier serves /docs and /openapi.json)`,
    `  control      ${controlPlane}`,
    ...replicas,
    '',
    '  Try:',
    `    curl -H 'Authorization: Bearer ${DEV_API_KEY}' ${firstUrl}/v1/plans`,
    '',
    '  Ctrl-C stops them; in-flight requests finish first.',
    '',
  ].join('\n');
}
