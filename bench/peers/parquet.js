// Parquet: hyparquet (+ hyparquet-compressors for zstd and the other codecs), the
// `conversations` column only, one row group at a time (a whole 1 GB file never sits in memory).
import { parquetMetadataAsync, parquetReadObjects } from './vendor/hyparquet/src/index.js';
import { compressors } from './vendor/hyparquet-compressors/src/index.js';
import { newFigures, addRow, finish } from './notebook.js';

export async function readParquet(file) {
  const buffer = { byteLength: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() };
  const metadata = await parquetMetadataAsync(buffer);
  const f = newFigures();
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file: buffer, metadata, compressors, columns: ['conversations'], rowStart, rowEnd });
    for (const row of rows) addRow(f, row.conversations);
    rowStart = rowEnd;
  }
  return { ...finish(f), row_groups: metadata.row_groups.length };
}
