// Peers of the page, in the same headless Chromium and timed the same way as bench/browser.mjs
// times the page: the file is given by setInputFiles, the clock runs from the input's `change`
// event to `[data-testid=ingest-status][data-state=done]` (seen by a MutationObserver).
//
//   - "js": bench/peers/, a static page whose Worker streams the File, splits lines, JSON.parses
//     each and applies the notebook's regexes (bench/peers/notebook.js); Parquet files are read
//     with hyparquet + hyparquet-compressors (npm), the `conversations` column, one row group at
//     a time. The Worker is started (and its modules loaded) before the file is given.
//   - "js_main": the same code on the main thread (the "20-line page" first compared against),
//     JSONL only.
//
// Prints figures and writes JSON (the notebook's rows, turns, tool calls, think blocks and calls
// per tool beside each timing, for bench/table.py to check against the page's); asserts nothing.
//
//   node bench/peers.mjs [--json OUT] [--no-main] FILE...
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ROOT, serve, launch } from '../tests/e2e/harness.mjs';

// npm packages the peer page imports, the folder of each that holds its ES modules, and the
// module a bare `from 'name'` means. A Worker has no import map, so the copies are rewritten to
// relative imports.
const VENDOR = {
  hyparquet: ['src', 'src/index.js'],
  'hyparquet-compressors': ['src', 'src/index.js'],
  hysnappy: ['js', 'js/index.js'],
  fzstd: ['esm', 'esm/index.mjs'],
};
const BARE = /^(\s*(?:import|export)\b[^'"]*?\bfrom\s*)(['"])([^'"]+)\2/gm;

/** A temporary folder with bench/peers/ and its npm modules under vendor/; resolves to its path. */
export async function peerSite() {
  const dir = await mkdtemp(join(tmpdir(), 'agent-traces-peers-'));
  await cp(join(ROOT, 'bench', 'peers'), dir, { recursive: true });
  for (const [pkg, [sub]] of Object.entries(VENDOR)) {
    const to = join(dir, 'vendor', pkg, sub);
    await cp(join(ROOT, 'node_modules', pkg, sub), to, {
      recursive: true,
      filter: (p) => !p.endsWith('.d.ts') && !(pkg === 'hyparquet' && basename(p) === 'node.js'),
    });
    for (const name of await readdir(to, { recursive: true })) {
      if (!/\.m?js$/.test(name)) continue;
      const file = join(to, name);
      const text = await readFile(file, 'utf8');
      const fixed = text.replace(BARE, (all, head, q, spec) => {
        if (spec.startsWith('.')) return all;
        if (!VENDOR[spec]) throw new Error(`${pkg}/${name} imports '${spec}', which bench/peers.mjs does not vendor`);
        let rel = relative(dirname(file), join(dir, 'vendor', spec, VENDOR[spec][1]));
        if (!rel.startsWith('.')) rel = './' + rel;
        return `${head}${q}${rel}${q}`;
      });
      if (fixed !== text) await writeFile(file, fixed);
    }
  }
  return dir;
}

// The same instrument as bench/browser.mjs (change → done), without what only the app has.
const INSTRUMENT = () => {
  const b = (window.__bench = { t0: null, done: null, state: null });
  document.addEventListener('change', (e) => {
    if (e.target?.dataset?.testid === 'file-input') { b.t0 = performance.now(); b.done = null; }
  }, true);
  const check = () => {
    if (b.t0 === null || b.done !== null) return;
    const st = document.querySelector('[data-testid="ingest-status"]')?.dataset.state;
    if (st === 'done' || st === 'error') { b.done = performance.now(); b.state = st; }
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, childList: true, characterData: true });
};

/** One peer on one file; a peer that fails or times out is recorded as such, never thrown. */
async function benchPeer(browser, site, path, thread) {
  try {
    return await measure(browser, site, path, thread);
  } catch (e) {
    const bytes = (await stat(path)).size;
    return { thread, state: 'failed', bytes, final_figures_ms: null, mb_per_s: null, rows_per_s: null, figures: null, page_errors: [String(e)] };
  }
}

async function measure(browser, site, path, thread) {
  const bytes = (await stat(path)).size;
  const context = await browser.newContext();
  const errors = [];
  let b, text;
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.addInitScript(INSTRUMENT);
    await page.goto(`${site.url}index.html${thread === 'main' ? '?thread=main' : ''}`);
    await page.waitForSelector('[data-testid="ingest-status"][data-state="ready"]', { state: 'attached', timeout: 60_000 });
    await page.setInputFiles('[data-testid="file-input"]', [path]);
    await page.waitForFunction(() => window.__bench.done !== null, null, { timeout: 600_000, polling: 100 });
    b = await page.evaluate(() => ({ ms: window.__bench.done - window.__bench.t0, state: window.__bench.state }));
    text = await page.textContent('#figures');
  } finally {
    await context.close().catch(() => {});
  }
  let figures = null;
  if (b.state === 'done') figures = JSON.parse(text);
  else errors.push(text);
  const secs = b.ms / 1000;
  return {
    thread, state: b.state, bytes, final_figures_ms: b.ms, mb_per_s: bytes / 1e6 / secs,
    rows_per_s: figures ? figures.rows / secs : null, figures, page_errors: errors,
  };
}

async function main(args) {
  let out = null;
  let withMain = true;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') out = args[++i];
    else if (args[i] === '--no-main') withMain = false;
    else files.push(args[i]);
  }
  if (files.length === 0) {
    console.error('usage: node bench/peers.mjs [--json OUT] [--no-main] FILE...');
    process.exit(2);
  }

  const dir = await peerSite();
  const site = await serve(dir);
  const browser = await launch();
  const results = { _chromium: browser.version(), _packages: {} };
  for (const pkg of Object.keys(VENDOR)) {
    results._packages[pkg] = JSON.parse(await readFile(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  }
  try {
    for (const f of files) {
      const name = basename(f);
      const parquet = name.endsWith('.parquet');
      const r = { js: await benchPeer(browser, site, f, 'worker') };
      if (withMain && !parquet) r.js_main = await benchPeer(browser, site, f, 'main');
      results[name] = r;
      for (const [k, v] of Object.entries(r)) {
        const fig = v.figures;
        console.log(`${name} ${parquet ? 'hyparquet' : 'JSON.parse'} peer (${v.thread === 'main' ? 'main thread' : 'Worker'}, ${k}): ` +
          (v.state === 'done' ? `done, final ${v.final_figures_ms.toFixed(0)} ms (${v.mb_per_s.toFixed(1)} MB/s)` : v.state) +
          (fig ? `; ${fig.rows} rows, ${fig.turns} turns, ${fig.tool_calls} tool calls, top ${fig.top_tools.slice(0, 3).map(([t, n]) => `${t} ${n}`).join(', ')}` : '') +
          (v.page_errors.length ? `; errors: ${v.page_errors.join(' | ').slice(0, 500)}` : ''));
      }
    }
  } finally {
    await browser.close();
    await site.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (out) await writeFile(out, JSON.stringify(results, null, 2));
}

// Run as a script (`node bench/peers.mjs`); importing it only gives peerSite().
if (process.argv[1] && import.meta.filename === resolve(process.argv[1])) await main(process.argv.slice(2));
