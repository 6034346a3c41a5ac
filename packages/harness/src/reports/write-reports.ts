import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toHtmlReport } from './html-report.ts';
import { toJUnitXml } from './junit-report.ts';
import type { RunReport } from './run-report.ts';

/** Where `writeReports` put each report. */
export interface WrittenReports {
  readonly junit: string;
  readonly json: string;
  readonly html: string;
}

/**
 * Writes `junit.xml`, `esimlab-report.json` and `esimlab-report.html` into `dir` (created if
 * missing, default `reports`) and returns their paths. Existing files are replaced.
 */
export async function writeReports(report: RunReport, dir = 'reports'): Promise<WrittenReports> {
  await mkdir(dir, { recursive: true });
  const paths = {
    junit: join(dir, 'junit.xml'),
    json: join(dir, 'esimlab-report.json'),
    html: join(dir, 'esimlab-report.html'),
  };
  await Promise.all([
    writeFile(paths.junit, toJUnitXml(report)),
    writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`),
    writeFile(paths.html, toHtmlReport(report)),
  ]);
  return paths;
}
