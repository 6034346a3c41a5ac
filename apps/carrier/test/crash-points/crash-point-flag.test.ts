import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CarrierConfigError, startCarriers } from '../../src/index.ts';

const bin = fileURLToPath(new URL('../../bin/esimlab-carriers.js', import.meta.url));

// The developer's own ESIMLAB_* settings must not leak into these runs.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('ESIMLAB_')),
);

/** Runs `esimlab-carriers` to its exit; these runs are refused before any carrier starts. */
function runBin(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  // 'exit', not 'close': tsx's esbuild service inherits stderr and outlives the process.
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('esimlab-carriers --crash-point / ESIMLAB_CRASH_POINTS', () => {
  it('exits 2 naming the setting and the valid points for an unknown point, starting nothing', async () => {
    const [fromEnv, fromFlag, help] = await Promise.all([
      runBin(['--att-port', '0'], { ESIMLAB_CRASH_POINTS: 'after-credit,after-lunch' }),
      runBin(['--carriers', 'att', '--att-port', '0', '--crash-point', 'verizon:after-credit'], {}),
      runBin(['--help'], {}),
    ]);
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain(
      'ESIMLAB_CRASH_POINTS got "after-lunch", which is not a crash point; use after-authorize, after-credit, after-capture, before-response',
    );
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toContain(
      '--crash-point got "verizon:after-credit", but verizon is not started',
    );
    for (const run of [fromEnv, fromFlag]) expect(run.stdout).not.toContain('listening');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--crash-point <point>\s+ESIMLAB_CRASH_POINTS/);
  });
});

describe('startCarriers({crashPoints, restartBackoff})', () => {
  it('refuses an unknown point, a carrier it does not start, or a backwards backoff, before spawning', async () => {
    const refusals = await Promise.all(
      // `as never`: what a JavaScript caller could pass, which the types refuse.
      [
        () => startCarriers({ carriers: ['att'], crashPoints: { att: ['after-lunch' as never] } }),
        () =>
          startCarriers({ carriers: ['att'], crashPoints: { verizon: ['after-credit'] } as never }),
        () => startCarriers({ carriers: ['att'], restartBackoff: { initialMs: 500, maxMs: 100 } }),
      ].map((start) =>
        start().then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );
    for (const error of refusals) expect(error).toBeInstanceOf(CarrierConfigError);
    expect((refusals[0] as Error).message).toContain(
      'crashPoints.att must list crash points among after-authorize, after-credit, after-capture, before-response; got ["after-lunch"]',
    );
    expect((refusals[1] as Error).message).toContain(
      'crashPoints names verizon, which is not started',
    );
    expect((refusals[2] as Error).message).toContain('initialMs ≤ maxMs');
  });
});
