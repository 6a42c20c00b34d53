// Trunk post-build step (called by scripts/csp.mjs, once the page's files are final): writes into
// sw.js the list of the page's files and a version named by their content, so the service worker
// stores exactly this version's files and a new build replaces the old copy.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';

/** Every file under `dir`, as paths relative to `root`. */
function files(dir, root = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, root) : [relative(root, path)];
  });
}

export function writeServiceWorker(dir) {
  const sw = join(dir, 'sw.js');
  const list = files(dir).filter((f) => f !== 'sw.js').sort();
  const hash = createHash('sha256');
  for (const f of list) hash.update(f).update(readFileSync(join(dir, f)));
  const version = hash.digest('hex').slice(0, 16);
  const text = readFileSync(sw, 'utf8');
  if (!text.includes('__VERSION__') || !text.includes('/* __FILES__ */')) throw new Error('sw.js has no placeholders to fill');
  writeFileSync(sw, text.replace('__VERSION__', version).replace('/* __FILES__ */', list.map((f) => JSON.stringify(`./${f}`)).join(', ')));
}

/** Prints the size of each wasm module and of the whole page, so a build shows what it ships. */
export function printSizes(dir) {
  const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
  const all = files(dir).map((f) => [f, statSync(join(dir, f)).size]);
  for (const [f, n] of all.filter(([f]) => f.endsWith('.wasm'))) console.log(`page size: ${f} ${mb(n)}`);
  console.log(`page size: ${all.length} files, ${mb(all.reduce((a, [, n]) => a + n, 0))} in all`);
}
