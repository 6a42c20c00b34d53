//! Chart builders: pure functions from aggregates to charming `Chart` options. Nothing here draws;
//! the UI hands the options to ECharts. Tested natively by inspecting the options' JSON.

use charming::component::{
    Aria, Axis, Feature, Grid, Legend, LegendType, SaveAsImage, Title, Toolbox,
};
use charming::element::{AxisPointer, AxisPointerType, AxisType, Label, Orient, Tooltip, Trigger};
use charming::series::{Bar, Pie};
use charming::Chart;

use crate::stats::Summary;

pub mod compare;
pub mod detail;
pub mod timing;

/// Tools by call count, most called at the top (horizontal bars).
pub fn top_tools(summary: &Summary, n: usize) -> Chart {
    let top = summary.strict.top_tools(n);
    // ECharts draws the first category at the bottom: reverse so the most called is on top.
    let names: Vec<String> = top
        .iter()
        .rev()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    let values: Vec<i64> = top.iter().rev().map(|(_, c)| *c as i64).collect();
    // A file without tool calls says so, not "Top 0 tools" over an empty plot.
    let (title, subtitle) = match top.len() {
        0 => (
            "No tool calls".to_owned(),
            "no assistant turn of these rows calls a tool",
        ),
        n => (
            format!("Top {n} tools by calls"),
            "tool calls in assistant turns",
        ),
    };
    base(&title, subtitle)
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Axis)
                .axis_pointer(AxisPointer::new().type_(AxisPointerType::Shadow)),
        )
        .grid(tight_grid())
        .x_axis(Axis::new().type_(AxisType::Value).name("calls"))
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .name("tool")
                .data(names),
        )
        .series(Bar::new().name("calls").data(values))
}

/// What every chart shares: a title, a text alternative (ECharts aria), save-as-PNG, and no
/// animation: charts are redrawn as figures arrive during a read, and ECharts' default second of
/// animation per redraw took main-thread time from the workers reading the file.
pub(crate) fn base(title: &str, subtitle: &str) -> Chart {
    Chart::new()
        .animation(false)
        .title(Title::new().text(title).subtext(subtitle))
        .aria(Aria::new().enabled(true))
        .toolbox(Toolbox::new().feature(Feature::new().save_as_image(SaveAsImage::new())))
}

/// A plot area that leaves room for axis labels and little else.
pub(crate) fn tight_grid() -> Grid {
    Grid::new()
        .left("3%")
        .right("6%")
        .bottom("3%")
        .contain_label(true)
}

/// Assistant turns by number of calls (the parallel width), log y like the notebook.
pub fn parallel_widths(summary: &Summary) -> Chart {
    let widths: Vec<String> = summary
        .strict
        .parallel_widths
        .keys()
        .map(u32::to_string)
        .collect();
    let counts: Vec<i64> = summary
        .strict
        .parallel_widths
        .values()
        .map(|n| *n as i64)
        .collect();
    base(
        "Parallel width: calls per assistant turn",
        &format!(
            "{:.1}% of calling turns make more than one call",
            summary.strict.parallel_turn_pct()
        ),
    )
    .tooltip(Tooltip::new().trigger(Trigger::Axis))
    .grid(tight_grid())
    .x_axis(
        Axis::new()
            .type_(AxisType::Category)
            .name("calls in the turn")
            .data(widths),
    )
    .y_axis(
        Axis::new()
            .type_(AxisType::Log)
            .name("assistant turns (log)"),
    )
    .series(Bar::new().name("assistant turns").data(counts))
}

/// Rows per category (a donut).
pub fn categories(summary: &Summary) -> Chart {
    let mut cats: Vec<(&String, &u64)> = summary.categories.iter().collect();
    cats.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let data: Vec<(i64, String)> = cats
        .iter()
        .map(|(name, n)| (**n as i64, (*name).clone()))
        .collect();
    base("Rows by category", &format!("{} categories", cats.len()))
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(
            Legend::new()
                .type_(LegendType::Scroll)
                .orient(Orient::Vertical)
                .left("left")
                .top("middle"),
        )
        .series(
            // The legend names every slice (largest first) and the tooltip gives its rows and
            // share: labels beside the slices would overlap wherever small categories meet.
            Pie::new()
                .name("rows")
                .radius(vec!["40%", "72%"])
                .center(vec!["64%", "55%"])
                .label(Label::new().show(false))
                .data(data),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_tools_is_sorted_and_capped() {
        let mut s = Summary::default();
        let none: serde_json::Value = serde_json::from_str(&top_tools(&s, 3).to_string()).unwrap();
        assert_eq!(
            none["title"][0]["text"], "No tool calls",
            "{}",
            none["title"]
        );
        for (name, n) in [
            ("terminal", 50),
            ("read_file", 10),
            ("write_file", 30),
            ("clarify", 1),
        ] {
            s.strict.tool_counts.insert(name.into(), n);
        }
        let v: serde_json::Value = serde_json::from_str(&top_tools(&s, 3).to_string()).unwrap();
        assert_eq!(
            v["yAxis"]["data"],
            serde_json::json!(["read_file", "write_file", "terminal"])
        );
        assert_eq!(v["series"][0]["data"], serde_json::json!([10, 30, 50]));
        assert_eq!(v["title"][0]["text"], "Top 3 tools by calls");
        assert_eq!(v["aria"]["enabled"], true);
    }

    #[test]
    fn parallel_widths_and_categories() {
        let mut s = Summary::default();
        s.strict.parallel_widths.extend([(1, 90), (2, 8), (3, 2)]);
        s.categories.extend([
            ("Agent Tools".to_string(), 3),
            ("Terminal & Coding".to_string(), 5),
        ]);
        let p: serde_json::Value = serde_json::from_str(&parallel_widths(&s).to_string()).unwrap();
        assert_eq!(p["xAxis"]["data"], serde_json::json!(["1", "2", "3"]));
        assert_eq!(p["yAxis"]["type"], "log");
        assert_eq!(p["series"][0]["data"], serde_json::json!([90, 8, 2]));
        assert_eq!(
            p["title"][0]["subtext"],
            "10.0% of calling turns make more than one call"
        );
        let c: serde_json::Value = serde_json::from_str(&categories(&s).to_string()).unwrap();
        assert_eq!(c["series"][0]["type"], "pie");
        assert_eq!(
            c["series"][0]["data"][0],
            serde_json::json!({"value": 5, "name": "Terminal & Coding"})
        );
        assert_eq!(c["series"][0]["data"].as_array().unwrap().len(), 2);
    }
}
