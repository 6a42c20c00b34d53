//! Parquet output (native only): the dataset's schema, written with arrow's `ArrowWriter`.

use super::{rows, GenOptions, GenRow};
use arrow_array::builder::{ListBuilder, StringBuilder, StructBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Fields, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

/// How to lay out the Parquet file.
#[derive(Clone, Debug)]
pub struct ParquetSpec {
    pub compression: Compression,
    /// Rows per row group.
    pub row_group_rows: usize,
    /// Leave the nested `conversations` column uncompressed while the flat columns use
    /// `compression` (what some `datasets` versions produce).
    pub nested_uncompressed: bool,
}

impl Default for ParquetSpec {
    fn default() -> Self {
        ParquetSpec {
            compression: Compression::SNAPPY,
            row_group_rows: 1000,
            nested_uncompressed: false,
        }
    }
}

/// `snappy`, `zstd` (level 3), `gzip`, `lz4` / `lz4_raw`, `brotli`, `none` / `uncompressed`,
/// or `nested-none` (snappy, with `conversations` uncompressed). Returns (codec, nested_uncompressed).
pub fn parse_compression(s: &str) -> Option<(Compression, bool)> {
    Some(match s.to_ascii_lowercase().as_str() {
        "snappy" => (Compression::SNAPPY, false),
        "zstd" => (Compression::ZSTD(ZstdLevel::try_new(3).ok()?), false),
        "gzip" => (Compression::GZIP(GzipLevel::default()), false),
        "lz4" | "lz4_raw" | "lz4-raw" => (Compression::LZ4_RAW, false),
        "brotli" => (Compression::BROTLI(BrotliLevel::default()), false),
        "none" | "uncompressed" => (Compression::UNCOMPRESSED, false),
        "nested-none" | "nested_none" => (Compression::SNAPPY, true),
        _ => return None,
    })
}

fn schema() -> Arc<Schema> {
    let msg = Fields::from(vec![
        Field::new("from", DataType::Utf8, false),
        Field::new("value", DataType::Utf8, false),
    ]);
    let item = Field::new("item", DataType::Struct(msg), false);
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("conversations", DataType::List(Arc::new(item)), false),
        Field::new("tools", DataType::Utf8, false),
        Field::new("category", DataType::Utf8, false),
        Field::new("subcategory", DataType::Utf8, false),
        Field::new("task", DataType::Utf8, false),
    ]))
}

struct Batch {
    schema: Arc<Schema>,
    id: StringBuilder,
    conv: ListBuilder<StructBuilder>,
    tools: StringBuilder,
    category: StringBuilder,
    subcategory: StringBuilder,
    task: StringBuilder,
    len: usize,
}

impl Batch {
    fn new(schema: Arc<Schema>) -> Batch {
        let DataType::List(item) = schema.field(1).data_type().clone() else {
            unreachable!()
        };
        let DataType::Struct(fields) = item.data_type().clone() else {
            unreachable!()
        };
        let sb = StructBuilder::new(
            fields,
            vec![
                Box::new(StringBuilder::new()),
                Box::new(StringBuilder::new()),
            ],
        );
        Batch {
            schema,
            id: StringBuilder::new(),
            conv: ListBuilder::new(sb).with_field(item),
            tools: StringBuilder::new(),
            category: StringBuilder::new(),
            subcategory: StringBuilder::new(),
            task: StringBuilder::new(),
            len: 0,
        }
    }

    fn push(&mut self, r: &GenRow) {
        self.id.append_value(&r.id);
        let sb = self.conv.values();
        for (from, value) in &r.conversations {
            sb.field_builder::<StringBuilder>(0)
                .expect("from")
                .append_value(from);
            sb.field_builder::<StringBuilder>(1)
                .expect("value")
                .append_value(value);
            sb.append(true);
        }
        self.conv.append(true);
        self.tools.append_value(&r.tools_json);
        self.category.append_value(&r.category);
        self.subcategory.append_value(&r.subcategory);
        self.task.append_value(&r.task);
        self.len += 1;
    }

    fn finish(&mut self) -> Result<RecordBatch, ParquetError> {
        self.len = 0;
        let cols: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.conv.finish()),
            Arc::new(self.tools.finish()),
            Arc::new(self.category.finish()),
            Arc::new(self.subcategory.finish()),
            Arc::new(self.task.finish()),
        ];
        RecordBatch::try_new(self.schema.clone(), cols)
            .map_err(|e| ParquetError::General(e.to_string()))
    }
}

/// Writes the rows for `opts` to `path` as Parquet. Returns the number of rows.
pub fn write_parquet(
    opts: &GenOptions,
    path: &Path,
    compression: Compression,
    row_group_rows: usize,
) -> Result<u64, ParquetError> {
    write_parquet_with(
        opts,
        path,
        &ParquetSpec {
            compression,
            row_group_rows,
            nested_uncompressed: false,
        },
    )
}

/// [`write_parquet`] with every layout option.
pub fn write_parquet_with(
    opts: &GenOptions,
    path: &Path,
    spec: &ParquetSpec,
) -> Result<u64, ParquetError> {
    let schema = schema();
    let rg = spec.row_group_rows.max(1);
    let mut props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(rg))
        .set_created_by("agent-traces gen (parquet-rs)".to_string());
    if spec.nested_uncompressed {
        props = props.set_compression(Compression::UNCOMPRESSED);
        for c in ["id", "tools", "category", "subcategory", "task"] {
            props = props.set_column_compression(ColumnPath::from(c), spec.compression);
        }
    } else {
        props = props.set_compression(spec.compression);
    }
    let file = File::create(path)?;
    let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(props.build()))?;
    // Batches small enough to bound memory, large enough to be cheap (ArrowWriter splits a batch
    // that crosses a row-group boundary).
    let batch_rows = rg.min(256);
    let mut batch = Batch::new(schema);
    let mut n = 0u64;
    for r in rows(opts) {
        batch.push(&r);
        n += 1;
        if batch.len == batch_rows {
            writer.write(&batch.finish()?)?;
        }
    }
    if batch.len > 0 {
        writer.write(&batch.finish()?)?;
    }
    writer.close()?;
    Ok(n)
}

/// Damages row group `group` of a Parquet file in place, as a bad disk or a broken copy would:
/// 256 bytes in the middle of its `conversations` column chunk are overwritten, so that group
/// cannot be decoded while the footer and the other groups stay intact (bad-input fixtures).
pub fn damage_row_group(path: &Path, group: usize) -> Result<(), ParquetError> {
    use parquet::file::reader::FileReader;
    let reader = parquet::file::serialized_reader::SerializedFileReader::new(File::open(path)?)?;
    let meta = reader.metadata();
    if group >= meta.num_row_groups() {
        return Err(ParquetError::General(format!(
            "the file has {} row groups, no group {group}",
            meta.num_row_groups()
        )));
    }
    let g = meta.row_group(group);
    let chunk = (0..g.num_columns())
        .map(|c| g.column(c))
        .find(|c| c.column_path().string().starts_with("conversations"))
        .ok_or_else(|| ParquetError::General("no conversations column".into()))?;
    let (start, len) = chunk.byte_range();
    let mut bytes = std::fs::read(path)?;
    let middle = (start + len / 2) as usize;
    let end = (middle + 256).min((start + len) as usize);
    bytes[middle..end].fill(0xff);
    std::fs::write(path, bytes)?;
    Ok(())
}
