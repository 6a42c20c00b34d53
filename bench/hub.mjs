// Remote-read benchmark: the release build in headless Chromium reading files through the mock
// Hub of the end-to-end tests (tests/e2e/mockhub.mjs: a Hub origin that lists and redirects,
// a storage origin that serves byte ranges with CORS, both on loopback) against the same files
// given locally, alternated, in one run. Prints, per file: local and remote time from the click
// to the final figures, MB/s, the number and sizes of range requests, and the page's own network
// line (bytes, per-connection rate, share of the read spent waiting). Asserts nothing.
//
//   BENCH_DIST=$(realpath dist) node bench/hub.mjs [--rounds N] FILE...
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { serve, launch, metrics } from '../tests/e2e/harness.mjs';
import { mockHub } from '../tests/e2e/mockhub.mjs';

const args = process.argv.slice(2);
let rounds = 2;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rounds') rounds = Number(args[++i]);
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: node bench/hub.mjs [--rounds N] FILE...');
  process.exit(2);
}

const ID = 'bench/traces';
const datasets = { [ID]: { files: Object.fromEntries(files.map((f) => [`data/${basename(f)}`, f])) } };
const hub = await mockHub({ datasets });
const site = await serve(process.env.BENCH_DIST);
const browser = await launch();

async function done(page) {
  await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('[data-testid="ingest-status"]')?.dataset.state), null, { timeout: 600_000 });
}

async function timeLocal(file) {
  const page = await browser.newPage();
  await page.goto(site.url);
  await page.waitForSelector('[data-testid="ingest-status"]');
  await page.waitForTimeout(500); // workers warm
  const t0 = Date.now();
  await page.setInputFiles('[data-testid="file-input"]', [file]);
  await done(page);
  const ms = Date.now() - t0;
  const rows = (await metrics(page)).rows;
  await page.close();
  return { ms, rows };
}

async function timeRemote(file) {
  const page = await browser.newPage();
  await page.goto(`${site.url}?hub_endpoint=${encodeURIComponent(hub.endpoint)}`);
  await page.waitForSelector('[data-testid="ingest-status"]');
  await page.waitForTimeout(500);
  hub.clear();
  const link = `${hub.endpoint}/datasets/${ID}/blob/main/data/${basename(file)}`;
  await page.fill('[data-testid="hub-input"]', link);
  const t0 = Date.now();
  await page.click('[data-testid="hub-open"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="read-summary"]'), null, { timeout: 600_000 });
  await done(page);
  const ms = Date.now() - t0;
  const rows = (await metrics(page)).rows;
  const network = await page.textContent('[data-testid="network-status"]');
  const ranges = hub.requests.filter((r) => r.host === 'storage').map((r) => r.bytes ?? 0);
  await page.close();
  return { ms, rows, network, ranges };
}

console.log(`mock Hub on loopback; ${rounds} rounds each, alternated; best of the rounds`);
for (const file of files) {
  const mb = (await stat(file)).size / 1e6;
  const local = [], remote = [];
  for (let r = 0; r < rounds; r++) {
    local.push(await timeLocal(file));
    remote.push(await timeRemote(file));
  }
  const best = (xs) => xs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const l = best(local), h = best(remote);
  const sizes = h.ranges.map((b) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} KB`));
  console.log(`\n${basename(file)} (${mb.toFixed(1)} MB, ${h.rows} rows; local ${l.rows})`);
  console.log(`  local drop → final figures: ${l.ms} ms (${(mb / l.ms * 1000).toFixed(0)} MB/s)`);
  console.log(`  from the Hub (click Open → final figures, listing and locating included): ${h.ms} ms (${(mb / h.ms * 1000).toFixed(0)} MB/s)`);
  console.log(`  range requests to storage: ${h.ranges.length} (${sizes.join(', ')})`);
  console.log(`  the page says: ${h.network}`);
}
await browser.close();
await hub.close();
await site.close();
