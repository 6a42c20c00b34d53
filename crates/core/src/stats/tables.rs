//! The dashboard's tables as CSV (RFC 4180 quoting): headline figures per source in both modes,
//! per-tool and per-category/subcategory tables. Pure functions of summaries.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::breakdown::Group;
use super::catalog::{Mode, FIGURES};
use super::{pct, Summary};

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// One CSV record of `cells`, quoted where they need it.
pub(crate) fn line(out: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| field(c)).collect();
    let _ = writeln!(out, "{}", cells.join(","));
}

/// `(figure, tutorial, strict)` for the headline figures of one summary (`catalog::FIGURES`).
pub fn headline(s: &Summary) -> Vec<(&'static str, f64, f64)> {
    FIGURES
        .iter()
        .map(|f| (f.name, f.value(s, Mode::Tutorial), f.value(s, Mode::Strict)))
        .collect()
}

/// `source,figure,tutorial,strict`: the headline figures of the total and of each source.
pub fn figures_csv<'a>(
    total: &'a Summary,
    sources: impl IntoIterator<Item = (&'a str, &'a Summary)>,
) -> String {
    let mut out = String::new();
    line(
        &mut out,
        &["source", "figure", "tutorial", "strict"].map(String::from),
    );
    let all = std::iter::once(("<total>", total)).chain(sources);
    for (label, s) in all {
        for (name, t, st) in headline(s) {
            line(
                &mut out,
                &[
                    label.to_owned(),
                    name.to_owned(),
                    t.to_string(),
                    st.to_string(),
                ],
            );
        }
    }
    out
}

/// One line per tool: calls, results and failures under both rules, declared-but-unused rows,
/// undeclared calls.
pub fn tools_csv(s: &Summary) -> String {
    let (d, sd, td) = (&s.detail, &s.strict.detail, &s.tutorial.detail);
    let names: BTreeSet<&String> = s
        .strict
        .tool_counts
        .keys()
        .chain(s.tutorial.tool_counts.keys())
        .chain(sd.tools.keys())
        .chain(td.tools.keys())
        .chain(d.declared_unused.keys())
        .collect();
    let mut out = String::new();
    line(
        &mut out,
        &[
            "tool",
            "calls_tutorial",
            "calls_strict",
            "results_tutorial",
            "errors_tutorial",
            "error_rate_pct_tutorial",
            "results_strict",
            "failed_strict",
            "failure_rate_pct_strict",
            "nonzero_exit_codes",
            "rows_declared_unused",
            "undeclared_calls",
        ]
        .map(String::from),
    );
    for n in names {
        let get = |m: &std::collections::BTreeMap<String, u64>| m.get(n).copied().unwrap_or(0);
        let st = sd.tools.get(n).cloned().unwrap_or_default();
        let tt = td.tools.get(n).cloned().unwrap_or_default();
        line(
            &mut out,
            &[
                n.clone(),
                get(&s.tutorial.tool_counts).to_string(),
                get(&s.strict.tool_counts).to_string(),
                tt.responses.to_string(),
                tt.failed.to_string(),
                tt.failure_rate_pct().to_string(),
                st.responses.to_string(),
                st.failed.to_string(),
                st.failure_rate_pct().to_string(),
                st.nonzero_exit.to_string(),
                get(&d.declared_unused).to_string(),
                get(&d.undeclared_calls).to_string(),
            ],
        );
    }
    out
}

fn median_or_blank(h: &super::distribution::Hist) -> String {
    if h.is_empty() {
        String::new()
    } else {
        h.median().to_string()
    }
}

fn p90_or_blank(h: &super::distribution::Hist) -> String {
    if h.is_empty() {
        String::new()
    } else {
        h.p90().to_string()
    }
}

/// One line per category, then per subcategory (column `level`).
pub fn categories_csv(s: &Summary) -> String {
    let mut out = String::new();
    line(
        &mut out,
        &[
            "level",
            "name",
            "rows",
            "turns",
            "tool_calls_tutorial",
            "tool_calls_strict",
            "error_rows_tutorial",
            "error_rows_pct_tutorial",
            "error_rows_strict",
            "error_rows_pct_strict",
            "results_strict",
            "failed_strict",
            "failure_rate_pct_strict",
            "think_chars_median (per category)",
            "think_chars_p90 (per category)",
        ]
        .map(String::from),
    );
    let levels: [(&str, &std::collections::BTreeMap<String, Group>); 2] = [
        ("category", &s.detail.by_category),
        ("subcategory", &s.detail.by_subcategory),
    ];
    for (level, groups) in levels {
        for (name, g) in groups {
            line(
                &mut out,
                &[
                    level.to_owned(),
                    name.clone(),
                    g.rows.to_string(),
                    g.turns.to_string(),
                    g.tutorial_tool_calls.to_string(),
                    g.tool_calls.to_string(),
                    g.tutorial_rows_with_error.to_string(),
                    pct(g.tutorial_rows_with_error, g.rows).to_string(),
                    g.rows_with_failure.to_string(),
                    pct(g.rows_with_failure, g.rows).to_string(),
                    g.responses.to_string(),
                    g.failed_responses.to_string(),
                    g.failure_rate_pct().to_string(),
                    median_or_blank(&g.think_chars),
                    p90_or_blank(&g.think_chars),
                ],
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_shape() {
        let mut s = Summary {
            rows: 2,
            ..Summary::default()
        };
        s.strict.tool_counts.insert("a,\"b\"".into(), 3);
        s.detail.by_category.insert(
            "Terminal & Coding".into(),
            Group {
                rows: 2,
                rows_with_failure: 1,
                ..Group::default()
            },
        );
        let tools = tools_csv(&s);
        let mut lines = tools.lines();
        assert!(lines.next().is_some_and(|h| h.starts_with("tool,")));
        assert_eq!(lines.next(), Some("\"a,\"\"b\"\"\",0,3,0,0,0,0,0,0,0,0,0"));
        let cats = categories_csv(&s);
        assert!(cats.contains("category,Terminal & Coding,2,0,0,0,0,0,1,50,"));
        let figs = figures_csv(&s, [("kimi", &s)]);
        assert_eq!(figs.lines().count(), 1 + 2 * headline(&s).len());
        assert!(figs.contains("kimi,rows,2,2"));
    }
}
