import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { health, isRunning, tempDataDir, waitFor } from './launcher-support.ts';

const bin = fileURLToPath(new URL('../../bin/esimlab-carriers.js', import.meta.url));

// The developer's own ESIMLAB_* settings must not leak into these runs.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('ESIMLAB_')),
);

interface Run {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
}

function runBin(args: readonly string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...cleanEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  // 'exit', not 'close': tsx's esbuild service inherits stderr and outlives the process.
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

describe('esimlab-carriers', () => {
  const dataDir = tempDataDir();
  const runs: Run[] = [];
  afterAll(async () => {
    for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGTERM');
    await Promise.all(runs.map((run) => run.exit));
    dataDir.remove();
  });

  it('prints a banner with URLs, the dev key and the SQLite files, and exits 0 on SIGTERM', async () => {
    const run = runBin([
      '--att-port',
      '0',
      '--tmobile-port',
      '0',
      '--verizon-port',
      '0',
      '--data-dir',
      dataDir.path,
    ]);
    runs.push(run);
    const banner = await waitFor(
      'the banner',
      () => (run.stdout().includes('Ctrl-C stops them') ? run.stdout() : undefined),
      20_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
    });

    expect(banner).toContain('sk_test_esimlab');
    const urls: Record<string, string> = {};
    for (const carrier of ['att', 'tmobile', 'verizon']) {
      const row = new RegExp(
        `^\\s+${carrier}\\s+(http://127\\.0\\.0\\.1:\\d+)\\s+state: (.+)$`,
        'm',
      );
      const [, url, state] = row.exec(banner) ?? [];
      expect(state, banner).toBe(`${dataDir.path}/${carrier}.sqlite`);
      urls[carrier] = url ?? '';
      expect(await health(url ?? '')).toEqual({ status: 'ok', carrier });
    }
    expect(banner).toContain(`${urls.att}/docs`);
    expect(banner).toContain(
      `curl -H 'Authorization: Bearer sk_test_esimlab' ${urls.att}/v1/plans`,
    );

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    for (const url of Object.values(urls)) expect(await health(url)).toBeUndefined();
    const pids = [...run.stdout().matchAll(/"pid":(\d+)/g)].map((m) => Number(m[1]));
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
  });

  it('exits 2 naming a bad flag or variable, and starts nothing', async () => {
    const badPort = runBin(['--att-port', 'eighty']);
    const unknown = runBin(['--verizon-prot', '1']);
    const replicas = runBin(['--replicas', '2'], { ESIMLAB_STORE: 'memory' });
    runs.push(badPort, unknown, replicas);
    expect(await badPort.exit).toBe(2);
    expect(badPort.stderr()).toContain('--att-port must be a port number from 0 to 65535');
    expect(await unknown.exit).toBe(2);
    expect(unknown.stderr()).toContain('unknown flag --verizon-prot; did you mean --verizon-port?');
    expect(await replicas.exit).toBe(2);
    expect(replicas.stderr()).toContain('--replicas above 1 needs the PostgreSQL store');
    for (const run of [badPort, unknown, replicas]) expect(run.stdout()).not.toContain('listening');
  });
});
