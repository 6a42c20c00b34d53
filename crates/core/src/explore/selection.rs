//! The figures of the rows a filter selects: each selected row's entry in the row index
//! (`stats::row::RowStats`) added to a summary, in total and per source. This equals analysing
//! those rows again (the tests check it), and it needs no file: clicking a chart recomputes the
//! whole dashboard from the index.

use super::filter::Hit;
use crate::index::RowIndex;
use crate::stats::Summary;

/// Figures of a selection: all of it, and each source (in the order sources first appear among
/// the files; a source with no selected row has empty figures).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    pub total: Summary,
    pub sources: Vec<(String, Summary)>,
}

/// Adds up the rows `hits` of `files` (each `(source label, index)`).
pub fn summarise(files: &[(&str, &RowIndex)], hits: &[Hit]) -> Selection {
    let mut per_file: Vec<Summary> = vec![Summary::default(); files.len()];
    for h in hits {
        let (Some((_, index)), Some(sum)) = (files.get(h.file), per_file.get_mut(h.file)) else {
            continue;
        };
        if let Some(row) = index.rows.get(h.row) {
            sum.add_row(&row.stats, *index);
        }
    }
    let mut out = Selection::default();
    for ((label, _), sum) in files.iter().zip(&per_file) {
        out.total.merge(sum);
        match out.sources.iter_mut().find(|(l, _)| l == label) {
            Some((_, s)) => s.merge(sum),
            None => out.sources.push(((*label).to_owned(), sum.clone())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::{select, Filter, SortKey};
    use crate::pipeline::analyse;
    use agent_traces_gen::{write_jsonl, GenOptions};

    /// Generated lines, tricky rows included.
    fn lines(rows: usize, seed: u64) -> Vec<String> {
        let opts = GenOptions {
            rows,
            seed,
            tricky_ratio: 0.3,
            ..Default::default()
        };
        let mut out = Vec::new();
        write_jsonl(&opts, &mut out).expect("in memory");
        String::from_utf8(out)
            .expect("utf-8")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn analysed(lines: &[String]) -> crate::pipeline::Analysis {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        analyse(&text.into_bytes(), "a.jsonl")
    }

    /// The selection's figures equal those of a file holding only the selected rows.
    fn check(lines: &[String], filter: &Filter) -> u64 {
        let a = analysed(lines);
        let files = [("a", &a.index)];
        let hits = select(&files, filter, SortKey::Position, false);
        let picked: Vec<String> = hits.iter().map(|h| lines[h.row].clone()).collect();
        let again = analysed(&picked).report.summary;
        let sel = summarise(&files, &hits);
        assert_eq!(sel.total, again, "{filter:?}");
        sel.total.rows
    }

    #[test]
    fn the_fold_of_every_row_is_the_report() {
        let l = lines(120, 7);
        let a = analysed(&l);
        let files = [("a", &a.index)];
        let hits = select(&files, &Filter::default(), SortKey::Turns, true);
        let sel = summarise(&files, &hits);
        assert_eq!(sel.total, a.report.summary);
        assert_eq!(
            sel.sources,
            vec![("a".to_owned(), a.report.summary.clone())]
        );
    }

    #[test]
    fn a_filtered_selection_equals_analysing_its_rows_again() {
        let l = lines(150, 11);
        let a = analysed(&l);
        let s = &a.report.summary;
        let category = s.categories.keys().next().cloned();
        let tool = s.strict.top_tools(3).get(2).map(|(t, _)| (*t).to_owned());
        let width = s.strict.parallel_widths.keys().copied().find(|w| *w > 1);
        let filters = [
            Filter {
                category,
                ..Filter::default()
            },
            Filter {
                tool,
                ..Filter::default()
            },
            Filter {
                width,
                ..Filter::default()
            },
            Filter {
                failure: Some(crate::explore::Rule::Tutorial),
                first: Some(40),
                ..Filter::default()
            },
        ];
        for f in &filters {
            let rows = check(&l, f);
            assert!(rows > 0 && rows < 150, "{f:?} selects {rows} rows");
        }
    }

    #[test]
    fn first_rows_count_per_source_across_its_files() {
        let (a1, a2, b) = (
            analysed(&lines(30, 1)),
            analysed(&lines(30, 2)),
            analysed(&lines(30, 3)),
        );
        let files = [("kimi", &a1.index), ("glm", &b.index), ("kimi", &a2.index)];
        let f = Filter {
            first: Some(45),
            ..Filter::default()
        };
        let hits = select(&files, &f, SortKey::Position, false);
        let sel = summarise(&files, &hits);
        let rows: Vec<(&str, u64)> = sel
            .sources
            .iter()
            .map(|(l, s)| (l.as_str(), s.rows))
            .collect();
        assert_eq!(rows, vec![("kimi", 45), ("glm", 30)]);
        assert_eq!(hits.iter().filter(|h| h.file == 2).count(), 15);
        let mut only = a1.report.summary.clone();
        let second = summarise(
            &[("kimi", &a2.index)],
            &select(
                &[("kimi", &a2.index)],
                &Filter {
                    first: Some(15),
                    ..Filter::default()
                },
                SortKey::Position,
                false,
            ),
        );
        only.merge(&second.total);
        assert_eq!(sel.sources[0].1, only);
    }
}
