// The page's offline copy. Installed on the first visit, it stores the page's own files (the
// list below is written by the build, scripts/offline.mjs: every file of this version, nothing
// else — never a dataset the user opens) and then serves them network first: online, each load
// gets the current files (a new version is picked up on the next load); offline, the stored ones.
const VERSION = '__VERSION__';
const FILES = [/* __FILES__ */];
const CACHE = `agent-traces-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(['./', ...FILES]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

/** True for a request of one of the page's files (same origin, under the page's path). */
function ours(request) {
  const scope = new URL(self.registration.scope);
  const url = new URL(request.url);
  return request.method === 'GET' && url.origin === scope.origin && url.pathname.startsWith(scope.pathname);
}

self.addEventListener('fetch', (event) => {
  if (!ours(event.request)) return;
  event.respondWith((async () => {
    try {
      return await fetch(event.request);
    } catch (offline) {
      const cache = await caches.open(CACHE);
      const stored = await cache.match(event.request, { ignoreSearch: true });
      if (stored) return stored;
      throw offline;
    }
  })());
});
