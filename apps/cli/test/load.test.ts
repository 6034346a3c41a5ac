import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCarriers } from '@esimlab/carrier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, startLongRun } from './support/cli-run.ts';

const load = (...args: string[]) => runToEnd(['load', ...args], { env: {} });

describe('esimlab load: flags', () => {
  it.each([
    [[], /name a scenario: esimlab load <steady\|spike\|flaky\|soak>/],
    [['storm'], /scenario "storm" is not a load scenario; use one of steady, spike, flaky, soak/],
    [['steady', 'spike'], /one scenario at a time/],
    [['steady', '--duration', '30'], /--duration "30" has no unit; write 30s for seconds/],
    [['steady', '--duration', 'soon'], /--duration "soon" is not a duration; write e\.g\. 30s, 2m/],
    [['steady', '--duration', '500ms'], /--duration must be from 1s to 24h/],
    [
      ['steady', '--rate', '0'],
      /--rate must be a whole number from 1 to 100000 \(top-ups per second/,
    ],
    [['steady', '--rate', '2.5'], /--rate must be a whole number/],
    [['steady', '--vus', 'many'], /--vus must be a whole number from 1 to 10000/],
    [
      ['steady', '--carrier', 'sprint'],
      /--carrier "sprint" is not a carrier; use att, tmobile, verizon/,
    ],
    [['steady', '--enforce', 'some'], /--enforce "some" must be all .* or correctness/],
    [['steady', '--rat', '5'], /unknown flag --rat; did you mean --rate\?/],
    [
      ['steady', '--target', 'ftp://x'],
      /--target entry "ftp:\/\/x" must be an http:\/\/ or https:\/\/ URL/,
    ],
    [
      ['steady', '--target', 'att=http://127.0.0.1:9,tmobile=http://127.0.0.1:8'],
      /--target names att \(http:\/\/127\.0\.0\.1:9\) and tmobile .*a load run drives one carrier/,
    ],
    [
      ['steady', '--target', 'att=http://127.0.0.1:9', '--target', 'att=http://127.0.0.1:9'],
      /--target lists http:\/\/127\.0\.0\.1:9 twice; give each replica once/,
    ],
    // Checked before anything runs: a run that could not write its reports would be wasted.
    [
      ['steady', '--out', '/etc/hostname/reports'],
      /--out \/etc\/hostname\/reports: \/etc\/hostname is a file, not a directory; give a directory you can write reports to/,
    ],
  ])('refuses %j with exit code 2 and the fix', async (args, message) => {
    const { code, stdout, stderr } = await load(...args);
    expect(stderr).toMatch(message);
    expect(stdout).not.toContain('Started');
    expect(code).toBe(2);
  });

  it('is listed in esimlab --help, with its options in esimlab load --help', async () => {
    expect((await runToEnd(['--help'])).stdout).toMatch(/load\s+load-test the recharge path/);
    const help = await load('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--duration <d>\s+how long iterations start, e\.g\. 30s, 2m/);
  });
});

describe('esimlab load: a run', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'esimlab-load-cli-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('starts its own carrier, runs the scenario, audits, and writes both reports', async () => {
    const { code, stdout, stderr } = await load(
      'steady',
      '--carrier',
      'verizon',
      '--rate',
      '5',
      '--duration',
      '2s',
      '--out',
      out,
    );
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Started verizon on http:\/\/127\.0\.0\.1:\d+ \(SQLite in /);
    expect(stdout).toContain('steady on verizon (async style, faults: none): 5 top-ups/s for 2s');
    expect(stdout).toMatch(/█ THRESHOLDS[\s\S]*✓ 'count==0' count=0/);
    expect(stdout).toContain('Intents: 10 ok, 0 failed, 0 unknown');
    expect(stdout).toContain('verizon audit: clean (no duplicate charge, no lost top-up)');
    expect(stdout).toContain(
      `Reports: ${join(out, 'load-summary.json')}, ${join(out, 'load-junit.xml')}`,
    );
    expect(code).toBe(0);

    const summary = JSON.parse(await readFile(join(out, 'load-summary.json'), 'utf8'));
    expect(summary.metrics.duplicate_charges.values.count).toBe(0);
    expect(summary.metrics.iterations.values.count).toBe(10);
    expect(await readFile(join(out, 'load-junit.xml'), 'utf8')).toMatch(
      /<testsuite name="esimlab load steady \(verizon, async\)" tests="8" failures="0"/,
    );
  }, 60_000);

  it('stops early on Ctrl-C, still audits, and does not count the run as a pass', async () => {
    const run = startLongRun(['load', 'steady', '--rate', '5', '--duration', '1m', '--out', out], {
      env: {},
    });
    await run.waitForOutput(/steady \[/, 30_000);
    expect(await run.stop('SIGINT')).toBe(1);
    expect(run.stdout()).toContain('att audit: clean');
    expect(run.stdout()).toMatch(
      /✗ stopped early, after [\d.]+m?s of the 1m0s planned; \d+ iterations? interrupted/,
    );
  });

  it('says how to start a carrier when --target does not answer (exit code 1)', async () => {
    const { code, stderr } = await load(
      'steady',
      '--target',
      'att=http://127.0.0.1:9',
      '--duration',
      '1s',
    );
    expect(stderr).toMatch(
      /cannot reach http:\/\/127\.0\.0\.1:9\/healthz .*start one with `pnpm esimlab up`/,
    );
    expect(code).toBe(1);
  });

  describe('against a running carrier', () => {
    let stop: () => Promise<void>;
    let url: string;
    let pid: () => number | undefined;
    beforeAll(async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'esimlab-load-target-'));
      const running = await startCarriers({
        carriers: ['tmobile'],
        ports: { tmobile: 0 },
        store: 'memory',
        dataDir,
        logLevel: 'warn',
        onLog: () => undefined,
      });
      url = running.urls.tmobile;
      pid = () => running.pids().tmobile;
      stop = async () => {
        await running.stop();
        await rm(dataDir, { recursive: true, force: true });
      };
    }, 60_000);
    afterAll(async () => {
      await stop?.();
    });

    it('refuses a --carrier that is not the --target’s', async () => {
      const { code, stderr } = await load('steady', '--target', url, '--carrier', 'att');
      expect(stderr).toMatch(/--carrier att but --target http:.* is tmobile/);
      expect(code).toBe(2);
    });

    it('exits 1 when a latency budget is crossed, and 0 when only correctness is enforced', async () => {
      // The carrier stopped (SIGSTOP) for 1.5 s mid-run: the intents waiting on it take longer
      // than the steady scenario's 1,000 ms budget for p(99).
      const pausedRun = async (enforce: string) => {
        const run = startLongRun(
          [
            'load',
            'steady',
            '--target',
            url,
            '--rate',
            '4',
            '--duration',
            '3s',
            '--out',
            out,
            '--enforce',
            enforce,
          ],
          { env: {} },
        );
        await run.waitForOutput(/steady \[/, 30_000);
        const carrier = pid();
        if (carrier === undefined) throw new Error('the carrier has no pid');
        process.kill(carrier, 'SIGSTOP');
        try {
          await new Promise((resolve) => setTimeout(resolve, 1500));
        } finally {
          process.kill(carrier, 'SIGCONT');
        }
        return { code: await run.exit, stdout: run.stdout() };
      };
      const enforced = await pausedRun('all');
      expect(enforced.stdout).toMatch(/✗ 'p\(99\)<1000' p\(99\)=\d/);
      expect(enforced.stdout).toContain('tmobile audit: clean');
      expect(enforced.code).toBe(1);

      const reported = await pausedRun('correctness');
      expect(reported.stdout).toMatch(
        /✗ 'p\(99\)<1000' p\(99\)=[\d.]+m?s \(reported, not enforced\)/,
      );
      expect(reported.code).toBe(0);
    }, 60_000);

    it('drives a --target carrier in its own style', async () => {
      const { code, stdout } = await load(
        'steady',
        '--target',
        url,
        '--rate',
        '4',
        '--duration',
        '1s',
        '--out',
        out,
      );
      expect(stdout).not.toContain('Started');
      expect(stdout).toContain('steady on tmobile (reference style, faults: none)');
      expect(stdout).toContain('tmobile audit: clean');
      expect(code).toBe(0);
    });
  });
});
