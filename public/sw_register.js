// Registers the page's service worker (sw.js), so that after a first visit the page opens and
// works with the network off. A page without service workers (or a file:// page) works as before.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('offline copy unavailable:', e));
  });
}
