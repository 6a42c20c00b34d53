// Reads [start, end) of a File by one method and copies every byte into a wasm memory (as a
// worker hands bytes to its wasm); posts the milliseconds it took.
const wasm = new Uint8Array(new WebAssembly.Memory({ initial: 1024 }).buffer);
const methods = {
  // FileReaderSync of 8 MiB slices: what the worker did before.
  async sync8({ file, start, end }) {
    const reader = new FileReaderSync();
    for (let at = start; at < end; at += 8 << 20) {
      wasm.set(new Uint8Array(reader.readAsArrayBuffer(file.slice(at, Math.min(end, at + (8 << 20))))), 0);
    }
  },
  // Blob.arrayBuffer() of 8 MiB slices, the next one asked for before the current one is used.
  async slices8({ file, start, end }) {
    const slice = (at) => file.slice(at, Math.min(end, at + (8 << 20))).arrayBuffer();
    let next = slice(start);
    for (let at = start; at < end; at += 8 << 20) {
      const buf = await next;
      if (at + (8 << 20) < end) next = slice(at + (8 << 20));
      wasm.set(new Uint8Array(buf), 0);
    }
  },
  // The default stream reader: the chunks the browser chooses.
  async stream({ file, start, end }) {
    const reader = file.slice(start, end).stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      wasm.set(value, 0);
    }
  },
  // A BYOB stream reader reading 1 MiB at a time into one reused buffer: what the worker does now
  // (src/worker/stream.rs, which also keeps the next read under way).
  async byob1({ file, start, end }) {
    const reader = file.slice(start, end).stream().getReader({ mode: 'byob' });
    let buffer = new ArrayBuffer(1 << 20);
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done) break;
      wasm.set(value, 0);
      buffer = value.buffer;
    }
  },
};
onmessage = async (e) => {
  const t0 = performance.now();
  await methods[e.data.method](e.data);
  postMessage(performance.now() - t0);
};
