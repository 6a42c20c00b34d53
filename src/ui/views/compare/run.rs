//! The comparison of two groups, computed a task at a time so the page stays responsive: the
//! groups and their pairs first, then the bootstrap's tables, each group's figures for the
//! charts, and the resamples in batches of about the same work whatever the groups' size.
//! A new pick, filter or file starts over; a batch of an earlier comparison finds itself stale
//! and stops.

use std::time::Duration;

use leptos::prelude::*;

use super::{side, PairRow};
use crate::ui::Ctx;
use agent_traces::charts::compare::Groups;
use agent_traces::explore::compare::{group_of, summary_of, Bootstrap, Choice, Diff, Group};
use agent_traces::explore::pair::{pairs, Pair};
use agent_traces::explore::{select, Filter, SortKey};
use agent_traces::stats::Summary;

/// Rows × figures of resampling per task (≈ 15–20 ms of wasm on this machine's cores; a
/// task's own cost, and the browser's 4 ms between nested timeouts, make smaller ones slower).
const WORK: usize = 6_000_000;

/// What is known of the two groups before any resample: their rows and names, and the pairs.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Basis {
    pub rows: (usize, usize),
    /// The groups' names as a reader sees them.
    pub names: (String, String),
    pub pairs: Vec<PairRow>,
}

/// The comparison as it stands.
#[derive(Clone, Copy)]
pub(super) struct Run {
    pub basis: RwSignal<Option<Basis>>,
    /// Both groups' figures (for the charts), once counted.
    pub groups: RwSignal<Option<Groups>>,
    /// Every difference with its interval, once every resample is drawn.
    pub diffs: RwSignal<Option<Vec<Diff>>>,
    /// Resamples drawn so far.
    pub done: RwSignal<usize>,
}

/// Compares the groups `picked` names within the page's filter, again whenever either changes
/// or new files are read.
pub(super) fn start(ctx: Ctx, picked: Memo<(Choice, Choice)>) -> Run {
    let run = Run {
        basis: RwSignal::new(None),
        groups: RwSignal::new(None),
        diffs: RwSignal::new(None),
        done: RwSignal::new(0),
    };
    let driver = Driver {
        ctx,
        run,
        boot: StoredValue::new_local(None),
        generation: StoredValue::new(0),
    };
    let ready = Memo::new(move |_| ctx.ingest.with(|i| i.files.iter().all(|f| f.finished())));
    Effect::new(move |_| {
        let choice = picked.get();
        let filter = ctx.explorer.filter.get();
        let generation = driver.generation.get_value() + 1;
        driver.generation.set_value(generation);
        run.groups.set(None);
        run.diffs.set(None);
        run.done.set(0);
        if !ready.get() {
            run.basis.set(None);
            return;
        }
        let Some(basis) = with_groups(ctx, &choice, &filter, |a, b| basis(&choice, a, b)) else {
            return;
        };
        run.basis.set(Some(basis));
        driver.boot.set_value(None);
        let job = Job {
            generation,
            choice,
            filter,
        };
        driver.later(job, Stage::Tables);
    });
    run
}

/// The groups `choice` names among the files read, within `filter`, handed to `f`.
fn with_groups<T>(
    ctx: Ctx,
    choice: &(Choice, Choice),
    filter: &Filter,
    f: impl FnOnce(&Group<'_>, &Group<'_>) -> T,
) -> Option<T> {
    ctx.ingest.try_with_untracked(|i| {
        let files = i.indexes();
        let hits = select(&files, filter, SortKey::Position, false);
        let a = group_of(&files, &hits, &choice.0);
        let b = group_of(&files, &hits, &choice.1);
        f(&a, &b)
    })
}

fn basis(choice: &(Choice, Choice), a: &Group<'_>, b: &Group<'_>) -> Basis {
    let pairs = pairs(a, b)
        .into_iter()
        .map(|p| {
            let (ra, rb) = (&a[p.a], &b[p.b]);
            PairRow {
                key: Pair::key(ra, rb),
                by: p.by,
                task: ra.task.clone(),
                a: side(ra),
                b: side(rb),
            }
        })
        .collect();
    Basis {
        rows: (a.len(), b.len()),
        names: (choice.0.title(), choice.1.title()),
        pairs,
    }
}

/// One comparison's identity and inputs.
#[derive(Clone)]
struct Job {
    generation: u32,
    choice: (Choice, Choice),
    filter: Filter,
}

/// What the next task does.
enum Stage {
    /// Lay out both groups' rows for resampling.
    Tables,
    /// Count group a's figures (`None`), or group b's (a's already counted).
    Summary(Option<Box<Summary>>),
    Resample,
}

#[derive(Clone, Copy)]
struct Driver {
    ctx: Ctx,
    run: Run,
    boot: StoredValue<Option<Bootstrap>, LocalStorage>,
    generation: StoredValue<u32>,
}

impl Driver {
    /// Runs `stage` in a task of its own.
    fn later(self, job: Job, stage: Stage) {
        set_timeout(move || self.step(job, stage), Duration::ZERO);
    }

    fn step(self, job: Job, stage: Stage) {
        if self.generation.try_get_value() != Some(job.generation) {
            return;
        }
        match stage {
            Stage::Tables => {
                let boot = with_groups(self.ctx, &job.choice, &job.filter, Bootstrap::new);
                if boot.is_some() {
                    self.boot.set_value(boot);
                    self.later(job, Stage::Summary(None));
                }
            }
            Stage::Summary(None) => {
                let a = with_groups(self.ctx, &job.choice, &job.filter, |a, _| summary_of(a));
                if let Some(a) = a {
                    self.later(job, Stage::Summary(Some(Box::new(a))));
                }
            }
            Stage::Summary(Some(a)) => {
                let b = with_groups(self.ctx, &job.choice, &job.filter, |_, b| summary_of(b));
                let (Some(b), Some(names)) = (
                    b,
                    self.run
                        .basis
                        .with_untracked(|c| c.as_ref().map(|c| c.names.clone())),
                ) else {
                    return;
                };
                self.run.groups.set(Some(Groups {
                    a: (names.0, *a),
                    b: (names.1, b),
                }));
                self.later(job, Stage::Resample);
            }
            Stage::Resample => {
                let finished = self.boot.try_update_value(|boot| {
                    let boot = boot.as_mut()?;
                    boot.advance(boot.batch(WORK));
                    self.run.done.set(boot.done());
                    Some(boot.finished().then(|| boot.diffs()))
                });
                match finished.flatten() {
                    Some(Some(diffs)) => {
                        // The tables hold every row's figures: let them go.
                        self.boot.set_value(None);
                        self.run.diffs.set(Some(diffs));
                    }
                    Some(None) => self.later(job, Stage::Resample),
                    None => {}
                }
            }
        }
    }
}
