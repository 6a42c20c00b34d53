// Trunk post-build hook: gives the page a Content-Security-Policy that allows only its own
// scripts, wasm and workers, and connections to itself and the Hugging Face Hub. Trunk writes the app's start-up as an inline module script, which
// such a policy forbids, so this moves it into a file next to the page (named by its hash) and
// puts the policy first in <head>. Runs in Trunk's staging directory ($TRUNK_STAGING_DIR).
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { printSizes, writeServiceWorker } from './offline.mjs';

const POLICY = [
  "default-src 'self'",
  // Our scripts, and compiling our wasm; nothing inline, nothing remote.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  // The page's own files, and the Hub only when the user opens a dataset from it: its API
  // (huggingface.co) and the storage hosts its downloads redirect to (*.huggingface.co, *.hf.co).
  // Loopback is for a Hub mirror or mock on this machine (`?hub_endpoint=`): it never leaves it.
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co http://127.0.0.1:* http://localhost:*",
  // ECharts and Leptos set style attributes; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  // Charts saved as PNG are data: URLs; downloads are blob: URLs.
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook');
const page = join(dir, 'index.html');
let html = readFileSync(page, 'utf8');
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const found = html.match(inline);
if (!found) throw new Error('no inline module script in index.html: has Trunk changed its output?');
const name = `start-${createHash('sha256').update(found[1]).digest('hex').slice(0, 16)}.js`;
writeFileSync(join(dir, name), found[1]);
html = html.replace(inline, `<script type="module" src="./${name}"></script>`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('an inline script is left in index.html');
html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${POLICY}" />`);
writeFileSync(page, html);
// Last: the offline copy lists the page's files as they now are.
writeServiceWorker(dir);
printSizes(dir);
