// The peer's Worker: a File in, the notebook's figures (or an error) out.
import { analyse } from './analyse.js';

self.onmessage = async ({ data: file }) => {
  try {
    self.postMessage({ figures: await analyse(file) });
  } catch (e) {
    self.postMessage({ error: String(e?.stack ?? e) });
  }
};
self.postMessage({ ready: true });
