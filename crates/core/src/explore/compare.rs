//! Two groups of rows compared (two sources, two files, a filter and the rest): each figure of
//! both modes in each group, their ratio b ÷ a, and whether the difference is more than noise —
//! a seeded bootstrap over rows (each group resampled with replacement, the figure recomputed,
//! the 2.5th and 97.5th percentiles of the ratio kept; 0.5th and 99.5th for the per-tool
//! figures), ranked so the largest differences lead.
//!
//! A figure here is a function of rows that a resample can recompute cheaply: a ratio of sums
//! of per-row counts (a mean per row, a share of turns or rows) or a quantile of per-row items
//! (turns per row, words per reasoning block). Each point value equals the dashboard's figure of
//! the same name on the same rows (`stats::catalog`; the tests check it). A `Bootstrap` lays
//! each group out once and draws a resample as row weights, every figure in one pass; it can be
//! drawn a batch at a time (the page does, one batch per task).

use serde::Serialize;

use super::filter::Hit;
use crate::index::{IndexRow, RowIndex};
use crate::stats::row::RowStats;
use crate::stats::Mode;

/// Resamples of each group.
pub const RESAMPLES: usize = 400;
/// The seed of the resampling (a comparison is the same every time it is made).
pub const SEED: u64 = 0x5EED_C0DE;

/// How a figure is computed from a group's rows.
#[derive(Clone, Copy)]
enum How {
    /// Σ numerator ÷ Σ denominator over the rows, times `scale`.
    Ratio(fn(&RowStats<u32>, Mode) -> (f64, f64), f64),
    /// A quantile (0.5: the median, 0.9: p90) of the items every row contributes.
    Quantile(fn(&RowStats<u32>, Mode, &mut Vec<u32>), f64),
}

/// One compared figure: its name (as the catalog names it) and how it is counted.
struct Measure {
    name: &'static str,
    how: How,
}

fn one(_: &RowStats<u32>, _: Mode) -> f64 {
    1.0
}

static MEASURES: &[Measure] = &[
    Measure {
        name: "turns_mean",
        how: How::Ratio(|r, m| (f64::from(r.turns), one(r, m)), 1.0),
    },
    Measure {
        name: "turns_median",
        how: How::Quantile(|r, _, out| out.push(r.turns), 0.5),
    },
    Measure {
        name: "calls_per_row",
        how: How::Ratio(|r, m| (r.calls_in(m).count() as f64, 1.0), 1.0),
    },
    Measure {
        name: "calls_per_assistant_turn",
        how: How::Ratio(
            |r, m| (r.calls_in(m).count() as f64, r.answers.len() as f64),
            1.0,
        ),
    },
    Measure {
        name: "parallel_turn_pct",
        how: How::Ratio(
            |r, m| {
                let (mut wide, mut calling) = (0.0, 0.0);
                for w in r.widths_in(m) {
                    calling += 1.0;
                    wide += f64::from(u8::from(w > 1));
                }
                (wide, calling)
            },
            100.0,
        ),
    },
    Measure {
        name: "error_rows_pct",
        how: How::Ratio(|r, m| (f64::from(u8::from(r.failed_in(m))), 1.0), 100.0),
    },
    Measure {
        name: "recovery_rate_pct",
        how: How::Ratio(
            |r, m| {
                let results = r.results_in(m);
                let failed = results.iter().any(|o| o.failed);
                (
                    f64::from(u8::from(RowStats::recovered(results))),
                    f64::from(u8::from(failed)),
                )
            },
            100.0,
        ),
    },
    Measure {
        name: "think_blocks_per_assistant_turn",
        how: How::Ratio(
            |r, m| (r.reasoning_in(m).len() as f64, r.answers.len() as f64),
            1.0,
        ),
    },
    Measure {
        name: "think_words_mean",
        how: How::Ratio(
            |r, m| {
                let blocks = r.reasoning_in(m);
                let words: u64 = blocks.iter().map(|b| u64::from(b.words)).sum();
                (words as f64, blocks.len() as f64)
            },
            1.0,
        ),
    },
    Measure {
        name: "think_words_median",
        how: How::Quantile(
            |r, m, out| out.extend(r.reasoning_in(m).iter().map(|b| b.words)),
            0.5,
        ),
    },
];

/// One figure in both groups.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    /// `strict.NAME` or `tutorial.NAME`, as the page's `data-metric` hooks name the figure.
    pub key: String,
    pub a: f64,
    pub b: f64,
    /// b ÷ a (`None` when a is 0).
    pub ratio: Option<f64>,
    /// The bootstrap interval of the ratio at `level` (`None` when a resample's a is 0).
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The interval leaves out 1: the groups differ by more than resampling does.
    pub significant: bool,
    /// The interval's confidence: 0.95, or 0.99 for the per-tool figures (fifteen tools, two
    /// figures each: the wider interval keeps chance alarms among them as rare as among the rest).
    pub level: f64,
}

impl Diff {
    /// The difference in words: "1.80× (95% interval 1.60–2.00×)".
    pub fn describe(&self) -> String {
        if self.a == 0.0 && self.b != 0.0 {
            return format!(
                "only in b{}",
                if self.significant {
                    ""
                } else {
                    ": within noise"
                }
            );
        }
        if self.b == 0.0 && self.a != 0.0 && self.low.is_none() {
            return "only in a".to_owned();
        }
        match (self.ratio, self.low, self.high) {
            (Some(r), Some(lo), Some(hi)) => format!(
                "{r:.2}× ({}% interval {lo:.2}–{hi:.2}×){}",
                (self.level * 100.0).round(),
                if self.significant {
                    ""
                } else {
                    ": within noise"
                }
            ),
            _ => format!("{} vs {}", self.a, self.b),
        }
    }

    /// How far from equal, for ranking: |ln ratio|, significant ones first.
    fn rank(&self) -> (bool, f64) {
        let size = self
            .ratio
            .filter(|r| *r > 0.0)
            .map_or(f64::INFINITY, |r| r.ln().abs());
        (self.significant, size)
    }
}

/// Every difference as one JSON document: the groups, their rows, the resampling, and each
/// figure keyed by its report key (what `download-compare` writes).
pub fn differences_json(names: (&str, &str), rows: (usize, usize), diffs: &[Diff]) -> String {
    let by_key: serde_json::Map<String, serde_json::Value> = diffs
        .iter()
        .filter_map(|d| Some((d.key.clone(), serde_json::to_value(d).ok()?)))
        .collect();
    let doc = serde_json::json!({
        "a": names.0,
        "b": names.1,
        "rows": {"a": rows.0, "b": rows.1},
        "resamples": RESAMPLES,
        "seed": SEED,
        "differences": by_key,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Every difference as CSV, one figure per line, largest real differences first.
pub fn differences_csv(diffs: &[Diff]) -> String {
    let mut out = String::new();
    let head = [
        "key",
        "a",
        "b",
        "ratio",
        "low",
        "high",
        "level",
        "significant",
    ];
    crate::stats::tables::line(&mut out, &head.map(str::to_owned));
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for d in diffs {
        let cells = [
            d.key.clone(),
            d.a.to_string(),
            d.b.to_string(),
            opt(d.ratio),
            opt(d.low),
            opt(d.high),
            d.level.to_string(),
            d.significant.to_string(),
        ];
        crate::stats::tables::line(&mut out, &cells);
    }
    out
}

/// A row of a group, with the index that names its tools and categories and the position of
/// its file among the files compared (0 for [`group`]).
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    pub file: usize,
    pub index: &'a RowIndex,
    pub row: &'a IndexRow,
}

impl std::ops::Deref for Row<'_> {
    type Target = IndexRow;
    fn deref(&self) -> &IndexRow {
        self.row
    }
}

/// A group: rows of one or more files' indexes.
pub type Group<'a> = Vec<Row<'a>>;

/// Every row of `index`, as a group.
pub fn group(index: &RowIndex) -> Group<'_> {
    index
        .rows
        .iter()
        .map(|row| Row {
            file: 0,
            index,
            row,
        })
        .collect()
}

/// What a group is made of, as the URL names it (`#a=kimi`, `#a=@filter`, `#b=@rest`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// The rows of one source (a dataset's config, a folder, a harness) within the filter.
    Source(String),
    /// Every row the page's filter selects.
    Filtered,
    /// Every row it leaves out.
    Rest,
}

impl Choice {
    const FILTERED: &'static str = "@filter";
    const REST: &'static str = "@rest";

    pub fn parse(text: &str) -> Choice {
        match text {
            Choice::FILTERED => Choice::Filtered,
            Choice::REST => Choice::Rest,
            label => Choice::Source(label.to_owned()),
        }
    }

    /// The name in the URL and in the pickers' values.
    pub fn as_str(&self) -> &str {
        match self {
            Choice::Source(label) => label,
            Choice::Filtered => Choice::FILTERED,
            Choice::Rest => Choice::REST,
        }
    }

    /// The name a reader sees.
    pub fn title(&self) -> String {
        match self {
            Choice::Source(label) => label.clone(),
            Choice::Filtered => "the filter's rows".to_owned(),
            Choice::Rest => "the rest".to_owned(),
        }
    }
}

/// The rows `choice` names among `files` (each `(source label, index)`), where `hits` are the
/// rows the page's filter selects.
pub fn group_of<'a>(files: &[(&str, &'a RowIndex)], hits: &[Hit], choice: &Choice) -> Group<'a> {
    let row_at = |file: usize, row: usize| {
        let (label, index) = files.get(file)?;
        Some((
            *label,
            Row {
                file,
                index,
                row: index.rows.get(row)?,
            },
        ))
    };
    match choice {
        Choice::Source(wanted) => hits
            .iter()
            .filter_map(|h| row_at(h.file, h.row))
            .filter(|(label, _)| label == wanted)
            .map(|(_, r)| r)
            .collect(),
        Choice::Filtered => hits
            .iter()
            .filter_map(|h| row_at(h.file, h.row))
            .map(|(_, r)| r)
            .collect(),
        Choice::Rest => {
            let selected: std::collections::HashSet<(usize, usize)> =
                hits.iter().map(|h| (h.file, h.row)).collect();
            files
                .iter()
                .enumerate()
                .flat_map(|(file, (_, index))| (0..index.rows.len()).map(move |row| (file, row)))
                .filter(|at| !selected.contains(at))
                .filter_map(|(file, row)| row_at(file, row))
                .map(|(_, r)| r)
                .collect()
        }
    }
}

/// The figures of a group, as the dashboard counts them (for its distributions and per-tool
/// tables): each row's index entry added up.
pub fn summary_of(g: &Group<'_>) -> crate::stats::Summary {
    let mut s = crate::stats::Summary::default();
    for r in g {
        s.add_row(&r.stats, r.index);
    }
    s
}

/// The confidence of the intervals of the dashboard's figures, and of the per-tool ones.
pub const LEVEL: f64 = 0.95;
pub const TOOL_LEVEL: f64 = 0.99;

/// Tools whose share of calls is compared (the most called in both groups together).
pub const TOOLS: usize = 15;

/// Every figure of both modes in `a` and `b`, then each tool's share of the calls and the
/// share of its results that failed (strict), the largest significant differences first.
pub fn compare(a: &Group<'_>, b: &Group<'_>) -> Vec<Diff> {
    let mut run = Bootstrap::new(a, b);
    run.advance(RESAMPLES);
    run.diffs()
}

/// How one compared figure is computed from a group's table.
#[derive(Clone, Copy)]
enum Kind {
    /// Σ numerators ÷ Σ denominators of ratio column `column`, times `scale`.
    Ratio { column: usize, scale: f64 },
    /// Quantile `q` of the items of quantile column `column`.
    Quantile { column: usize, q: f64 },
}

struct Figure {
    key: String,
    level: f64,
    kind: Kind,
}

/// A group's per-row contributions to every figure, laid out for resampling: the ratio
/// columns row by row (`(numerator, denominator)` of each, contiguous per row), and each
/// quantile column's items as (distinct value's position, row), in row order.
#[derive(Default)]
struct Table {
    rows: usize,
    ratio_columns: usize,
    ratios: Vec<(f64, f64)>,
    quantiles: Vec<Items>,
}

#[derive(Default)]
struct Items {
    /// The distinct values, ascending.
    values: Vec<u32>,
    /// (position in `values`, row).
    items: Vec<(u32, u32)>,
}

impl Items {
    fn of(per_row: Vec<Vec<u32>>) -> Items {
        let mut values: Vec<u32> = per_row.iter().flatten().copied().collect();
        values.sort_unstable();
        values.dedup();
        let items = per_row
            .iter()
            .enumerate()
            .flat_map(|(row, xs)| {
                let values = &values;
                xs.iter().map(move |x| {
                    let at = values.binary_search(x).unwrap_or_default();
                    (at as u32, row as u32)
                })
            })
            .collect();
        Items { values, items }
    }

    /// The `q`-quantile of the items, each counted as often as its row is picked (`weights`;
    /// `None`: once), computed as `Hist::quantile` computes it.
    fn quantile(&self, weights: Option<&[u32]>, q: f64, counts: &mut Vec<u64>) -> f64 {
        counts.clear();
        counts.resize(self.values.len(), 0);
        for &(at, row) in &self.items {
            counts[at as usize] += weights.map_or(1, |w| u64::from(w[row as usize]));
        }
        let n: u64 = counts.iter().sum();
        if n == 0 {
            return 0.0;
        }
        let at_rank = |rank: u64| {
            let mut seen = 0;
            for (i, c) in counts.iter().enumerate() {
                seen += c;
                if rank < seen {
                    return self.values[i];
                }
            }
            self.values.last().copied().unwrap_or(0)
        };
        let pos = q * (n - 1) as f64;
        let (lo, hi) = (pos.floor(), pos.ceil());
        let x_lo = f64::from(at_rank(lo as u64));
        let x_hi = f64::from(at_rank(hi as u64));
        x_lo + (x_hi - x_lo) * (pos - lo)
    }
}

impl Table {
    /// Every figure's value with each row counted `weights[row]` times (`None`: once).
    fn values(&self, figures: &[Figure], weights: Option<&[u32]>, out: &mut Vec<f64>) {
        let mut sums = vec![(0.0, 0.0); self.ratio_columns];
        if self.ratio_columns > 0 {
            for (row, cells) in self.ratios.chunks_exact(self.ratio_columns).enumerate() {
                let w = weights.map_or(1.0, |w| f64::from(w[row]));
                if w == 0.0 {
                    continue;
                }
                for (sum, (x, y)) in sums.iter_mut().zip(cells) {
                    sum.0 += w * x;
                    sum.1 += w * y;
                }
            }
        }
        let mut counts = Vec::new();
        out.clear();
        out.extend(figures.iter().map(|f| match f.kind {
            Kind::Ratio { column, scale } => {
                let (num, den) = sums[column];
                if den == 0.0 {
                    0.0
                } else {
                    scale * num / den
                }
            }
            Kind::Quantile { column, q } => {
                self.quantiles[column].quantile(weights, q, &mut counts)
            }
        }));
    }
}

/// A comparison under way: the figures of both groups, and the resamples drawn so far. The page
/// draws them a batch at a time (`advance`) so that no task holds its main thread long;
/// `compare` draws them all at once. Either way the same seed gives the same intervals.
pub struct Bootstrap {
    figures: Vec<Figure>,
    tables: [Table; 2],
    rng: SplitMix,
    /// The figures over every row once, then one line of figures per resample (a, b).
    points: [Vec<f64>; 2],
    resampled: Vec<[Vec<f64>; 2]>,
}

impl Bootstrap {
    pub fn new(a: &Group<'_>, b: &Group<'_>) -> Bootstrap {
        let mut figures = Vec::new();
        let mut ratio_columns: [Vec<Vec<(f64, f64)>>; 2] = Default::default();
        let mut quantile_columns: [Vec<Vec<Vec<u32>>>; 2] = Default::default();
        let groups = [a, b];
        for mode in [Mode::Strict, Mode::Tutorial] {
            for m in MEASURES {
                let key = format!("{}.{}", mode.as_str(), m.name);
                let kind = match m.how {
                    How::Ratio(f, scale) => {
                        for (side, g) in groups.iter().enumerate() {
                            ratio_columns[side].push(g.iter().map(|r| f(&r.stats, mode)).collect());
                        }
                        Kind::Ratio {
                            column: ratio_columns[0].len() - 1,
                            scale,
                        }
                    }
                    How::Quantile(f, q) => {
                        for (side, g) in groups.iter().enumerate() {
                            let items = g
                                .iter()
                                .map(|r| {
                                    let mut items = Vec::new();
                                    f(&r.stats, mode, &mut items);
                                    items
                                })
                                .collect();
                            quantile_columns[side].push(items);
                        }
                        Kind::Quantile {
                            column: quantile_columns[0].len() - 1,
                            q,
                        }
                    }
                };
                figures.push(Figure {
                    key,
                    level: LEVEL,
                    kind,
                });
            }
        }
        // Per tool, each row's (calls of the tool, calls) and (its failed results, its results):
        // two ratio columns per tool, after the measures' own.
        let tools = top_tools(a, b);
        let first = ratio_columns[0].len();
        for (side, g) in groups.iter().enumerate() {
            let per_row: Vec<Vec<ToolCounts>> = g.iter().map(|r| tool_counts(r, &tools)).collect();
            for t in 0..tools.len() {
                let column = |f: fn(&ToolCounts, &ToolCounts) -> (f64, f64)| {
                    per_row.iter().map(|c| f(&c[t], &c[tools.len()])).collect()
                };
                ratio_columns[side].push(column(|t, all| (t.calls, all.calls)));
                ratio_columns[side].push(column(|t, _| (t.failed, t.results)));
            }
        }
        for (t, tool) in tools.iter().enumerate() {
            for (k, figure) in ["tool_share", "tool_failure_pct"].into_iter().enumerate() {
                figures.push(Figure {
                    key: format!("strict.{figure}.{tool}"),
                    level: TOOL_LEVEL,
                    kind: Kind::Ratio {
                        column: first + 2 * t + k,
                        scale: 100.0,
                    },
                });
            }
        }
        let [ra, rb] = ratio_columns;
        let [qa, qb] = quantile_columns;
        let table =
            |g: &Group<'_>, columns: Vec<Vec<(f64, f64)>>, quantiles: Vec<Vec<Vec<u32>>>| {
                let mut ratios = Vec::with_capacity(g.len() * columns.len());
                for row in 0..g.len() {
                    ratios.extend(columns.iter().map(|c| c[row]));
                }
                Table {
                    rows: g.len(),
                    ratio_columns: columns.len(),
                    ratios,
                    quantiles: quantiles.into_iter().map(Items::of).collect(),
                }
            };
        let tables = [table(a, ra, qa), table(b, rb, qb)];
        let mut points: [Vec<f64>; 2] = Default::default();
        for (t, out) in tables.iter().zip(&mut points) {
            t.values(&figures, None, out);
        }
        Bootstrap {
            figures,
            tables,
            rng: SplitMix(SEED),
            points,
            resampled: Vec::with_capacity(RESAMPLES),
        }
    }

    /// Resamples drawn so far.
    pub fn done(&self) -> usize {
        self.resampled.len()
    }

    pub fn finished(&self) -> bool {
        self.done() == RESAMPLES
    }

    /// How many resamples make a batch of about `work` cells (rows × figures), at least one: a
    /// page drawing one batch per task keeps each task short whatever the groups' size.
    pub fn batch(&self, work: usize) -> usize {
        let per_resample =
            (self.tables[0].rows + self.tables[1].rows).max(1) * self.figures.len().max(1);
        (work / per_resample).clamp(1, RESAMPLES)
    }

    /// Draws up to `n` more resamples of each group (never past `RESAMPLES`).
    pub fn advance(&mut self, n: usize) {
        let mut weights = Vec::new();
        for _ in 0..n.min(RESAMPLES - self.done()) {
            let mut line: [Vec<f64>; 2] = Default::default();
            for (t, out) in self.tables.iter().zip(&mut line) {
                weights.clear();
                weights.resize(t.rows, 0u32);
                for _ in 0..t.rows {
                    weights[self.rng.below(t.rows as u64) as usize] += 1;
                }
                t.values(&self.figures, Some(&weights), out);
            }
            self.resampled.push(line);
        }
    }

    /// Each figure in both groups with its interval (none until every resample is drawn), the
    /// largest significant differences first.
    pub fn diffs(&self) -> Vec<Diff> {
        let sized = self.tables.iter().all(|t| t.rows > 0) && self.finished();
        let mut out: Vec<Diff> = self
            .figures
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let resampled: Vec<(f64, f64)> =
                    self.resampled.iter().map(|[a, b]| (a[i], b[i])).collect();
                diff(
                    f.key.clone(),
                    (self.points[0][i], self.points[1][i]),
                    &resampled,
                    sized,
                    f.level,
                )
            })
            .collect();
        out.sort_by(|x, y| {
            let (sx, fx) = x.rank();
            let (sy, fy) = y.rank();
            sy.cmp(&sx).then(fy.total_cmp(&fx)).then(x.key.cmp(&y.key))
        });
        out
    }
}

/// One row's calls, results and failed results (strict rule) of one tool.
#[derive(Clone, Copy, Default)]
struct ToolCounts {
    calls: f64,
    results: f64,
    failed: f64,
}

/// A row's counts for each of `tools`, then for every tool together.
fn tool_counts(r: &Row<'_>, tools: &[String]) -> Vec<ToolCounts> {
    let mut out = vec![ToolCounts::default(); tools.len() + 1];
    let at = |name: &str| tools.iter().position(|t| t == name);
    let all = tools.len();
    for c in r.stats.calls_in(Mode::Strict) {
        out[all].calls += 1.0;
        if let Some(i) = at(r.index.name(*c.name)) {
            out[i].calls += 1.0;
        }
    }
    for o in r.stats.results_in(Mode::Strict) {
        if let Some(i) = at(r.index.name(o.name)) {
            out[i].results += 1.0;
            out[i].failed += f64::from(u8::from(o.failed));
        }
    }
    out
}

/// The tools called most in both groups together (strict), most calls first.
fn top_tools(a: &Group<'_>, b: &Group<'_>) -> Vec<String> {
    let mut calls: std::collections::HashMap<&str, u64> = Default::default();
    for r in a.iter().chain(b) {
        for c in r.stats.calls_in(Mode::Strict) {
            *calls.entry(r.index.name(*c.name)).or_default() += 1;
        }
    }
    let mut tools: Vec<(&str, u64)> = calls.into_iter().collect();
    tools.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    tools
        .into_iter()
        .take(TOOLS)
        .map(|(t, _)| t.to_owned())
        .collect()
}

/// One figure in both groups, with its bootstrap interval: of the ratio b ÷ a, or, where a is
/// 0 (a tool only b calls), of the difference b − a, significant when it leaves out 0.
fn diff(
    key: String,
    (pa, pb): (f64, f64),
    resampled: &[(f64, f64)],
    sized: bool,
    level: f64,
) -> Diff {
    let tail = (1.0 - level) / 2.0;
    let mut ratios: Vec<f64> = resampled
        .iter()
        .filter(|(x, y)| *x != 0.0 && x.is_finite() && y.is_finite())
        .map(|(x, y)| y / x)
        .collect();
    // An empty group has no rows to vary: no interval, nothing significant.
    let interval = if sized && pa != 0.0 && ratios.len() == resampled.len() {
        ratios.sort_by(f64::total_cmp);
        Some((percentile(&ratios, tail), percentile(&ratios, 1.0 - tail)))
    } else {
        None
    };
    let significant = match interval {
        Some((lo, hi)) => lo > 1.0 || hi < 1.0,
        None if sized && pa == 0.0 => {
            let mut d: Vec<f64> = resampled.iter().map(|(x, y)| y - x).collect();
            d.sort_by(f64::total_cmp);
            percentile(&d, tail) > 0.0 || percentile(&d, 1.0 - tail) < 0.0
        }
        None => false,
    };
    Diff {
        key,
        a: pa,
        b: pb,
        ratio: (pa != 0.0).then(|| pb / pa),
        low: interval.map(|i| i.0),
        high: interval.map(|i| i.1),
        significant,
        level,
    }
}

/// The `p` percentile of sorted values (linear between order statistics, as numpy).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small, well-studied generator, enough for
/// resampling rows; seeded so a comparison is reproducible.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2⁻³² for these sizes).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pipeline::analyse;
    use crate::stats::catalog::figure;
    use agent_traces_gen::{write_jsonl, GenOptions};

    /// A compared figure as the dashboard computes it from a summary.
    fn truth_of(s: &crate::stats::Summary, key: &str) -> f64 {
        if let Some(tool) = key.strip_prefix("strict.tool_share.") {
            let calls = s.strict.tool_counts.get(tool).copied().unwrap_or(0);
            return crate::stats::pct(calls, s.strict.tool_calls);
        }
        if let Some(tool) = key.strip_prefix("strict.tool_failure_pct.") {
            return s
                .strict
                .detail
                .tools
                .get(tool)
                .map_or(0.0, |t| t.failure_rate_pct());
        }
        let (mode, name) = key.split_once('.').unwrap();
        let mode = if mode == "strict" {
            Mode::Strict
        } else {
            Mode::Tutorial
        };
        figure(name).unwrap().value(s, mode)
    }

    /// Generated rows, analysed (the compare, pair and chart tests' data).
    pub(crate) fn analysed(opts: &GenOptions) -> crate::pipeline::Analysis {
        let mut out = Vec::new();
        write_jsonl(opts, &mut out).expect("in memory");
        analyse(&out, "g.jsonl")
    }

    #[test]
    fn each_value_is_the_dashboards_figure() {
        let a = analysed(&GenOptions {
            rows: 300,
            seed: 3,
            tricky_ratio: 0.2,
            ..Default::default()
        });
        let rows = group(&a.index);
        let s = &a.report.summary;
        for d in compare(&rows, &rows) {
            let want = truth_of(s, &d.key);
            assert!((d.a - want).abs() < 1e-9, "{}: {} vs {want}", d.key, d.a);
            assert_eq!(d.a, d.b);
            assert!(
                !d.significant,
                "{}: a group is not different from itself",
                d.key
            );
        }
    }

    #[test]
    fn two_samples_of_one_generator_differ_only_by_noise() {
        let a = analysed(&GenOptions {
            rows: 400,
            seed: 1,
            ..Default::default()
        });
        let b = analysed(&GenOptions {
            rows: 400,
            seed: 2,
            ..Default::default()
        });
        let ga = group(&a.index);
        let gb = group(&b.index);
        let diffs = compare(&ga, &gb);
        let false_alarms: Vec<&str> = diffs
            .iter()
            .filter(|d| d.significant)
            .map(|d| d.key.as_str())
            .collect();
        // 35 figures at 95% (many of them tied to each other): two chance alarms at most.
        let alarms: Vec<&Diff> = diffs.iter().filter(|d| d.significant).collect();
        assert!(false_alarms.len() <= 2, "{alarms:#?}");
        for d in &diffs {
            if let (Some(lo), Some(hi)) = (d.low, d.high) {
                assert!(lo <= hi);
            }
        }
    }

    #[test]
    fn a_planted_difference_leads_with_an_interval_that_covers_the_truth() {
        let parallel = |p: f64, rows: usize, seed: u64| {
            analysed(&GenOptions {
                rows,
                seed,
                behaviour: agent_traces_gen::Behaviour {
                    parallel: p,
                    ..Default::default()
                },
                ..Default::default()
            })
        };
        let (a, b) = (parallel(0.16, 500, 1), parallel(0.40, 500, 2));
        let ga = group(&a.index);
        let gb = group(&b.index);
        let diffs = compare(&ga, &gb);
        // The truth, from samples twelve times larger.
        let (ta, tb) = (parallel(0.16, 6_000, 11), parallel(0.40, 6_000, 12));
        let truth =
            |key: &str| truth_of(&tb.report.summary, key) / truth_of(&ta.report.summary, key);
        let top = &diffs[0];
        assert!(top.key.ends_with("parallel_turn_pct"), "{diffs:#?}");
        let d = diffs
            .iter()
            .find(|d| d.key == "strict.parallel_turn_pct")
            .unwrap();
        assert!(d.significant, "{d:?}");
        // A 95% interval misses the truth one time in twenty: over ten samples, it covers it
        // at least eight times.
        let t = truth(&d.key);
        let covered = (0..10u64)
            .filter(|i| {
                let (x, y) = (parallel(0.16, 300, 100 + i), parallel(0.40, 300, 200 + i));
                let gx = group(&x.index);
                let gy = group(&y.index);
                let d = compare(&gx, &gy)
                    .into_iter()
                    .find(|d| d.key == "strict.parallel_turn_pct")
                    .unwrap();
                d.low.unwrap() <= t && t <= d.high.unwrap()
            })
            .count();
        assert!(
            covered >= 8,
            "{covered} of 10 intervals cover the truth {t}"
        );
        // Nothing the generator did not change is called significant (a figure is changed when
        // the large samples differ by more than 3%; two chance alarms at most).
        let truth_in = truth;
        let alarms: Vec<(&str, f64)> = diffs
            .iter()
            .filter(|d| d.significant)
            .map(|d| (d.key.as_str(), truth_in(&d.key)))
            .filter(|(_, t)| (t - 1.0).abs() < 0.03)
            .collect();
        assert!(alarms.len() <= 2, "{alarms:?}");
        // And what it changed is found: every figure whose truth moved by more than 10% (a
        // tool's small share of the calls aside: 500 rows cannot tell a 10% move in a 3% share).
        for d in diffs.iter().filter(|d| !d.key.contains(".tool_")) {
            let t = truth_in(&d.key);
            if (t - 1.0).abs() > 0.10 {
                assert!(
                    d.significant,
                    "{} moved {t:.2}× but is not found: {d:?}",
                    d.key
                );
            }
        }
        assert!(d.describe().contains("95% interval"), "{}", d.describe());
    }

    #[test]
    fn batches_give_the_intervals_of_one_run() {
        let a = analysed(&GenOptions {
            rows: 120,
            seed: 8,
            ..Default::default()
        });
        let b = analysed(&GenOptions {
            rows: 90,
            seed: 9,
            ..Default::default()
        });
        let (ga, gb) = (group(&a.index), group(&b.index));
        let mut run = Bootstrap::new(&ga, &gb);
        assert!(run
            .diffs()
            .iter()
            .all(|d| d.low.is_none() && !d.significant));
        let batch = run.batch(200_000);
        assert!((1..RESAMPLES).contains(&batch), "{batch}");
        while !run.finished() {
            run.advance(batch);
        }
        assert_eq!(run.done(), RESAMPLES);
        assert_eq!(run.diffs(), compare(&ga, &gb));
    }

    #[test]
    fn the_downloads_hold_every_difference() {
        let a = analysed(&GenOptions {
            rows: 40,
            seed: 6,
            ..Default::default()
        });
        let rows = group(&a.index);
        let diffs = compare(&rows, &rows);
        let csv = differences_csv(&diffs);
        assert_eq!(csv.lines().count(), diffs.len() + 1);
        assert!(csv.starts_with("key,a,b,ratio,low,high,level,significant\n"));
        let doc: serde_json::Value =
            serde_json::from_str(&differences_json(("x", "y"), (40, 40), &diffs)).unwrap();
        let keys = doc["differences"].as_object().unwrap();
        assert_eq!(keys.len(), diffs.len());
        assert_eq!(
            doc["differences"]["strict.turns_mean"]["a"],
            diffs
                .iter()
                .find(|d| d.key == "strict.turns_mean")
                .unwrap()
                .a
        );
    }

    #[test]
    fn an_empty_group_is_never_significantly_different() {
        let a = analysed(&GenOptions {
            rows: 50,
            seed: 4,
            ..Default::default()
        });
        let rows = group(&a.index);
        for d in compare(&rows, &Vec::new()) {
            assert!(!d.significant && d.low.is_none(), "{d:?}");
        }
    }

    #[test]
    fn the_generator_is_uniform() {
        let mut r = SplitMix(7);
        let mut counts = [0u32; 10];
        for _ in 0..100_000 {
            counts[r.below(10) as usize] += 1;
        }
        assert!(
            counts.iter().all(|c| (9_500..10_500).contains(c)),
            "{counts:?}"
        );
    }
}
