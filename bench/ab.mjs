// A/B two builds of the page in one Chromium run: `node bench/ab.mjs DIST_A DIST_B FILE [ROUNDS]`
// (DIST_*: copies of `dist/` from `trunk build --release` before and after a change). Each round
// serves A, then B, in a fresh page, drops FILE twice and records the second drop (warm workers)
// from the input's change to `[data-testid=ingest-status][data-state=done]`; prints each side's
// median and every figure. Alternating the sides in the same minutes is what makes a 5%
// difference visible on a shared machine, where absolute figures move by 30%.
import { serve, launch } from '../tests/e2e/harness.mjs';

const [a, b, file, rounds = '5'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/ab.mjs DIST_A DIST_B FILE [ROUNDS]');
  process.exit(2);
}
const browser = await launch();
const times = new Map([[a, []], [b, []]]);
try {
  for (let r = 0; r < Number(rounds); r++) {
    for (const dir of [a, b]) {
      const site = await serve(dir);
      const page = await (await browser.newContext()).newPage();
      try {
        await page.goto(site.url);
        await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
        await page.waitForTimeout(1000); // workers warm up
        for (let k = 0; k < 2; k++) {
          const t0 = await page.evaluate(() => performance.now());
          await page.setInputFiles('[data-testid="file-input"]', [file]);
          await page.waitForFunction(
            () => document.querySelector('[data-testid="ingest-status"]')?.dataset.state === 'done',
            null, { timeout: 120_000, polling: 10 });
          const t1 = await page.evaluate(() => performance.now());
          if (k === 1) times.get(dir).push(Math.round(t1 - t0));
          await page.waitForTimeout(300);
        }
      } finally {
        await page.context().close();
        site.close(); // not awaited: it waits for idle keep-alive connections to time out
      }
    }
  }
} finally {
  await browser.close();
}
for (const [dir, v] of times) {
  v.sort((x, y) => x - y);
  console.log(`${dir}: median ${v[v.length >> 1]} ms (drop -> final figures; ${v.join(' ')})`);
}
process.exit(0);
