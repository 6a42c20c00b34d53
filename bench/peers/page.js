// The peer page: a file input; the figures are computed in a Worker (default) or, with
// ?thread=main, on the main thread (the "20-line page" the issue first compared against).
// The status element follows the app's hooks (data-testid="ingest-status", data-state) so
// bench/peers.mjs times it exactly as bench/browser.mjs times the app.
const input = document.querySelector('[data-testid="file-input"]');
const status = document.querySelector('[data-testid="ingest-status"]');
const out = document.querySelector('#figures');
const main = new URLSearchParams(location.search).get('thread') === 'main';
status.dataset.thread = main ? 'main' : 'worker';

let run;
if (main) {
  const { readJsonl } = await import('./jsonl.js'); // JSONL only: the first comparison
  run = readJsonl;
} else {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  await new Promise((ok) => worker.addEventListener('message', ok, { once: true })); // ready
  run = (file) => new Promise((ok, fail) => {
    worker.onmessage = ({ data }) => (data.error ? fail(new Error(data.error)) : ok(data.figures));
    worker.onerror = (e) => fail(new Error(e.message));
    worker.postMessage(file);
  });
}
status.dataset.state = 'ready';

input.addEventListener('change', async () => {
  status.dataset.state = 'running';
  try {
    const figures = await run(input.files[0]);
    out.textContent = JSON.stringify(figures);
    status.dataset.state = 'done';
  } catch (e) {
    out.textContent = String(e?.stack ?? e);
    status.dataset.state = 'error';
  }
});
