import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toHtmlReport } from '../../src/reports/html-report.ts';
import { toJUnitXml } from '../../src/reports/junit-report.ts';
import { writeReports } from '../../src/reports/write-reports.ts';
import { sampleReport } from './support/sample-report.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'esimlab-reports-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('creates the folder and writes the JUnit, JSON and HTML reports into it', async () => {
    const report = sampleReport();
    const target = join(dir, 'nested', 'reports');

    const paths = await writeReports(report, target);

    expect(paths).toEqual({
      junit: join(target, 'junit.xml'),
      json: join(target, 'esimlab-report.json'),
      html: join(target, 'esimlab-report.html'),
    });
    await expect(readFile(paths.junit, 'utf8')).resolves.toBe(toJUnitXml(report));
    await expect(readFile(paths.html, 'utf8')).resolves.toBe(toHtmlReport(report));
    const json = await readFile(paths.json, 'utf8');
    expect(JSON.parse(json)).toEqual(report);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('replaces the reports of an earlier run', async () => {
    await writeReports(sampleReport(), dir);
    const paths = await writeReports(sampleReport([]), dir);
    expect(JSON.parse(await readFile(paths.json, 'utf8')).summary).toEqual({
      total: 0,
      passed: 0,
      failed: 0,
    });
  });
});
