// The sweep report: one self-contained HTML file (no server, no network: every chart is inline SVG,
// the table's sorting a few lines of inline script). Charts are Vega-Lite specifications compiled by
// vega-lite and rendered to SVG by Vega's headless view in Node (api/sweepCharts.ts).

import * as vega from 'vega';
import { compile } from 'vega-lite';
import { VERSION } from '../core/version.js';
import type { SweepPoint, SweepReport } from './sweep.js';
import { sweepCharts, type Chart } from './sweepCharts.js';
import { areaFigure, TARGET_FACTS } from './sweepTargets.js';
import { num, winners } from './sweepWinners.js';

const esc = (s: unknown): string => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (v: number | undefined): string => (v === undefined ? '' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);

const CONFIG = { font: 'sans-serif', axis: { labelFontSize: 11, titleFontSize: 11 }, legend: { labelFontSize: 11, titleFontSize: 11 }, view: { stroke: '#ddd' } };

/** A chart as SVG; every id made unique to the chart so many charts can share one page. */
export async function chartSvg(c: Chart): Promise<string> {
  // Vega's warnings (to the console) would interleave with the command's output: the specs are ours, tested.
  const quiet = vega.logger(vega.None);
  const vl = compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, ...c.spec } as never, { logger: quiet }).spec;
  const view = new vega.View(vega.parse(vl), { renderer: 'none', logger: quiet });
  const svg = await view.toSVG();
  view.finalize();
  return svg.replace(/id="([^"]+)"/g, `id="${c.id}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${c.id}-$1)`);
}

/** The table of every point: family, parameters, figures per target (measured, estimate, error), reproduce command. */
function pointTable(r: SweepReport): string {
  const params = [...new Set(r.points.flatMap((p) => Object.keys(p.grid)))];
  const cols: { head: string; cell: (p: SweepPoint) => string; numeric?: boolean }[] = [
    { head: 'point', cell: (p) => esc(p.name) },
    { head: 'family', cell: (p) => esc(p.family) },
    { head: 'status', cell: (p) => esc(p.status + (p.verified === false ? ' (cosim failed)' : '')) },
    ...params.map((k) => ({ head: k, cell: (p: SweepPoint) => esc(p.params[k] ?? ''), numeric: true })),
    { head: 'MACs/cycle', cell: (p) => num(p.macsPerCycle), numeric: true },
  ];
  for (const t of r.sweep.targets) {
    const f = areaFigure(t);
    if (!r.sweep.estimateOnly) cols.push({ head: `${t} ${f.unit}`, cell: (p) => num(p.targets[t]?.measured[f.metric]), numeric: true });
    cols.push({ head: `${t} ${f.unit} (estimate)`, cell: (p) => num(p.targets[t]?.estimate[f.metric]), numeric: true });
    if (!r.sweep.estimateOnly) {
      cols.push({ head: `${t} error`, cell: (p) => pct(p.targets[t]?.error[f.metric]), numeric: true });
      if (TARGET_FACTS[t].throughput) cols.push({ head: `${t} ${TARGET_FACTS[t].throughput!.unit}`, cell: (p) => num(p.targets[t]?.throughput), numeric: true });
    }
    cols.push({ head: `${t} front`, cell: (p) => (p.targets[t]?.pareto ? 'yes' : '') });
  }
  if (r.points.some((p) => p.power)) cols.push({ head: 'pJ/MAC', cell: (p) => num(p.power?.energyPerMac), numeric: true });
  cols.push({ head: 'reproduce', cell: (p) => (p.reproduce.length ? `<code>${p.reproduce.map(esc).join('<br>')}</code>` : `<code>lowbit estimate ${esc(p.family)} ${Object.entries(p.grid).map(([k, v]) => `--${k.replace(/_/g, '-')} ${esc(v)}`).join(' ')}</code>`) });
  const head = cols.map((c, i) => `<th data-col="${i}"${c.numeric ? ' data-numeric="1"' : ''}>${esc(c.head)}</th>`).join('');
  const body = r.points.map((p) => `<tr class="${p.status}">${cols.map((c) => `<td>${c.cell(p)}</td>`).join('')}</tr>`).join('\n');
  return `<table id="points" class="sortable"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `body{font-family:sans-serif;margin:24px;color:#222;max-width:1600px}h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
figure{display:inline-block;margin:8px 16px 16px 0;vertical-align:top}figcaption{font-size:12px;color:#555;max-width:480px}figcaption b{color:#222;display:block;font-size:13px}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f4f4f4;cursor:pointer;user-select:none}
th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}tr.failed,tr.error{background:#fdd}tr.estimated{color:#555}code{font-size:11px;word-break:break-all}.meta{color:#555;font-size:13px}`;

/** Sorting by a column header: numbers as numbers, empty cells last. */
const SCRIPT = `document.querySelectorAll('table.sortable th').forEach(function(th){th.addEventListener('click',function(){
var t=th.closest('table'),b=t.tBodies[0],i=+th.dataset.col,n=th.dataset.numeric,asc=!th.classList.contains('asc');
t.querySelectorAll('th').forEach(function(h){h.classList.remove('asc','desc')});th.classList.add(asc?'asc':'desc');
var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i].textContent;
if(a===''||c==='')return a===''?(c===''?0:1):-1;var r=n?parseFloat(a)-parseFloat(c):a.localeCompare(c);return asc?r:-r});
rows.forEach(function(r){b.appendChild(r)})})});`;

const SECTIONS: { id: Chart['section']; title: string }[] = [
  { id: 'pareto', title: 'Pareto fronts' },
  { id: 'crossover', title: 'Crossover: where the table (LUT) pays' },
  { id: 'metrics', title: 'Figures per MAC against each swept parameter' },
  { id: 'estimate', title: 'Estimate against synthesis' },
];

/** The whole report as one HTML document. */
export async function sweepHtml(r: SweepReport): Promise<string> {
  const charts = sweepCharts(r);
  const svgs = await Promise.all(charts.map(chartSvg));
  const figure = (c: Chart, i: number) =>
    `<figure data-chart="${esc(c.id)}" data-marks="${c.marks}" data-mark-kind="${c.markKind}"><figcaption><b>${esc(c.title)}</b>${esc(c.caption)}</figcaption>${svgs[i]}</figure>`;
  const sections = SECTIONS.map((s) => {
    const mine = charts.map((c, i) => ({ c, i })).filter(({ c }) => c.section === s.id);
    return mine.length ? `<h2 id="${s.id}">${esc(s.title)}</h2>\n${mine.map(({ c, i }) => figure(c, i)).join('\n')}` : '';
  });
  const w = winners(r);
  const c = r.counts;
  const failed = r.points.filter((p) => p.status === 'failed' || p.status === 'error');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>lowbit sweep ${esc(r.sweep.name)}</title><style>${STYLE}</style></head>
<body>
<h1>lowbit sweep: ${esc(r.sweep.name)}</h1>
<p class="meta">${esc(r.sweep.families.join(', '))} over ${Object.entries(r.sweep.grid).map(([k, v]) => `${esc(k)} = ${esc(v.join(', '))}`).join('; ')}${Object.keys(r.sweep.params).length ? `; fixed ${Object.entries(r.sweep.params).map(([k, v]) => `${esc(k)} = ${esc(v)}`).join(', ')}` : ''}; targets ${esc(r.sweep.targets.join(', '))}.<br>
${c.points} point(s): ${c.measured} measured, ${c.estimated} estimated only, ${c.failed} failed, ${c.errors} error(s); ${c.skipped} grid point(s) skipped by the families' rules.
${r.sweep.estimateOnly ? 'Estimates only (lowbit estimate\'s cost model, no synthesis).' : `Every measured point passed a ${r.sweep.vectors}-vector co-simulation (${r.sweep.sim === 'auto' ? 'Icarus up to 32 lanes, Verilator above' : esc(r.sweep.sim)}) against its golden model.`}<br>
lowbit ${esc(VERSION)}, ${esc(r.startedAt)}${r.run ? `, run record ${esc(r.run.record)}` : ''}.</p>
${r.notes.length ? `<ul class="meta">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<h2 id="winners">Winners per target</h2>
<table id="winners-table"><thead><tr><th>target</th><th>what</th><th>point</th><th>value</th></tr></thead><tbody>
${w.map((x) => `<tr><td>${esc(x.target)}</td><td>${esc(x.what)}</td><td>${esc(x.point)}</td><td>${esc(x.value)}</td></tr>`).join('\n')}
</tbody></table>
${failed.length ? `<h2 id="failed">Points that failed</h2><ul>${failed.map((p) => `<li>${esc(p.name)}: ${esc(p.cosim?.message ?? Object.values(p.targets).find((t) => t?.note)?.note ?? p.status)}${p.cosim?.replay ? `<br><code>${esc(p.cosim.replay)}</code>` : ''}</li>`).join('')}</ul>` : ''}
${sections.join('\n')}
<h2 id="table">Every point</h2>
<p class="meta">Click a column to sort. Figures are per MAC per cycle; errors are (estimate - synthesis) / synthesis.</p>
${pointTable(r)}
${r.skipped.length ? `<h2 id="skipped">Skipped grid points</h2><ul class="meta">${r.skipped.map((s) => `<li>${esc(s.name)}: ${esc(s.reason)}</li>`).join('')}</ul>` : ''}
<script>${SCRIPT}</script>
</body></html>
`;
}
