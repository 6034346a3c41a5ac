import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// The carrier's PostgreSQL test helper: the server to use, and dropping what a test created.
import {
  dropTestSchemas,
  newSchemaPrefix,
  requirePostgres,
  skipPostgres,
  testPostgresUrl,
} from '@esimlab/test-utils/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, runToEnd, startLongRun } from './support/cli-run.ts';

const freePorts = ['--att-port', '0', '--tmobile-port', '0', '--verizon-port', '0'];

function bannerUrls(stdout: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [, carrier, url] of stdout.matchAll(
    /^\s+(att|tmobile|verizon)\s+(http:\/\/127\.0\.0\.1:\d+)\s+state: /gm,
  )) {
    urls[carrier ?? ''] = url ?? '';
  }
  return urls;
}

describe('esimlab up', () => {
  it('starts every carrier with the faults preset armed, and stops them all when asked', async () => {
    const run = startLongRun([
      'up',
      '--store',
      'memory',
      ...freePorts,
      '--log-level',
      'warn',
      '--faults',
      'flaky-mobile',
      '--fault-seed',
      '7',
    ]);
    await run.waitForOutput(/Ctrl-C stops them/);
    const urls = bannerUrls(run.stdout());
    expect(Object.keys(urls)).toEqual(['att', 'tmobile', 'verizon']);
    expect(run.stdout()).toContain('memory store');
    expect(run.stdout()).toContain('sk_test_esimlab');
    expect(run.stdout()).toMatch(
      /faults: flaky-mobile \(\d+ rules\) armed on att, tmobile, verizon; seed 7/,
    );
    for (const [carrier, url] of Object.entries(urls)) {
      expect(await getJson(`${url}/healthz`)).toEqual({ status: 'ok', carrier });
      const faults = (await getJson(`${url}/_sim/faults`)) as { seed: number; rules: unknown[] };
      expect(faults.seed).toBe(7);
      expect(faults.rules.length).toBeGreaterThan(0);
    }

    expect(await run.stop('SIGTERM')).toBe(0);
    expect(run.stdout()).toContain('[supervisor] SIGTERM: stopping the carriers');
    for (const url of Object.values(urls)) expect(await getJson(`${url}/healthz`)).toBeUndefined();
  }, 30_000);

  it('refuses replicas on SQLite, which one process owns, and says to use PostgreSQL', async () => {
    const { code, stderr } = await runToEnd(['up', '--replicas', '3']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--replicas above 1 needs the PostgreSQL store: a SQLite file belongs to one process',
    );
    expect(stderr).toContain('pass --store postgres://user@host:5432/database');
  });

  it('names a mistyped flag and suggests the right one', async () => {
    const { code, stderr } = await runToEnd(['up', '--att-prot', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown flag --att-prot; did you mean --att-port?');
    expect(stderr).toContain('Run "esimlab up --help" for its options.');
  });

  it('names the flag of a bad value and the values it takes', async () => {
    const { code, stderr } = await runToEnd(['up', '--log-level', 'loud']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--log-level must be one of fatal, error, warn, info/);
  });

  it('reads its settings from ESIMLAB_* variables, naming the variable when one is wrong', async () => {
    const { code, stderr } = await runToEnd(['up'], { env: { ESIMLAB_ATT_PORT: 'eighty' } });
    expect(code).toBe(2);
    expect(stderr).toContain('ESIMLAB_ATT_PORT must be a port number from 0 to 65535');
  });

  it('prints every carrier flag in --help', async () => {
    const { code, stdout } = await runToEnd(['up', '--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--carriers',
      '--store',
      '--data-dir',
      '--faults',
      '--fault-seed',
      '--host',
      '--att-port',
      '--admin-token',
      '--log-level',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it('stops the carriers and exits 0 when the real process gets SIGINT', async () => {
    const bin = fileURLToPath(new URL('../bin/esimlab.js', import.meta.url));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('ESIMLAB_')),
    );
    const child = spawn(
      process.execPath,
      [
        bin,
        'up',
        '--store',
        'memory',
        '--carriers',
        'att',
        '--att-port',
        '0',
        '--log-level',
        'warn',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    // 'exit', not 'close': tsx's esbuild service inherits stderr and may outlive the process.
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (
      !stdout.includes('Ctrl-C stops them') &&
      Date.now() < deadline &&
      child.exitCode === null
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = bannerUrls(stdout).att ?? '';
    expect(await getJson(`${url}/healthz`), stdout).toEqual({ status: 'ok', carrier: 'att' });

    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(stdout).toContain('[supervisor] SIGINT: stopping the carriers');
    expect(await getJson(`${url}/healthz`)).toBeUndefined();
  }, 30_000);
});

describe.skipIf(skipPostgres)('esimlab up on PostgreSQL', () => {
  afterAll(dropTestSchemas);

  it('runs two replicas of a carrier that share its schema, and stops both', async () => {
    requirePostgres();
    const prefix = newSchemaPrefix();
    const run = startLongRun([
      'up',
      '--store',
      testPostgresUrl,
      '--schema-prefix',
      prefix,
      '--replicas',
      '2',
      '--carriers',
      'att',
      '--att-port',
      '0',
      '--log-level',
      'warn',
    ]);
    await run.waitForOutput(/Ctrl-C stops them/, 30_000);
    const rows = [
      ...run
        .stdout()
        .matchAll(/^\s+att\/(\d)\s+(http:\/\/127\.0\.0\.1:\d+)\s+state: schema (\S+)/gm),
    ];
    expect(rows.map(([, replica, , schema]) => [replica, schema])).toEqual([
      ['0', `${prefix}_att`],
      ['1', `${prefix}_att`],
    ]);
    const [first, second] = rows.map(([, , url]) => url ?? '');
    expect(run.stdout()).toContain('2 per carrier');

    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(first ?? '', '/_sim/clock/advance', { by: 'PT1H' })).status).toBe(200);
    expect(await getJson(`${second}/_sim/clock`)).toMatchObject({ offsetMs: 3_600_000 });

    expect(await run.stop('SIGTERM')).toBe(0);
    for (const url of [first, second]) expect(await getJson(`${url}/healthz`)).toBeUndefined();
  }, 60_000);
});
