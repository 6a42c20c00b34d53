//! The SFT export panel: format and options (parsed into `ExportOptions` here, at the boundary),
//! a preview of the first row, the download with progress and cancel, and the manifest of what
//! was written. The export itself runs in the workers (`Ctx::export`).

use leptos::prelude::*;

use super::ctx;
use super::state::Phase;
use agent_traces::export::{
    Compression, ExportOptions, Format, LfTemplate, Manifest, Percent, Reasoning, Split,
    SystemPrompt, ToolOutputs, DEFAULT_SEED, DEFAULT_TRUNCATE_CHARS,
};

/// What the tool-output select can say; `Truncate` takes its length from the number beside it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ToolChoice {
    Keep,
    Truncate,
    TrainOff,
}

/// The panel's choices, kept while other views are shown: created once, with the app.
#[derive(Clone, Copy)]
pub struct Choices {
    controls: RwSignal<Controls>,
    only_listed: RwSignal<bool>,
}

pub fn provide_choices() {
    provide_context(Choices {
        controls: RwSignal::new(Controls::default()),
        only_listed: RwSignal::new(false),
    });
}

/// The panel's controls, as typed values.
#[derive(Clone, PartialEq)]
struct Controls {
    format: Format,
    reasoning: Reasoning,
    lf_template: LfTemplate,
    tools: ToolChoice,
    truncate_chars: usize,
    keep_system: bool,
    drop_unclosed: bool,
    drop_unmatched: bool,
    dedupe: bool,
    validation: u8,
    seed: u64,
    limit: Option<u64>,
    gzip: bool,
}

impl Default for Controls {
    fn default() -> Self {
        let d = ExportOptions::default();
        Controls {
            format: d.format,
            reasoning: d.reasoning,
            lf_template: d.lf_template,
            tools: ToolChoice::Keep,
            truncate_chars: DEFAULT_TRUNCATE_CHARS,
            keep_system: d.system_prompt == SystemPrompt::Keep,
            drop_unclosed: d.drop.unclosed_tags,
            drop_unmatched: d.drop.unmatched_calls,
            dedupe: d.dedupe,
            validation: d.split.map_or(0, |s| s.validation.get()),
            seed: d.split.map_or(DEFAULT_SEED, |s| s.seed),
            limit: d.limit,
            gzip: d.compression == Compression::Gzip,
        }
    }
}

impl Controls {
    fn options(&self) -> ExportOptions {
        ExportOptions {
            format: self.format,
            reasoning: self.reasoning,
            lf_template: self.lf_template,
            tool_outputs: match self.tools {
                ToolChoice::Keep => ToolOutputs::Keep,
                ToolChoice::Truncate => ToolOutputs::Truncate(self.truncate_chars),
                ToolChoice::TrainOff => ToolOutputs::TrainOff,
            },
            system_prompt: if self.keep_system {
                SystemPrompt::Keep
            } else {
                SystemPrompt::Drop
            },
            drop: agent_traces::export::DropRules {
                unclosed_tags: self.drop_unclosed,
                unmatched_calls: self.drop_unmatched,
            },
            dedupe: self.dedupe,
            split: Percent::try_from(self.validation)
                .ok()
                .filter(|p| p.get() > 0)
                .map(|validation| Split {
                    validation,
                    seed: self.seed,
                }),
            limit: self.limit,
            compression: if self.gzip {
                Compression::Gzip
            } else {
                Compression::None
            },
        }
    }
}

fn manifest_line(m: &Manifest) -> String {
    let why = m
        .rows_dropped
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let template = if m.options.format == Format::Llamafactory {
        format!(", template {}", m.options.lf_template.as_str())
    } else {
        String::new()
    };
    format!(
        "{} rows read = {} written + {} dropped{}; {} train, {} validation; {} records; {:.1} MB ({}{template}, app {})",
        m.rows_read,
        m.rows_written,
        m.rows_dropped_total(),
        if why.is_empty() {
            String::new()
        } else {
            format!(" ({why})")
        },
        m.rows_train,
        m.rows_validation,
        m.records_written,
        m.bytes_written as f64 / 1e6,
        m.format,
        m.app_version,
    )
}

fn tokens_line(m: &Manifest) -> String {
    if m.special_tokens.is_empty() {
        return "Special tokens used: none".into();
    }
    let counts = m
        .special_tokens
        .iter()
        .map(|(k, v)| format!("{k} ×{v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let list = serde_json::to_string(&m.additional_special_tokens).unwrap_or_default();
    format!("Special tokens used: {counts}. For the tokenizer: {{\"additional_special_tokens\": {list}}}")
}

fn checked_line(m: &Manifest) -> String {
    format!("Checked against: {}", m.checked_with.join("; "))
}

#[component]
pub fn ExportPanel() -> impl IntoView {
    let ctx = ctx();
    let export = ctx.export;
    let Choices {
        controls,
        only_listed,
    } = expect_context::<Choices>();
    let ready = move || {
        ctx.ingest
            .with(|i| i.phase() == Phase::Done || i.phase() == Phase::Error)
    };
    // The preview follows the options once the files are read.
    Effect::new(move |_| {
        let opts = controls.with(Controls::options);
        if ready() {
            ctx.preview_export(opts);
        }
    });
    let set = move |f: fn(&mut Controls, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            controls.update(|c| f(c, v));
        }
    };
    let check = move |f: fn(&mut Controls, bool)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_checked(&ev);
            controls.update(|c| f(c, v));
        }
    };
    // The options shown are the kept choices (the panel is built again on each visit).
    let is_reasoning = move |r: Reasoning| move || controls.with(|c| c.reasoning == r);
    let is_tools = move |t: ToolChoice| move || controls.with(|c| c.tools == t);
    let manifest = move || export.with(|e| e.manifest.as_ref().map(manifest_line));
    let tokens = move || export.with(|e| e.manifest.as_ref().map(tokens_line));
    let checked = move || export.with(|e| e.manifest.as_ref().map(checked_line));
    let progress = move || {
        export.with(|e| {
            e.running
                .then(|| format!("Exporting… {:.0}%", e.fraction() * 100.0))
        })
    };
    // How many workers the last export ran on (each a part of a file): a hook for tests.
    let jobs = move || export.with(|e| e.slots.len().to_string());
    view! {
        <section class="export" data-export-jobs=jobs>
            <h2>"SFT export"</h2>
            <div class="export-options">
                <label>
                    "Format "
                    <select
                        data-testid="export-format"
                        on:change=set(|c, v| {
                            if let Ok(f) = v.parse() {
                                c.format = f;
                            }
                        })
                    >
                        {Format::ALL
                            .into_iter()
                            .map(|f| view! { <option value=f.as_str() selected=move || controls.with(|c| c.format == f)>{f.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Reasoning "
                    <select
                        data-testid="export-reasoning"
                        on:change=set(|c, v| {
                            if let Ok(r) = v.parse() {
                                c.reasoning = r;
                            }
                        })
                    >
                        <option value="field" selected=is_reasoning(Reasoning::Field)>"as reasoning_content (inline where the format has no field)"</option>
                        <option value="inline" selected=is_reasoning(Reasoning::Inline)>"inline <think>…</think>"</option>
                        <option value="last_turn" selected=is_reasoning(Reasoning::LastTurn)>"only in the last assistant turn"</option>
                        <option value="drop" selected=is_reasoning(Reasoning::Drop)>"dropped"</option>
                    </select>
                </label>
                <label hidden=move || controls.with(|c| c.format != Format::Llamafactory)>
                    "LLaMA-Factory template "
                    <select
                        data-testid="export-lf-template"
                        on:change=set(|c, v| {
                            if let Ok(t) = v.parse() {
                                c.lf_template = t;
                            }
                        })
                    >
                        {LfTemplate::ALL
                            .into_iter()
                            .map(|t| view! { <option value=t.as_str() selected=move || controls.with(|c| c.lf_template == t)>{t.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Tool outputs "
                    <select
                        data-testid="export-tool-outputs"
                        on:change=set(|c, v| {
                            c.tools = match v.as_str() {
                                "truncate" => ToolChoice::Truncate,
                                "train_off" => ToolChoice::TrainOff,
                                _ => ToolChoice::Keep,
                            };
                        })
                    >
                        <option value="keep" selected=is_tools(ToolChoice::Keep)>"kept"</option>
                        <option value="truncate" selected=is_tools(ToolChoice::Truncate)>"cut to N characters"</option>
                        <option value="train_off" selected=is_tools(ToolChoice::TrainOff)>"kept, weight 0 where the format allows"</option>
                    </select>
                </label>
                <label>
                    "N "
                    <input
                        type="number"
                        min="1"
                        data-testid="export-truncate-chars"
                        prop:value=move || controls.with(|c| c.truncate_chars.to_string())
                        on:change=set(|c, v| {
                            if let Ok(n) = v.trim().parse() {
                                c.truncate_chars = n;
                            }
                        })
                    />
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="export-system"
                        prop:checked=move || controls.with(|c| c.keep_system)
                        on:change=check(|c, v| c.keep_system = v)
                    />
                    " system prompt"
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="export-drop-unclosed"
                        prop:checked=move || controls.with(|c| c.drop_unclosed)
                        on:change=check(|c, v| c.drop_unclosed = v)
                    />
                    " drop rows with unclosed tags"
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="export-drop-unmatched"
                        prop:checked=move || controls.with(|c| c.drop_unmatched)
                        on:change=check(|c, v| c.drop_unmatched = v)
                    />
                    " drop rows with unmatched calls"
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="export-dedupe"
                        prop:checked=move || controls.with(|c| c.dedupe)
                        on:change=check(|c, v| c.dedupe = v)
                    />
                    " dedupe by id (within each file)"
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="export-only-listed"
                        prop:checked=move || only_listed.get()
                        on:change=move |ev| only_listed.set(event_target_checked(&ev))
                    />
                    " only the rows the trajectory list shows (its filters and search)"
                </label>
                <label>
                    "Validation % "
                    <input
                        type="number"
                        min="0"
                        max="100"
                        data-testid="export-validation"
                        prop:value=move || controls.with(|c| c.validation.to_string())
                        on:change=set(|c, v| {
                            if let Ok(p) = v.trim().parse::<u8>() {
                                c.validation = p.min(100);
                            }
                        })
                    />
                </label>
                <label>
                    "Seed "
                    <input
                        type="number"
                        min="0"
                        data-testid="export-seed"
                        prop:value=move || controls.with(|c| c.seed.to_string())
                        on:change=set(|c, v| {
                            if let Ok(s) = v.trim().parse() {
                                c.seed = s;
                            }
                        })
                    />
                </label>
                <label>
                    "Row limit (per file) "
                    <input
                        type="number"
                        min="1"
                        placeholder="none"
                        data-testid="export-limit"
                        on:change=set(|c, v| c.limit = v.trim().parse().ok())
                    />
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="export-gzip"
                        prop:checked=move || controls.with(|c| c.gzip)
                        on:change=check(|c, v| c.gzip = v)
                    />
                    " gzip (.jsonl.gz)"
                </label>
            </div>
            <p class="note">
                "Ticked, the export holds exactly the rows the trajectory list shows: the "
                "dashboard's filters (its chips) and the search inside trajectories. "
                "Each button downloads one file: the training data first, then its manifest "
                "(what was written and dropped, and why) and the validation split, if any."
            </p>
            <button
                data-testid="download-sft"
                disabled=move || !ready() || export.with(|e| e.running)
                on:click=move |_| ctx.export(controls.with_untracked(Controls::options), only_listed.get_untracked())
            >
                {move || progress().unwrap_or_else(|| "Download SFT".into())}
            </button>
            <button
                data-testid="export-cancel"
                hidden=move || !export.with(|e| e.running)
                on:click=move |_| ctx.cancel()
            >
                "Cancel"
            </button>
            <OtherFiles />
            <p class="manifest" data-testid="export-manifest">{manifest}</p>
            <p class="manifest" data-testid="export-tokens">{tokens}</p>
            <p class="manifest" data-testid="export-checked">{checked}</p>
            <p class="error">{move || export.with(|e| e.error.clone())}</p>
            // Below the button, so the button never moves when the preview arrives.
            <details class="preview" open>
                <summary>"First exported row"</summary>
                <pre data-testid="export-preview" tabindex="0" aria-label="first exported row">{move || export.with(|e| e.preview.clone())}</pre>
            </details>
        </section>
    }
}

/// The last export's manifest and validation split, one button each.
#[component]
fn OtherFiles() -> impl IntoView {
    let ctx = ctx();
    let buttons = move || {
        // Shown once the export's manifest is in (and gone while an export runs).
        let done = ctx.export.with(|e| e.manifest.is_some() && !e.running);
        let files = if done { ctx.saved_files() } else { Vec::new() };
        files
            .into_iter()
            .map(|(kind, name)| {
                let label = match kind {
                    "validation" => "Download the validation split",
                    _ => "Download the manifest",
                };
                view! {
                    <button
                        class="secondary"
                        data-testid=format!("download-{kind}")
                        title=name
                        on:click=move |_| {
                            let failed = ctx.save_file(kind).err();
                            ctx.export.update(|e| e.error = failed);
                        }
                    >
                        {label}
                    </button>
                }
            })
            .collect_view()
    };
    view! { <div class="other-files">{buttons}</div> }
}
