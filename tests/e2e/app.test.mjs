// End-to-end: the release build, served under a sub-path, in headless Chromium. Figures in the
// page must equal what the native core (target/release/analyse) computes for the same files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serve, launch, openApp, waitForIngest, metrics, dropFiles, OUT, bin, native, generate, showView, fromMenu } from './harness.mjs';

const HEADLINE = ['rows', 'turns', 'tool_calls', 'avg_turns', 'avg_tool_calls', 'rows_read', 'rows_analysed', 'rows_skipped'];

function assertFiguresEqual(page, expected) {
  for (const k of HEADLINE) {
    assert.ok(Math.abs(page[k] - expected[k]) <= 1e-9 * Math.max(1, Math.abs(expected[k])), `${k}: page ${page[k]} != native ${expected[k]}`);
  }
}

let site, browser, fixtures;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  fixtures = {
    jsonl: generate('mixed.jsonl', ['--rows', '300', '--seed', '11', '--tricky', '0.1', '--format', 'jsonl']),
    snappy: generate('kimi.snappy.parquet', ['--rows', '250', '--seed', '12', '--format', 'parquet', '--compression', 'snappy', '--row-group-rows', '100']),
    zstd: generate('glm.zstd.parquet', ['--rows', '200', '--seed', '13', '--format', 'parquet', '--compression', 'zstd']),
  };
  site = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('the sample button shows the sample figures, a drawn chart, and no console error', async () => {
  const { page, context, problems } = await openApp(browser, site);
  assert.equal(await page.getAttribute('[data-testid="ingest-status"]', 'data-state'), 'idle');
  await page.click('[data-testid="load-sample"]');
  assert.equal(await waitForIngest(page), 'done');
  const expected = native([join(ROOT, 'public', 'sample.jsonl')]).metrics;
  assert.ok(expected.rows >= 100, `the sample has ${expected.rows} rows`);
  assertFiguresEqual(await metrics(page), expected);
  await showView(page, 'tools');
  // The chart has drawn something: a canvas with a good share of non-background pixels.
  await page.waitForSelector('[data-testid="chart-top-tools"] canvas');
  await page.waitForTimeout(1200); // ECharts animates the first draw
  const inked = await page.$eval('[data-testid="chart-top-tools"] canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
    return n / (c.width * c.height);
  });
  assert.ok(inked > 0.01, `chart ink share ${inked}`);
  const bars = await page.evaluate(() => {
    const chart = echarts.getInstanceByDom(document.querySelector('[data-testid="chart-top-tools"]'));
    return chart.getOption().series[0].data.length;
  });
  assert.ok(bars >= 5 && bars <= 15, `${bars} bars`);
  // Parallel widths (one bar per width, log y) and categories (one slice each), as the native core counts them.
  const strict = native([join(ROOT, 'public', 'sample.jsonl')]).report.total.strict;
  const option = (id) => page.evaluate((sel) => {
    const o = echarts.getInstanceByDom(document.querySelector(sel)).getOption();
    return { data: o.series[0].data, yType: o.yAxis?.[0]?.type, x: o.xAxis?.[0]?.data };
  }, `[data-testid="${id}"]`);
  const widths = await option('chart-parallel-widths');
  assert.deepEqual(widths.x, Object.keys(strict.parallel_widths));
  assert.deepEqual(widths.data, Object.values(strict.parallel_widths));
  assert.equal(widths.yType, 'log');
  await showView(page, 'conversations');
  const cats = await option('chart-categories');
  assert.equal(cats.data.length, Object.keys(strict.categories).length);
  assert.deepEqual(Object.fromEntries(cats.data.map((d) => [d.name, d.value])), strict.categories);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('JSONL + Parquet (snappy) + Parquet (zstd) dropped together equal the native core', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const files = [
    { path: fixtures.jsonl, name: 'mixed.jsonl' },
    { path: fixtures.snappy, name: 'kimi.snappy.parquet' },
    { path: fixtures.zstd, name: 'glm.zstd.parquet' },
  ];
  await dropFiles(page, files);
  assert.equal(await waitForIngest(page), 'done');
  const expected = native(files.map((f) => f.path));
  assertFiguresEqual(await metrics(page), expected.metrics);
  assert.equal(expected.metrics.rows, 750);
  // Per file and per source (labels come from the names): the native figures.
  const cell = async (row, col) => Number((await page.textContent(`${row} td[data-col="${col}"]`)).replaceAll(',', ''));
  for (const f of expected.files) {
    assert.equal(await cell(`tr[data-file="${f.name}"]`, 'rows'), f.summary.rows, `${f.name} rows`);
    assert.equal(await cell(`tr[data-file="${f.name}"]`, 'tool_calls'), f.summary.tool_calls, `${f.name} calls`);
  }
  const labels = await page.$$eval('[data-testid="source-label"]', (els) => els.map((e) => e.value));
  assert.deepEqual(labels, ['mixed', 'kimi', 'glm']);
  assert.equal(await cell('tr[data-source="kimi"]', 'rows'), 250);
  assert.equal(await cell('tr[data-source="total"]', 'rows'), 750);
  // The downloaded report equals the native core's, per source and in total, both definitions.
  const download = await fromMenu(page, 'download-report');
  const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(report.total, expected.report.total);
  assert.deepEqual(report.sources, expected.report.sources);
  assert.deepEqual(Object.keys(report.sources), ['mixed', 'kimi', 'glm']);
  assert.ok(report.total.tutorial.error_rows_pct > report.total.strict.error_rows_pct, 'the tutorial rule flags "error": null');
  // Editing a label regroups: glm's shard joins kimi.
  await page.fill('tr[data-file="glm.zstd.parquet"] [data-testid="source-label"]', 'kimi');
  await page.press('tr[data-file="glm.zstd.parquet"] [data-testid="source-label"]', 'Enter');
  await page.waitForFunction(() => !document.querySelector('tr[data-source="glm"]'));
  assert.equal(await cell('tr[data-source="kimi"]', 'rows'), 450);
  assert.equal(await cell('tr[data-source="kimi"]', 'files'), 2);
  assert.equal(await cell('tr[data-source="kimi"]', 'tool_calls'), expected.files[1].summary.tool_calls + expected.files[2].summary.tool_calls);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('a chosen folder is read whole: shards group by folder, other files are listed as not read', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const dir = join(OUT, 'folder');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'kimi'), { recursive: true });
  mkdirSync(join(dir, 'glm-5.1'), { recursive: true });
  const kimi = [
    generate('folder/kimi/train-00000-of-00002.jsonl', ['--rows', '120', '--seed', '31', '--format', 'jsonl']),
    generate('folder/kimi/train-00001-of-00002.jsonl', ['--rows', '80', '--seed', '32', '--format', 'jsonl']),
  ];
  const glm = generate('folder/glm-5.1/train.parquet', ['--rows', '90', '--seed', '33', '--format', 'parquet']);
  writeFileSync(join(dir, 'README.md'), '# not data\n');
  writeFileSync(join(dir, 'kimi', '.gitattributes'), '*.jsonl text\n');
  await page.setInputFiles('[data-testid="folder-input"]', dir);
  assert.equal(await waitForIngest(page), 'done');
  assertFiguresEqual(await metrics(page), native([...kimi, glm]).metrics);
  const cell = async (row, col) => Number((await page.textContent(`${row} td[data-col="${col}"]`)).replaceAll(',', ''));
  // Files are named by their path in the folder, and labelled by the folder they are in.
  const names = await page.$$eval('[data-testid="file-table"] tr[data-file]', (rows) => rows.map((r) => r.dataset.file));
  assert.deepEqual(names, ['folder/glm-5.1/train.parquet', 'folder/kimi/train-00000-of-00002.jsonl', 'folder/kimi/train-00001-of-00002.jsonl']);
  assert.equal(await cell('tr[data-source="kimi"]', 'files'), 2);
  assert.equal(await cell('tr[data-source="kimi"]', 'rows'), native(kimi).metrics.rows);
  assert.equal(await cell('tr[data-source="glm-5.1"]', 'rows'), 90);
  assert.match(await page.textContent('[data-testid="ignored-files"]'), /2 file\(s\) in the folder are not JSONL, JSON, gzip or Parquet by their names: folder\/README\.md, folder\/kimi\/\.gitattributes/);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('the SFT download is a messages JSONL whose every line parses', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await page.setInputFiles('[data-testid="file-input"]', [fixtures.snappy]);
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'export');
  const downloads = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-sft"]')]);
  const path = join(OUT, 'download.jsonl');
  await download.saveAs(path);
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const rows = lines.map((l) => JSON.parse(l));
  const manifest = await page.textContent('[data-testid="export-manifest"]');
  assert.match(manifest, /250 rows read = \d+ written \+ \d+ dropped/);
  assert.equal(rows.length, Number(manifest.match(/= (\d+) written/)[1]));
  const first = rows[0];
  assert.ok(Array.isArray(first.messages));
  assert.equal(first.messages[0].role, 'system');
  const roles = new Set(rows.flatMap((r) => r.messages.map((m) => m.role)));
  assert.deepEqual([...roles].sort(), ['assistant', 'system', 'tool', 'user']);
  const withCalls = first.messages.find((m) => m.tool_calls);
  assert.ok(withCalls, 'the first row has an assistant turn with tool calls');
  const call = withCalls.tool_calls[0];
  assert.equal(call.type, 'function');
  assert.equal(typeof call.id, 'string');
  assert.equal(typeof call.function.name, 'string');
  assert.equal(typeof call.function.arguments, 'object');
  assert.equal(typeof withCalls.reasoning_content, 'string');
  const tool = first.messages.find((m) => m.role === 'tool');
  assert.equal(tool.tool_call_id, call.id, 'the first tool message answers the first call');
  // One click, one download: the manifest has its own button.
  assert.deepEqual(downloads, [download.suggestedFilename()]);
  const [m] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-manifest"]')]);
  assert.equal(JSON.parse(readFileSync(await m.path(), 'utf8')).rows_read, 250);
  assert.equal(downloads.length, 2);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('a small file without tool calls: its speed is not "0 MB/s" and the tools chart says there are none', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const chat = join(OUT, 'chat.jsonl');
  const row = (i) => JSON.stringify({ id: `c${i}`, conversations: [
    { from: 'human', value: `question ${i}` }, { from: 'gpt', value: `<think>\nthinking ${i}\n</think>\nanswer ${i}` }] });
  writeFileSync(chat, Array.from({ length: 3 }, (_, i) => row(i)).join('\n') + '\n');
  await page.setInputFiles('[data-testid="file-input"]', [chat]);
  assert.equal(await waitForIngest(page), 'done');
  const m = await metrics(page);
  assert.equal(m.rows, 3);
  assert.equal(m.tool_calls, 0);
  const status = await page.textContent('[data-testid="ingest-status"]');
  assert.match(status, /Read 1 file\(s\), 0\.0 MB in [\d.]+ s \(\d+(\.\d+)? MB\/s;/, status);
  assert.doesNotMatch(status, /\(0 MB\/s/, status);
  await showView(page, 'tools');
  await page.waitForFunction(() => document.documentElement.dataset.chartsPending === '0');
  const title = await page.evaluate(() =>
    echarts.getInstanceByDom(document.querySelector('[data-testid="chart-top-tools"]')).getOption().title[0].text);
  assert.equal(title, 'No tool calls');
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('a file that is not a dataset gets a readable message and the others are still read', async () => {
  const { page, context } = await openApp(browser, site);
  const junk = join(OUT, 'notes.txt');
  execFileSync('sh', ['-c', `printf 'hello, this is not JSON\\n' > "${junk}"`]);
  await dropFiles(page, [{ path: junk, name: 'notes.txt' }, { path: fixtures.zstd, name: 'glm.zstd.parquet' }]);
  assert.equal(await waitForIngest(page), 'done');
  const m = await metrics(page);
  assert.equal(m.rows, 200);
  const diag = await page.textContent('[data-testid="diagnostics"] [data-diagnostic="unsupported_format"]');
  assert.match(diag, /^notes\.txt \(byte 0\): not JSONL, JSON, gzip or Parquet \(the file starts with "hello, this is n"\)$/);
  await context.close();
});

test('damaged files dropped together: every good row is analysed, each damage is named with its place, losses are shown beside the counts', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const rows = (name, n, seed) => readFileSync(generate(name, ['--rows', String(n), '--seed', String(seed), '--format', 'jsonl']), 'utf8').trimEnd().split('\n');
  const file = (name, bytes) => { const path = join(OUT, name); writeFileSync(path, bytes); return { path, name }; };
  const gzip = (text) => execFileSync('gzip', ['-c'], { input: text });
  const forty = rows('damage-40.jsonl', 40, 31);
  const sixty = rows('damage-60.jsonl', 60, 32);
  const whole = gzip(sixty.join('\n') + '\n');
  const cut = Math.floor(whole.length * 2 / 3);
  const pretty = JSON.stringify(JSON.parse(forty[0]), null, 2);
  const nullValue = JSON.stringify({ id: 'fields', conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: null }] });
  const files = [
    file('stray-bracket.jsonl', '[\n' + forty.join('\n') + '\n'),
    file('cut.jsonl.gz', whole.subarray(0, cut)),
    file('tail.jsonl.gz', Buffer.concat([gzip(forty.slice(0, 30).join('\n') + '\n'), Buffer.from('<html>502 Bad Gateway</html>\n')])),
    file('bom.json', '\ufeff[\r\n' + forty.slice(0, 5).join(',\r\n') + '\r\n]\r\n'),
    file('pretty.json', pretty),
    file('fields.jsonl', nullValue + '\n'),
    { path: generate('groups.parquet', ['--rows', '120', '--seed', '33', '--format', 'parquet', '--row-group-rows', '40', '--damage-row-group', '1']), name: 'groups.parquet' },
  ];
  await dropFiles(page, files);
  assert.equal(await waitForIngest(page), 'done');
  const expected = native(files.map((f) => f.path));
  assertFiguresEqual(await metrics(page), expected.metrics);
  const byName = Object.fromEntries(expected.files.map((r) => [r.name, r]));
  assert.equal(byName['stray-bracket.jsonl'].rows_analysed, 40, 'every row after the stray first line');
  assert.equal(byName['tail.jsonl.gz'].rows_analysed, 30, 'every row before the garbage');
  assert.ok(byName['cut.jsonl.gz'].rows_analysed > 20, 'the rows before the cut');
  assert.equal(byName['bom.json'].rows_analysed, 5);
  assert.equal(byName['pretty.json'].rows_analysed, 1);
  assert.equal(byName['groups.parquet'].rows_read, 120);
  assert.equal(byName['groups.parquet'].rows_analysed + byName['groups.parquet'].rows_skipped.corrupt_row_group, 120);

  // Each file's state reconciles, and names what could not be read.
  for (const r of expected.files) {
    const state = await page.textContent(`[data-testid="file-table"] tr[data-file="${r.name}"] [data-col="state"]`);
    const skipped = Object.values(r.rows_skipped).reduce((a, b) => a + b, 0);
    assert.ok(state.startsWith(`${r.rows_read} read = ${r.rows_analysed} analysed + ${skipped} skipped`), `${r.name}: ${state}`);
    assert.equal(state.includes('not read:'), (r.unread ?? []).length > 0, `${r.name}: ${state}`);
  }
  const cutState = await page.textContent('[data-testid="file-table"] tr[data-file="cut.jsonl.gz"] [data-col="state"]');
  assert.match(cutState, new RegExp(`not read: the file from byte ${cut} on \\(rows unknown, truncated_gzip\\)$`));
  const unread = await page.textContent('[data-testid="unread"]');
  assert.match(unread, /cut\.jsonl\.gz: the file from byte \d+ on \(rows unknown, truncated_gzip\)/);
  assert.match(unread, /tail\.jsonl\.gz: the file from byte \d+ on \(rows unknown, trailing_data\)/);

  // One clear message per damage, with its place.
  const diag = async (kind) => page.$$eval(`[data-testid="diagnostics"] [data-diagnostic="${kind}"]`, (els) => els.map((e) => e.textContent));
  assert.deepEqual(await diag('invalid_json'), ['stray-bracket.jsonl, line 1 (byte 0): invalid JSON at column 1: EOF while parsing a list at line 1 column 1']);
  const [truncated] = await diag('truncated_gzip');
  assert.match(truncated, new RegExp(`^cut\\.jsonl\\.gz, line \\d+ \\(byte \\d+\\): the file ends inside the gzip data \\(cut off: a partial download\\?\\): decoding stopped at byte ${cut} of the file, byte \\d+ of the decompressed text`));
  assert.match((await diag('trailing_data'))[0], /^tail\.jsonl\.gz \(byte \d+\): the gzip data ends at byte \d+, and the 29 bytes after it are not gzip: they were not read$/);
  assert.match((await diag('corrupt_row_group'))[0], /^groups\.parquet, line \d+: row group 1 \(rows 41–80 of the file\) cannot be decoded: .*; its \d+ rows from row \d+ on are skipped, the other row groups are still read$/);
  assert.deepEqual(await diag('row_warning'), ['fields.jsonl, line 1 (byte 0): message 1: "value" is null']);
  const formats = await page.$$eval('[data-testid="file-table"] tr[data-file] [data-col="format"]', (els) => els.map((e) => e.textContent));
  assert.ok(formats.includes('json') && formats.includes('jsonarray'), formats.join(', '));
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('a Parquet row group the decoder crashes on stops one worker, is left out and counted, and the rest is read', async () => {
  // The fuzz target's crash input (fuzz/corpus/ingest_parquet) applied to its base file, as
  // fuzz/harness.rs does: the parquet crate panics on this damage, and a panic aborts a worker.
  const { page, context, problems } = await openApp(browser, site);
  const base = readFileSync(generate('crash-base.parquet', ['--rows', '12', '--seed', '11', '--tricky', '0.2', '--format', 'parquet', '--compression', 'snappy', '--row-group-rows', '4']));
  const damage = readFileSync(join(ROOT, 'fuzz', 'corpus', 'ingest_parquet', 'crash-c4024da02a31ad3c0e2f420d42ab55dbfd9f5423'));
  for (let i = 0; i + 3 <= damage.length; i += 3) base[Math.floor(damage.readUInt16LE(i) * base.length / 65536)] = damage[i + 2];
  const path = join(OUT, 'crash.parquet');
  writeFileSync(path, base);
  const messages = [];
  page.on('console', (m) => messages.push(m.text()));
  await dropFiles(page, [{ path, name: 'crash.parquet' }, { path: fixtures.zstd, name: 'glm.zstd.parquet' }]);
  assert.equal(await waitForIngest(page), 'done');
  const expected = native([path, fixtures.zstd]);
  assertFiguresEqual(await metrics(page), expected.metrics);
  const crashed = expected.files.find((f) => f.name === 'crash.parquet');
  assert.deepEqual([crashed.rows_read, crashed.rows_analysed, crashed.rows_skipped.corrupt_row_group], [12, 8, 4]);
  assert.equal(await page.textContent('[data-testid="file-table"] tr[data-file="crash.parquet"] [data-col="state"]'), '12 read = 8 analysed + 4 skipped');
  const [diag] = await page.$$eval('[data-testid="diagnostics"] [data-diagnostic="corrupt_row_group"]', (els) => els.map((e) => e.textContent));
  assert.match(diag, /^crash\.parquet, line 1: row group 0 \(rows 1–4 of the file\) cannot be decoded: .*the Parquet decoder stopped the worker on it/);
  assert.ok(messages.some((m) => /the worker crashed/.test(m)), 'the worker did crash (and the page read the part again)');
  // The crash is logged by the worker as an error; nothing else is.
  assert.deepEqual(problems.consoleErrors.filter((e) => !/the worker crashed|RuntimeError|unreachable/.test(e)), []);
  assert.deepEqual([problems.pageErrors, problems.foreignRequests], [[], []]);
  await context.close();
});

test('gzip JSONL is read as a stream and cancel leaves partial figures and a usable page', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const gz = join(OUT, 'logs.jsonl.gz');
  execFileSync('sh', ['-c', `gzip -c "${fixtures.jsonl}" > "${gz}"`]);
  await page.setInputFiles('[data-testid="file-input"]', [gz]);
  assert.equal(await waitForIngest(page), 'done');
  const expected = native([gz]).metrics;
  assert.equal(expected.rows, 300);
  assertFiguresEqual(await metrics(page), expected);

  // A file big enough to take a while: cancel as soon as the first progress shows.
  const big = generate('big.jsonl', ['--bytes', '300M', '--seed', '21', '--format', 'jsonl']);
  const dropped = Date.now();
  await page.setInputFiles('[data-testid="file-input"]', [big]);
  await page.waitForSelector('[data-testid="cancel"]', { timeout: 30_000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-metric="rows"]')?.dataset.value) > 0, null, { timeout: 60_000 });
  console.log(`first figures ${Date.now() - dropped} ms after the 300 MB file was given to the page`);
  await page.click('[data-testid="cancel"]');
  assert.equal(await waitForIngest(page, 10_000), 'done');
  assert.equal(await page.getAttribute('[data-testid="ingest-status"]', 'data-partial'), 'true');
  const partial = await metrics(page);
  const whole = native([big]).metrics;
  assert.ok(partial.rows > 0 && partial.rows < whole.rows, `partial ${partial.rows} of ${whole.rows}`);
  // What was read before the cancel still reconciles.
  assert.equal(partial.rows_analysed, partial.rows);
  assert.equal(partial.rows_read, partial.rows_analysed + partial.rows_skipped);
  assert.match(await page.textContent('[data-testid="file-table"] [data-col="state"]'), /^cancelled \(partial\): \d+ read = \d+ analysed \+ 0 skipped$/);
  assert.match(await page.textContent('[data-testid="ingest-status"]'), /Cancelled after [\d.]+ MB: figures are partial/);

  // The page is still usable: the sample loads as usual (the state leaves "done" only once the
  // sample has been fetched, so wait for the partial mark to go).
  await page.click('[data-testid="load-sample"]');
  await page.waitForSelector('[data-testid="ingest-status"][data-partial="false"]');
  assert.equal(await waitForIngest(page), 'done');
  assert.equal((await metrics(page)).rows, native([join(ROOT, 'public', 'sample.jsonl')]).metrics.rows);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('every dialect is analysed, its name shown per file, and flagged rows listed', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const write = (name, rows) => {
    const path = join(OUT, name);
    writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return { path, name };
  };
  const call = (name, args) => `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;
  const files = [
    write('openai.jsonl', [{ messages: [
      { role: 'user', content: 'list' },
      { role: 'assistant', content: null, reasoning_content: 'run ls', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'terminal', arguments: '{"command": "ls"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'a.txt' },
      { role: 'assistant', content: 'one file' }] }]),
    write('rolecontent.jsonl', [{ conversations: [{ role: 'user', content: 'x' }, { role: 'assistant', content: '<think>a</think>b' }] }]),
    write('hermes-log.jsonl', [{ conversations: [{ from: 'human', value: 'x' }, { from: 'gpt', value: `<think>\n</think>\n${call('terminal', { command: 'ls' })}` }, { from: 'tool', value: '<tool_response>\n{"tool_call_id": "t:0", "name": "terminal", "content": {"output": "", "exit_code": 0, "error": null}}\n</tool_response>' }], timestamp: '2026-01-01T00:00:00', model: 'm', completed: true }]),
    write('sharegpt.jsonl', [{ id: 'row-1', tools: '[{"type": "function", "function": {"name": "terminal", "parameters": {"type": "object"}}}]', conversations: [{ from: 'human', value: 'x' }, { from: 'gpt', value: `<think>\nhmm\n${call('browser', {})}` }] }]),
  ];
  await dropFiles(page, files);
  assert.equal(await waitForIngest(page), 'done');
  const dialect = (name) => page.textContent(`tr[data-file="${name}"] td[data-col="dialect"]`);
  assert.equal(await dialect('openai.jsonl'), 'openai_messages');
  assert.equal(await dialect('rolecontent.jsonl'), 'sharegpt_role_content');
  assert.equal(await dialect('hermes-log.jsonl'), 'hermes_log');
  assert.equal(await dialect('sharegpt.jsonl'), 'sharegpt');
  const m = await metrics(page);
  assert.equal(m.rows, 4);
  assert.equal(m.tool_calls, 2, 'the call inside an unclosed <think> is reasoning, not a call');
  assert.equal(await page.getAttribute('[data-testid="quality"] [data-flag="unclosed_think"]', 'data-value'), '1');
  await page.click('[data-testid="quality"] summary');
  assert.match(await page.textContent('[data-testid="quality"] [data-file="sharegpt.jsonl"][data-flagged-row="1"]'), /sharegpt\.jsonl, row 1 \(row-1\): unclosed_think/);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('a crash in a worker or in the page ends in a readable message, never a blank page', async () => {
  // Worker: the message names the crash, and the replaced worker reads the sample afterwards.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.url + '?selftest=worker-panic');
    await page.waitForSelector('[data-testid="ingest-status"][data-state="error"]');
    assert.match(await page.textContent('[data-testid="ingest-status"]'), /Error: the worker crashed: .*self-test: a deliberate panic in the worker/s);
    await page.click('[data-testid="load-sample"]');
    await page.waitForSelector('[data-testid="ingest-status"][data-state="done"]', { timeout: 60_000 });
    assert.equal((await metrics(page)).rows, native([join(ROOT, 'public', 'sample.jsonl')]).metrics.rows);
    await context.close();
  }
  // Page: the panic message is written into the page itself.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.url + '?selftest=page-panic');
    await page.waitForSelector('[data-testid="fatal-error"]');
    assert.match(await page.textContent('[data-testid="fatal-error"]'), /The page hit a bug and stopped: .*self-test: a deliberate panic in the page/s);
    assert.ok(await page.isVisible('[data-testid="fatal-error"]'));
    await context.close();
  }
});

test('a large JSONL read by several workers at once gives the native figures and line numbers', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const workers = await page.evaluate(() => Math.max(2, Math.min(16, navigator.hardwareConcurrency)));
  // 80 MB with broken lines spread through it, so diagnostics must be renumbered across parts.
  const base = generate('split-base.jsonl', ['--bytes', '80M', '--seed', '31', '--format', 'jsonl']);
  const lines = readFileSync(base, 'utf8').split('\n');
  for (let i = 7; i < lines.length; i += Math.floor(lines.length / 9)) lines.splice(i, 0, '{"conversations": [');
  const path = join(OUT, 'split.jsonl');
  writeFileSync(path, lines.join('\n'));
  await page.setInputFiles('[data-testid="file-input"]', [path]);
  await page.waitForFunction(() => /in \d+ parts/.test(document.querySelector('[data-testid="file-table"]')?.textContent ?? ''), null, { timeout: 30_000 });
  assert.equal(await waitForIngest(page), 'done');
  const expected = native([path]);
  assertFiguresEqual(await metrics(page), expected.metrics);
  assert.ok(expected.metrics.rows_skipped >= 9, `${expected.metrics.rows_skipped} skipped`);
  const shown = await page.$$eval('[data-testid="diagnostics"] [data-diagnostic]', (els) => els.map((e) => e.textContent));
  const want = expected.files[0].diagnostics.map((d) => `${d.file}, line ${d.line} (byte ${d.offset}): ${d.message}`);
  assert.deepEqual(shown, want);
  assert.ok(workers >= 2);
  const memory = Number(await page.getAttribute('[data-testid="ingest-status"]', 'data-peak-wasm-memory'));
  assert.ok(memory > 0, 'the workers report their wasm memory');
  console.log(`largest worker wasm memory for an 80 MB file: ${(memory / 1e6).toFixed(0)} MB`);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('a browser without BYOB stream readers reads its files synchronously, with the same figures', async () => {
  const { page, context, problems } = await openApp(browser, site);
  // The workers' start script, served with the BYOB reader taken away (as in a browser without
  // one): the workers read by FileReaderSync instead.
  await context.route('**/worker_loader.js', async (route) => {
    const body = await (await route.fetch()).text();
    await route.fulfill({ contentType: 'text/javascript', body: `delete self.ReadableStreamBYOBReader;\n${body}` });
  });
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  await page.reload();
  await page.waitForSelector('[data-testid="ingest-status"]');
  // The workers running now (a worker of the page before the reload may be closing).
  const byob = async () => (await Promise.all(workers.map((w) => w.evaluate(() => typeof self.ReadableStreamBYOBReader).catch(() => null)))).filter((t) => t !== null);
  for (let i = 0; (await byob()).length < 2 && i < 200; i++) await page.waitForTimeout(50);
  const seen = await byob();
  assert.ok(seen.length >= 2 && seen.every((t) => t === 'undefined'), `BYOB reader in the workers: ${seen}`);
  const files = [
    { path: fixtures.jsonl, name: 'mixed.jsonl' },
    { path: fixtures.snappy, name: 'kimi.snappy.parquet' },
  ];
  await dropFiles(page, files);
  assert.equal(await waitForIngest(page), 'done');
  const expected = native(files.map((f) => f.path));
  assertFiguresEqual(await metrics(page), expected.metrics);
  assert.equal(expected.metrics.rows, 550);
  const diagnostics = await page.$$eval('[data-testid="diagnostics"] [data-diagnostic]', (els) => els.map((e) => e.textContent));
  assert.ok(!diagnostics.some((d) => /reading stopped/.test(d)), diagnostics.join('\n'));
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('the chart follows the dark theme, also when the system switches, and resizes with the window', async () => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.url);
  await page.click('[data-testid="load-sample"]');
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'tools');
  const canvas = '[data-testid="chart-top-tools"] canvas';
  await page.waitForSelector(canvas);
  await page.waitForTimeout(300);
  const corner = await page.$eval(canvas, (c) => Array.from(c.getContext('2d').getImageData(2, 2, 1, 1).data));
  assert.ok(corner[3] > 200 && corner[0] < 80 && corner[1] < 80 && corner[2] < 80, `an opaque dark background, got rgba ${corner}`);
  // The system switches to light, then back to dark: the open charts follow.
  const cornerOf = () => page.$eval(canvas, (c) => Array.from(c.getContext('2d').getImageData(2, 2, 1, 1).data));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(500);
  const light = await cornerOf();
  assert.ok(light[3] < 50 || Math.min(light[0], light[1], light[2]) > 180, `a light or clear background, got rgba ${light}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(500);
  const dark = await cornerOf();
  assert.ok(dark[3] > 200 && dark[0] < 80, `dark again, got rgba ${dark}`);
  const before = await page.$eval(canvas, (c) => c.getBoundingClientRect().width);
  await page.setViewportSize({ width: 800, height: 900 });
  await page.waitForFunction(([sel, w]) => document.querySelector(sel).getBoundingClientRect().width < w - 100, [canvas, before]);
  await context.close();
});

test('the explorer lists every row, and its filters count what the native core counts', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await page.setInputFiles('[data-testid="file-input"]', [fixtures.jsonl]);
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'trajectories');
  const summary = native([fixtures.jsonl]).files[0].summary;
  const count = async () => Number(await page.getAttribute('[data-testid="explorer-count"]', 'data-value'));
  assert.equal(await count(), summary.rows);
  // Virtualised: far fewer row elements than rows.
  const inDom = await page.$$eval('[data-testid="trajectory-row"]', (els) => els.length);
  assert.ok(inDom > 5 && inDom < 40, `${inDom} rows in the DOM for ${summary.rows}`);
  const [category, rows] = Object.entries(summary.categories).sort((a, b) => b[1] - a[1])[0];
  await page.selectOption('[data-testid="filter-category"]', category);
  assert.equal(await count(), rows, `category ${category}`);
  await page.selectOption('[data-testid="filter-category"]', '');
  await page.selectOption('[data-testid="filter-failure"]', 'strict');
  assert.equal(await count(), summary.rows_with_failure);
  await page.selectOption('[data-testid="filter-failure"]', 'tutorial');
  assert.equal(await count(), summary.tutorial.rows_with_error);
  await page.selectOption('[data-testid="filter-failure"]', '');
  const [flag, flagged] = Object.entries(summary.flagged_rows)[0];
  await page.selectOption('[data-testid="filter-flag"]', flag);
  assert.equal(await count(), flagged, `flag ${flag}`);
  await page.selectOption('[data-testid="filter-flag"]', '');
  // Sorting by turns, descending: the first row has the most turns.
  await page.click('[data-sort="turns"]');
  await page.click('[data-sort="turns"]');
  const turns = await page.$$eval('[data-testid="trajectory-row"] span:nth-child(7)', (els) => els.map((e) => Number(e.textContent)));
  assert.deepEqual(turns, [...turns].sort((a, b) => b - a));
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

/** Writes rows as a JSONL file under OUT. */
function writeRows(name, rows) {
  const path = join(OUT, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

const callBlock = (name, args, id) => `<tool_call>\n${JSON.stringify({ name, arguments: args, id })}\n</tool_call>`;

test('a trajectory opens step by step: parallel calls grouped, each response under its own call, keyboard moves', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const rows = [1, 2, 3].map((n) => ({
    id: `row-${n}`,
    category: 'search',
    task: `Task number ${n}`,
    conversations: [
      { from: 'system', value: 'You are a function calling AI model.' },
      { from: 'human', value: `Find ${n}` },
      { from: 'gpt', value: `<think>two lookups at once</think>\n${callBlock('web_search', { q: 'a' }, 'c1')}\n${callBlock('read_file', { path: '/b' }, 'c2')}` },
      // Answered in the other order: pairing is by id.
      { from: 'tool', value: `<tool_response>\n${JSON.stringify({ tool_call_id: 'c2', name: 'read_file', content: 'contents of b' })}\n</tool_response>\n<tool_response>\n${JSON.stringify({ tool_call_id: 'c1', name: 'web_search', content: { output: 'results for a', error: 'Traceback (most recent call last): boom' } })}\n</tool_response>` },
      { from: 'gpt', value: 'All done.' },
    ],
  }));
  await page.setInputFiles('[data-testid="file-input"]', [writeRows('parallel.jsonl', rows)]);
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'trajectories');
  await page.click('[data-testid="trajectory-row"][data-id="row-2"]');
  await page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  assert.equal(await page.textContent('[data-testid="trace-id"]'), 'row-2');
  assert.equal(await page.getAttribute('[data-testid="parallel-calls"]', 'data-calls'), '2');
  const responseOf = (tool) => page.textContent(`[data-testid="tool-call"][data-tool="${tool}"] [data-testid="tool-response"] pre`);
  assert.match(await responseOf('web_search'), /results for a/);
  assert.match(await responseOf('read_file'), /contents of b/);
  assert.equal(await page.getAttribute('[data-testid="tool-call"][data-tool="web_search"] [data-testid="tool-response"]', 'data-failed'), 'true');
  assert.equal(await page.getAttribute('[data-testid="tool-call"][data-tool="read_file"] [data-testid="tool-response"]', 'data-failed'), 'false');
  // The system prompt is folded.
  assert.equal(await page.getAttribute('[data-testid="trace-system"]', 'open'), null);
  // Keyboard: j/k move between trajectories, n/p between steps, Esc closes, ? shows help.
  await page.keyboard.press('j');
  await page.waitForFunction(() => document.querySelector('[data-testid="trace-id"]')?.textContent === 'row-3');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await page.waitForFunction(() => document.querySelector('[data-testid="trace-id"]')?.textContent === 'row-1');
  await page.keyboard.press('n');
  assert.equal(await page.getAttribute('li.step.current', 'data-step'), '1');
  await page.keyboard.press('n');
  await page.keyboard.press('p');
  assert.equal(await page.getAttribute('li.step.current', 'data-step'), '1');
  // Replay shows the steps up to the current one only.
  await page.check('[data-testid="replay"]');
  assert.equal(await page.$$eval('li.step:not(.hidden)', (els) => els.length), 2);
  await page.keyboard.press('n');
  assert.equal(await page.$$eval('li.step:not(.hidden)', (els) => els.length), 3);
  await page.uncheck('[data-testid="replay"]');
  await page.keyboard.press('?');
  await page.waitForSelector('[data-testid="help"]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="help"]', { state: 'detached' });
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="trace-view"]', { state: 'detached' });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'explorer-search');
  await page.keyboard.type('number 2');
  assert.equal(await page.getAttribute('[data-testid="explorer-count"]', 'data-value'), '1');
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('data that looks like HTML or script is shown literally and never runs', async () => {
  const { page, context, problems } = await openApp(browser, site);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  const evil = [
    '<script>window.__pwned = 1</script>',
    '<img src=x onerror="window.__pwned = 2">',
    '<a href="javascript:window.__pwned = 3">click</a>',
    '&lt;b&gt;entity&lt;/b&gt; &amp; <svg onload="alert(1)">',
  ].join(' ');
  const row = {
    id: 'evil-1',
    task: `Task ${evil}`,
    conversations: [
      { from: 'human', value: evil },
      { from: 'gpt', value: `<think>${evil}</think>\n${callBlock('terminal', { command: evil }, 'c1')}` },
      { from: 'tool', value: `<tool_response>\n${JSON.stringify({ tool_call_id: 'c1', output: evil })}\n</tool_response>` },
      { from: 'gpt', value: evil },
    ],
  };
  await page.setInputFiles('[data-testid="file-input"]', [writeRows('evil.jsonl', [row])]);
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'trajectories');
  await page.click('[data-testid="trajectory-row"][data-id="evil-1"]');
  await page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  await page.waitForTimeout(300);
  const text = await page.textContent('[data-testid="trace-view"]');
  for (const piece of ['<script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 2">', '&lt;b&gt;entity&lt;/b&gt;']) {
    assert.ok(text.includes(piece), `shown literally: ${piece}`);
  }
  const injected = await page.$$eval('[data-testid="trace-view"] script, [data-testid="trace-view"] img, [data-testid="trace-view"] svg, [data-testid="trace-view"] a[href^="javascript"]', (els) => els.length);
  assert.equal(injected, 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);
  // A Content-Security-Policy forbids inline and remote scripts, whatever gets into the page.
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.equal(await page.$$eval('script:not([src])', (els) => els.length), 0);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('a trajectory with a 5 MB tool output opens without freezing the page', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await page.addInitScript(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.reload();
  const big = 'x'.repeat(5 * 1024 * 1024);
  const row = {
    id: 'huge-1',
    conversations: [
      { from: 'human', value: 'cat the log' },
      { from: 'gpt', value: callBlock('terminal', { command: 'cat big.log' }, 'c1') },
      { from: 'tool', value: `<tool_response>\n${JSON.stringify({ tool_call_id: 'c1', output: big })}\n</tool_response>` },
    ],
  };
  await page.setInputFiles('[data-testid="file-input"]', [writeRows('huge.jsonl', [row])]);
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'trajectories');
  const before = await page.evaluate(() => { const b = window.__longest; window.__longest = 0; return b; });
  await page.click('[data-testid="trajectory-row"][data-id="huge-1"]');
  await page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  const shown = await page.textContent('[data-testid="tool-response"] pre');
  assert.ok(shown.length < 10_000, `cut to ${shown.length} characters`);
  assert.match(await page.textContent('[data-testid="show-all"]'), /show all \(5\d{3}\.\d KB\)/);
  await page.waitForTimeout(200);
  const longest = await page.evaluate(() => window.__longest);
  console.log(`longest main-thread task while opening a 5 MB output: ${Math.round(longest)} ms (while loading and reading: ${Math.round(before)} ms)`);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('the URL keeps filters, sort, open row and step; reload and re-drop restore them; a trajectory downloads', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await page.setInputFiles('[data-testid="file-input"]', [fixtures.jsonl]);
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'trajectories');
  await page.selectOption('[data-testid="filter-failure"]', 'tutorial');
  await page.fill('[data-testid="filter-min-turns"]', '4');
  await page.click('[data-sort="think_words"]');
  const count = await page.getAttribute('[data-testid="explorer-count"]', 'data-value');
  const second = page.locator('[data-testid="trajectory-row"]').nth(1);
  const id = await second.getAttribute('data-id');
  await second.click();
  await page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  await page.keyboard.press('n');
  await page.keyboard.press('n');
  await page.waitForFunction(() => /step=2/.test(location.hash));
  const url = page.url();
  assert.match(url, /failure=tutorial/);
  assert.match(url, /min_turns=4/);
  assert.match(url, /sort=think_words/);
  assert.match(url, /row=mixed\.jsonl%3A\d+/);
  // Both downloads of the open trajectory: the line as in the file, and the parsed layout.
  const [raw] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-trajectory-raw"]')]);
  const line = JSON.parse(readFileSync(await raw.path(), 'utf8'));
  assert.equal(line.id, id);
  const [parsed] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-trajectory-parsed"]')]);
  const view = JSON.parse(readFileSync(await parsed.path(), 'utf8'));
  assert.equal(view.id, id);
  assert.ok(view.steps.length > 0);

  await page.reload();
  await page.waitForSelector('[data-testid="ingest-status"][data-state="idle"]');
  assert.equal(page.url(), url, 'the URL survives the reload');
  await page.setInputFiles('[data-testid="file-input"]', [fixtures.jsonl]);
  assert.equal(await waitForIngest(page), 'done');
  await page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  assert.equal(await page.textContent('[data-testid="trace-id"]'), id);
  assert.equal(await page.getAttribute('[data-testid="explorer-count"]', 'data-value'), count);
  assert.equal(await page.inputValue('[data-testid="filter-failure"]'), 'tutorial');
  assert.equal(await page.inputValue('[data-testid="filter-min-turns"]'), '4');
  assert.equal(await page.getAttribute('li.step.current', 'data-step'), '2');
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('search inside trajectories runs in the workers, equals the native search, and opens at the match', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await page.setInputFiles('[data-testid="file-input"]', [fixtures.jsonl]);
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'trajectories');
  const nativeSearch = (pattern, scope, regex) => {
    const args = [fixtures.jsonl, '--search', pattern, '--scope', scope, ...(regex ? ['--regex'] : [])];
    return JSON.parse(execFileSync(bin('analyse'), args, { encoding: 'utf8', maxBuffer: 1 << 28 })).search['mixed.jsonl'];
  };
  const rows = native([fixtures.jsonl]).metrics.rows;
  const search = async (pattern, scope, regex) => {
    await page.fill('[data-testid="deep-search"]', pattern);
    await page.selectOption('[data-testid="deep-search-scope"]', scope);
    await page.setChecked('[data-testid="deep-search-regex"]', regex);
    await page.click('[data-testid="deep-search-run"]');
    await page.waitForSelector('[data-testid="deep-search-status"][data-state="done"]');
    return Number(await page.getAttribute('[data-testid="explorer-count"]', 'data-value'));
  };
  const candidates = [['Traceback', 'responses'], ['error', 'any'], ['import', 'calls'], ['file', 'reasoning']];
  const [pattern, scope] = candidates.find(([p, s]) => { const n = nativeSearch(p, s, false).length; return n > 0 && n < rows; });
  const expected = nativeSearch(pattern, scope, false);
  assert.equal(await search(pattern, scope, false), expected.length, `"${pattern}" in ${scope}`);
  // A regex, case-insensitive: the same rows as the native search.
  const regex = `${pattern.slice(0, 2).toUpperCase()}.${pattern.slice(3)}`;
  assert.equal(await search(regex, scope, true), nativeSearch(regex, scope, true).length);
  // The first result opens at the step holding the match, highlighted.
  await page.locator('[data-testid="trajectory-row"]').first().click();
  await page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  assert.ok(await page.$$eval('li.step.current [data-testid="match"]', (els) => els.length) > 0, 'the current step holds a highlighted match');
  await page.click('[data-testid="deep-search-clear"]');
  assert.equal(Number(await page.getAttribute('[data-testid="explorer-count"]', 'data-value')), rows);
  // A bad regex is a message, not a crash.
  await page.fill('[data-testid="deep-search"]', '(unclosed');
  await page.click('[data-testid="deep-search-run"]');
  await page.waitForSelector('[data-testid="deep-search-status"][data-state="error"]');
  assert.match(await page.textContent('[data-testid="deep-search-status"]'), /not a valid regular expression/);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('100,000 trajectories: the list stays small in the DOM and scrolls to the last row', async () => {
  const { page, context, problems } = await openApp(browser, site);
  const cats = ['coding', 'search', 'files', 'data'];
  const rows = Array.from({ length: 100_000 }, (_, i) => ({
    id: `r${i}`,
    category: cats[i % 4],
    conversations: [
      { from: 'human', value: `task ${i}` },
      { from: 'gpt', value: `<think>step ${i}</think>${callBlock('terminal', { n: i }, `c${i}`)}` },
      { from: 'tool', value: `<tool_response>{"tool_call_id": "c${i}", "output": "ok"}</tool_response>` },
    ],
  }));
  await page.setInputFiles('[data-testid="file-input"]', [writeRows('many.jsonl', rows)]);
  assert.equal(await waitForIngest(page), 'done');
  await showView(page, 'trajectories');
  await page.waitForSelector('[data-testid="explorer-count"][data-value="100000"]');
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask' });
  });
  const list = page.locator('[data-testid="trajectory-list"]');
  for (let i = 1; i <= 20; i++) {
    await list.evaluate((el, f) => { el.scrollTop = el.scrollHeight * f; }, i / 20);
    await page.waitForTimeout(30);
  }
  await page.waitForSelector('[data-testid="trajectory-row"][data-id="r99999"]');
  const inDom = await page.$$eval('[data-testid="trajectory-row"]', (els) => els.length);
  assert.ok(inDom < 40, `${inDom} rows in the DOM`);
  console.log(`longest main-thread task while scrolling 100,000 rows: ${Math.round(await page.evaluate(() => window.__longest))} ms`);
  await page.selectOption('[data-testid="filter-category"]', 'files');
  assert.equal(await page.getAttribute('[data-testid="explorer-count"]', 'data-value'), '25000');
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('clicking a slice or a bar filters the page: a chip shows it, the selection figures and the list follow, removing the chip undoes it', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await page.setInputFiles('[data-testid="file-input"]', [fixtures.jsonl]);
  assert.equal(await waitForIngest(page), 'done');
  const summary = native([fixtures.jsonl]).files[0].summary;
  await showView(page, 'tools');
  await page.waitForTimeout(1200); // the charts' first animation
  // Click the middle of a bar (top tools: horizontal bars, tool names on the y axis).
  const clickItem = async (id, pixel) => {
    await page.locator(`[data-testid="${id}"]`).scrollIntoViewIfNeeded();
    const box = await page.locator(`[data-testid="${id}"]`).boundingBox();
    const [x, y] = await page.evaluate(pixel, id);
    await page.mouse.click(box.x + x, box.y + y);
  };
  const [tool, calls] = Object.entries(summary.tool_counts).filter(([t]) => t !== '<malformed>').sort((a, b) => b[1] - a[1])[0];
  await clickItem('chart-top-tools', (sel) => {
    const chart = echarts.getInstanceByDom(document.querySelector(`[data-testid="${sel}"]`));
    const s = chart.getOption().series[0];
    const i = chart.getOption().yAxis[0].data.indexOf(window.__tool);
    const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [s.data[i] / 2, window.__tool]);
    return [x, y];
  }, await page.evaluate((t) => { window.__tool = t; }, tool));
  await page.waitForSelector('[data-testid="chip"][data-chip="tool"]');
  assert.equal(await page.textContent('[data-testid="filter-chips"] [data-chip="tool"]'), `tool: ${tool} ×`);
  const selected = Number(await page.getAttribute('[data-metric="selected_rows"]', 'data-value'));
  // "Show the rows" opens the list, filtered.
  await page.click('[data-testid="show-rows"]');
  await page.waitForSelector('[data-testid="view-trajectories"]');
  assert.equal(Number(await page.getAttribute('[data-testid="explorer-count"]', 'data-value')), selected);
  assert.ok(selected > 0 && selected < summary.rows, `${selected} rows call ${tool}`);
  assert.ok(Number(await page.getAttribute('[data-metric="selected_tool_calls"]', 'data-value')) >= calls);
  // Removing the chip restores every row.
  await page.click('[data-testid="filter-chips"] [data-chip="tool"]');
  await page.waitForSelector('[data-testid="filter-chips"]', { state: 'detached' });
  assert.equal(Number(await page.getAttribute('[data-testid="explorer-count"]', 'data-value')), summary.rows);
  // A category slice: the selection is exactly the native count of that category.
  const [category, rows] = Object.entries(summary.categories).filter(([c]) => c !== '<none>').sort((a, b) => b[1] - a[1])[0];
  await showView(page, 'conversations');
  // ECharts has no pixel lookup for pie slices: fire the chart's own click event for the slice.
  await page.evaluate(([sel, name]) => {
    const chart = echarts.getInstanceByDom(document.querySelector(`[data-testid="${sel}"]`));
    chart.trigger('click', { name, componentType: 'series', seriesType: 'pie' });
  }, ['chart-categories', category]);
  await page.waitForSelector('[data-testid="chip"][data-chip="category"]');
  assert.equal(Number(await page.getAttribute('[data-metric="selected_rows"]', 'data-value')), rows);
  await showView(page, 'trajectories');
  assert.equal(Number(await page.getAttribute('[data-testid="explorer-count"]', 'data-value')), rows);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});
