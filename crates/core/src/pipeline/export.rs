//! SFT export of a file: the `Exporting` sink pushes each row into an `Exporter` (optionally
//! only the rows a filter listed), hands the output on in parts as it grows, and counts the rows
//! the reader skipped as unreadable — the one export loop of the page's workers and of the
//! `export` tool. A file can also be exported part by part (`export_part`, one worker each), the
//! parts' outputs joined in order, when `splits` says that gives the whole file's export.

use std::collections::HashSet;

use crate::export::{ExportOptions, Exporter, Output};
use crate::ingest::{read_part, ByteSource, Part, ReadReport, RowRef, Sink};
use crate::trace::Conversation;

/// How the split and dedupe name a row that has no id: its file and row number.
pub fn row_key(file: &str, at: RowRef) -> String {
    format!("{file}#{}", at.number())
}

/// Exports the rows of one file into a shared `Exporter`.
pub struct Exporting<'a> {
    pub exporter: &'a mut Exporter,
    pub name: &'a str,
    /// Only these row numbers (the explorer's list), if given; the others count as filtered out.
    pub only: Option<&'a HashSet<u64>>,
    /// Lines (rows) of the file before the part read: rows are numbered within the file, as the
    /// row index and the whole file's export number them (0 for a whole file).
    pub base: u64,
    /// Output is handed on once this many bytes are ready.
    pub part_bytes: usize,
    /// Receives the output, part by part, in order.
    pub output: &'a mut dyn FnMut(Vec<Output>),
    /// Told bytes done and counts now and then; returns false to stop (cancel).
    pub on_progress: &'a mut dyn FnMut(u64, &ReadReport) -> bool,
}

impl Sink for Exporting<'_> {
    fn row(&mut self, conv: Conversation, at: RowRef) {
        let at = at.renumbered(self.base);
        if self.only.is_some_and(|o| !o.contains(&at.number())) {
            self.exporter.filtered_out();
            return;
        }
        self.exporter.push(&conv, &row_key(self.name, at));
        (self.output)(self.exporter.drain(self.part_bytes));
    }
    fn progress(&mut self, bytes_done: u64, report: &ReadReport) -> bool {
        (self.on_progress)(bytes_done, report) && !self.exporter.full()
    }
    fn finish(&mut self, report: &ReadReport) {
        for (kind, n) in &report.rows_skipped {
            self.exporter.unreadable(kind, *n);
        }
    }
}

/// Reads every row of `source` into `sink`'s exporter; returns the file's counts.
pub fn export_file<S: ByteSource + Clone + 'static>(
    source: &S,
    sink: &mut Exporting<'_>,
) -> ReadReport {
    export_part(source, Part::WHOLE, sink)
}

/// `export_file` of one part of the file (as `ingest::read_part` reads it; `sink.base` says
/// where in the file the part begins).
pub fn export_part<S: ByteSource + Clone + 'static>(
    source: &S,
    part: Part,
    sink: &mut Exporting<'_>,
) -> ReadReport {
    let name = sink.name;
    read_part(source, name, part, sink)
}

/// Whether exporting a file part by part and joining the parts' outputs in order (their
/// manifests merged in order) gives the export of the whole file: the same rows, the same bytes
/// when uncompressed (gzip: one member per part, the same text), the same counts. Not with a row
/// limit (it counts across the file), nor, when duplicates are dropped, if an id occurs twice
/// (`ids`: each row's id; a part cannot know what an earlier part wrote).
pub fn splits<'a>(options: &ExportOptions, ids: impl IntoIterator<Item = Option<&'a str>>) -> bool {
    if options.limit.is_some() {
        return false;
    }
    if !options.dedupe {
        return true;
    }
    let mut seen = HashSet::new();
    ids.into_iter().flatten().all(|id| seen.insert(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::split::Side;
    use crate::export::{Compression, Format, Manifest, Percent, Split};
    use crate::pipeline::analyse_with;
    use agent_traces_gen::{write_jsonl, GenOptions};
    use std::io::Read;
    use std::sync::Arc;

    type Text = Arc<Vec<u8>>;

    /// The train and validation outputs and the manifest of one export.
    type Written = (Vec<u8>, Vec<u8>, Manifest);

    fn export(
        text: &Text,
        options: &ExportOptions,
        part: Part,
        base: u64,
        only: Option<&HashSet<u64>>,
    ) -> Written {
        let mut exporter = Exporter::new(options.clone());
        let (mut train, mut validation) = (Vec::new(), Vec::new());
        let mut keep = |outputs: Vec<Output>| {
            for o in outputs {
                match o.side {
                    Side::Train => train.extend(o.bytes),
                    Side::Validation => validation.extend(o.bytes),
                }
            }
        };
        export_part(
            text,
            part,
            &mut Exporting {
                exporter: &mut exporter,
                name: "a.jsonl",
                only,
                base,
                part_bytes: 1 << 12,
                output: &mut |o| keep(o),
                on_progress: &mut |_, _| true,
            },
        );
        let (manifest, rest) = exporter.finish();
        keep(rest);
        (train, validation, manifest)
    }

    /// The export of `text` in `count` parts, each numbered after the lines of the parts before
    /// it (as the page numbers them, from the analysis of the same parts), joined in order.
    fn by_parts(
        text: &Text,
        options: &ExportOptions,
        count: u32,
        only: Option<&HashSet<u64>>,
    ) -> Written {
        let (mut train, mut validation, mut manifest) = (Vec::new(), Vec::new(), None::<Manifest>);
        let mut base = 0;
        for index in 0..count {
            let part = Part { index, count };
            let (t, v, m) = export(text, options, part, base, only);
            base += analyse_with(text, "a.jsonl", part, &mut |_| true)
                .report
                .lines;
            train.extend(t);
            validation.extend(v);
            match &mut manifest {
                Some(all) => all.merge(&m),
                None => manifest = Some(m),
            }
        }
        (train, validation, manifest.unwrap_or_default())
    }

    fn text(rows: usize, tricky: f64) -> Text {
        let mut out = Vec::new();
        let opts = GenOptions {
            rows,
            seed: 9,
            tricky_ratio: tricky,
            ..Default::default()
        };
        write_jsonl(&opts, &mut out).unwrap();
        // Blank lines count as lines: the parts must number rows after them too.
        out.extend_from_slice(b"\n\n");
        write_jsonl(
            &GenOptions {
                rows: 20,
                seed: 10,
                ..Default::default()
            },
            &mut out,
        )
        .unwrap();
        Arc::new(out)
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn an_export_in_parts_joined_in_order_is_the_whole_files_export() {
        let text = text(120, 0.3);
        let split = Some(Split {
            validation: Percent::try_from(20).unwrap(),
            seed: 5,
        });
        let only: HashSet<u64> = (1..400).filter(|n| n % 3 != 0).collect();
        for (format, only) in [
            (Format::Messages, None),
            (Format::Llamafactory, Some(&only)),
            (Format::PromptCompletion, None),
        ] {
            let options = ExportOptions {
                format,
                split,
                dedupe: false,
                ..Default::default()
            };
            let whole = export(&text, &options, Part::WHOLE, 0, only);
            assert!(
                whole.2.rows_written > 50 && whole.2.rows_validation > 0,
                "{:?}",
                whole.2
            );
            for count in [2, 3] {
                let parts = by_parts(&text, &options, count, only);
                assert!(
                    parts.0 == whole.0 && parts.1 == whole.1,
                    "{format:?} in {count} parts"
                );
                assert_eq!(parts.2, whole.2, "{format:?} in {count} parts");
            }
            let gzip = ExportOptions {
                compression: Compression::Gzip,
                ..options
            };
            let (whole, parts) = (
                export(&text, &gzip, Part::WHOLE, 0, only),
                by_parts(&text, &gzip, 2, only),
            );
            assert_eq!(
                gunzip(&parts.0),
                gunzip(&whole.0),
                "gzip: one member per part, the same text"
            );
            assert_eq!(gunzip(&parts.1), gunzip(&whole.1));
            assert_eq!(parts.2.rows_written, whole.2.rows_written);
        }
    }

    #[test]
    fn a_row_limit_or_a_repeated_id_with_dedupe_keeps_the_export_whole() {
        let unique = [Some("a"), None, Some("b"), None];
        let repeated = [Some("a"), Some("b"), Some("a")];
        let dedupe = ExportOptions {
            dedupe: true,
            ..Default::default()
        };
        assert!(splits(&dedupe, unique));
        assert!(!splits(&dedupe, repeated));
        assert!(splits(
            &ExportOptions {
                dedupe: false,
                ..Default::default()
            },
            repeated
        ));
        assert!(!splits(
            &ExportOptions {
                limit: Some(10),
                ..Default::default()
            },
            unique
        ));
    }
}
