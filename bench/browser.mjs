// Browser benchmark: the release build (dist/), served under a sub-path exactly as the end-to-end
// tests serve it, in headless Chromium. For each file: drop → first figures → final figures, MB/s
// end to end, peak wasm memory (the page's data-peak-wasm-memory), peak JS heap of the page
// (CDP Runtime.getHeapUsage, polled), the longest main-thread task during ingest (long-task
// observer, plus an event-loop lag probe that also sees blocks under 50 ms), and the SFT export
// (click → download complete). Prints figures and writes JSON; asserts nothing.
//
//   node bench/browser.mjs --json OUT FILE...
// BENCH_PROFILE=1 also records a CPU profile of the page's main thread during ingest (CDP
// Profiler) and prints the functions with the most self time: what the long tasks are made of.
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { serve, launch, metrics } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
let out = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--json') out = args[++i];
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: node bench/browser.mjs [--json OUT] FILE...');
  process.exit(2);
}

// Runs in the page before its scripts: timestamps of the drop, the first figures and the final
// figures (seen by a MutationObserver, so no polling delay), long tasks, and event-loop lag.
const INSTRUMENT = () => {
  const b = (window.__bench = { t0: null, first: null, done: null, longTasks: [], lags: [] });
  // A named 3 ms spin at the drop and at the final figures: marks a CPU profile's timeline.
  const mark = (name) => { const s = performance.now(); while (performance.now() - s < 3); return name; };
  window.__bench_mark_drop = () => mark('drop');
  window.__bench_mark_done = () => mark('done');
  const onPick = () => { b.t0 = performance.now(); b.first = null; b.done = null; window.__bench_mark_drop(); };
  document.addEventListener('change', (e) => { if (e.target?.dataset?.testid === 'file-input') onPick(); }, true);
  document.addEventListener('drop', onPick, true);
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Lag probe: a 0 ms timer chain; a gap much longer than usual means the main thread was busy.
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    if (b.t0 !== null && b.done === null) b.lags.push([last, now - last]);
    last = now;
    setTimeout(tick, 5);
  };
  setTimeout(tick, 5);
  const check = () => {
    if (b.t0 === null) return;
    const now = performance.now();
    const rows = Number(document.querySelector('[data-metric="rows"]')?.dataset.value ?? 0);
    if (b.first === null && rows > 0) b.first = now;
    const st = document.querySelector('[data-testid="ingest-status"]')?.dataset.state;
    if (b.done === null && b.first !== null && (st === 'done' || st === 'error')) { b.done = now; b.state = st; window.__bench_mark_done(); }
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, childList: true, characterData: true });
};

async function benchFile(browser, site, path) {
  const bytes = (await stat(path)).size;
  const name = basename(path);
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(INSTRUMENT);
  await page.goto(site.url);
  await page.waitForSelector('[data-testid="ingest-status"]');
  await page.waitForTimeout(1500); // let the workers load their wasm and say Ready
  const cdp = await context.newCDPSession(page);
  let heapPeak = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      try {
        const { usedSize } = await cdp.send('Runtime.getHeapUsage');
        heapPeak = Math.max(heapPeak, usedSize);
      } catch { /* page busy or closing */ }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  })();
  const profile = process.env.BENCH_PROFILE === '1';
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await cdp.send('Profiler.start');
  }
  await page.setInputFiles('[data-testid="file-input"]', [path]);
  await page.waitForFunction(() => window.__bench.done !== null, null, { timeout: 600_000, polling: 100 });
  polling = false;
  await poll;
  if (profile) {
    const { profile: p } = await cdp.send('Profiler.stop');
    const self = new Map();
    const dt = new Map();
    p.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
    for (const n of p.nodes) {
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt.get(n.id) ?? 0));
    }
    const byFile = new Map();
    for (const n of p.nodes) {
      const file = n.callFrame.url.split('/').pop() || n.callFrame.functionName;
      byFile.set(file, (byFile.get(file) ?? 0) + (dt.get(n.id) ?? 0));
    }
    console.log('main-thread self time by script (ms): ' + [...byFile].filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, us]) => `${k} ${(us / 1000).toFixed(0)}`).join(', '));
    // When the main thread was busy: script time per 100 ms from the drop (the marks above).
    const idle = new Set(p.nodes.filter((n) => ['(idle)', '(program)'].includes(n.callFrame.functionName)).map((n) => n.id));
    // A sample is in a mark when the mark's function is the node or one of its callers.
    const parent = new Map();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const markOf = new Map();
    for (const n of p.nodes) {
      for (let id = n.id; id !== undefined; id = parent.get(id)) {
        const m = byId.get(id).callFrame.functionName.match(/__bench_mark_(\w+)/);
        if (m) { markOf.set(n.id, m[1]); break; }
      }
    }
    const times = [];
    let t = 0;
    p.samples.forEach((id, i) => { t += p.timeDeltas[i] ?? 0; times.push(t); });
    const at = (m) => times[p.samples.findIndex((id) => markOf.get(id) === m)] ?? 0;
    const [drop, done] = [at('drop'), at('done')];
    const busy = [];
    p.samples.forEach((id, i) => {
      if (times[i] < drop || idle.has(id)) return;
      const slot = Math.floor((times[i] - drop) / 100_000);
      busy[slot] = (busy[slot] ?? 0) + (p.timeDeltas[i] ?? 0);
    });
    // What the busiest stretches are made of: self time by script and function in each window.
    for (const [from, to, what] of [[drop, drop + 300_000, 'the first 300 ms'], [drop + 300_000, done, 'the rest of ingest'], [done, Infinity, 'after the final figures']]) {
      const w = new Map();
      p.samples.forEach((id, i) => {
        if (times[i] < from || times[i] >= to || idle.has(id)) return;
        const f = byId.get(id).callFrame;
        const key = `${(f.functionName || '(anonymous)').slice(0, 70)} ${f.url.split('/').pop()}`;
        w.set(key, (w.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
      });
      const total = [...w.values()].reduce((a, b) => a + b, 0);
      console.log(`  ${what}: ${(total / 1000).toFixed(0)} ms: ` + [...w].sort((a, b) => b[1] - a[1]).slice(0, 8)
        .map(([k, us]) => `${k} ${(us / 1000).toFixed(0)}`).join('; '));
    }
    // The longest stretch of samples without idle time (about one task), and what it was.
    const idleOnly = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    let best = [0, 0, 0];
    for (let i = 0, start = 0; i <= p.samples.length; i++) {
      if (i === p.samples.length || idleOnly.has(p.samples[i])) {
        const len = (times[i - 1] ?? 0) - (times[start] ?? 0);
        if (i > start && len > best[2]) best = [start, i, len];
        start = i + 1;
      }
    }
    const inTask = new Map();
    for (let i = best[0]; i < best[1]; i++) {
      const f = byId.get(p.samples[i]).callFrame;
      const key = `${(f.functionName || '(anonymous)').slice(0, 70)} ${f.url.split('/').pop()}`;
      inTask.set(key, (inTask.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
    }
    console.log(`  longest busy stretch: ${(best[2] / 1000).toFixed(0)} ms at ${((times[best[0]] - drop) / 1000).toFixed(0)} ms from the drop: `
      + [...inTask].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, us]) => `${k} ${(us / 1000).toFixed(0)}`).join('; '));
    // Each long task the page saw during ingest, and the functions that made it (its window of
    // the profile, placed by the drop mark: both clocks are milliseconds from the drop).
    const tasks = await page.evaluate(() => {
      const w = window.__bench;
      return w.longTasks.filter((t) => t.start >= w.t0 && t.start <= w.done + 1000)
        .map((t) => ({ from: t.start - w.t0, ms: t.duration }));
    });
    for (const t of tasks.sort((x, y) => y.ms - x.ms).slice(0, 4)) {
      const w = new Map();
      p.samples.forEach((id, i) => {
        const at = (times[i] - drop) / 1000;
        if (at < t.from || at > t.from + t.ms || idleOnly.has(id)) return;
        const f = byId.get(id).callFrame;
        const key = `${(f.functionName || '(anonymous)').slice(0, 60)} ${f.url.split('/').pop()}`;
        w.set(key, (w.get(key) ?? 0) + (p.timeDeltas[i] ?? 0));
      });
      console.log(`  long task ${t.ms.toFixed(0)} ms at ${t.from.toFixed(0)} ms: ` + [...w].sort((a, b) => b[1] - a[1]).slice(0, 6)
        .map(([k, us]) => `${k} ${(us / 1000).toFixed(0)}`).join('; '));
    }
    console.log(`main-thread script time per 100 ms from the drop (ms; final figures at ${((done - drop) / 1000).toFixed(0)} ms): `
      + Array.from(busy, (us) => ((us ?? 0) / 1000).toFixed(0)).join(' '));
    const top = [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 15);
    console.log(`main-thread self time during ingest of ${name} (ms):`);
    for (const [k, us] of top) console.log(`  ${(us / 1000).toFixed(0).padStart(7)}  ${k}`);
  }
  const b = await page.evaluate(() => {
    const w = window.__bench;
    const during = (s) => s >= w.t0 && s <= w.done;
    const long = w.longTasks.filter((t) => during(t.start));
    const lag = w.lags.filter(([s]) => during(s)).map(([, d]) => d);
    return {
      first_ms: w.first - w.t0, done_ms: w.done - w.t0, state: w.state,
      long_tasks: long.length, longest_task_ms: Math.max(0, ...long.map((t) => t.duration)),
      max_lag_ms: Math.max(0, ...lag),
    };
  });
  // The notebook's figures as the page shows them (tutorial column), for the peers' check.
  await page.waitForFunction(() => {
    const v = (m) => document.querySelector(`[data-metric="${m}"]`)?.dataset.value;
    return v('tutorial.rows') !== undefined && v('tutorial.rows') === v('rows');
  }, null, { timeout: 30_000 }).catch(() => {});
  const m = await metrics(page);
  const figures = { rows: m['tutorial.rows'], turns: m['tutorial.turns'], tool_calls: m['tutorial.tool_calls'] };
  const status = '[data-testid="ingest-status"]';
  const peakWasm = Number(await page.getAttribute(status, 'data-peak-wasm-memory'));
  const rows = Number(await page.getAttribute('[data-metric="rows"]', 'data-value'));
  const workers = await page.evaluate(() => navigator.hardwareConcurrency);
  const pageWasm = Number(await page.getAttribute(status, 'data-page-wasm-memory'));

  // Cross-filter: the notebook scope (first 3,000 rows of each source) recomputes the figures
  // from the row index; timed, on the tools view (where a chart click filters), from the click to
  // the next frame after the chip shows and the view's charts are redrawn. The longest task
  // during it is recorded too.
  const show = async (view) => {
    await page.evaluate((v) => { location.hash = `view=${v}`; }, view);
    await page.waitForSelector(`[data-testid="view-${view}"]`);
    await page.waitForFunction(() => (document.documentElement.dataset.chartsPending ?? '0') === '0');
  };
  await show('tools');
  const filterMs = async () => {
    const t0 = await page.evaluate(() => performance.now());
    await page.click('[data-testid="notebook-scope"]');
    return page.evaluate(async (t) => {
      const w = window.__bench;
      const settled = () => document.querySelector('[data-testid="chip"][data-chip="first"]')
        && (document.documentElement.dataset.chartsPending ?? '0') === '0';
      while (!settled()) await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      const end = performance.now();
      await new Promise((r) => setTimeout(r, 100)); // long-task entries arrive after the task
      const longest = Math.max(0, ...w.longTasks.filter((l) => l.start >= t && l.start <= end).map((l) => l.duration));
      return { ms: end - t, longest };
    }, t0);
  };
  const { ms: scopeMs, longest: scopeLongest } = await filterMs();
  await page.click('[data-testid="notebook-scope"]');

  // Export: click → the download is complete (the worker re-reads the file and writes the SFT;
  // the manifest has its own button).
  await show('export');
  const t = performance.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { predicate: (d) => !d.suggestedFilename().endsWith('.manifest.json'), timeout: 600_000 }),
    page.click('[data-testid="download-sft"]'),
  ]);
  const dl = await download.path();
  const exportSecs = (performance.now() - t) / 1000;
  const written = (await stat(dl)).size;
  await download.delete();
  await context.close();

  const secs = b.done_ms / 1000;
  const r = {
    name, bytes, rows, state: b.state, workers, figures,
    first_figures_ms: b.first_ms, final_figures_ms: b.done_ms,
    mb_per_s: bytes / 1e6 / secs, rows_per_s: rows / secs,
    peak_wasm_memory: peakWasm, page_wasm_memory: pageWasm, peak_js_heap: heapPeak, cross_filter_ms: scopeMs, cross_filter_longest_task_ms: scopeLongest,
    long_tasks: b.long_tasks, longest_task_ms: b.longest_task_ms, max_event_loop_lag_ms: b.max_lag_ms,
    export: { secs: exportSecs, mb_per_s: bytes / 1e6 / exportSecs, bytes_written: written, out_mb_per_s: written / 1e6 / exportSecs },
    page_errors: errors,
  };
  console.log(`${name} (${(bytes / 1e6).toFixed(1)} MB, ${rows} rows, ${workers} workers): ` +
    `first figures ${r.first_figures_ms.toFixed(0)} ms, final ${r.final_figures_ms.toFixed(0)} ms ` +
    `(${r.mb_per_s.toFixed(1)} MB/s), peak wasm ${(peakWasm / 1e6).toFixed(1)} MB, JS heap ${(heapPeak / 1e6).toFixed(1)} MB, ` +
    `longest task ${r.longest_task_ms.toFixed(0)} ms (lag ${r.max_event_loop_lag_ms.toFixed(0)} ms); ` +
    `page wasm ${(pageWasm / 1e6).toFixed(1)} MB, cross-filter ${scopeMs.toFixed(0)} ms (longest task ${scopeLongest.toFixed(0)} ms); ` +
    `export ${exportSecs.toFixed(2)} s (${r.export.mb_per_s.toFixed(1)} MB/s in, ${(written / 1e6).toFixed(1)} MB out)` +
    (errors.length ? `; page errors: ${errors.join(' | ')}` : ''));
  return r;
}

// BENCH_DIST: another build of the page (a copy of dist/), to compare two builds with the same script.
const site = await serve(process.env.BENCH_DIST || undefined);
const browser = await launch();
const results = { _chromium: browser.version() };
try {
  for (const f of files) results[basename(f)] = await benchFile(browser, site, f);
} finally {
  await browser.close();
  await site.close();
}
if (out) await writeFile(out, JSON.stringify(results, null, 2));
