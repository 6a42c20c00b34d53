// Starts two workers that each read half of the chosen file by one method (bench/reads.mjs).
const input = document.getElementById('f');
window.readHalves = (method) => new Promise((done) => {
  const file = input.files[0];
  const half = Math.floor(file.size / 2);
  const times = [];
  for (let i = 0; i < 2; i++) {
    const w = new Worker('worker.js');
    w.onmessage = (e) => {
      times.push(e.data);
      w.terminate();
      if (times.length === 2) done(Math.max(...times));
    };
    w.postMessage({ file, start: i * half, end: i ? file.size : half, method });
  }
});
