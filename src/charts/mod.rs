//! Chart builders: pure functions from aggregates to charming `Chart` options. Nothing here draws;
//! the UI hands the options to ECharts. Tested natively by inspecting the options' JSON.

use charming::component::{Aria, Axis, Feature, Grid, SaveAsImage, Title, Toolbox};
use charming::element::{AxisPointer, AxisPointerType, AxisType, Tooltip, Trigger};
use charming::series::Bar;
use charming::Chart;

use crate::stats::Summary;

/// Tools by call count, most called at the top (horizontal bars).
pub fn top_tools(summary: &Summary, n: usize) -> Chart {
    let top = summary.top_tools(n);
    // ECharts draws the first category at the bottom: reverse so the most called is on top.
    let names: Vec<String> = top
        .iter()
        .rev()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    let values: Vec<i64> = top.iter().rev().map(|(_, c)| *c as i64).collect();
    Chart::new()
        .title(
            Title::new()
                .text(format!("Top {} tools by calls", top.len()))
                .subtext("tool calls in assistant turns"),
        )
        .aria(Aria::new().enabled(true))
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Axis)
                .axis_pointer(AxisPointer::new().type_(AxisPointerType::Shadow)),
        )
        .toolbox(Toolbox::new().feature(Feature::new().save_as_image(SaveAsImage::new())))
        .grid(
            Grid::new()
                .left("3%")
                .right("6%")
                .bottom("3%")
                .contain_label(true),
        )
        .x_axis(Axis::new().type_(AxisType::Value).name("calls"))
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .name("tool")
                .data(names),
        )
        .series(Bar::new().name("calls").data(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_tools_is_sorted_and_capped() {
        let mut s = Summary::default();
        for (name, n) in [
            ("terminal", 50),
            ("read_file", 10),
            ("write_file", 30),
            ("clarify", 1),
        ] {
            s.tool_counts.insert(name.into(), n);
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
}
