import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/reports/write-reports.ts';
import {
  failedScenario,
  hostileName,
  passedScenario,
  sampleReport,
  sampleTimeline,
} from './support/sample-report.ts';

// The package compiles without DOM types; these describe just what the checks below use of
// the page's globals, and are declared in this module only.
interface PageElement {
  readonly open: boolean;
  readonly textContent: string | null;
  readonly points: { readonly numberOfItems: number };
  getAttribute(name: string): string | null;
}
interface PageDocument {
  readonly scripts: { readonly length: number };
  readonly images: { readonly length: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}
declare const document: PageDocument;
declare const DOMParser: new () => {
  parseFromString(source: string, type: string): PageDocument;
};

// Chromium is a system package here (Debian's `chromium`), never a download at test time.
// A missing browser fails the suite rather than skipping it: a skipped check proves nothing.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotPath = fileURLToPath(new URL('../../reports/html-report.png', import.meta.url));

const report = sampleReport([
  passedScenario({
    timeline: [...sampleTimeline('alice'), ...sampleTimeline('carol').slice(0, 3)],
  }),
  failedScenario(),
]);

let browser: Browser;
let page: Page;
let dir: string;
let written: { junit: string; json: string; html: string };
const consoleErrors: string[] = [];
const pageErrors: string[] = [];
const foreignRequests: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  await access(executablePath, constants.X_OK).catch(() => {
    throw new Error(
      `Chromium is needed to test the HTML report but is not at ${executablePath}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  });
  dir = await mkdtemp(join(tmpdir(), 'esimlab-html-'));
  written = await writeReports(report, join(dir, 'out'));
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const fileUrl = pathToFileURL(written.html).href;
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    if (request.url() !== fileUrl) foreignRequests.push(request.url());
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(fileUrl, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the HTML report in Chromium', () => {
  it('opens from disk without a console error and without a single network request', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it('shows the summary in the header', async () => {
    await expect(page.locator('#summary').textContent()).resolves.toBe(
      'Scenarios: 1 passed, 1 failed, 2 total (in 12.3 s)',
    );
  });

  it('shows the failed scenario first and expanded, the passed one collapsed', async () => {
    const states = await page.$$eval('details.scenario', (all) =>
      all.map((d) => ({
        status: d.getAttribute('data-status'),
        open: (d as PageElement).open,
      })),
    );
    expect(states).toEqual([
      { status: 'failed', open: true },
      { status: 'passed', open: false },
    ]);
    await expect(page.locator('details.scenario.failed .failure').isVisible()).resolves.toBe(true);
  });

  it('shows hostile names as text without injecting any element or running any script', async () => {
    const names = await page.$$eval('.scenario-name', (all) => all.map((n) => n.textContent));
    expect(names).toContain(hostileName);
    const injected = await page.evaluate(() => ({
      scripts: document.scripts.length,
      images: document.images.length,
      bold: document.querySelectorAll('main b').length,
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    }));
    expect(injected).toEqual({ scripts: 1, images: 0, bold: 0, handlers: 0 });
    expect(dialogs).toEqual([]);
  });

  it('draws a balance chart per eSIM with one polyline per series and a point per sample', async () => {
    const charts = await page.$$eval('figure.chart svg', (svgs) =>
      svgs.map((svg) => ({
        esim: svg.getAttribute('data-esim'),
        series: [...svg.querySelectorAll('polyline')].map((line) => ({
          name: line.getAttribute('data-series'),
          points: (line as PageElement).points.numberOfItems,
        })),
        legend: svg.closest('figure')?.querySelector('figcaption')?.textContent,
      })),
    );
    const expected = (esim: string, points: number) => ({
      esim,
      series: [
        { name: 'balance', points },
        { name: 'captured', points },
      ],
      legend: `Data balance (GB, left)Captured charges ($, right)${points} sample${points === 1 ? '' : 's'}`,
    });
    // Failed scenario first: bob has one sample; then alice (4) and carol (3).
    expect(charts).toEqual([expected('bob', 1), expected('alice', 4), expected('carol', 3)]);
  });

  it('expands, collapses and filters scenarios with its buttons', async () => {
    await page.click('button[data-action="expand"]');
    expect(
      await page.$$eval('details.scenario', (all) => all.map((d) => (d as PageElement).open)),
    ).toEqual([true, true]);
    await page.click('button[data-action="collapse"]');
    expect(
      await page.$$eval('details.scenario', (all) => all.map((d) => (d as PageElement).open)),
    ).toEqual([false, false]);
    await page.check('#only-failed');
    await expect(page.locator('details.scenario.passed').isVisible()).resolves.toBe(false);
    await expect(page.locator('details.scenario.failed').isVisible()).resolves.toBe(true);
    await page.uncheck('#only-failed');
    await page.click('button[data-action="expand"]');
  });

  it('writes a JUnit file that a real XML parser reads back, hostile names intact', async () => {
    const xml = await readFile(written.junit, 'utf8');
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        names: [...doc.querySelectorAll('testcase')].map((t) => t.getAttribute('name')),
        failures: doc.querySelectorAll('testcase > failure').length,
      };
    }, xml);
    expect(parsed).toEqual({
      error: null,
      names: ['att top-up survives a lost response', hostileName],
      failures: 1,
    });
  });

  it('writes the JSON report as the report itself', async () => {
    expect(JSON.parse(await readFile(written.json, 'utf8'))).toEqual(report);
  });

  it('takes a screenshot for people to look at', async () => {
    await mkdir(join(screenshotPath, '..'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    await expect(access(screenshotPath)).resolves.toBeUndefined();
  });
});
