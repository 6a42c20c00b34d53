//! The failures view: how often tool results fail, by tool and by category, under the
//! notebook's rule and the strict rule, and why the two differ.

use leptos::prelude::*;

use crate::ui::chart::{ChartBox, Pick};
use crate::ui::ctx;
use agent_traces::charts::detail;

#[component]
pub fn Failures() -> impl IntoView {
    let summary = ctx().settled;
    view! {
        <h2 class="view-title">"Failures"</h2>
        <section class="charts">
            <h3>"Which tools fail most, and in which categories?"</h3>
            <p class="note">"Failure rates: tutorial rule (first block of each tool message) beside strict rule (every result)."</p>
            <div class="chart-pair">
                <ChartBox id="chart-failure-by-tool" summary=summary options=detail::failure_by_tool pick=Pick::Tool />
                <ChartBox id="chart-failure-by-category" summary=summary options=detail::failure_by_category pick=Pick::Category />
            </div>
        </section>
        <section class="why">
            <details class="why-errors" data-testid="error-rules" open>
            <summary>"Why the two error figures differ"</summary>
            <p>
                "The tutorial calls a tool message an error when the JSON dump of its FIRST response "
                "block, lower-cased, contains \"error\", \"exit_code\": 1 (which also matches 12, 124, 127) "
                "or \"traceback\". Every terminal result carries \"error\": null, so almost every row "
                "with a terminal call counts, and the figure is close to 100% on hermes data. It also "
                "never looks past the first block of a message with parallel results."
            </p>
            <p>
                "The strict rule reads every block and counts a result as failed when its error is "
                "non-null, success is false, status is \"error\", it has a traceback or exit_code -1, "
                "its text starts with \"error\", or it is empty. A non-zero exit code alone (grep "
                "finding nothing) is counted separately, not as a failure."
            </p>
        </details>
        </section>
    }
}
