import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { carrierIds } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierStartError, type RunningCarriers, startCarriers } from '../../src/index.ts';
import {
  carrierNodeFlags,
  DISK_STORE_OLD_SPACE_MB,
} from '../../src/launcher/carrier-node-flags.ts';
import { api, health, isRunning, json, logCollector, tempDataDir } from './launcher-support.ts';

describe('startCarriers with every carrier on a free port', () => {
  const dataDir = tempDataDir();
  const logs = logCollector();
  let running: RunningCarriers<'att' | 'tmobile' | 'verizon'>;

  beforeAll(async () => {
    // The carriers inherit NODE_OPTIONS, whose heap sizes would win over their own flags.
    const nodeOptions = process.env.NODE_OPTIONS;
    delete process.env.NODE_OPTIONS;
    try {
      running = await startCarriers({
        ports: { att: 0, tmobile: 0, verizon: 0 },
        store: 'sqlite',
        dataDir: dataDir.path,
        onLog: logs.onLog,
      });
    } finally {
      if (nodeOptions !== undefined) process.env.NODE_OPTIONS = nodeOptions;
    }
  });

  afterAll(async () => {
    await running?.stop();
    dataDir.remove();
  });

  // Resolved only once each carrier answers: a carrier not yet listening refuses the connection.
  it('gives each carrier its own URL that answers /healthz at once', async () => {
    const urls = carrierIds.map((c) => running.urls[c]);
    expect(new Set(urls).size).toBe(3);
    for (const carrier of carrierIds) {
      expect(running.urls[carrier]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await health(running.urls[carrier])).toEqual({ status: 'ok', carrier });
    }
  });

  it('serves the dev key on every carrier', async () => {
    for (const carrier of carrierIds) {
      const res = await api(`${running.urls[carrier]}/v1/plans`);
      expect(res.status).toBe(200);
      const { data } = await json(res);
      expect(data.every((plan: { carrier: string }) => plan.carrier === carrier)).toBe(true);
    }
  });

  it('runs each carrier in its own process with its own SQLite file', () => {
    const pids = carrierIds.map((c) => running.pids()[c]);
    expect(new Set(pids).size).toBe(3);
    for (const pid of pids) expect(pid !== undefined && isRunning(pid)).toBe(true);
    expect(running.dataDir).toBe(dataDir.path);
    for (const carrier of carrierIds) {
      expect(running.sqliteFiles?.[carrier]).toBe(`${dataDir.path}/${carrier}.sqlite`);
      expect(existsSync(`${dataDir.path}/${carrier}.sqlite`)).toBe(true);
    }
  });

  it('runs each carrier with the heap limit its Node flags give a store on disk', () => {
    const flags = carrierNodeFlags({ kind: 'sqlite', file: 'x' }, undefined);
    const limited = flags.includes(`--max-old-space-size=${DISK_STORE_OLD_SPACE_MB}`);
    for (const carrier of carrierIds) {
      const line = logs.lines.find(
        (l) => l.startsWith(`[${carrier}] `) && l.includes('"msg":"listening"'),
      );
      const { heapLimitMb } = JSON.parse(line?.slice(carrier.length + 3) ?? '{}');
      if (limited) {
        // The old generation's limit plus the young generation's: three 8 MB semi-spaces.
        expect(heapLimitMb).toBe(DISK_STORE_OLD_SPACE_MB + 24);
      } else {
        // A machine under 8 GB: V8's own default, a quarter of the memory, is under 2 GB.
        expect(heapLimitMb).toBeLessThan(2048 + 24);
      }
    }
  });

  it('keeps the store’s nested-transaction check on under Vitest (NODE_ENV=test)', () => {
    expect(process.env.NODE_ENV).toBe('test');
    for (const carrier of carrierIds) {
      const line = logs.lines.find(
        (l) => l.startsWith(`[${carrier}] `) && l.includes('"msg":"listening"'),
      );
      expect(JSON.parse(line?.slice(carrier.length + 3) ?? '{}')).toMatchObject({
        checkNestedTransactions: true,
      });
    }
  });

  it('passes the carriers’ JSON log lines to onLog', () => {
    const listening = logs.lines.filter((l) => l.includes('"msg":"listening"'));
    expect(listening.map((l) => /^\[(\w+)\]/.exec(l)?.[1]).sort()).toEqual([...carrierIds]);
    const [, line] = /^\[att\] (.*)$/m.exec(logs.text()) ?? [];
    expect(JSON.parse(line ?? '{}')).toMatchObject({ carrier: 'att', level: 30 });
  });
});

describe('startCarriers told not to check for nested transactions', () => {
  it('starts the carrier with the check off', async () => {
    const logs = logCollector();
    const running = await startCarriers({
      carriers: ['att'],
      ports: { att: 0 },
      store: 'memory',
      onLog: logs.onLog,
      checkNestedTransactions: false,
    });
    try {
      expect(await health(running.urls.att)).toEqual({ status: 'ok', carrier: 'att' });
      const line = logs.lines.find((l) => l.includes('"msg":"listening"'));
      expect(JSON.parse(line?.replace(/^\[att\] /, '') ?? '{}')).toMatchObject({
        checkNestedTransactions: false,
      });
    } finally {
      await running.stop();
    }
  });
});

describe('startCarriers failures', () => {
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('names the busy port and the flag that moves it', async () => {
    const logs = logCollector();
    const failure = await startCarriers({
      carriers: ['tmobile'],
      ports: { tmobile: port },
      store: 'memory',
      onLog: logs.onLog,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CarrierStartError);
    expect(failure).toMatchObject({ code: 'port_in_use', carrier: 'tmobile' });
    expect((failure as Error).message).toContain(`127.0.0.1:${port}: the port is in use`);
    expect((failure as Error).message).toContain('--tmobile-port or ESIMLAB_TMOBILE_PORT');
    // It did not restart the carrier that could not start.
    expect(logs.text()).not.toContain('restarting');
  });

  it('refuses a non-loopback address without an admin token before starting anything', async () => {
    await expect(startCarriers({ host: '0.0.0.0', store: 'memory' })).rejects.toThrow(
      /binding 0\.0\.0\.0 exposes the control plane/,
    );
  });
});
