import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCarriers } from '@esimlab/carrier';
import type { RunReport } from '@esimlab/harness';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.ts';
import { capture } from './support/cli-run.ts';

const header = '# yaml-language-server: $schema=../scenario.schema.json\n';

// Declares a duplicate charge, but on a perfect network the mutant never retries: the checker
// finds nothing, so the scenario must fail. A checker that cannot fail would pass it.
const mutantWithoutFault = `${header}name: a mutant that never gets to misbehave
carrier: att
steps:
  - esim: { as: alice, plan: att-unlimited-starter }
  - topup: { as: boost, esim: alice, plan: att-boost-2gb, strategy: "mutant:fresh-key-retry" }
checker:
  violations: [duplicate_charge]
`;

// Expects the wrong balance: fails at its expect step, the same way on every replay. It starts
// on a Wednesday morning, when no promotion adds to the plan or the boost (tmobile's Black
// Friday one adds 5 GB to base plans bought from Black Friday to Cyber Monday).
const wrongBalance = `${header}name: a balance expectation that does not hold
carrier: tmobile
steps:
  - advance: { next: { weekday: wednesday, time: "10:00" } }
  - esim: { as: bob, plan: tmobile-prepaid-10gb }
  - device: { as: phone, at: { lat: 47.6062, lon: -122.3321 } }
  - activate: { esim: bob, device: phone }
  - faults:
      rules:
        - { kind: latency, params: { ms: 20 }, probability: 0.5 }
  - topup: { as: boost, esim: bob, plan: tmobile-boost-5gb, expect: ok }
  - expect:
      within: 0
      balance: { bob: { dataRemainingBytes: 16GB } }
`;

const passing = `${header}name: one boost on verizon
carrier: verizon
steps:
  - esim: { as: carol, plan: verizon-prepaid-15gb }
  - topup: { as: boost, esim: carol, plan: verizon-boost-2gb, expect: ok }
  - expect:
      charges: { carol: { captured: 1, capturedAmount: 1500 } }
`;

const badFile = `${header}name: a typo
carrier: att
steps:
  - esim: { as: alice, plan: att-unlimited-starter }
  - topup: { as: boost, esim: alice, pln: att-boost-2gb }
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'esimlab-run-'));
  await mkdir(join(dir, 'suite'));
  await writeFile(join(dir, 'suite', 'mutant.yaml'), mutantWithoutFault);
  await writeFile(join(dir, 'suite', 'wrong-balance.yaml'), wrongBalance);
  await writeFile(join(dir, 'suite', 'passing.yaml'), passing);
  await mkdir(join(dir, 'bad'));
  await writeFile(join(dir, 'bad', 'typo.yaml'), badFile);
});

const readReport = (reports: string): RunReport =>
  JSON.parse(readFileSync(join(dir, reports, 'esimlab-report.json'), 'utf8')) as RunReport;

describe('esimlab run', () => {
  let first: { code: number; output: string };

  beforeAll(async () => {
    const { io, stdout, stderr } = capture({ cwd: dir });
    const code = await runCli(['run', 'suite', '--seed', '7', '--reports', 'r1', '--no-color'], io);
    first = { code, output: `${stdout()}\n${stderr()}` };
  }, 120_000);

  it('fails the run when a mutant scenario is not caught, naming the verdict', () => {
    expect(first.code).toBe(1);
    expect(first.output).toContain(
      'the checker reports nothing; the scenario expects exactly duplicate_charge',
    );
  });

  it('reports the failing step with its file and line, and how to replay it', () => {
    expect(first.output).toContain('suite/wrong-balance.yaml:13');
    expect(first.output).toContain('bob data remaining: expected 16000000000, got 15000000000');
    expect(first.output).toContain(
      "pnpm esimlab run suite/wrong-balance.yaml --grep '^a balance expectation that does not hold$' --seed 7",
    );
    expect(first.output).toMatch(/Scenarios: 1 passed, 2 failed, 3 total/);
  });

  it('writes JUnit XML with one testcase per scenario and a failure for each failed one', () => {
    const xml = readFileSync(join(dir, 'r1', 'junit.xml'), 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(2);
  });

  it('writes an HTML report that renders offline in Chromium with its chart', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(join(dir, 'r1', 'esimlab-report.html')).href);
      const text = await page.locator('body').textContent();
      expect(text).toContain('a balance expectation that does not hold');
      expect(text).toContain('one boost on verizon');
      expect(await page.locator('svg').count()).toBeGreaterThan(0);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('replays a failed scenario from its report with the same seed and the same failure', async () => {
    const { io, stdout } = capture({ cwd: dir });
    const code = await runCli(
      [
        'replay',
        'r1/esimlab-report.json',
        '--scenario',
        'a balance expectation that does not hold',
        '--reports',
        'r2',
      ],
      io,
    );
    expect(code).toBe(1);
    expect(stdout()).toContain('Replaying 1 scenario with seed 7');
    const [before] = readReport('r1').scenarios.filter((s) => s.name.startsWith('a balance'));
    const [after, ...others] = readReport('r2').scenarios;
    expect(others).toEqual([]);
    expect(after?.seed).toBe(before?.seed);
    expect(after?.failure?.message).toBe(before?.failure?.message);
    expect(after?.faults.map((f) => f.hits)).toEqual(before?.faults.map((f) => f.hits));
  }, 60_000);
});

describe('esimlab run --target', () => {
  it('runs scenarios against carriers that are already running', async () => {
    const carriers = await startCarriers({
      carriers: ['verizon'],
      ports: { verizon: 0 },
      store: 'memory',
      logLevel: 'warn',
      onLog: () => {},
    });
    try {
      const { io, stdout } = capture({ cwd: dir });
      const code = await runCli(
        [
          'run',
          'suite/passing.yaml',
          '--target',
          `verizon=${carriers.urls.verizon}`,
          '--reports',
          'r3',
        ],
        io,
      );
      expect(code, stdout()).toBe(0);
      expect(readReport('r3').target).toEqual({
        kind: 'remote',
        urls: { verizon: carriers.urls.verizon },
      });
    } finally {
      await carriers.stop();
    }
  }, 60_000);
});

describe('esimlab run, refusing bad input', () => {
  it('names the file, line and fix of a bad scenario, and runs nothing', async () => {
    const { io, stderr } = capture({ cwd: dir });
    expect(await runCli(['run', 'bad'], io)).toBe(2);
    expect(stderr()).toMatch(
      /bad\/typo\.yaml:6:\d+: steps\[1\]\.topup: unknown key "pln"; did you mean "plan"\?/,
    );
  });

  it('says when --grep matches no scenario', async () => {
    const { io, stderr } = capture({ cwd: dir });
    expect(await runCli(['run', 'suite', '--grep', 'nothing like this'], io)).toBe(2);
    expect(stderr()).toContain(
      'no scenario matches (3 found in suite and none matches --grep nothing like this)',
    );
  });

  it.each([
    [['--seed', 'abc'], '--seed must be an integer from 0 to 4294967295; got "abc"'],
    [['--jobs', '0'], '--jobs must be an integer from 1 to 32; got "0"'],
    [['--grep', '('], '--grep "(" is not a regular expression'],
    [['--bial'], 'unknown flag --bial; did you mean --bail?'],
  ])('refuses %j', async (flags, message) => {
    const { io, stderr } = capture({ cwd: dir });
    expect(await runCli(['run', 'suite', ...flags], io)).toBe(2);
    expect(stderr()).toContain(message);
  });

  it('says when a path does not exist', async () => {
    const { io, stderr } = capture({ cwd: dir });
    expect(await runCli(['run', 'no-such-dir'], io)).toBe(2);
    expect(stderr()).toContain('no-such-dir');
  });

  it('refuses a replay of a file that is not a report', async () => {
    const { io, stderr } = capture({ cwd: dir });
    expect(await runCli(['replay', 'suite/passing.yaml'], io)).toBe(2);
    expect(stderr()).toContain(
      'is not JSON; pass the esimlab-report.json an earlier esimlab run wrote',
    );
  });
});
