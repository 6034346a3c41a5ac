import type { TimelinePoint } from '../run-report.ts';
import { html, type SafeHtml } from './html-template.ts';
import { formatDollars, formatDuration, formatGigabytes } from './report-format.ts';

const width = 640;
const height = 240;
const margin = { top: 16, right: 68, bottom: 40, left: 60 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
const tickCount = 4;

/**
 * One eSIM's data balance (GB, left axis) and cumulative captured charges ($, right axis) over
 * the scenario's wall time, as inline SVG. Every sample is a marker with a tooltip, so one
 * sample still shows; with none the chart says so instead of drawing empty axes.
 */
export function balanceChart(esim: string, points: readonly TimelinePoint[], id: string): SafeHtml {
  if (points.length === 0) return html`<p class="no-samples">no balance samples</p>`;

  const first = points[0]?.atMs ?? 0;
  const last = points[points.length - 1]?.atMs ?? first;
  // A single sample (or samples at one instant) sits in the middle of a one-second window.
  const [x0, x1] = last > first ? [first, last] : [first - 500, first + 500];
  const gbMax = niceCeiling(Math.max(...points.map((p) => p.dataRemainingBytes / 1e9)));
  const usdMax = niceCeiling(Math.max(...points.map((p) => p.capturedMinor / 100)));

  const x = (atMs: number) => margin.left + ((atMs - x0) / (x1 - x0)) * plotWidth;
  const yGb = (bytes: number) => margin.top + plotHeight - (bytes / 1e9 / gbMax) * plotHeight;
  const yUsd = (minor: number) => margin.top + plotHeight - (minor / 100 / usdMax) * plotHeight;
  const coords = (y: (p: TimelinePoint) => number) =>
    points.map((p) => `${round(x(p.atMs))},${round(y(p))}`).join(' ');

  const ticks = Array.from({ length: tickCount + 1 }, (_, i) => i / tickCount);
  const bottom = margin.top + plotHeight;
  const right = margin.left + plotWidth;
  const tip = (p: TimelinePoint) =>
    `${formatDuration(p.atMs)} after start · carrier clock ${p.clock}\n${formatGigabytes(p.dataRemainingBytes)} left · ${formatDollars(p.capturedMinor)} captured · ${p.charges} charge${p.charges === 1 ? '' : 's'}`;

  return html`<figure class="chart">
<svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title" data-esim="${esim}" data-points="${points.length}">
<title id="${id}-title">Data balance and captured charges of ${esim}</title>
<g class="grid">${ticks.map((t) => {
    const y = round(bottom - t * plotHeight);
    return html`<line x1="${margin.left}" x2="${right}" y1="${y}" y2="${y}"></line>`;
  })}</g>
<g class="axis axis-balance">${ticks.map(
    (t) =>
      html`<text x="${margin.left - 6}" y="${round(bottom - t * plotHeight + 4)}" text-anchor="end">${trim(t * gbMax)}</text>`,
  )}<text class="axis-title" x="14" y="${margin.top + plotHeight / 2}" transform="rotate(-90 14 ${margin.top + plotHeight / 2})" text-anchor="middle">GB left</text></g>
<g class="axis axis-captured">${ticks.map(
    (t) =>
      html`<text x="${right + 6}" y="${round(bottom - t * plotHeight + 4)}">$${trim(t * usdMax)}</text>`,
  )}<text class="axis-title" x="${width - 12}" y="${margin.top + plotHeight / 2}" transform="rotate(90 ${width - 12} ${margin.top + plotHeight / 2})" text-anchor="middle">$ captured</text></g>
<g class="axis axis-time"><text x="${margin.left}" y="${bottom + 16}">${formatDuration(Math.max(x0, 0))}</text><text x="${right}" y="${bottom + 16}" text-anchor="end">${formatDuration(x1)}</text><text class="axis-title" x="${margin.left + plotWidth / 2}" y="${bottom + 32}" text-anchor="middle">time since the scenario started</text></g>
<polyline class="series series-balance" data-series="balance" points="${coords((p) => yGb(p.dataRemainingBytes))}"></polyline>
<polyline class="series series-captured" data-series="captured" points="${coords((p) => yUsd(p.capturedMinor))}"></polyline>
<g class="markers markers-balance">${points.map(
    (p) =>
      html`<circle cx="${round(x(p.atMs))}" cy="${round(yGb(p.dataRemainingBytes))}" r="3.5"><title>${tip(p)}</title></circle>`,
  )}</g>
<g class="markers markers-captured">${points.map(
    (p) =>
      html`<rect x="${round(x(p.atMs) - 3)}" y="${round(yUsd(p.capturedMinor) - 3)}" width="6" height="6"><title>${tip(p)}</title></rect>`,
  )}</g>
</svg>
<figcaption class="legend"><span class="key key-balance">Data balance (GB, left)</span><span class="key key-captured">Captured charges ($, right)</span><span class="key-note">${points.length} sample${points.length === 1 ? '' : 's'}</span></figcaption>
</figure>`;
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value`, so axis labels are round; 1 for nothing. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= value * (1 - 1e-9)) ?? 10;
  return step * magnitude;
}

const round = (n: number) => Math.round(n * 10) / 10;
const trim = (n: number) => String(Math.round(n * 100) / 100);
