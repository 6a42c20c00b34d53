//! The compare view's charts: each distribution of two groups overlaid on the same bins, as a
//! share of each group's items (the groups may differ in size), with each group's median and
//! p90 marked; failure rates by tool and by category, the two groups side by side (strict rule).

use charming::component::Axis;
use charming::element::{
    AxisType, Label, LineStyle, LineStyleType, MarkLine, MarkLineData, MarkLineVariant, Symbol,
};
use charming::series::Bar;
use charming::Chart;

use super::detail::{bin_label, percent_pairs, side_by_side, BINS, TOP};
use crate::stats::display::show;
use crate::stats::distribution::{Bin, Hist};
use crate::stats::{pct, Summary};

/// Two groups' names and figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Groups {
    pub a: (String, Summary),
    pub b: (String, Summary),
}

/// One overlaid distribution: its chart's id, and the values it counts in a group.
pub struct Distribution {
    pub id: &'static str,
    pub title: &'static str,
    /// What one value is (the x axis).
    pub unit: &'static str,
    /// What is counted (the y axis is its share, %).
    pub per: &'static str,
    pub values: fn(&Summary) -> Hist,
}

impl Distribution {
    pub fn chart(&self, g: &Groups) -> Chart {
        overlaid(self, g)
    }

    /// Either group has a value to show (durations exist only where a log timed the calls).
    pub fn has_data(&self, g: &Groups) -> bool {
        !(self.values)(&g.a.1).is_empty() || !(self.values)(&g.b.1).is_empty()
    }
}

fn widths(s: &Summary) -> Hist {
    let mut h = Hist::default();
    for (w, n) in &s.strict.parallel_widths {
        h.add_n(*w, *n);
    }
    h
}

/// Every distribution the view overlays (strict reading), in the order it shows them.
pub static DISTRIBUTIONS: &[Distribution] = &[
    Distribution {
        id: "compare-turns",
        title: "Conversation length",
        unit: "messages per row",
        per: "rows",
        values: |s| s.detail.turns.clone(),
    },
    Distribution {
        id: "compare-calls",
        title: "Tool calls per row",
        unit: "calls",
        per: "rows",
        values: |s| s.strict.detail.calls_per_row.clone(),
    },
    Distribution {
        id: "compare-parallel",
        title: "Calls per calling turn (parallel width)",
        unit: "calls in one assistant turn",
        per: "calling turns",
        values: widths,
    },
    Distribution {
        id: "compare-think-words",
        title: "Reasoning length",
        unit: "words per think block",
        per: "think blocks",
        values: |s| s.strict.detail.think_words.clone(),
    },
    Distribution {
        id: "compare-call-chars",
        title: "Tool-call length",
        unit: "characters of the call's JSON",
        per: "calls",
        values: |s| s.strict.detail.call_chars.clone(),
    },
    Distribution {
        id: "compare-answer-chars",
        title: "Answer length",
        unit: "characters outside think and call blocks",
        per: "answers",
        values: |s| s.strict.detail.answer_chars.clone(),
    },
    Distribution {
        id: "compare-call-ms",
        title: "Tool-call duration (logs)",
        unit: "milliseconds from call to result",
        per: "timed calls",
        values: |s| s.log.call_ms.clone(),
    },
];

/// The share of each group's values past which the tail goes into the last bin (`≥ x`).
const TAIL: f64 = 0.99;

/// The bins' labels, the last one naming the tail when `clipped`.
fn labels(bins: &[Bin], clipped: bool) -> Vec<String> {
    let last = bins.len().saturating_sub(1);
    bins.iter()
        .enumerate()
        .map(|(i, b)| {
            if clipped && i == last {
                format!("≥ {}", b.lo)
            } else {
                bin_label(b)
            }
        })
        .collect()
}

/// The label of the bin holding `x`.
fn label_at(bins: &[Bin], labels: &[String], x: f64) -> Option<String> {
    let i = bins
        .iter()
        .position(|b| x <= f64::from(b.hi) + 0.5)
        .unwrap_or(bins.len().saturating_sub(1));
    labels.get(i).cloned()
}

/// Vertical dashed lines at a group's median and p90 (named in the tooltip, not on the plot,
/// where four labels would overlap).
fn marks(name: &str, h: &Hist, bins: &[Bin], labels: &[String]) -> MarkLine {
    let line = |what: &str, x: f64| {
        label_at(bins, labels, x).map(|at| {
            MarkLineVariant::Simple(
                MarkLineData::new()
                    .name(format!("{name} {what} {}", show(x)))
                    .x_axis(at),
            )
        })
    };
    let data: Vec<MarkLineVariant> = if h.is_empty() {
        Vec::new()
    } else {
        [line("median", h.median()), line("p90", h.p90())]
            .into_iter()
            .flatten()
            .collect()
    };
    MarkLine::new()
        .symbol(vec![Symbol::None, Symbol::None])
        .line_style(LineStyle::new().type_(LineStyleType::Dashed))
        .label(Label::new().show(false))
        .data(data)
}

/// Both groups' values over the same bins (the union of their ranges up to the larger p99,
/// the rest in a last `≥ x` bin), each bin's share of its group, medians and p90s marked.
fn overlaid(d: &Distribution, g: &Groups) -> Chart {
    let (ha, hb) = ((d.values)(&g.a.1), (d.values)(&g.b.1));
    let mut both = ha.clone();
    both.merge(&hb);
    let cap = ha.quantile(TAIL).max(hb.quantile(TAIL)).ceil() as u32;
    let clipped = both.max().is_some_and(|m| m > cap);
    let (ca, cb) = if clipped {
        (ha.clipped(cap), hb.clipped(cap))
    } else {
        (ha.clone(), hb.clone())
    };
    let mut both = ca.clone();
    both.merge(&cb);
    let bins = both.bins(BINS);
    let names = labels(&bins, clipped);
    let shares = |h: &Hist| -> Vec<f64> {
        let n = h.count();
        bins.iter()
            .map(|b| (pct(h.count_in(b.lo, b.hi), n) * 100.0).round() / 100.0)
            .collect()
    };
    let subtitle = format!(
        "median {} ({}) · {} ({}); p90 {} · {}",
        show(ha.median()),
        g.a.0,
        show(hb.median()),
        g.b.0,
        show(ha.p90()),
        show(hb.p90())
    );
    let bar = |name: &str, clipped: &Hist, whole: &Hist| {
        Bar::new()
            .name(name)
            .data(shares(clipped))
            .mark_line(marks(name, whole, &bins, &names))
    };
    side_by_side(
        (d.title, &subtitle),
        Axis::new()
            .type_(AxisType::Category)
            .name(d.unit)
            .data(names.clone()),
        Axis::new()
            .type_(AxisType::Value)
            .name(format!("% of {}", d.per)),
        (bar(&g.a.0, &ca, &ha), bar(&g.b.0, &cb, &hb)),
    )
}

/// Failed results ÷ results per tool (the tools with most results in both), strict rule.
pub fn failure_by_tool(g: &Groups) -> Chart {
    let (ta, tb) = (&g.a.1.strict.detail.tools, &g.b.1.strict.detail.tools);
    let mut tools: Vec<(&String, u64)> = Vec::new();
    for (name, row) in ta.iter().chain(tb) {
        match tools.iter_mut().find(|(n, _)| *n == name) {
            Some((_, r)) => *r += row.responses,
            None => tools.push((name, row.responses)),
        }
    }
    tools.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    tools.truncate(TOP);
    let names: Vec<String> = tools.into_iter().map(|(n, _)| n.clone()).collect();
    let rates = |s: &Summary| -> Vec<f64> {
        names
            .iter()
            .map(|n| {
                s.strict
                    .detail
                    .tools
                    .get(n)
                    .map_or(0.0, |t| t.failure_rate_pct())
            })
            .collect()
    };
    let values = [(g.a.0.as_str(), rates(&g.a.1)), (&g.b.0, rates(&g.b.1))];
    percent_pairs(
        (
            "Failure rate by tool",
            "failed results / results, % (strict rule)",
        ),
        ("tool", "% failed"),
        names,
        values,
    )
}

/// Rows with a failed result per category, strict rule.
pub fn failure_by_category(g: &Groups) -> Chart {
    let (ca, cb) = (&g.a.1.detail.by_category, &g.b.1.detail.by_category);
    let mut names: Vec<String> = ca.keys().chain(cb.keys()).cloned().collect();
    names.sort();
    names.dedup();
    let rates = |s: &Summary| -> Vec<f64> {
        names
            .iter()
            .map(|n| {
                s.detail
                    .by_category
                    .get(n)
                    .map_or(0.0, |c| pct(c.rows_with_failure, c.rows))
            })
            .collect()
    };
    let values = [(g.a.0.as_str(), rates(&g.a.1)), (&g.b.0, rates(&g.b.1))];
    percent_pairs(
        (
            "Rows with ≥ 1 failure by category",
            "% of the category's rows (strict rule)",
        ),
        ("category", "% rows"),
        names,
        values,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::compare::tests::analysed;
    use agent_traces_gen::GenOptions;

    fn summary(rows: usize, seed: u64) -> Summary {
        let opts = GenOptions {
            rows,
            seed,
            ..Default::default()
        };
        analysed(&opts).report.summary
    }

    fn json(c: &Chart) -> serde_json::Value {
        serde_json::from_str(&c.to_string()).expect("chart options are JSON")
    }

    #[test]
    fn overlaid_shares_add_up_and_mark_both_medians() {
        let g = Groups {
            a: ("kimi".into(), summary(80, 1)),
            b: ("glm".into(), summary(40, 2)),
        };
        for d in DISTRIBUTIONS.iter().filter(|d| d.has_data(&g)) {
            let v = json(&d.chart(&g));
            let series = v["series"].as_array().expect("series");
            assert_eq!(series.len(), 2, "{}", d.id);
            assert_eq!(series[0]["name"], "kimi");
            for s in series {
                let total: f64 = s["data"]
                    .as_array()
                    .expect("data")
                    .iter()
                    .map(|x| x.as_f64().unwrap_or(0.0))
                    .sum();
                assert!(
                    (total - 100.0).abs() < 0.5,
                    "{}: shares add to {total}",
                    d.id
                );
                let marks = s["markLine"]["data"].as_array().expect("marks");
                assert_eq!(marks.len(), 2, "{}: median and p90", d.id);
                let bins = v["xAxis"][0]["data"]
                    .as_array()
                    .or(v["xAxis"]["data"].as_array());
                let bins = bins.expect("bins");
                for m in marks {
                    assert!(bins.contains(&m["xAxis"]), "{}: {m} on a bin", d.id);
                }
            }
        }
        // A long tail (generated call lengths reach far past their p99) ends in one `≥` bin.
        let calls = DISTRIBUTIONS
            .iter()
            .find(|d| d.id == "compare-call-chars")
            .unwrap();
        let v = json(&calls.chart(&g));
        let bins = v["xAxis"]["data"]
            .as_array()
            .or(v["xAxis"][0]["data"].as_array())
            .unwrap();
        let tails: Vec<usize> = (0..bins.len())
            .filter(|i| bins[*i].as_str().is_some_and(|b| b.starts_with('≥')))
            .collect();
        assert_eq!(tails, [bins.len() - 1], "{bins:?}");
        // Generated rows have no logged durations.
        let timed = DISTRIBUTIONS.iter().find(|d| d.id == "compare-call-ms");
        assert!(timed.is_some_and(|d| !d.has_data(&g)));
    }

    #[test]
    fn failure_rates_are_each_groups_own() {
        let (a, b) = (summary(60, 3), summary(60, 4));
        let g = Groups {
            a: ("a".into(), a.clone()),
            b: ("b".into(), b.clone()),
        };
        let v = json(&failure_by_tool(&g));
        let names = v["xAxis"]["data"]
            .as_array()
            .or(v["xAxis"][0]["data"].as_array());
        let first = names
            .and_then(|n| n.first())
            .and_then(|n| n.as_str())
            .expect("a tool");
        let want = a.strict.detail.tools[first].failure_rate_pct();
        assert_eq!(v["series"][0]["data"][0].as_f64(), Some(want));
        let want = b
            .strict
            .detail
            .tools
            .get(first)
            .map_or(0.0, |t| t.failure_rate_pct());
        assert_eq!(v["series"][1]["data"][0].as_f64(), Some(want));
        let v = json(&failure_by_category(&g));
        assert_eq!(v["series"].as_array().map(Vec::len), Some(2));
    }
}
