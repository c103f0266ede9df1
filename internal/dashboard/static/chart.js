// A small inline SVG chart of one API's traffic over the last minutes:
// one stacked bar per step (answers below 400, 4xx, 5xx and faults) and the
// p99 latency as a line on a scale of its own. Drawn into the same <svg>
// each time; it holds nothing focusable.

import { svg, fmtClock, fmtMs } from './dom.js';

const W = 4; // width of one step in the view box
const H = 60;

/**
 * Draws series (metrics.TrafficSeries: requests, 4xx, 5xx, 429, faults,
 * p50Ms, p99Ms, one value per step) into the <svg> node, the first step
 * beginning at start, each stepSeconds long. Returns the totals drawn and
 * the seconds the chart spans.
 */
export function drawChart(node, full, start, stepSeconds) {
  // Shown: the steps since the first with traffic, at least two minutes'
  // worth, so that the first requests are not a sliver at the right edge.
  const all = full.requests.length;
  const firstBusy = full.requests.findIndex((v) => v > 0);
  const minSteps = Math.min(all, Math.ceil(120 / stepSeconds));
  const n = firstBusy < 0 ? all : Math.max(minSteps, all - firstBusy);
  const from = all - n;
  const series = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, v.slice(from)]));
  start = new Date(new Date(start).getTime() + from * stepSeconds * 1000).toISOString();
  const peak = Math.max(1, ...series.requests);
  const p99peak = Math.max(0, ...series.p99Ms);
  node.setAttribute('viewBox', `0 0 ${n * W} ${H}`);
  node.setAttribute('preserveAspectRatio', 'none');
  const t0 = new Date(start).getTime();
  const kids = [svg('line', { class: 'axis', x1: 0, y1: H - 0.5, x2: n * W, y2: H - 0.5 })];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const req = series.requests[i];
    total += req;
    if (!req) continue;
    const bad = series['5xx'][i] + series.faults[i];
    const warn = series['4xx'][i];
    const ok = req - bad - warn;
    const x = i * W + 0.5;
    const h = (v) => (v / peak) * (H - 4);
    let y = H;
    const parts = [];
    for (const [v, cls] of [[ok, 'ok'], [warn, 'warn'], [bad, 'bad']]) {
      if (v <= 0) continue;
      y -= h(v);
      parts.push(svg('rect', { class: cls, x, y, width: W - 1, height: h(v) }));
    }
    const at = fmtClock(new Date(t0 + i * stepSeconds * 1000).toISOString(), false);
    const tip = `${at} (+${stepSeconds} s): ${req} request${req === 1 ? '' : 's'}, ${warn} 4xx (${series['429'][i]} 429), ` +
      `${series['5xx'][i]} 5xx${series.faults[i] ? `, ${series.faults[i]} faults` : ''}; p50 ${fmtMs(series.p50Ms[i])}, p99 ${fmtMs(series.p99Ms[i])}`;
    kids.push(svg('g', { class: 'bar', 'data-step': i, 'data-requests': req }, svg('title', {}, tip), parts));
  }
  if (p99peak > 0) {
    const pts = [];
    for (let i = 0; i < n; i++) {
      if (!series.requests[i]) continue;
      pts.push(`${i * W + W / 2},${(H - 2 - (series.p99Ms[i] / p99peak) * (H - 8)).toFixed(1)}`);
    }
    if (pts.length > 1) kids.push(svg('polyline', { class: 'p99', points: pts.join(' '), 'vector-effect': 'non-scaling-stroke' }));
  }
  node.replaceChildren(...kids);
  node.dataset.requests = String(total);
  return { total, peak, p99peak, seconds: n * stepSeconds };
}
