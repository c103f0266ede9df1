// One card per API: live counters and a chart from GET /traffic, a compact
// scenario selector (the sticky scenario, PUT/DELETE /apis/{api}/scenario),
// record counts and the operations. Cards are built once; updates patch
// their text and redraw only the chart's SVG, so focus and scroll stay.

import { el, svg, call, enc, fmtInt, fmtMs, patchText, toast } from './dom.js';
import { drawChart } from './chart.js';

const cards = new Map(); // API name → card parts

const STATS = [
  ['requests', 'requests'], ['4xx', '4xx'], ['5xx', '5xx'], ['429', '429'], ['p50Ms', 'p50'], ['p99Ms', 'p99'],
];

/**
 * Builds the cards (again only when the set of APIs changed). apis: GET
 * /apis; scenarios: GET /scenarios; onBrowse(api, collection) opens records.
 */
export function renderAPIs(apis, scenarios, onBrowse) {
  const box = document.getElementById('apis');
  const names = apis.map((a) => a.name).join('\n');
  if (box.dataset.names === names) {
    updateAPIs(apis, scenarios);
    return;
  }
  box.dataset.names = names;
  cards.clear();
  box.replaceChildren(...apis.map((a) => card(a, scenarios.filter((s) => s.api === a.name), onBrowse)));
  updateAPIs(apis, scenarios);
}

function card(a, scens, onBrowse) {
  const stats = {};
  const statEls = STATS.map(([key, label]) => {
    const v = el('span', { class: 'v' }, '0');
    stats[key] = v;
    return el('div', { class: `stat stat-${label}`, 'data-stat': label }, v, el('span', { class: 'k' }, label));
  });
  const chart = svg('svg', { class: 'chart', role: 'img', 'aria-label': `${a.name}: requests per 5 seconds over the last 10 minutes` });
  const caption = el('figcaption', { class: 'muted' }, 'last 10 minutes');
  const since = el('span', {}, '−10 min');
  const axis = el('div', { class: 'chart-axis muted', 'aria-hidden': 'true' }, since, el('span', {}, 'now'));
  const select = el('select', { 'data-role': 'scenario', 'aria-label': `sticky scenario of ${a.name}` },
    el('option', { value: '' }, 'none: normal answers'),
    scens.map((s) => el('option', { value: s.name }, s.name)));
  const sticky = el('span', { class: 'pill bad', hidden: true });
  const desc = el('p', { class: 'scenario-desc' });
  const counts = el('div', { class: 'counts' });
  const errorLine = el('p', { class: 'err', hidden: true });
  const ops = (a.operations && a.operations.length ? a.operations : a.paths);
  const parts = { a, scens, stats, chart, caption, since, select, sticky, desc, counts, errorLine, links: new Map(), onBrowse };
  select.addEventListener('change', () => setSticky(parts, select.value));
  const node = el('article', { class: 'api', 'data-api': a.name },
    el('header', { class: 'api-head' },
      el('h3', {}, a.name), el('span', { class: 'title' }, a.title || ''),
      a.protocols.map((p) => el('span', { class: 'pill' }, p)),
      a.rateLimit ? el('span', { class: 'pill', title: 'rate limit per token' }, `${a.rateLimit.limit} req / ${a.rateLimit.window}`) : null),
    el('div', { class: 'stats', title: 'since the mock started' }, statEls),
    el('figure', { class: 'chart-box' }, chart, axis, caption),
    el('div', { class: 'scenario-pick' },
      el('label', {}, 'Scenario ', select), sticky,
      el('span', { class: 'muted' }, `${scens.length} available`)),
    desc, errorLine, counts,
    el('details', { class: 'ops' }, el('summary', {}, `${ops.length} operation${ops.length === 1 ? '' : 's'}`),
      el('div', { class: 'paths' }, ops.map((o) => {
        const p = o.split(' ');
        return el('div', { class: 'op' }, el('span', {}, p.slice(0, 2).join(' ')), p[2] ? el('span', { class: 'opid' }, p[2]) : null);
      }))));
  cards.set(a.name, parts);
  return node;
}

/** Patches sticky scenarios and record counts from GET /apis (+collections). */
export function updateAPIs(apis) {
  for (const a of apis) {
    const c = cards.get(a.name);
    if (!c) continue;
    c.a = a;
    showSticky(c, a.scenario || '');
    if (a.collections !== undefined) showCounts(c, a.collections);
  }
}

function showSticky(c, name) {
  // Never change a selector the user is on.
  if (document.activeElement !== c.select && c.select.value !== name) c.select.value = name;
  c.sticky.hidden = !name;
  c.sticky.dataset.sticky = name;
  if (name) patchText(c.sticky, `sticky: ${name}`);
  else delete c.sticky.dataset.sticky;
  const s = c.scens.find((x) => x.name === (document.activeElement === c.select ? c.select.value : name));
  const text = s ? s.description : 'Normal answers. A request can still ask for a scenario with X-Standin-Scenario.';
  patchText(c.desc, s && s.source ? `${text} (${s.source})` : text);
  c.desc.classList.toggle('muted', !s);
}

async function setSticky(c, name) {
  const api = c.a.name;
  c.errorLine.hidden = true;
  try {
    if (name) await call('PUT', `/apis/${enc(api)}/scenario`, { name });
    else await call('DELETE', `/apis/${enc(api)}/scenario`);
    c.a.scenario = name;
    showSticky(c, name);
    toast(name ? `${api}: ${name} is sticky` : `${api}: scenario cleared`, 'ok');
  } catch (err) {
    c.errorLine.hidden = false;
    c.errorLine.textContent = err.message;
    c.select.value = c.a.scenario || '';
    showSticky(c, c.a.scenario || '');
  }
}

function showCounts(c, cols) {
  if (!Array.isArray(cols)) {
    patchText(c.counts, cols.error);
    c.counts.classList.add('muted');
    return;
  }
  if (c.links.size !== cols.length) {
    c.links.clear();
    c.counts.replaceChildren('Records: ', ...cols.map((col) => {
      const link = el('button', {
        class: 'link', 'data-collection': `${c.a.name}/${col.name}`, title: `browse ${c.a.name} ${col.name}`,
        onclick: () => c.onBrowse(c.a.name, col.name),
      });
      c.links.set(col.name, link);
      return link;
    }));
  }
  for (const col of cols) {
    const link = c.links.get(col.name);
    if (link) patchText(link, `${col.name} ${fmtInt(col.count)}`);
  }
}

/** Patches the counters and redraws the charts from GET /traffic. */
export function updateTraffic(rep) {
  for (const t of rep.apis) {
    const c = cards.get(t.api);
    if (!c) continue;
    const tot = t.total;
    patchText(c.stats.requests, fmtInt(tot.requests));
    patchText(c.stats['4xx'], fmtInt(tot['4xx']));
    patchText(c.stats['5xx'], fmtInt(tot['5xx'] + tot.faults));
    patchText(c.stats['429'], fmtInt(tot['429']));
    patchText(c.stats.p50Ms, tot.requests ? fmtMs(tot.p50Ms) : '—');
    patchText(c.stats.p99Ms, tot.requests ? fmtMs(tot.p99Ms) : '—');
    for (const k of ['4xx', '5xx', '429']) c.stats[k].parentNode.classList.toggle('hot', (tot[k] + (k === '5xx' ? tot.faults : 0)) > 0);
    const { p99peak, seconds } = drawChart(c.chart, t.series, rep.start, rep.stepSeconds);
    patchText(c.since, seconds >= 120 ? `−${Math.round(seconds / 60)} min` : `−${seconds} s`);
    const w = t.window;
    patchText(c.caption, w.requests
      ? `last 10 min: ${fmtInt(w.requests)} requests, ${fmtInt(w['4xx'])} 4xx, ${fmtInt(w['5xx'] + w.faults)} 5xx; p50 ${fmtMs(w.p50Ms)}, p99 ${fmtMs(w.p99Ms)} (line: p99 per 5 s, top ${fmtMs(p99peak)})`
      : 'last 10 min: no requests');
  }
}
