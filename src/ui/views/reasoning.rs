//! The reasoning view: how long the reasoning, the calls and the answers are, and how reasoning
//! length differs between categories.

use leptos::prelude::*;

use crate::ui::chart::{ChartBox, Pick};
use crate::ui::ctx;
use agent_traces::charts::detail;

#[component]
pub fn Reasoning() -> impl IntoView {
    let summary = ctx().settled;
    view! {
        <h2 class="view-title">"Reasoning"</h2>
        <section class="charts">
            <h3>"How long is the reasoning, the call and the answer?"</h3>
            <p class="note">"Lengths in Unicode characters, 40 bins over both modes' range, log y: tutorial (regexes) beside strict (parser)."</p>
            <div class="chart-pair">
                <ChartBox id="chart-think-lengths" summary=summary options=detail::think_lengths />
                <ChartBox id="chart-call-lengths" summary=summary options=detail::call_lengths />
            </div>
            <ChartBox id="chart-answer-lengths" summary=summary options=detail::answer_lengths />
            <h3>"Which categories reason longest?"</h3>
            <ChartBox id="chart-reasoning-by-category" summary=summary options=detail::reasoning_by_category pick=Pick::Category />
        </section>
    }
}
