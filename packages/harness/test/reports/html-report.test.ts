import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHtmlReport } from '../../src/reports/html-report.ts';
import {
  failedScenario,
  hostileName,
  passedScenario,
  sampleReport,
  sampleTimeline,
} from './support/sample-report.ts';

const between = (text: string, open: string, close: string) => {
  const start = text.indexOf(open) + open.length;
  return text.slice(start, text.indexOf(close, start));
};

describe('toHtmlReport', () => {
  it('lists failed scenarios first, open, and passed ones closed', () => {
    const page = toHtmlReport(sampleReport([passedScenario(), failedScenario()]));
    const openings = [...page.matchAll(/<details class="scenario (\w+)"[^>]*>/g)].map((m) => m[0]);
    expect(openings).toHaveLength(2);
    expect(openings[0]).toMatch(/^<details class="scenario failed" .* open>$/);
    expect(openings[1]).toMatch(/^<details class="scenario passed" [^>]*data-status="passed">$/);
  });

  it('shows the summary in the header and the title', () => {
    const page = toHtmlReport(sampleReport());
    expect(page).toContain(
      '<p class="verdict failed" id="summary">Scenarios: 1 passed, 1 failed, 2 total (in 12.3 s)</p>',
    );
    expect(page).toContain('<title>esimlab: 1 failed, 2 scenarios</title>');
  });

  it('escapes every text from the report, so a hostile name stays text', () => {
    const page = toHtmlReport(
      sampleReport([failedScenario({ name: hostileName, file: '"><b>file' })]),
    );
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('"><b>');
    expect(page).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;',
    );
    expect(page.match(/<script/g)).toHaveLength(1);
  });

  it('loads nothing from anywhere: no src, href or url(), and a policy that forbids it', () => {
    const page = toHtmlReport(sampleReport());
    expect(page).not.toMatch(/<[a-z][^<>]*\s(src|href|srcset|action|xlink:href|poster)\s*=/i);
    expect(page).not.toMatch(/url\(|@import|https?:\/\//i);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none';`,
    );
  });

  it('allows exactly its own inline style and script, by hash', () => {
    const page = toHtmlReport(sampleReport());
    const hash = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;
    const policy = between(page, 'http-equiv="Content-Security-Policy" content="', '">');
    expect(policy).toContain(`style-src '${hash(between(page, '<style>', '</style>'))}'`);
    expect(policy).toContain(`script-src '${hash(between(page, '<script>', '</script>'))}'`);
  });

  it('draws one chart per eSIM, with one polyline per series and a point per sample', () => {
    const timeline = [...sampleTimeline('alice'), ...sampleTimeline('carol').slice(0, 2)];
    const page = toHtmlReport(sampleReport([passedScenario({ timeline })]));
    const charts = [
      ...page.matchAll(/<svg [^>]*data-esim="(\w+)" data-points="(\d+)">([\s\S]*?)<\/svg>/g),
    ];
    expect(charts.map((c) => [c[1], c[2]])).toEqual([
      ['alice', '4'],
      ['carol', '2'],
    ]);
    for (const [, , count, body] of charts) {
      for (const series of ['balance', 'captured']) {
        const points = new RegExp(`data-series="${series}" points="([^"]*)"`).exec(body ?? '')?.[1];
        expect(points?.split(' ')).toHaveLength(Number(count));
      }
    }
  });

  it('says "no balance samples" instead of drawing empty axes', () => {
    const page = toHtmlReport(sampleReport([passedScenario({ timeline: [] })]));
    expect(page).toContain('<p class="no-samples">no balance samples</p>');
    expect(page).not.toContain('<svg');
  });

  it('centres a single sample so it is still visible', () => {
    const [only] = sampleTimeline('alice');
    const page = toHtmlReport(sampleReport([passedScenario({ timeline: only ? [only] : [] })]));
    const points = /data-series="balance" points="([\d.]+),([\d.]+)"/.exec(page);
    // The plot spans x 60..572; a lone sample sits in its middle.
    expect(Number(points?.[1])).toBe(316);
    expect(page).toContain('<circle cx="316"');
  });

  it('renders a run without scenarios', () => {
    const page = toHtmlReport(sampleReport([]));
    expect(page).toContain('Scenarios: 0 passed, 0 failed, 0 total');
    expect(page).toContain('No scenario ran.');
  });
});
