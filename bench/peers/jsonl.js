// JSONL: the File as a stream of text, split into lines, JSON.parse per line.
import { newFigures, addRow, finish } from './notebook.js';

export async function readJsonl(file) {
  const f = newFigures();
  let skipped = 0;
  const line = (text) => {
    if (text.trim() === '') return;
    let row;
    try { row = JSON.parse(text); } catch { skipped += 1; return; }
    addRow(f, row.conversations);
  };
  const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = rest + value;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      line(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  line(rest);
  return { ...finish(f), skipped_lines: skipped };
}
