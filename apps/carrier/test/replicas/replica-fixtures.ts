import type { CarrierId } from '@esimlab/domain';
import { dropTestSchemas, newSchemaPrefix, testPostgresUrl } from '@esimlab/test-utils/postgres';
import { type RunningCarriers, type StartCarriersOptions, startCarriers } from '../../src/index.ts';
import { type CarrierAtUrl, carrierAt } from '../crash-points/carrier-at-url.ts';
import { logCollector } from '../launcher/launcher-support.ts';

export interface ReplicaSet {
  readonly running: RunningCarriers<'att'>;
  /** Each replica of att, by slot. */
  readonly replicas: readonly CarrierAtUrl[];
  /** What the carriers and the supervisor printed, for failure messages. */
  readonly logs: ReturnType<typeof logCollector>;
  /** Stops every replica and drops the schemas. */
  stop(): Promise<void>;
}

/** `count` supervised replicas of att on free ports, sharing a fresh PostgreSQL schema. */
export async function startReplicaSet(
  count: number,
  options: Omit<StartCarriersOptions<'att'>, 'carriers' | 'store' | 'replicas' | 'ports'> = {},
): Promise<ReplicaSet> {
  const logs = logCollector();
  const running = await startCarriers<'att'>({
    carriers: ['att'],
    ports: { att: 0 },
    store: { kind: 'postgres', url: testPostgresUrl, schemaPrefix: newSchemaPrefix() },
    replicas: count,
    logLevel: 'warn',
    onLog: logs.onLog,
    ...options,
  }).catch(async (error: unknown) => {
    await dropTestSchemas();
    throw error;
  });
  return {
    running,
    replicas: running.replicaUrls.att.map(carrierAt),
    logs,
    async stop() {
      await running.stop();
      await dropTestSchemas();
    },
  };
}

/** The replica's current process id, or a failure if it is not running. */
export function pidOf<C extends CarrierId>(
  running: RunningCarriers<C>,
  carrier: C,
  slot: number,
): number {
  const pid = running.replicaPids()[carrier][slot];
  if (pid === undefined) throw new Error(`${carrier}/${slot} is not running`);
  return pid;
}
