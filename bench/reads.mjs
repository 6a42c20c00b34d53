// How fast a worker can read a local file, by each way the browser offers: `node bench/reads.mjs
// FILE [ROUNDS]`. Two workers (as the page runs on two cores) each read half of FILE and copy
// it into a wasm memory; each round runs every method once, in turn; prints each method's
// times (the slower worker's) and median. What chose the worker's reader (src/worker/stream.rs).
import { join } from 'node:path';
import { serve, launch, ROOT } from '../tests/e2e/harness.mjs';

const [file, rounds = '5'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/reads.mjs FILE [ROUNDS]');
  process.exit(2);
}
const site = await serve(join(ROOT, 'bench', 'reads'));
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(site.url + 'index.html');
  await page.setInputFiles('#f', [file]);
  const methods = ['sync8', 'slices8', 'stream', 'byob1'];
  const times = new Map(methods.map((m) => [m, []]));
  for (let r = 0; r < Number(rounds); r++) {
    for (const m of methods) times.get(m).push(await page.evaluate((m) => window.readHalves(m), m));
  }
  for (const [m, t] of times) {
    const sorted = [...t].sort((a, b) => a - b);
    console.log(`${m.padEnd(8)} median ${sorted[sorted.length >> 1].toFixed(0)} ms (${t.map((x) => x.toFixed(0)).join(' ')})`);
  }
} finally {
  await browser.close();
  await site.close();
}
