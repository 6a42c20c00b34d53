//! The dashboard's detailed charts: conversation length, think/call/answer lengths (both modes
//! over the same bins), failure rate by tool and by category (both rules), reasoning length by
//! category (box plot), tool × step heatmap, reasoning/action share by step, top tools stacked
//! by category, and sources side by side. Pure functions from aggregates to chart options, like
//! the rest of `charts`; every chart has a title, axis names, a tooltip, save-as-PNG and aria.

use charming::component::{Axis, Legend, VisualMap};
use charming::datatype::{CompositeValue, DataPoint};
use charming::element::{AxisLabel, AxisType, Orient, Tooltip, Trigger};
use charming::series::{Bar, Boxplot, Heatmap};
use charming::Chart;

use super::{base, tight_grid};
use std::collections::BTreeMap;

use crate::stats::breakdown::ToolRow;
use crate::stats::catalog::{figure, SOURCES_CHART};
use crate::stats::distribution::{Bin, Hist};
use crate::stats::{pct, Summary};

/// Bins used by the notebook's histograms.
pub const BINS: u32 = 40;
/// Tools shown in per-tool charts.
pub const TOP: usize = 15;

pub(crate) fn bin_label(b: &Bin) -> String {
    if b.lo == b.hi {
        b.lo.to_string()
    } else {
        format!("{}–{}", b.lo, b.hi)
    }
}

fn legend() -> Legend {
    Legend::new().top("bottom")
}

fn axis_tooltip() -> Tooltip {
    Tooltip::new().trigger(Trigger::Axis)
}

/// Rows by number of messages, in 40 bins.
pub fn conversation_length(s: &Summary) -> Chart {
    let bins = s.detail.turns.bins(BINS);
    base(
        "Conversation length",
        &format!(
            "median {} messages, p90 {}",
            s.detail.turns.median(),
            s.detail.turns.p90()
        ),
    )
    .tooltip(axis_tooltip())
    .grid(tight_grid())
    .x_axis(
        Axis::new()
            .type_(AxisType::Category)
            .name("messages per row")
            .data(bins.iter().map(bin_label).collect()),
    )
    .y_axis(Axis::new().type_(AxisType::Value).name("rows"))
    .series(
        Bar::new()
            .name("rows")
            .data(bins.iter().map(|b| b.count as i64).collect()),
    )
}

/// The shape every side-by-side chart shares (tutorial beside strict here, two groups in
/// `charts::compare`): a category x axis, two named series, the legend under the plot.
pub(crate) fn side_by_side(
    (title, subtitle): (&str, &str),
    x: Axis,
    y: Axis,
    (a, b): (Bar, Bar),
) -> Chart {
    base(title, subtitle)
        .tooltip(axis_tooltip())
        .legend(legend())
        .grid(tight_grid().bottom("12%"))
        .x_axis(x)
        .y_axis(y)
        .series(a)
        .series(b)
}

/// Two distributions over the same 40 bins (the union of their ranges), log y.
fn two_modes(title: &str, x_name: &str, tutorial: &Hist, strict: &Hist) -> Chart {
    let mut both = tutorial.clone();
    both.merge(strict);
    let bins = both.bins(BINS);
    let counts =
        |h: &Hist| Bar::new().data(bins.iter().map(|b| h.count_in(b.lo, b.hi) as i64).collect());
    let subtitle = format!(
        "median {} (tutorial) · {} (strict)",
        tutorial.median(),
        strict.median()
    );
    side_by_side(
        (title, &subtitle),
        Axis::new()
            .type_(AxisType::Category)
            .name(x_name)
            .data(bins.iter().map(bin_label).collect()),
        Axis::new().type_(AxisType::Log).name("count (log)"),
        (
            counts(tutorial).name("tutorial"),
            counts(strict).name("strict"),
        ),
    )
}

pub fn think_lengths(s: &Summary) -> Chart {
    two_modes(
        "Reasoning length per think block",
        "characters",
        &s.tutorial.detail.think_chars,
        &s.strict.detail.think_chars,
    )
}

pub fn call_lengths(s: &Summary) -> Chart {
    two_modes(
        "Tool-call length",
        "characters of the call's JSON",
        &s.tutorial.detail.call_chars,
        &s.strict.detail.call_chars,
    )
}

pub fn answer_lengths(s: &Summary) -> Chart {
    two_modes(
        "Answer length per assistant turn",
        "characters outside think and call blocks",
        &s.tutorial.detail.answer_chars,
        &s.strict.detail.answer_chars,
    )
}

/// Two named series of percentages (both rules here, two groups in `charts::compare`), one
/// pair of bars per name (names slanted, y from 0 to 100).
pub(crate) fn percent_pairs(
    titles: (&str, &str),
    (x_name, y_name): (&str, &str),
    names: Vec<String>,
    [(a_name, a), (b_name, b)]: [(&str, Vec<f64>); 2],
) -> Chart {
    side_by_side(
        titles,
        Axis::new()
            .type_(AxisType::Category)
            .name(x_name)
            .axis_label(AxisLabel::new().rotate(30))
            .data(names),
        Axis::new().type_(AxisType::Value).name(y_name).max(100),
        (
            Bar::new().name(a_name).data(a),
            Bar::new().name(b_name).data(b),
        ),
    )
}

/// Failed results ÷ results per tool (the most answered tools), under both rules.
pub fn failure_by_tool(s: &Summary) -> Chart {
    let (strict, tutorial) = (&s.strict.detail.tools, &s.tutorial.detail.tools);
    let mut tools: Vec<(&String, u64)> = strict.iter().map(|(k, v)| (k, v.responses)).collect();
    tools.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    tools.truncate(TOP);
    let names: Vec<String> = tools.iter().map(|(k, _)| (*k).clone()).collect();
    let rates = |m: &BTreeMap<String, ToolRow>| -> Vec<f64> {
        names
            .iter()
            .map(|n| m.get(n).map_or(0.0, ToolRow::failure_rate_pct))
            .collect()
    };
    let (tutorial, strict) = (rates(tutorial), rates(strict));
    percent_pairs(
        (
            "Failure rate by tool",
            "failed results / results, % (tutorial: first block of each tool message)",
        ),
        ("tool", "% failed"),
        names,
        [("tutorial", tutorial), ("strict", strict)],
    )
}

/// Rows with at least one failure per category, under both rules.
pub fn failure_by_category(s: &Summary) -> Chart {
    let cats = &s.detail.by_category;
    percent_pairs(
        (
            "Rows with ≥ 1 failure by category",
            "tutorial rule vs strict rule, % of the category's rows",
        ),
        ("category", "% rows"),
        cats.keys().cloned().collect(),
        [
            (
                "tutorial",
                cats.values()
                    .map(|g| pct(g.tutorial_rows_with_error, g.rows))
                    .collect(),
            ),
            (
                "strict",
                cats.values()
                    .map(|g| pct(g.rows_with_failure, g.rows))
                    .collect(),
            ),
        ],
    )
}

/// Characters per reasoning block, per category: min, q1, median, q3 and p90 (the upper
/// whisker stops at p90: a few very long blocks would flatten every box).
pub fn reasoning_by_category(s: &Summary) -> Chart {
    let cats: Vec<(&String, &Hist)> = s
        .detail
        .by_category
        .iter()
        .filter(|(_, g)| g.think_chars.count() > 0)
        .map(|(k, g)| (k, &g.think_chars))
        .collect();
    let data: Vec<DataPoint> = cats
        .iter()
        .map(|(_, h)| {
            let five: Vec<CompositeValue> = [
                f64::from(h.min().unwrap_or(0)),
                h.quantile(0.25),
                h.median(),
                h.quantile(0.75),
                h.p90(),
            ]
            .into_iter()
            .map(CompositeValue::from)
            .collect();
            DataPoint::Value(CompositeValue::Array(five))
        })
        .collect();
    base(
        "Reasoning length by category",
        "characters per think block: box = quartiles and median, whiskers = min and p90",
    )
    .tooltip(Tooltip::new().trigger(Trigger::Item))
    .grid(tight_grid())
    .x_axis(
        Axis::new()
            .type_(AxisType::Category)
            .name("category")
            .axis_label(AxisLabel::new().rotate(30))
            .data(cats.iter().map(|(k, _)| (*k).clone()).collect()),
    )
    .y_axis(Axis::new().type_(AxisType::Value).name("characters"))
    .series(Boxplot::new().name("think characters").data(data))
}

/// Calls per tool per step (the most called tools × the assistant turn's index).
pub fn tool_steps(s: &Summary) -> Chart {
    let tools: Vec<String> = s
        .strict
        .top_tools(TOP)
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    let last = s.detail.steps.keys().next_back().copied().unwrap_or(0);
    let steps: Vec<String> = (1..=last)
        .map(|i| {
            if i == crate::stats::detail::MAX_STEP {
                format!("{i}+")
            } else {
                i.to_string()
            }
        })
        .collect();
    let mut data: Vec<Vec<DataPoint>> = Vec::new();
    let mut max = 0u64;
    for (y, tool) in tools.iter().enumerate() {
        if let Some(by_step) = s.detail.tool_steps.get(tool) {
            for (step, n) in by_step {
                max = max.max(*n);
                data.push(vec![
                    DataPoint::from(i64::from(*step) - 1),
                    DataPoint::from(y as i64),
                    DataPoint::from(*n as i64),
                ]);
            }
        }
    }
    base(
        "Tool usage by step",
        "calls per tool at each assistant turn",
    )
    .tooltip(Tooltip::new().trigger(Trigger::Item))
    .grid(tight_grid().bottom("14%"))
    .x_axis(
        Axis::new()
            .type_(AxisType::Category)
            .name("step")
            .data(steps),
    )
    .y_axis(
        Axis::new()
            .type_(AxisType::Category)
            .name("tool")
            .data(tools),
    )
    .visual_map(
        VisualMap::new()
            .min(0)
            .max(max.max(1) as f64)
            .calculable(true)
            .orient(Orient::Horizontal)
            .left("center")
            .bottom("0"),
    )
    .series(Heatmap::new().name("calls").data(data))
}

/// Share of reasoning, call and answer characters at each step, in %.
pub fn step_share(s: &Summary) -> Chart {
    let steps = &s.detail.steps;
    let total = |st: &crate::stats::detail::Step| st.think_chars + st.call_chars + st.answer_chars;
    let share = |f: fn(&crate::stats::detail::Step) -> u64| -> Vec<f64> {
        steps.values().map(|st| pct(f(st), total(st))).collect()
    };
    let labels: Vec<String> = steps
        .keys()
        .map(|i| {
            if *i == crate::stats::detail::MAX_STEP {
                format!("{i}+")
            } else {
                i.to_string()
            }
        })
        .collect();
    base(
        "Reasoning vs action by step",
        "share of characters in think, call and answer text at each assistant turn",
    )
    .tooltip(axis_tooltip())
    .legend(legend())
    .grid(tight_grid().bottom("12%"))
    .x_axis(
        Axis::new()
            .type_(AxisType::Category)
            .name("step")
            .data(labels),
    )
    .y_axis(
        Axis::new()
            .type_(AxisType::Value)
            .name("% of characters")
            .max(100),
    )
    .series(
        Bar::new()
            .name("think")
            .stack("share")
            .data(share(|s| s.think_chars)),
    )
    .series(
        Bar::new()
            .name("call")
            .stack("share")
            .data(share(|s| s.call_chars)),
    )
    .series(
        Bar::new()
            .name("answer")
            .stack("share")
            .data(share(|s| s.answer_chars)),
    )
}

/// The top tools (as `top_tools`), each bar stacked by the rows' category.
pub fn top_tools_by_category(s: &Summary) -> Chart {
    let top = s.strict.top_tools(TOP);
    let names: Vec<String> = top.iter().rev().map(|(n, _)| (*n).to_owned()).collect();
    let mut chart = base(
        &format!("Top {} tools by calls, by category", top.len()),
        "tool calls in assistant turns",
    )
    .tooltip(axis_tooltip())
    .legend(legend())
    .grid(tight_grid().bottom("14%"))
    .x_axis(Axis::new().type_(AxisType::Value).name("calls"))
    .y_axis(
        Axis::new()
            .type_(AxisType::Category)
            .name("tool")
            .data(names.clone()),
    );
    for cat in s.categories.keys() {
        let data: Vec<i64> = names
            .iter()
            .map(|t| {
                s.detail
                    .tool_categories
                    .get(t)
                    .and_then(|m| m.get(cat))
                    .map_or(0, |n| *n as i64)
            })
            .collect();
        if data.iter().any(|n| *n > 0) {
            chart = chart.series(Bar::new().name(cat.as_str()).stack("calls").data(data));
        }
    }
    chart
}

/// The headline figures every source is compared on (`catalog::SOURCES_CHART`): (label, value).
pub fn headline(s: &Summary) -> Vec<(&'static str, f64)> {
    SOURCES_CHART
        .iter()
        .filter_map(|(name, mode, label)| Some((*label, figure(name)?.value(s, *mode))))
        .collect()
}

/// Sources side by side: one series per source over the headline figures.
pub fn sources(sources: &[(String, Summary)]) -> Chart {
    let labels: Vec<String> = headline(&Summary::default())
        .iter()
        .map(|(l, _)| (*l).to_owned())
        .collect();
    let mut chart = base(
        "Sources side by side",
        &match sources.len() {
            1 => "1 source on the headline figures".to_owned(),
            n => format!("{n} sources on the headline figures"),
        },
    )
    .tooltip(axis_tooltip())
    .legend(legend())
    .grid(tight_grid().bottom("12%"))
    .x_axis(
        Axis::new()
            .type_(AxisType::Category)
            .name("figure")
            .axis_label(AxisLabel::new().rotate(30))
            .data(labels),
    )
    .y_axis(Axis::new().type_(AxisType::Value).name("value"));
    for (label, s) in sources {
        let values: Vec<f64> = headline(s)
            .iter()
            .map(|(_, v)| (v * 100.0).round() / 100.0)
            .collect();
        chart = chart.series(Bar::new().name(label.as_str()).data(values));
    }
    chart
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn summary() -> Summary {
        use agent_traces_gen::{self as gen, GenOptions};
        let opts = GenOptions {
            seed: 3,
            rows: 60,
            tricky_ratio: 0.2,
            ..GenOptions::default()
        };
        let mut s = Summary::default();
        for r in gen::rows(&opts) {
            if let Ok(c) = crate::trace::parse_row(&r.to_json_line()) {
                s.add(&c);
            }
        }
        s
    }

    fn json(c: &Chart) -> Value {
        serde_json::from_str(&c.to_string()).unwrap_or_default()
    }

    #[test]
    fn every_chart_has_title_aria_and_the_expected_series() {
        let s = summary();
        let charts = [
            (conversation_length(&s), 1),
            (think_lengths(&s), 2),
            (call_lengths(&s), 2),
            (answer_lengths(&s), 2),
            (failure_by_tool(&s), 2),
            (failure_by_category(&s), 2),
            (reasoning_by_category(&s), 1),
            (tool_steps(&s), 1),
            (step_share(&s), 3),
        ];
        for (c, series) in charts {
            let v = json(&c);
            assert!(v["title"][0]["text"].is_string(), "{v}");
            assert_eq!(v["aria"]["enabled"], true);
            assert!(v["toolbox"]["feature"]["saveAsImage"].is_object());
            assert_eq!(
                v["series"].as_array().map(Vec::len),
                Some(series),
                "{}",
                v["title"][0]["text"]
            );
        }
    }

    #[test]
    fn histograms_hold_every_value() {
        let s = summary();
        let v = json(&conversation_length(&s));
        let total: i64 = v["series"][0]["data"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_i64).sum())
            .unwrap_or(0);
        assert_eq!(total as u64, s.rows);
        assert!(v["xAxis"]["data"].as_array().map_or(0, Vec::len) <= 40);
        let t = json(&think_lengths(&s));
        for (i, h) in [&s.tutorial.detail.think_chars, &s.strict.detail.think_chars]
            .iter()
            .enumerate()
        {
            let sum: i64 = t["series"][i]["data"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_i64).sum())
                .unwrap_or(0);
            assert_eq!(sum as u64, h.count());
        }
        assert_eq!(t["yAxis"]["type"], "log");
    }

    #[test]
    fn categories_and_sources() {
        let s = summary();
        let b = json(&reasoning_by_category(&s));
        assert_eq!(
            b["series"][0]["data"].as_array().map(Vec::len),
            b["xAxis"]["data"].as_array().map(Vec::len)
        );
        let stacked = json(&top_tools_by_category(&s));
        let cats_used = stacked["series"].as_array().map_or(0, Vec::len);
        assert!(cats_used >= 1 && cats_used <= s.categories.len());
        let two = json(&sources(&[
            ("a".into(), s.clone()),
            ("b".into(), s.clone()),
        ]));
        assert_eq!(two["series"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            two["xAxis"]["data"].as_array().map(Vec::len),
            Some(headline(&s).len())
        );
    }
}
