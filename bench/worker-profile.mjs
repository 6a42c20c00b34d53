// Where the workers' time goes: `BENCH_DIST=$(realpath dist) node bench/worker-profile.mjs FILE
// [TOP] [export]`. With `export`, the ingest runs unprofiled and the SFT export (click → the
// download is saved) is profiled instead, the page's main thread included. Serves the release build, attaches the Chrome DevTools Protocol's sampling profiler to
// every worker of the page (through the browser's target list: Playwright gives no CDP session
// for a worker), drops FILE, and prints each worker's busy time and the functions with the most
// self time, summed over the workers. JS glue shows as `worker.js:<line>` (0-based line of the
// wasm-bindgen import that was running: e.g. a `readAsArrayBuffer` or a stream read). The
// profiler slows the workers (≈ 1.5×): read the shares, not the times.
import { serve, launch } from '../tests/e2e/harness.mjs';

const [file, top = '30', what = 'ingest'] = process.argv.slice(2);
if (!file || !process.env.BENCH_DIST || !['ingest', 'export'].includes(what)) {
  console.error('usage: BENCH_DIST=<dist> node bench/worker-profile.mjs FILE [TOP] [ingest|export]');
  process.exit(2);
}
const site = await serve(process.env.BENCH_DIST);
const browser = await launch();
try {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await page.goto(site.url);
  await page.waitForSelector('[data-testid="ingest-status"]');
  await page.waitForTimeout(1500); // the workers load their wasm and say Ready
  const cdp = await browser.newBrowserCDPSession();
  let nextId = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    if (waiting.has(m.id)) {
      waiting.get(m.id)(m.result ?? m.error);
      waiting.delete(m.id);
    }
  });
  const send = (sessionId, method, params = {}) => new Promise((ok) => {
    const id = ++nextId;
    waiting.set(id, ok);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  });
  const profiled = what === 'export' ? ['worker', 'page'] : ['worker'];
  if (what === 'export') {
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    await page.waitForSelector('[data-testid="ingest-status"][data-state="done"]', { timeout: 600_000 });
    await page.evaluate(() => { location.hash = 'view=export'; });
    await page.waitForSelector('[data-testid="download-sft"]');
  }
  const { targetInfos } = await cdp.send('Target.getTargets');
  const sessions = [];
  for (const t of targetInfos.filter((t) => profiled.includes(t.type))) {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
    await send(sessionId, 'Profiler.enable');
    await send(sessionId, 'Profiler.setSamplingInterval', { interval: 500 });
    await send(sessionId, 'Profiler.start');
    sessions.push(sessionId);
  }
  const t0 = Date.now();
  if (what === 'export') {
    const [download] = await Promise.all([
      page.waitForEvent('download', { predicate: (d) => !d.suggestedFilename().endsWith('.manifest.json'), timeout: 600_000 }),
      page.click('[data-testid="download-sft"]'),
    ]);
    await download.path();
    console.log(`${file}: export saved ${Date.now() - t0} ms under the profiler, ${sessions.length} threads (the last is the page)`);
  } else {
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    await page.waitForSelector('[data-testid="ingest-status"][data-state="done"]', { timeout: 600_000 });
    console.log(`${file}: final figures ${Date.now() - t0} ms under the profiler, ${sessions.length} workers`);
  }
  const self = new Map();
  for (const s of sessions) {
    const { profile } = await send(s, 'Profiler.stop');
    const dt = new Map();
    profile.samples.forEach((node, i) => dt.set(node, (dt.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    let busy = 0;
    for (const n of profile.nodes) {
      const f = n.callFrame;
      if (f.functionName === '(idle)') continue;
      const name = f.functionName
        ? f.functionName.replace(/::h[0-9a-f]{16}$/, '').slice(0, 140)
        : `${f.url.split('/').pop()}:${f.lineNumber}`;
      const us = dt.get(n.id) ?? 0;
      busy += us;
      self.set(name, (self.get(name) ?? 0) + us);
    }
    console.log(`thread ${sessions.indexOf(s) + 1}: busy ${(busy / 1000).toFixed(0)} ms`);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${(100 * us / total).toFixed(1).padStart(5)}%  ${name}`);
  }
} finally {
  await browser.close();
  await site.close();
}
