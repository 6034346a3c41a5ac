import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { faultPresets } from '@esimlab/faults';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningCarriers, startCarriers } from '../../src/index.ts';
import {
  api,
  health,
  json,
  logCollector,
  tempDataDir,
  waitFor,
} from '../launcher/launcher-support.ts';

const bin = fileURLToPath(new URL('../../bin/esimlab-carriers.js', import.meta.url));
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('ESIMLAB_')),
);

describe('fault rules given at start-up', () => {
  const dataDir = tempDataDir();
  let running: RunningCarriers<'att'> | undefined;
  afterAll(async () => {
    await running?.stop();
    dataDir.remove();
  });

  it('exits 2 naming the flag, the rule and the field of a bad rules file, starting nothing', async () => {
    const file = join(dataDir.path, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify([
        { kind: 'latency', params: { ms: 5 } },
        { kind: 'crash', params: { point: 'lunch' } },
      ]),
    );
    const child = spawn(process.execPath, [bin, '--att-port', '0', '--faults', file], {
      env: cleanEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain(`--faults: ${file}: rules[1].params.point`);
  });

  it('starts the first process with --faults and the seed; a restart keeps the rules changed since', async () => {
    const logs = logCollector();
    running = await startCarriers({
      carriers: ['att'],
      ports: { att: 0 },
      store: 'sqlite',
      dataDir: dataDir.path,
      onLog: logs.onLog,
      faults: faultPresets['carrier-outage'].rules,
      faultSeed: 7,
      restartBackoff: { initialMs: 50, maxMs: 100 },
    });
    const url = running.urls.att;
    expect((await api(`${url}/v1/plans`)).status).toBe(503);
    const started = await json(await api(`${url}/_sim/faults`));
    expect(started).toMatchObject({ seed: 7, rules: [{ id: 'carrier-outage-503' }] });
    expect(logs.lines.find((l) => l.includes('"msg":"listening"'))).toContain('"faultSeed":7');

    await api(`${url}/_sim/faults`, { method: 'DELETE', json: undefined });
    await api(`${url}/_sim/faults`, {
      method: 'PATCH',
      json: { id: 'later', kind: 'timeout', match: { path: '/nowhere' } },
    });
    const pid = running.pids().att;
    if (pid === undefined) throw new Error('att is not running');
    process.kill(pid, 'SIGKILL');
    await waitFor('att to restart', async () => {
      const now = running?.pids().att;
      return now !== undefined && now !== pid && (await health(url)) !== undefined
        ? now
        : undefined;
    });

    const restarted = await json(await api(`${url}/_sim/faults`));
    expect(restarted.seed).toBe(7);
    expect(restarted.rules.map((r: { id: string }) => r.id)).toEqual(['later']);
    expect((await api(`${url}/v1/plans`)).status).toBe(200);
  });
});
