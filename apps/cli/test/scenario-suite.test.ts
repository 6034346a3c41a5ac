import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunReport } from '@esimlab/harness';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.ts';
import { capture } from './support/cli-run.ts';

// The repository's own suite, run as a user runs it: `esimlab run scenarios/`.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const scenariosDir = join(repoRoot, 'scenarios');
const scenarioFiles = readdirSync(scenariosDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.yaml'))
  .sort();

// A fixed seed keeps CI reproducible; `esimlab run` without --seed explores others.
const SEED = 20261126;

describe('esimlab run scenarios/', () => {
  let report: RunReport;
  let exitCode: number;
  let output: string;

  beforeAll(async () => {
    const reports = await mkdtemp(join(tmpdir(), 'esimlab-suite-'));
    const { io, stdout, stderr } = capture({ cwd: repoRoot });
    exitCode = await runCli(
      ['run', 'scenarios', '--seed', String(SEED), '--reports', reports, '--no-color'],
      io,
    );
    output = `${stdout()}\n${stderr()}`;
    report = JSON.parse(readFileSync(join(reports, 'esimlab-report.json'), 'utf8')) as RunReport;
  }, 300_000);

  it('holds at least 45 scenarios, and runs every one', () => {
    expect(scenarioFiles.length).toBeGreaterThanOrEqual(45);
    expect(report.scenarios.map((s) => s.file).sort()).toEqual(
      scenarioFiles.map((f) => relative(repoRoot, join(scenariosDir, f))),
    );
  });

  it.each(scenarioFiles)('passes %s', (file) => {
    const result = report.scenarios.find(
      (s) => s.file === relative(repoRoot, join(scenariosDir, file)),
    );
    expect(result, `no result for ${file}`).toBeDefined();
    expect(result?.failure?.message ?? 'passed', result?.replay).toBe('passed');
  });

  it('exits 0 and prints the summary', () => {
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/Scenarios: \d+ passed, 0 failed, \d+ total/);
  });

  it('has a mutant scenario for each broken client, and each is caught with exactly its violation', () => {
    const mutants = report.scenarios.filter((s) => s.checker.expected !== 'clean');
    const used = new Set(
      mutants
        .flatMap((s) => s.intents.map((i) => i.strategy))
        .filter((s) => s.startsWith('mutant:')),
    );
    expect([...used].sort()).toEqual([
      'mutant:fresh-key-retry',
      'mutant:reference-blind-retry',
      'mutant:timeout-buys-again',
    ]);
    expect(mutants.flatMap((s) => s.checker.expected)).toContain('event_applied_twice');
    for (const mutant of mutants) {
      expect([...new Set(mutant.checker.reported.map((v) => v.kind))].sort()).toEqual(
        mutant.checker.expected,
      );
    }
  });
});
