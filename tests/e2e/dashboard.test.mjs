// End-to-end, dashboard: every detailed chart renders with the number of bars/slices/series the
// native core's report implies for known files, the figures table's hooks equal the report, the
// downloaded report equals the native one, and the CSV tables download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serve, launch, openApp, waitForIngest, waitForCharts, metrics, OUT, bin, native, generate, showView, fromMenu } from './harness.mjs';


let site, browser, files;

/** The view each chart is on. */
const VIEW_OF = {
  'chart-conversation-length': 'conversations', 'chart-categories': 'conversations', 'chart-sources': 'conversations',
  'chart-think-lengths': 'reasoning', 'chart-call-lengths': 'reasoning', 'chart-answer-lengths': 'reasoning',
  'chart-reasoning-by-category': 'reasoning', 'chart-failure-by-tool': 'failures', 'chart-failure-by-category': 'failures',
  'chart-top-tools': 'tools', 'chart-top-tools-by-category': 'tools', 'chart-parallel-widths': 'tools',
  'chart-tool-steps': 'tools', 'chart-step-share': 'tools',
};

before(async () => {
  mkdirSync(OUT, { recursive: true });
  files = [
    generate('dash-kimi.jsonl', ['--rows', '240', '--seed', '31', '--tricky', '0.15', '--format', 'jsonl']),
    generate('dash-glm.parquet', ['--rows', '160', '--seed', '32', '--format', 'parquet', '--compression', 'snappy']),
  ];
  site = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

const sum = (a) => a.reduce((x, y) => x + (typeof y === 'number' ? y : (y?.value ?? 0)), 0);
const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: page ${a} != native ${b}`);

/** The figures table's names → where the report keeps them. */
function fromReport(m, name) {
  const direct = ['rows', 'turns', 'tool_calls', 'turns_mean', 'turns_median', 'turns_p90', 'calls_per_assistant_turn',
    'parallel_turn_pct', 'error_rows_pct', 'recovery_rate_pct', 'think_blocks_per_assistant_turn', 'reasoning_turn_pct'];
  if (direct.includes(name)) return m[name];
  if (name === 'calls_per_row') return m.calls_per_row.mean;
  const d = /^(think_chars|think_words|call_chars|answer_chars)_(mean|median|p90)$/.exec(name);
  if (d) return m[`${d[1]}_dist`][d[2]];
  throw new Error(`no report key for ${name}`);
}

test('dashboard: every chart has the native core\'s bars and series, figures and downloads equal the report', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await page.setInputFiles('[data-testid="file-input"]', files);
  assert.equal(await waitForIngest(page), 'done');
  const { report } = native(files);
  const S = report.total.strict;
  const T = report.total.tutorial;

  // Figures table: every tutorial.X / strict.X hook equals the report.
  const m = await metrics(page);
  let checked = 0;
  for (const [key, value] of Object.entries(m)) {
    const [mode, name] = key.split('.');
    if (!name) continue;
    close(value, fromReport(report.total[mode], name), key);
    checked++;
  }
  assert.ok(checked >= 40, `${checked} figure hooks`);
  await showView(page, 'failures');
  assert.match(await page.textContent('[data-testid="error-rules"]'), /"error": null/);

  // Tool table: every called or declared tool, with the native declared/undeclared counts.
  await showView(page, 'tools');
  await page.click('[data-testid="tool-table"] summary');
  const toolNames = new Set([...Object.keys(S.tool_counts), ...Object.keys(S.declared_unused)]);
  assert.equal(await page.locator('[data-testid="tool-table"] tr[data-tool]').count(), toolNames.size);
  for (const t of toolNames) {
    const cell = async (col) => Number((await page.textContent(`[data-testid="tool-table"] tr[data-tool="${t}"] td[data-col="${col}"]`)).replaceAll(',', ''));
    assert.equal(await cell('declared_unused'), S.declared_unused[t] ?? 0, `${t} declared unused`);
    assert.equal(await cell('undeclared_calls'), S.undeclared_calls[t] ?? 0, `${t} undeclared`);
  }

  // Each chart is on its view: go there (as a user would) and read the drawn chart's options.
  const option = async (id) => {
    const view = VIEW_OF[id];
    if (!(await page.$(`[data-testid="view-${view}"]`))) await showView(page, view);
    await page.waitForSelector(`[data-testid="${id}"] canvas`);
    return page.evaluate((sel) => {
      const o = echarts.getInstanceByDom(document.querySelector(sel)).getOption();
      return { series: o.series, x: o.xAxis?.[0]?.data, y: o.yAxis?.[0]?.data, yType: o.yAxis?.[0]?.type, aria: o.aria, title: o.title?.[0]?.text, save: !!o.toolbox?.[0]?.feature?.saveAsImage };
    }, `[data-testid="${id}"]`);
  };
  const checkCommon = (o, id) => {
    assert.ok(o.title, `${id} title`);
    assert.equal(o.aria?.enabled ?? o.aria?.[0]?.enabled, true, `${id} aria`);
    assert.ok(o.save, `${id} save as image`);
  };

  const conv = await option('chart-conversation-length');
  checkCommon(conv, 'conversation');
  assert.equal(sum(conv.series[0].data), S.rows);
  assert.ok(conv.x.length <= 40);

  for (const [id, key] of [['chart-think-lengths', 'think_chars_dist'], ['chart-call-lengths', 'call_chars_dist'], ['chart-answer-lengths', 'answer_chars_dist']]) {
    const o = await option(id);
    checkCommon(o, id);
    assert.equal(o.series.length, 2, id);
    assert.equal(o.yType, 'log', id);
    assert.equal(sum(o.series[0].data), T[key].count, `${id} tutorial`);
    assert.equal(sum(o.series[1].data), S[key].count, `${id} strict`);
  }

  const byTool = await option('chart-failure-by-tool');
  checkCommon(byTool, 'failure-by-tool');
  assert.equal(byTool.series.length, 2);
  assert.equal(byTool.x.length, Math.min(15, Object.keys(S.failure_by_tool).length));
  byTool.x.forEach((tool, i) => close(byTool.series[1].data[i], S.failure_by_tool[tool].failure_rate_pct, `strict failure ${tool}`));

  const byCat = await option('chart-failure-by-category');
  assert.deepEqual(byCat.x, Object.keys(S.by_category));
  byCat.x.forEach((c, i) => {
    close(byCat.series[0].data[i], T.by_category[c].error_rows_pct, `tutorial ${c}`);
    close(byCat.series[1].data[i], S.by_category[c].error_rows_pct, `strict ${c}`);
  });

  const box = await option('chart-reasoning-by-category');
  checkCommon(box, 'box');
  const withThink = Object.entries(S.by_category).filter(([, g]) => g.think_chars.count > 0);
  assert.equal(box.series[0].type, 'boxplot');
  assert.equal(box.series[0].data.length, withThink.length);
  withThink.forEach(([, g], i) => {
    const five = box.series[0].data[i].value ?? box.series[0].data[i];
    close(five.at(2), g.think_chars.median, 'box median');
  });

  const heat = await option('chart-tool-steps');
  const top = Object.entries(S.tool_counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 15).map(([k]) => k);
  assert.deepEqual(heat.y, top);
  assert.equal(heat.x.length, Math.max(...Object.keys(S.steps).map(Number)));
  const heatTotal = heat.series[0].data.reduce((a, d) => a + (d.value ?? d)[2], 0);
  assert.equal(heatTotal, top.reduce((a, t) => a + S.tool_counts[t], 0));

  const share = await option('chart-step-share');
  assert.equal(share.series.length, 3);
  assert.equal(share.x.length, Object.keys(S.steps).length);

  const sources = await option('chart-sources');
  checkCommon(sources, 'sources');
  assert.deepEqual(sources.series.map((s) => s.name), Object.keys(report.sources));
  assert.equal(sources.series.length, 2);

  // Stacked top tools appear on demand, one series per category with calls among the top tools.
  await showView(page, 'tools');
  await page.check('[data-testid="stack-by-category"]');
  await page.waitForSelector('[data-testid="chart-top-tools-by-category"] canvas');
  const stacked = await option('chart-top-tools-by-category');
  const cats = new Set(top.flatMap((t) => Object.keys(S.tool_categories[t] ?? {})));
  assert.equal(stacked.series.length, cats.size);
  assert.equal(sum(stacked.series.flatMap((s) => s.data)), top.reduce((a, t) => a + S.tool_counts[t], 0));

  // The downloaded report is the native one.
  const download = await fromMenu(page, 'download-report');
  const got = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(got.total, report.total);
  assert.deepEqual(got.sources, report.sources);
  assert.deepEqual(got.definitions, report.definitions);

  // CSV tables.
  const csv = async (which) => {
    const d = await fromMenu(page, `download-csv-${which}`);
    return readFileSync(await d.path(), 'utf8').trim().split('\n');
  };
  const tools = await csv('tools');
  assert.match(tools[0], /^tool,calls_tutorial,calls_strict,/);
  assert.ok(tools.length - 1 >= Object.keys(S.tool_counts).length);
  const categories = await csv('categories');
  assert.equal(categories.length - 1, Object.keys(S.by_category).length + Object.keys(S.by_subcategory).length);
  const figures = await csv('figures');
  assert.equal(figures[0], 'source,figure,tutorial,strict');
  assert.ok(figures.some((l) => l.startsWith(`<total>,rows,${S.rows},${S.rows}`)));

  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});

test('cross-filter: a width bar, a source and the notebook scope recompute the whole dashboard from the row index, equal to analyse --filter', async () => {
  const { page, context, problems } = await openApp(browser, site);
  await page.setInputFiles('[data-testid="file-input"]', files);
  assert.equal(await waitForIngest(page), 'done');
  const all = native(files).report;
  await showView(page, 'tools');
  await page.waitForTimeout(1200); // the charts' first animation
  const downloadReport = async () => {
    const d = await fromMenu(page, 'download-report');
    return JSON.parse(readFileSync(await d.path(), 'utf8'));
  };
  const option = (id) => page.evaluate((sel) => echarts.getInstanceByDom(document.querySelector(sel)).getOption(), `[data-testid="${id}"]`);
  // Every figure of the page (headline, figures table, charts, report) equals the native
  // computation over the same selection.
  const sameAsNative = async (fragment) => {
    const want = native(['--filter', fragment, ...files]);
    const W = want.report.total;
    const back = await page.evaluate(() => document.querySelector('nav [aria-current=page]').dataset.view);
    await showView(page, 'overview');
    await page.waitForFunction((rows) => document.querySelector('[data-metric="rows"]')?.dataset.value === String(rows), W.strict.rows);
    await waitForCharts(page);
    const m = await metrics(page);
    for (const [key, value] of Object.entries(m)) {
      const [mode, name] = key.split('.');
      if (name) close(value, fromReport(W[mode], name), `${fragment}: ${key}`);
    }
    assert.equal(m.tool_calls, W.strict.tool_calls);
    await showView(page, 'conversations');
    const conv = await option('chart-conversation-length');
    assert.equal(sum(conv.series[0].data), W.strict.rows, `${fragment}: conversation length chart`);
    await showView(page, 'tools');
    const widths = await option('chart-parallel-widths');
    assert.deepEqual(widths.xAxis[0].data, Object.keys(W.strict.parallel_widths), `${fragment}: widths chart`);
    const got = await downloadReport();
    assert.deepEqual(got.total, W, `${fragment}: report total`);
    assert.deepEqual(got.sources, want.report.sources, `${fragment}: report sources`);
    assert.equal(got.options.selection, fragment);
    await showView(page, back);
    return W;
  };

  // A real click on the bar of width 2 (log y: aim at the geometric middle of the bar).
  const widthCount = all.total.strict.parallel_widths['2'];
  assert.ok(widthCount > 1, 'the files have parallel turns');
  await page.locator('[data-testid="chart-parallel-widths"]').scrollIntoViewIfNeeded();
  const box = await page.locator('[data-testid="chart-parallel-widths"]').boundingBox();
  const [x, y] = await page.evaluate((n) => {
    const chart = echarts.getInstanceByDom(document.querySelector('[data-testid="chart-parallel-widths"]'));
    return chart.convertToPixel({ seriesIndex: 0 }, ['2', Math.sqrt(n)]);
  }, widthCount);
  await page.mouse.click(box.x + x, box.y + y);
  await page.waitForSelector('[data-testid="chip"][data-chip="width"]');
  const W = await sameAsNative('width=2');
  assert.ok(W.strict.rows > 0 && W.strict.rows < all.total.strict.rows, `${W.strict.rows} rows have a turn with 2 calls`);
  await showView(page, 'trajectories');
  assert.equal(Number(await page.getAttribute('[data-testid="explorer-count"]', 'data-value')), W.strict.rows);

  // Removing the chip restores every row's figures.
  await page.click('[data-testid="filter-chips"] [data-chip="width"]');
  await page.waitForSelector('[data-testid="filter-chips"]', { state: 'detached' });
  await showView(page, 'overview');
  assert.equal(Number(await page.getAttribute('[data-metric="rows"]', 'data-value')), all.total.strict.rows);
  assert.deepEqual((await downloadReport()).total, all.total);

  // A source: clicking its series in the sources chart (ECharts' own click event for the bar).
  await showView(page, 'conversations');
  const glm = Object.keys(all.sources)[1];
  await page.evaluate(([sel, seriesName]) => {
    const chart = echarts.getInstanceByDom(document.querySelector(sel));
    chart.trigger('click', { name: 'rows', seriesName, componentType: 'series', seriesType: 'bar' });
  }, ['[data-testid="chart-sources"]', glm]);
  await page.waitForSelector('[data-testid="chip"][data-chip="source"]');
  await sameAsNative(new URLSearchParams({ source: glm }).toString());
  await page.click('[data-testid="filter-chips"] [data-chip="source"]');
  await page.waitForSelector('[data-testid="filter-chips"]', { state: 'detached' });

  // A category, by its name in the categories table.
  const [cat, group] = Object.entries(all.total.strict.by_category).filter(([c]) => c !== '<none>')[0];
  await page.click('[data-testid="category-table"] summary');
  const catRows = '[data-testid="category-table"] tr[data-level="category"]';
  const at = await page.$$eval(catRows, (rows, c) => rows.findIndex((r) => r.dataset.group === c), cat);
  await page.locator(`${catRows} button`).nth(at).click();
  await page.waitForSelector('[data-testid="chip"][data-chip="category"]');
  const C = await sameAsNative(new URLSearchParams({ category: cat }).toString());
  assert.equal(C.strict.rows, group.rows);
  await page.click('[data-testid="filter-chips"] [data-chip="category"]');

  // The notebook's scope: the first 3,000 rows of each source (here fewer rows than that: the
  // figures are every row's), then a URL asking for the first 100 rows of each source.
  await page.check('[data-testid="notebook-scope"]');
  await page.waitForSelector('[data-testid="chip"][data-chip="first"]');
  await sameAsNative('first=3000');
  await page.uncheck('[data-testid="notebook-scope"]');
  await page.waitForSelector('[data-testid="filter-chips"]', { state: 'detached' });
  await page.evaluate(() => { location.hash = 'first=100'; location.reload(); });
  await page.waitForSelector('[data-testid="ingest-status"]');
  await page.setInputFiles('[data-testid="file-input"]', files);
  assert.equal(await waitForIngest(page), 'done');
  assert.equal(page.url().split('#')[1], 'first=100', 'the overview, the default view, keeps a short URL');
  const first = await sameAsNative('first=100');
  assert.equal(first.strict.rows, 200);
  assert.equal(await page.isChecked('[data-testid="notebook-scope"]'), false);

  assert.deepEqual(problems.pageErrors, []);
  assert.deepEqual(problems.consoleErrors, []);
  await context.close();
});
