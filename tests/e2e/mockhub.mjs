// A mock Hugging Face Hub for the end-to-end tests (the real one is unreachable here): two
// servers on their own ports, as the real Hub and its storage are two origins.
//  - the Hub: `GET /api/datasets/<id>/tree/<rev>?recursive=true` lists files (paginated with a
//    `Link` header, as the Hub does), `GET /datasets/<id>/resolve/<rev>/<path>` answers with a
//    302 to a signed URL on the storage origin; gated datasets want a token, unknown ones 404.
//  - the storage: `GET /files/<sig>/<id>/<path>` serves byte ranges with CORS, as the real
//    storage host does; `GET /plain/<name>` serves a file by URL with no Hub at all.
// `hub.set({...})` makes either misbehave: refuse CORS, answer 401/403/404/429, cut a response,
// or expire signatures after a number of requests. Every request is recorded.
import { createServer } from 'node:http';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

const HUB_EXPOSED = 'Link, X-Error-Code, X-Error-Message, Content-Range, Accept-Ranges, ETag';

function listen(handler) {
  const server = createServer(handler);
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/**
 * datasets: { 'owner/name': { files: { 'data/kimi/train.parquet': '/abs/path', 'README.md': 'text' },
 *             gated?: true, token?: 'hf_…' } }; plain: { 'name.jsonl': '/abs/path' }.
 */
export async function mockHub({ datasets, plain = {}, pageSize = 1000 }) {
  const state = { mode: {}, requests: [], signatures: new Map(), nextSig: 1 };
  const ok = (res, status, headers, body) => { res.writeHead(status, headers); res.end(body); };

  const hub = await listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': HUB_EXPOSED };
    state.requests.push({ host: 'hub', method: req.method, path: url.pathname + url.search, range: req.headers.range, auth: !!req.headers.authorization });
    if (req.method === 'OPTIONS') {
      return ok(res, 204, { ...cors, 'access-control-allow-headers': 'authorization, range', 'access-control-allow-methods': 'GET, HEAD', 'access-control-max-age': '600' });
    }
    if (state.mode.hubStatus) {
      return ok(res, state.mode.hubStatus, cors, JSON.stringify({ error: 'mock failure' }));
    }
    const tree = url.pathname.match(/^\/api\/datasets\/(.+?)\/tree\/([^/]+)$/);
    const resolve = url.pathname.match(/^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/);
    const id = decodeURIComponent((tree ?? resolve ?? [])[1] ?? '');
    const ds = datasets[id];
    if (!ds) {
      return ok(res, 404, { ...cors, 'x-error-code': 'RepoNotFound', 'content-type': 'application/json' }, JSON.stringify({ error: 'Repository not found' }));
    }
    if (tree) {
      const paths = Object.keys(ds.files).sort();
      const dirs = [...new Set(paths.flatMap((p) => p.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))))];
      const entries = [
        ...dirs.map((p) => ({ type: 'directory', oid: 'd', size: 0, path: p })),
        ...paths.map((p) => ({ type: 'file', oid: 'f', size: sizeOf(ds.files[p]), path: p })),
      ];
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const page = entries.slice(from, from + pageSize);
      const headers = { ...cors, 'content-type': 'application/json' };
      if (from + pageSize < entries.length) {
        const next = new URL(req.url, `http://127.0.0.1:${hub.address().port}`);
        next.searchParams.set('cursor', String(from + pageSize));
        headers.link = `<${next}>; rel="next"`;
      }
      return ok(res, 200, headers, JSON.stringify(page));
    }
    if (resolve) {
      const path = resolve[3].split('/').map(decodeURIComponent).join('/');
      if (ds.gated) {
        const auth = req.headers.authorization;
        if (!auth) return ok(res, 401, { ...cors, 'x-error-code': 'GatedRepo' }, `Access to dataset ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
        if (auth !== `Bearer ${ds.token}`) return ok(res, 401, cors, 'Invalid credentials in Authorization header');
      }
      if (!(path in ds.files)) return ok(res, 404, { ...cors, 'x-error-code': 'EntryNotFound' }, 'Entry not found');
      const sig = String(state.nextSig++);
      state.signatures.set(sig, 0);
      const location = `http://127.0.0.1:${storage.address().port}/files/${sig}/${encodeURIComponent(id)}/${resolve[3]}`;
      return ok(res, 302, { ...cors, location }, '');
    }
    ok(res, 404, cors, 'no such route');
  });

  const storage = await listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    const cors = state.mode.refuseCors ? {} : {
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'Content-Range, Content-Length, Accept-Ranges, ETag',
    };
    state.requests.push({ host: 'storage', method: req.method, path: url.pathname, range: req.headers.range, auth: !!req.headers.authorization });
    if (req.method === 'OPTIONS') {
      return ok(res, 204, { ...cors, 'access-control-allow-headers': 'range', 'access-control-allow-methods': 'GET, HEAD' });
    }
    let file;
    const signed = url.pathname.match(/^\/files\/([^/]+)\/([^/]+)\/(.+)$/);
    const bare = url.pathname.match(/^\/plain\/(.+)$/);
    if (signed) {
      const [, sig, id, rest] = signed;
      const uses = state.signatures.get(sig);
      if (uses === undefined) return ok(res, 403, cors, 'Request signature does not match');
      if (state.mode.expireAfter !== undefined && uses >= state.mode.expireAfter) {
        return ok(res, 403, cors, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
      }
      state.signatures.set(sig, uses + 1);
      file = datasets[decodeURIComponent(id)]?.files[rest.split('/').map(decodeURIComponent).join('/')];
    } else if (bare) {
      file = plain[decodeURIComponent(bare[1])];
    }
    if (typeof file !== 'string' || file.includes('\n') || !file.startsWith('/')) return ok(res, 404, cors, 'not found');
    const size = statSync(file).size;
    const range = /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range ?? '');
    if (!range || state.mode.noRanges) {
      return ok(res, 200, { ...cors, 'content-length': size, 'accept-ranges': 'none' }, readFileSync(file));
    }
    const first = Number(range[1]);
    const last = Math.min(range[2] === undefined ? size - 1 : Number(range[2]), size - 1);
    if (first >= size) return ok(res, 416, { ...cors, 'content-range': `bytes */${size}` }, '');
    const part = readRange(file, first, last + 1 - first);
    state.requests.at(-1).bytes = part.length;
    res.writeHead(206, { ...cors, 'content-range': `bytes ${first}-${last}/${size}`, 'content-length': part.length, 'accept-ranges': 'bytes' });
    if (state.mode.cutAfter !== undefined && part.length > state.mode.cutAfter) {
      res.write(part.subarray(0, state.mode.cutAfter));
      return res.destroy();
    }
    res.end(part);
  });

  const origin = (s) => `http://127.0.0.1:${s.address().port}`;
  return {
    endpoint: origin(hub),
    storage: origin(storage),
    requests: state.requests,
    /** Misbehaviours: { refuseCors, hubStatus, expireAfter, cutAfter, noRanges } (replaces the previous). */
    set(mode) { state.mode = { ...mode }; },
    clear() { state.requests.length = 0; },
    close: () => Promise.all([hub, storage].map((s) => new Promise((done) => s.close(done)))),
  };
}

/** `len` bytes of a file from `at` (only those are read, as a storage host would). */
function readRange(file, at, len) {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(len);
    const n = readSync(fd, buf, 0, len, at);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** A file's size: a path on disk, or inline text (a README). */
function sizeOf(file) {
  return file.startsWith('/') ? statSync(file).size : Buffer.byteLength(file);
}
