// End-to-end: the compare view (issue: compare). Two generated sources whose agents differ in
// one habit (glm calls tools in parallel more often) are dropped as a folder; the link opens
// the compare view of the two; the planted difference leads, its figures equal the native
// core's, the same tasks pair by id, the differences download as JSON, and the link restores
// the view in a fresh page. The pairs narrow by outcome, a pair opens side by side with each
// side's own figures, and the filter compares against the rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, serve, launch, openApp, waitForIngest, native, generate } from './harness.mjs';

let site, browser, dir, kimi, glm;

before(async () => {
  dir = join(OUT, 'compare');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'kimi'), { recursive: true });
  mkdirSync(join(dir, 'glm'), { recursive: true });
  // The same seed: the same tasks and ids, answered with different habits.
  kimi = generate('compare/kimi/train.jsonl', ['--rows', '400', '--seed', '21', '--parallel', '0.16']);
  glm = generate('compare/glm/train.jsonl', ['--rows', '400', '--seed', '21', '--parallel', '0.45']);
  site = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

const diffs = (page) => page.$$eval('[data-diff]', (rows) => rows.map((r) => ({
  key: r.dataset.diff,
  a: Number(r.dataset.a),
  b: Number(r.dataset.b),
  ratio: Number(r.dataset.ratio),
  low: Number(r.dataset.low),
  high: Number(r.dataset.high),
  significant: r.dataset.significant === 'true',
})));

async function openCompare(page) {
  await page.setInputFiles('[data-testid="folder-input"]', dir);
  assert.equal(await waitForIngest(page), 'done');
  await page.evaluate(() => { location.hash = 'view=compare&a=kimi&b=glm'; });
  await page.waitForSelector('[data-testid="compare"] [data-diff]');
}

test('two sources compared: the planted difference leads, with the native figures', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await openCompare(page);
  assert.equal(await page.inputValue('[data-testid="compare-a"]'), 'kimi');
  assert.equal(await page.inputValue('[data-testid="compare-b"]'), 'glm');
  const all = await diffs(page);
  assert.match(all[0].key, /parallel_turn_pct$/, JSON.stringify(all.slice(0, 3)));
  const p = all.find((d) => d.key === 'strict.parallel_turn_pct');
  assert.ok(p.significant && p.low > 1.5 && p.low <= p.ratio && p.ratio <= p.high, JSON.stringify(p));
  // Each side's figure is the native core's for that source's rows.
  const [na, nb] = [native([kimi]).report.total.strict, native([glm]).report.total.strict];
  assert.ok(Math.abs(p.a - na.parallel_turn_pct) < 1e-9 && Math.abs(p.b - nb.parallel_turn_pct) < 1e-9);
  const t = all.find((d) => d.key === 'strict.turns_mean');
  assert.ok(Math.abs(t.a - na.turns_mean) < 1e-9 && Math.abs(t.b - nb.turns_mean) < 1e-9);
  // The same generated tasks pair by id.
  assert.equal(await page.$$eval('[data-testid="compare-pairs"] [data-pair]', (r) => r.length), 200);
  // Every difference downloads as JSON keyed by its report key.
  const download = page.waitForEvent('download');
  await page.click('[data-testid="download-compare"]');
  const saved = join(OUT, 'compare.json');
  await (await download).saveAs(saved);
  const doc = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(doc.differences['strict.parallel_turn_pct'].a, p.a);
  assert.equal(Object.keys(doc.differences).length, all.length);
  // Swapping the groups turns the ratio over.
  await page.selectOption('[data-testid="compare-a"]', 'glm');
  await page.selectOption('[data-testid="compare-b"]', 'kimi');
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-diff="strict.parallel_turn_pct"]');
    return r && Number(r.dataset.ratio) < 1;
  });
  assert.match(await page.evaluate(() => location.hash), /a=glm&b=kimi/);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('the compare link restores the view once the same files are dropped', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}#view=compare&a=glm&b=kimi`);
  await page.setInputFiles('[data-testid="folder-input"]', dir);
  assert.equal(await waitForIngest(page), 'done');
  await page.waitForSelector('[data-testid="compare"] [data-diff]');
  assert.equal(await page.inputValue('[data-testid="compare-a"]'), 'glm');
  assert.equal(await page.inputValue('[data-testid="compare-b"]'), 'kimi');
  await context.close();
});

const pairsListed = (page) => page.$$eval('[data-testid="compare-pairs"] [data-pair]', (rows) => rows.map((r) => ({
  key: r.dataset.pair, a: r.dataset.failedA === 'true', b: r.dataset.failedB === 'true',
})));

test('pairs narrow by outcome and one opens side by side, step beside step', async () => {
  const { page, context, problems } = await openCompare2(browser);
  // Every listed pair is one where kimi failed and glm did not.
  await page.selectOption('[data-testid="compare-pair-filter"]', 'a_failed');
  await page.waitForFunction(() => location.hash.includes('pairs=a_failed'));
  const listed = await pairsListed(page);
  assert.ok(listed.length > 0, 'some pair has kimi failing where glm does not');
  assert.ok(listed.every((p) => p.a && !p.b), JSON.stringify(listed.slice(0, 5)));
  // The four outcomes split every pair between them.
  let total = 0;
  for (const o of ['a_failed', 'b_failed', 'both_failed', 'neither_failed']) {
    await page.selectOption('[data-testid="compare-pair-filter"]', o);
    await page.waitForFunction((o) => location.hash.includes(`pairs=${o}`), o);
    const matching = Number(await page.getAttribute('[data-testid="compare-pairs"]', 'data-matching'));
    assert.equal((await pairsListed(page)).length, Math.min(matching, 200));
    total += matching;
  }
  assert.equal(total, 400);
  await page.selectOption('[data-testid="compare-pair-filter"]', 'a_failed');
  await page.waitForFunction(() => location.hash.includes('pairs=a_failed'));
  // The first pair opens: both rows re-read, the failing side has failed results, the other none.
  const first = (await pairsListed(page))[0];
  await page.click(`[data-pair="${first.key}"] [data-testid="open-pair"]`);
  await page.waitForSelector('[data-testid="compare-pair"][data-state="shown"]');
  const sides = await page.$$eval('[data-testid="compare-pair"] .side', (els) => els.map((e) => ({
    side: e.dataset.side, steps: Number(e.dataset.steps), calls: Number(e.dataset.calls), failed: Number(e.dataset.failed),
  })));
  assert.deepEqual(sides.map((s) => s.side), ['a', 'b']);
  assert.ok(sides[0].failed > 0 && sides[1].failed === 0, JSON.stringify(sides));
  // Each side's calls are the list's (the index) for that row.
  const listedCalls = await page.$eval(`[data-pair="${first.key}"] td:nth-child(3)`, (td) => td.textContent);
  assert.equal(listedCalls, `${sides[0].calls} / ${sides[1].calls}`);
  // Step beside step: every step of both sides is on a line, roles matched where both have one.
  const lines = await page.$$eval('[data-testid="pair-steps"] > li', (lis) => lis.map((li) =>
    [...li.querySelectorAll(':scope > .cell')].map((c) => (c.classList.contains('empty') ? null : c.dataset.role))));
  assert.equal(lines.filter((l) => l[0]).length, sides[0].steps);
  assert.equal(lines.filter((l) => l[1]).length, sides[1].steps);
  assert.ok(lines.every(([x, y]) => !x || !y || x === y), JSON.stringify(lines));
  const hash = await page.evaluate(() => location.hash);
  assert.ok(hash.includes(`pair=${encodeURIComponent(first.key).replace(/%20/g, '+')}`), hash);
  // The link opens the same pair for a fresh page once the files are dropped.
  const fresh = await context.newPage();
  await fresh.goto(`${site.url}${hash}`);
  await fresh.setInputFiles('[data-testid="folder-input"]', dir);
  assert.equal(await waitForIngest(fresh), 'done');
  await fresh.waitForSelector(`[data-testid="compare-pair"][data-pair="${first.key}"][data-state="shown"]`);
  assert.equal(await fresh.inputValue('[data-testid="compare-pair-filter"]'), 'a_failed');
  // Closing it leaves the URL without the pair.
  await page.click('[data-testid="pair-close"]');
  await page.waitForFunction(() => !/[#&]pair=/.test(location.hash));
  assert.equal(await page.$('[data-testid="compare-pair"]'), null);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

test('distributions overlaid, the CSV download, and the filter against the rest', async () => {
  const { page, context, problems } = await openCompare2(browser);
  // Each overlaid distribution and both failure charts are drawn.
  for (const id of ['compare-turns', 'compare-calls', 'compare-parallel', 'compare-think-words', 'compare-failure-by-tool']) {
    await page.waitForSelector(`[data-testid="${id}"] canvas, [data-testid="${id}"] svg`);
  }
  // No log durations in generated rows: no duration chart.
  assert.equal(await page.$('[data-testid="compare-call-ms"]'), null);
  const download = page.waitForEvent('download');
  await page.click('[data-testid="download-compare-csv"]');
  const saved = join(OUT, 'compare.csv');
  await (await download).saveAs(saved);
  const csv = readFileSync(saved, 'utf8').trim().split('\n');
  const all = await diffs(page);
  assert.equal(csv[0], 'key,a,b,ratio,low,high,level,significant');
  assert.equal(csv.length, all.length + 1);
  assert.ok(csv[1].startsWith(`${all[0].key},${all[0].a},${all[0].b},`), `${csv[1]} vs ${JSON.stringify(all[0])}`);
  // The filter (kimi's rows) against the rest (glm's): the same figures as kimi against glm.
  const before = all.find((d) => d.key === 'strict.parallel_turn_pct');
  await page.evaluate(() => { location.hash = 'view=compare&source=kimi&a=@filter&b=@rest'; });
  await page.waitForFunction(() => document.querySelector('[data-testid="compare-a"]')?.value === '@filter');
  await page.waitForSelector('[data-testid="compare-rows"][data-a="400"][data-b="400"]');
  // The intervals are drawn a batch per task, the progress shown until the table replaces it.
  await page.waitForSelector('[data-diff="strict.parallel_turn_pct"]');
  assert.equal(await page.$('[data-testid="compare-progress"]'), null);
  const p = (await diffs(page)).find((d) => d.key === 'strict.parallel_turn_pct');
  assert.equal(p.a, before.a);
  assert.equal(p.b, before.b);
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
  await context.close();
});

async function openCompare2(browser) {
  const opened = await openApp(browser, site);
  await openCompare(opened.page);
  return opened;
}
