// End-to-end: opening datasets from the Hub, against a mock Hub on two other origins (the real
// one is unreachable here). A dataset opened by name, by Hub link, by `#hub=` link and a file by
// URL gives the native core's figures for the same files; Parquet is read by range requests; a
// copied link reopens the same filtered view in a fresh browser; each failure has its message;
// no request goes anywhere but the page, the Hub and its storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, waitForIngest, metrics, OUT, bin, native, generate, showView } from './harness.mjs';
import { mockHub } from './mockhub.mjs';

const ID = 'lambda/hermes-agent-reasoning-traces';
const HEADLINE = ['rows', 'turns', 'tool_calls', 'rows_read', 'rows_analysed', 'rows_skipped'];

let site, browser, hub, files;

before(async () => {
  rmSync(join(OUT, 'hub'), { recursive: true, force: true });
  mkdirSync(join(OUT, 'hub'), { recursive: true });
  files = {
    kimi: generate('hub/data/kimi/train.parquet', ['--rows', '260', '--seed', '41', '--tricky', '0.05', '--format', 'parquet', '--compression', 'snappy', '--row-group-rows', '50']),
    glm: generate('hub/data/glm-5.1/train.parquet', ['--rows', '180', '--seed', '42', '--format', 'parquet', '--compression', 'zstd', '--row-group-rows', '60']),
    glmTest: generate('hub/data/glm-5.1/test.jsonl', ['--rows', '20', '--seed', '43', '--format', 'jsonl']),
    plain: generate('hub/plain.jsonl', ['--rows', '150', '--seed', '44', '--tricky', '0.1', '--format', 'jsonl']),
  };
  hub = await mockHub({
    datasets: {
      [ID]: {
        files: {
          'README.md': '---\nconfigs: []\n---\n# mock',
          'data/kimi/train.parquet': files.kimi,
          'data/glm-5.1/train.parquet': files.glm,
          'data/glm-5.1/test.jsonl': files.glmTest,
        },
      },
      'acme/gated': { files: { 'data/train.jsonl': files.plain }, gated: true, token: 'hf_good_token' },
    },
    plain: { 'traces.jsonl': files.plain },
    pageSize: 3, // the listing comes in pages (the Hub's Link header)
  });
  site = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await hub?.close();
  await site?.close();
});

/** A fresh browser context on the page with the mock Hub as its endpoint; records every request. */
async function open(fragment = '') {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const seen = { errors: [], origins: new Set() };
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol === 'http:' || u.protocol === 'https:') seen.origins.add(u.origin);
  });
  await page.goto(`${site.url}?hub_endpoint=${encodeURIComponent(hub.endpoint)}${fragment}`);
  await page.waitForSelector('[data-testid="ingest-status"]');
  return { page, context, seen };
}

async function openByText(page, text) {
  await page.fill('[data-testid="hub-input"]', text);
  await page.click('[data-testid="hub-open"]');
}

/** Waits for a new read of `rows` rows to finish (the previous read's "done" does not count). */
async function readRows(page, rows) {
  await page.waitForFunction((n) => {
    const read = document.querySelector('[data-testid="read-summary"]')?.textContent ?? '';
    const state = document.querySelector('[data-testid="ingest-status"]')?.dataset.state;
    return read.includes(` ${n.toLocaleString('en-US')} rows read`) && (state === 'done' || state === 'error');
  }, rows, { timeout: 60_000 });
  return waitForIngest(page);
}

function assertFigures(page, expected, what) {
  for (const k of HEADLINE) assert.equal(page[k], expected[k], `${what}: ${k}`);
}

/** The storage requests for one file, as (range start, bytes). */
function rangesOf(path) {
  return hub.requests.filter((r) => r.host === 'storage' && r.path.endsWith(path));
}

test('a dataset by name: configs listed, train files read by range requests, the figures of the same files dropped', async () => {
  hub.set({});
  hub.clear();
  const { page, context, seen } = await open();
  // Nothing is asked of the Hub before the user opens something.
  await page.waitForTimeout(300);
  assert.deepEqual(hub.requests, []);
  await openByText(page, ID);
  assert.equal(await waitForIngest(page), 'done');
  const listed = await page.$$eval('[data-hub-file]', (els) => els.map((e) => [e.dataset.hubFile, e.querySelector('input').checked]));
  assert.deepEqual(listed, [
    ['data/glm-5.1/test.jsonl', false],
    ['data/glm-5.1/train.parquet', true],
    ['data/kimi/train.parquet', true],
  ]);
  const expected = native([files.glm, files.kimi]);
  assertFigures(await metrics(page), expected.metrics, 'by name');
  assert.match(await page.textContent('[data-testid="network-status"]'), /^Network: .+ in \d+ range requests, .+ per connection/);
  // The listing came in pages.
  assert.ok(hub.requests.filter((r) => r.host === 'hub' && r.path.includes('/tree/')).length >= 2, 'paginated listing');
  // Parquet by ranges: every storage request is a range, none is the whole file.
  for (const [name, path] of [['kimi', files.kimi], ['glm', files.glm]]) {
    const reqs = rangesOf(name === 'kimi' ? 'data/kimi/train.parquet' : 'data/glm-5.1/train.parquet');
    const size = statSync(path).size;
    assert.ok(reqs.length >= 2, `${name}: ${reqs.length} requests`);
    assert.ok(reqs.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? '')), `${name}: every request is a range`);
    const bytes = reqs.reduce((n, r) => n + (r.bytes ?? 0), 0);
    console.log(`# ${name}: ${size} bytes, ${reqs.length} range requests, ${bytes} bytes fetched (sizes ${reqs.map((r) => r.bytes).join(', ')})`);
  }
  // The report equals the native core's for the same files, per source and in total.
  await page.click('[data-testid="download-menu"] summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-report"]')]);
  const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(report.total, expected.report.total);
  // Sources are the configs, as when the dataset's folder is dropped.
  assert.deepEqual(Object.keys(report.sources).sort(), ['glm-5.1', 'kimi']);
  assert.deepEqual(report.sources.kimi, native([files.kimi]).report.total);
  assert.deepEqual(report.sources['glm-5.1'], native([files.glm]).report.total);
  // Unchecking a file and reading again reads only the rest.
  await page.click('.hub-menu summary');
  await page.uncheck('[data-hub-file="data/glm-5.1/train.parquet"] input');
  await page.click('[data-testid="hub-read"]');
  assert.equal(await readRows(page, 260), 'done');
  assertFigures(await metrics(page), native([files.kimi]).metrics, 'kimi alone');
  assert.match(page.url(), /#hub=lambda%2Fhermes-agent-reasoning-traces&config=kimi/);
  assert.deepEqual([...seen.origins].sort(), [hub.endpoint, hub.storage, site.origin].sort());
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('a copied link reopens the same filtered view, with an open trajectory, in a fresh browser', async () => {
  hub.set({});
  const first = await open(`#hub=${encodeURIComponent(ID)}&config=kimi,glm-5.1`);
  // Opened by the link alone: no file asked for.
  assert.equal(await waitForIngest(first.page), 'done');
  assertFigures(await metrics(first.page), native([files.glm, files.kimi]).metrics, 'by #hub= link');
  // Filter by a category (its button in the categories table), then open the first listed row.
  await showView(first.page, 'conversations');
  await first.page.click('[data-testid="category-table"] summary');
  await first.page.locator('[data-testid="category-table"] tr[data-level="category"] button').first().click();
  await first.page.waitForSelector('[data-testid="chip"][data-chip="category"]');
  await showView(first.page, 'trajectories');
  const count = Number(await first.page.getAttribute('[data-testid="explorer-count"]', 'data-value'));
  hub.clear();
  await first.page.keyboard.press('j');
  await first.page.keyboard.press('Enter');
  await first.page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  // Re-reading one row costs a range request or two, not the file.
  const reread = hub.requests.filter((r) => r.host === 'storage');
  console.log(`# re-reading a Parquet row: ${reread.length} range requests (${reread.map((r) => r.bytes).join(', ')} bytes)`);
  // (A worker keeps each file's first 64 KiB and last 256 KiB: a worker that read the file
  // before re-reads a row with one request; another fetches those ends first.)
  assert.ok(reread.length >= 1 && reread.length <= 3, `${reread.length} requests to re-read a row`);
  const id = await first.page.textContent('[data-testid="trace-id"]');
  await first.page.waitForFunction(() => location.hash.includes('row='));
  const link = first.page.url();
  assert.match(link, /hub=/);
  assert.doesNotMatch(link, /token/i);
  const shown = await metrics(first.page);
  await first.context.close();

  const again = await browser.newContext();
  const page = await again.newPage();
  await page.goto(link);
  assert.equal(await waitForIngest(page), 'done');
  await page.waitForSelector('[data-testid="chip"][data-chip="category"]');
  await page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  assert.equal(await page.textContent('[data-testid="trace-id"]'), id);
  assert.equal(Number(await page.getAttribute('[data-testid="explorer-count"]', 'data-value')), count);
  assert.deepEqual(await metrics(page), shown);
  await again.close();
});

test('a Hub link to a folder, and a file by its URL, read just that', async () => {
  hub.set({});
  const { page, context } = await open();
  await openByText(page, `${hub.endpoint}/datasets/${ID}/tree/main/data/kimi`);
  assert.equal(await waitForIngest(page), 'done');
  assert.deepEqual(await page.$$eval('[data-hub-file]', (els) => els.map((e) => e.dataset.hubFile)), ['data/kimi/train.parquet']);
  assertFigures(await metrics(page), native([files.kimi]).metrics, 'folder link');

  await page.click('.hub-menu summary');
  await openByText(page, `${hub.storage}/plain/traces.jsonl`);
  assert.equal(await readRows(page, 150), 'done');
  assertFigures(await metrics(page), native([files.plain]).metrics, 'by URL');
  assert.match(page.url(), /#url=http/);
  // The export streams from the network and equals the native export of the same file.
  await showView(page, 'export');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-sft"]')]);
  const prefix = join(OUT, 'hub', 'native-export');
  execFileSync(bin('export'), ['--dedupe', '--out', prefix, files.plain], { stdio: 'pipe' });
  assert.ok(readFileSync(await download.path()).equals(readFileSync(`${prefix}.jsonl`)), 'the same export as the native tool');
  await context.close();
});

test('each failure says what happened: not found, gated, unauthorized, rate-limited, CORS, an expired link renewed', async () => {
  hub.set({});
  const { page, context, seen } = await open();
  const failure = async (kind) => {
    const el = await page.waitForSelector(`[data-diagnostic][data-kind="${kind}"]`);
    return el.textContent();
  };
  await openByText(page, 'nobody/nothing');
  assert.match(await failure('not_found'), /nobody\/nothing: not found/);

  await openByText(page, 'acme/gated');
  assert.match(await failure('gated'), new RegExp(`accept its terms on ${hub.endpoint}/datasets/acme/gated`));
  await page.click('.hub-token summary');
  await page.fill('[data-testid="hub-token"]', 'hf_wrong');
  await page.click('[data-testid="hub-open"]');
  assert.match(await failure('unauthorized'), /refused access/);
  await page.fill('[data-testid="hub-token"]', 'hf_good_token');
  await page.click('[data-testid="hub-open"]');
  assert.equal(await waitForIngest(page), 'done');
  assertFigures(await metrics(page), native([files.plain]).metrics, 'gated, with a token');
  // The token went to the Hub only, and never into the URL.
  assert.ok(hub.requests.some((r) => r.host === 'hub' && r.auth), 'the Hub got the token');
  assert.ok(hub.requests.every((r) => r.host === 'hub' || !r.auth), 'the storage never did');
  assert.doesNotMatch(page.url(), /hf_good_token/);

  hub.set({ hubStatus: 429 });
  await page.click('.hub-menu summary');
  await openByText(page, ID);
  assert.match(await failure('rate_limited'), /rate-limiting/);

  hub.set({ refuseCors: true });
  await openByText(page, ID);
  assert.match(await failure('cors'), /Download the file and drop it here/);

  // Signatures that stop working after two requests: the read renews them and goes on.
  hub.set({ expireAfter: 2 });
  await openByText(page, ID);
  assert.equal(await readRows(page, 440), 'done');
  assertFigures(await metrics(page), native([files.glm, files.kimi]).metrics, 'with expiring links');
  assert.match(await failure('expired'), /renewed/);

  // A response cut short: the read stops with a message, the page stays up.
  hub.set({ cutAfter: 1000 });
  await page.click('.hub-menu summary'); // the menu closed when the read began
  await openByText(page, `${hub.storage}/plain/traces.jsonl`);
  await failure('cors');
  assert.ok(['done', 'error'].includes(await waitForIngest(page)));
  hub.set({});
  assert.deepEqual([...seen.origins].sort(), [hub.endpoint, hub.storage, site.origin].sort());
  assert.deepEqual(seen.errors, []);
  await context.close();
});
