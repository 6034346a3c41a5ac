// The stylesheet and script inlined into the HTML report. They are constants so the report can
// allow exactly them (by hash) in its Content-Security-Policy and nothing else.

export const reportStyle = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa;
  --line: #d1d9e0; --pass: #1a7f37; --fail: #cf222e; --balance: #0969da; --captured: #bc4c00; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
    --pass: #3fb950; --fail: #f85149; --balance: #4493f8; --captured: #f0883e; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header.run { padding: 20px 28px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.run h1 { margin: 0 0 4px; font-size: 20px; }
.verdict { font-size: 16px; font-weight: 600; margin: 0 0 8px; }
.verdict.failed { color: var(--fail); }
.verdict.passed { color: var(--pass); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; color: var(--muted); }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); cursor: pointer; }
main { padding: 16px 28px 40px; }
details.scenario { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 12px; background: var(--bg); }
details.scenario.failed { border-left: 4px solid var(--fail); }
details.scenario.passed { border-left: 4px solid var(--pass); }
details.scenario > summary { padding: 10px 14px; cursor: pointer; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
details.scenario[open] > summary { border-bottom: 1px solid var(--line); }
.badge { font-weight: 700; }
.failed .badge, .status-failed, .outcome-failed, .outcome-unknown { color: var(--fail); }
.passed .badge, .status-passed, .outcome-ok { color: var(--pass); }
.status-not-run { color: var(--muted); }
.scenario-name { font-weight: 600; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: 13px; }
.scenario-body { padding: 4px 14px 14px; }
.scenario-body h3 { font-size: 14px; margin: 16px 0 6px; }
.failure { padding: 8px 12px; border-radius: 6px; background: color-mix(in srgb, var(--fail) 10%, transparent); white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.summary-text { overflow-wrap: anywhere; }
pre { margin: 4px 0 0; padding: 8px; background: var(--panel); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.none { color: var(--muted); margin: 0; }
details.attempts > summary { cursor: pointer; color: var(--muted); }
ul.violations { margin: 4px 0; padding-left: 20px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 12px; }
figure.chart { margin: 0; }
figure.chart h4 { margin: 0 0 4px; font-size: 13px; }
figure.chart svg { width: 100%; height: auto; max-width: 640px; display: block; }
.grid line { stroke: var(--line); stroke-width: 1; }
.axis text { fill: var(--muted); font-size: 11px; }
.axis-title { font-size: 11px; }
.series { fill: none; stroke-width: 2; }
.series-balance { stroke: var(--balance); }
.series-captured { stroke: var(--captured); stroke-dasharray: 6 3; }
.markers-balance circle { fill: var(--balance); }
.markers-captured rect { fill: var(--captured); }
.legend { display: flex; gap: 16px; font-size: 12px; color: var(--muted); flex-wrap: wrap; }
.key::before { content: ""; display: inline-block; width: 18px; height: 0; margin-right: 6px; vertical-align: middle; border-top: 2px solid; }
.key-balance::before { border-color: var(--balance); }
.key-captured::before { border-color: var(--captured); border-top-style: dashed; }
.no-samples { color: var(--muted); font-style: italic; margin: 0; }
body.only-failed details.scenario.passed { display: none; }
footer { padding: 0 28px 24px; color: var(--muted); font-size: 12px; }
`;

export const reportScript = `
(function () {
  var scenarios = function () { return document.querySelectorAll('details.scenario'); };
  document.querySelectorAll('[data-action]').forEach(function (button) {
    button.addEventListener('click', function () {
      var open = button.getAttribute('data-action') === 'expand';
      scenarios().forEach(function (d) { d.open = open; });
    });
  });
  var onlyFailed = document.getElementById('only-failed');
  if (onlyFailed) {
    onlyFailed.addEventListener('change', function () {
      document.body.classList.toggle('only-failed', onlyFailed.checked);
    });
  }
})();
`;
