// One dropped file → the notebook's figures: Parquet by hyparquet, anything else as JSONL.
import { readJsonl } from './jsonl.js';
import { readParquet } from './parquet.js';

export function analyse(file) {
  return /\.parquet$/i.test(file.name) ? readParquet(file) : readJsonl(file);
}
