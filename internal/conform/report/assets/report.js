// The report's filters (API, check, class, status, search), their counts
// and the copy buttons. The page is whole without this script; the filter
// state is kept in the URL's fragment (#api=…&status=fail) to be shared.
(() => {
  'use strict';
  const form = document.getElementById('filters');
  if (!form) return;
  const results = Array.from(document.querySelectorAll('[data-result]'));
  const groups = Array.from(document.querySelectorAll('[data-group]'));
  const blocks = Array.from(document.querySelectorAll('[data-api-block]'));
  const sections = Array.from(document.querySelectorAll('[data-section]'));
  const passes = document.querySelector('details.passes');
  const shownOut = document.getElementById('shown');
  const STATUSES = ['fail', 'skip', 'pass'];
  const texts = new WeakMap();
  const text = (el) => {
    let t = texts.get(el);
    if (t === undefined) { t = el.textContent.toLowerCase(); texts.set(el, t); }
    return t;
  };
  let autoOpened = false;

  function read() {
    const f = new FormData(form);
    return {
      api: f.get('api') || '', check: f.get('check') || '', cls: f.get('class') || '',
      status: f.getAll('status'), q: String(f.get('q') || '').trim().toLowerCase(),
    };
  }

  function apply() {
    const s = read();
    const terms = s.q.split(/\s+/).filter(Boolean);
    const facet = { fail: 0, skip: 0, pass: 0 };
    const shown = { fail: 0, skip: 0, pass: 0 };
    for (const el of results) {
      const d = el.dataset;
      const match = (!s.api || d.api === s.api) && (!s.check || d.check === s.check) &&
        (!s.cls || d.class === s.cls) && terms.every((t) => text(el).includes(t));
      if (match) facet[d.status]++;
      const visible = match && s.status.includes(d.status);
      el.hidden = !visible;
      if (visible) shown[d.status]++;
    }
    for (const g of groups) {
      const n = g.querySelectorAll('[data-result]:not([hidden])').length;
      g.hidden = n === 0;
      const c = g.querySelector('[data-group-count]');
      if (c) c.textContent = String(n);
    }
    for (const b of blocks) b.hidden = s.api !== '' && b.dataset.apiBlock !== s.api;
    for (const k of STATUSES) {
      for (const el of document.querySelectorAll(`[data-facet="${k}"]`)) el.textContent = String(facet[k]);
      for (const el of document.querySelectorAll(`[data-count="${k}"]`)) el.textContent = String(shown[k]);
    }
    for (const sec of sections) {
      const k = sec.dataset.section;
      sec.hidden = !s.status.includes(k);
      const total = results.filter((el) => el.dataset.status === k).length;
      const none = sec.querySelector('.none');
      if (none) none.hidden = !(total > 0 && shown[k] === 0);
    }
    // The passes open when they are what the reader looks for.
    const wantPasses = shown.pass > 0 && (terms.length > 0 || (s.status.length === 1 && s.status[0] === 'pass'));
    if (passes && wantPasses && !passes.open) { passes.open = true; autoOpened = true; }
    if (passes && !wantPasses && autoOpened) { passes.open = false; autoOpened = false; }
    const n = shown.fail + shown.skip + shown.pass;
    shownOut.textContent = `${n} of ${results.length} specs`;
    save(s);
  }

  function save(s) {
    const p = new URLSearchParams();
    if (s.api) p.set('api', s.api);
    if (s.check) p.set('check', s.check);
    if (s.cls) p.set('class', s.cls);
    if (s.status.length !== STATUSES.length) p.set('status', s.status.join(','));
    if (s.q) p.set('q', s.q);
    const h = p.toString();
    const now = location.hash.slice(1);
    if (!h && !now.includes('=')) return; // no filter: a link to a result stays
    if (h !== now) history.replaceState(null, '', h ? `#${h}` : location.pathname + location.search);
  }

  function load() {
    const h = location.hash.slice(1);
    if (!h.includes('=')) return;
    const p = new URLSearchParams(h);
    for (const name of ['api', 'check', 'class']) {
      const el = form.elements.namedItem(name);
      if (el && p.has(name)) el.value = p.get(name);
    }
    if (p.has('status')) {
      const want = p.get('status').split(',');
      for (const box of form.querySelectorAll('input[name="status"]')) box.checked = want.includes(box.value);
    }
    if (p.has('q')) form.elements.namedItem('q').value = p.get('q');
  }

  // A choice applies at once; typing in the search box once a frame.
  let pending = 0;
  form.addEventListener('input', (ev) => {
    if (ev.target.name !== 'q' || pending) return;
    pending = requestAnimationFrame(() => { pending = 0; apply(); });
  });
  form.addEventListener('change', (ev) => { if (ev.target.name !== 'q') apply(); });
  form.addEventListener('submit', (ev) => ev.preventDefault());

  async function copy(btn) {
    const src = document.getElementById(btn.dataset.copy);
    const line = src.textContent;
    let ok = false;
    try {
      await navigator.clipboard.writeText(line);
      ok = true;
    } catch {
      const ta = document.createElement('textarea');
      ta.value = line;
      document.body.append(ta);
      ta.select();
      try { ok = document.execCommand('copy'); } catch { ok = false; }
      ta.remove();
    }
    if (!ok) getSelection().selectAllChildren(src);
    btn.textContent = ok ? 'Copied' : 'Press Ctrl+C to copy';
    setTimeout(() => { btn.textContent = 'Copy curl'; }, 2000);
  }

  document.addEventListener('click', (ev) => {
    const btn = ev.target.closest('button');
    if (!btn) return;
    if (btn.dataset.copy) { copy(btn); return; }
    switch (btn.dataset.action) {
      case 'clear':
        form.reset();
        apply();
        break;
      case 'expand':
      case 'collapse':
        for (const d of document.querySelectorAll('details.result')) if (!d.hidden) d.open = btn.dataset.action === 'expand';
        break;
    }
  });

  document.addEventListener('keydown', (ev) => {
    const t = ev.target;
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey || t.closest('input, select, textarea')) return;
    ev.preventDefault();
    form.elements.namedItem('q').focus();
  });

  // An opened link to a result (#r12, #r12-x1) shows it.
  function reveal() {
    const id = location.hash.slice(1);
    const el = id && !id.includes('=') ? document.getElementById(id) : null;
    for (let d = el && el.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
  }
  window.addEventListener('hashchange', reveal);

  for (const el of document.querySelectorAll('button[data-copy], .tools')) el.hidden = false;
  form.hidden = false;
  load();
  reveal();
  apply();
})();
