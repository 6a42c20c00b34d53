// The page's pictures, taken from the built site (dist/) with the sample dataset: the landing
// page's preview (public/overview.jpg) and the README's screenshots (docs/): the overview in
// light and dark, the trajectories side by side on a wide screen, and a phone.
//
//   node scripts/screenshots.mjs      (after `trunk build --release`)
import { join } from 'node:path';
import { serve, launch, ROOT } from '../tests/e2e/harness.mjs';

const site = await serve();
const browser = await launch();

/** Opens the page at `size` in `scheme`, loads the sample and shows `view`. */
async function open({ width, height, scheme = 'light', view = 'overview', mobile = false }) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme, isMobile: mobile, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(site.url);
  await page.click('[data-testid="load-sample"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="ingest-status"]')?.dataset.state === 'done');
  await page.click(`nav [data-view="${view}"]`);
  await page.waitForSelector(`[data-testid="view-${view}"]`);
  await page.waitForFunction(() => (document.documentElement.dataset.chartsPending ?? '0') === '0');
  await page.waitForTimeout(600); // the charts' own animation
  return { context, page };
}

const shots = [
  { path: join(ROOT, 'public', 'overview.jpg'), width: 1280, height: 800, type: 'jpeg' },
  { path: join(ROOT, 'docs', 'overview-light.png'), width: 1400, height: 900 },
  { path: join(ROOT, 'docs', 'overview-dark.png'), width: 1400, height: 900, scheme: 'dark' },
  { path: join(ROOT, 'docs', 'tools-dark.png'), width: 1400, height: 900, scheme: 'dark', view: 'tools' },
  { path: join(ROOT, 'docs', 'phone.png'), width: 390, height: 844, mobile: true },
];
for (const s of shots) {
  const { context, page } = await open(s);
  await page.screenshot({ path: s.path, type: s.type ?? 'png', ...(s.type === 'jpeg' ? { quality: 70 } : {}) });
  await context.close();
  console.log(s.path);
}
// A trajectory open beside the list (wide screens).
{
  const { context, page } = await open({ width: 1920, height: 1000, view: 'trajectories' });
  await page.click('[data-testid="trajectory-row"] >> nth=1');
  await page.waitForSelector('[data-testid="trace-view"][data-state="shown"]');
  await page.waitForTimeout(300);
  const path = join(ROOT, 'docs', 'trajectories-wide.png');
  await page.screenshot({ path });
  await context.close();
  console.log(path);
}
await browser.close();
await site.close();
