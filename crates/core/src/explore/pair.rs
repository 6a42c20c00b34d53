//! The same task in two groups: rows paired across them (by `id`, else by the same task text),
//! the pairs narrowed by how each side ended ("a failed where b succeeded"), and two re-read
//! trajectories of a pair aligned step by step, with what each step did.

use serde::Serialize;

use super::compare::{Group, Row};
use super::view::{Item, Step};
use crate::stats::Mode;

/// How two rows were paired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairedBy {
    Id,
    Task,
}

/// The same task in both groups: row `a` of group a and row `b` of group b.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub by: PairedBy,
}

impl Pair {
    /// The pair's name in the page (`data-pair`) and the URL (`#pair=`): `<id a>|<id b>`, a
    /// row without an id named `#<its number in its file>`.
    pub fn key(a: &Row<'_>, b: &Row<'_>) -> String {
        let name = |r: &Row<'_>| {
            r.id.clone()
                .unwrap_or_else(|| format!("#{}", r.at.number()))
        };
        format!("{}|{}", name(a), name(b))
    }
}

/// Rows of `a` and `b` that are the same task: by `id` where both have one, else by the same
/// task text (each row paired once, in `a`'s order).
pub fn pairs(a: &Group<'_>, b: &Group<'_>) -> Vec<Pair> {
    use std::collections::HashMap;
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_task: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in b.iter().enumerate() {
        if let Some(id) = r.id.as_deref() {
            by_id.entry(id).or_insert(i);
        }
        if !r.task.is_empty() {
            by_task.entry(r.task.as_str()).or_default().push(i);
        }
    }
    let mut used = vec![false; b.len()];
    let mut out = Vec::new();
    for (i, r) in a.iter().enumerate() {
        let id = r.id.as_deref().and_then(|id| by_id.get(id).copied());
        let found = match id.filter(|j| !used[*j]) {
            Some(j) => Some((j, PairedBy::Id)),
            None => by_task
                .get(r.task.as_str())
                .and_then(|js| js.iter().copied().find(|j| !used[*j]))
                .map(|j| (j, PairedBy::Task)),
        };
        if let Some((j, by)) = found {
            used[j] = true;
            out.push(Pair { a: i, b: j, by });
        }
    }
    out
}

/// Which pairs to list, by whether each side has a failed tool result (strict rule).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Outcomes {
    #[default]
    All,
    /// a failed where b did not.
    AFailed,
    /// b failed where a did not.
    BFailed,
    BothFailed,
    NeitherFailed,
}

impl Outcomes {
    pub const ALL: [Outcomes; 5] = [
        Outcomes::All,
        Outcomes::AFailed,
        Outcomes::BFailed,
        Outcomes::BothFailed,
        Outcomes::NeitherFailed,
    ];

    /// The name in the URL (`#pairs=a_failed`) and the picker's values.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcomes::All => "all",
            Outcomes::AFailed => "a_failed",
            Outcomes::BFailed => "b_failed",
            Outcomes::BothFailed => "both_failed",
            Outcomes::NeitherFailed => "neither_failed",
        }
    }

    pub fn parse(name: &str) -> Option<Outcomes> {
        Outcomes::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// In words, with the groups' names: "kimi failed where glm did not".
    pub fn title(self, a: &str, b: &str) -> String {
        match self {
            Outcomes::All => "every pair".to_owned(),
            Outcomes::AFailed => format!("{a} failed where {b} did not"),
            Outcomes::BFailed => format!("{b} failed where {a} did not"),
            Outcomes::BothFailed => "both failed".to_owned(),
            Outcomes::NeitherFailed => "neither failed".to_owned(),
        }
    }

    /// Whether a pair whose sides failed (`a`, `b`) is listed.
    pub fn keeps(self, a: bool, b: bool) -> bool {
        match self {
            Outcomes::All => true,
            Outcomes::AFailed => a && !b,
            Outcomes::BFailed => b && !a,
            Outcomes::BothFailed => a && b,
            Outcomes::NeitherFailed => !a && !b,
        }
    }

    /// Whether the pair of rows `a`, `b` is listed.
    pub fn keeps_rows(self, a: &Row<'_>, b: &Row<'_>) -> bool {
        self.keeps(
            a.stats.failed_in(Mode::Strict),
            b.stats.failed_in(Mode::Strict),
        )
    }
}

/// What one step of a trajectory did: its calls, their failed results (strict rule) and its
/// reasoning's words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepFacts {
    pub calls: usize,
    pub failed: usize,
    pub words: usize,
}

impl StepFacts {
    pub fn of(step: &Step) -> StepFacts {
        let mut f = StepFacts::default();
        for item in &step.items {
            match item {
                Item::Reasoning { words, .. } => f.words += words,
                Item::Call { responses, .. } => {
                    f.calls += 1;
                    f.failed += responses.iter().filter(|r| r.failed).count();
                }
                Item::Response(r) => f.failed += usize::from(r.failed),
                Item::Text { .. } => {}
            }
        }
        f
    }

    /// What a whole trajectory did: its steps' facts added up.
    pub fn of_all(steps: &[Step]) -> StepFacts {
        steps
            .iter()
            .map(StepFacts::of)
            .fold(StepFacts::default(), |t, f| StepFacts {
                calls: t.calls + f.calls,
                failed: t.failed + f.failed,
                words: t.words + f.words,
            })
    }
}

/// Two trajectories' steps side by side: the k-th step of one role beside the k-th of the same
/// role in the other (users with users, assistants with assistants), a step the other side has
/// no counterpart for alone on its line. Each line is `(step of a, step of b)` by position.
pub fn align(a: &[Step], b: &[Step]) -> Vec<(Option<usize>, Option<usize>)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.role == y.role => {
                out.push((Some(i), Some(j)));
                i += 1;
                j += 1;
            }
            // Roles differ: the side whose step is not the assistant's goes alone, so the next
            // assistant steps still meet.
            (Some(x), Some(_)) if x.role != "assistant" => {
                out.push((Some(i), None));
                i += 1;
            }
            (Some(_), Some(_)) | (None, Some(_)) => {
                out.push((None, Some(j)));
                j += 1;
            }
            (Some(_), None) => {
                out.push((Some(i), None));
                i += 1;
            }
            (None, None) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::compare::group;
    use crate::explore::compare::tests::analysed;
    use crate::explore::view::ResponseView;
    use agent_traces_gen::GenOptions;

    #[test]
    fn rows_pair_by_id_then_by_task() {
        let a = analysed(&GenOptions {
            rows: 60,
            seed: 5,
            ..Default::default()
        });
        let rows = group(&a.index);
        // The same rows, in reverse: every row pairs with itself, by id.
        let reversed: Group<'_> = rows.iter().rev().copied().collect();
        let p = pairs(&rows, &reversed);
        assert_eq!(p.len(), rows.len());
        assert!(p
            .iter()
            .all(|p| p.by == PairedBy::Id && p.b == rows.len() - 1 - p.a));
        let key = Pair::key(&rows[p[0].a], &reversed[p[0].b]);
        let id = rows[0].id.clone().unwrap();
        assert_eq!(key, format!("{id}|{id}"));
        // Without ids, by the task text; a row without an id is named by its number.
        let mut index = a.index.clone();
        for r in &mut index.rows {
            r.id = None;
        }
        let no_ids = group(&index);
        let p = pairs(&rows, &no_ids);
        assert!(!p.is_empty() && p.iter().all(|p| p.by == PairedBy::Task));
        assert!(p.iter().all(|p| rows[p.a].task == no_ids[p.b].task));
        let key = Pair::key(&rows[p[0].a], &no_ids[p[0].b]);
        assert!(
            key.ends_with(&format!("|#{}", no_ids[p[0].b].at.number())),
            "{key}"
        );
    }

    #[test]
    fn outcomes_keep_the_pairs_they_name() {
        let cases = [(true, false), (false, true), (true, true), (false, false)];
        let kept = |o: Outcomes| -> Vec<(bool, bool)> {
            cases.into_iter().filter(|(a, b)| o.keeps(*a, *b)).collect()
        };
        assert_eq!(kept(Outcomes::All).len(), 4);
        assert_eq!(kept(Outcomes::AFailed), [(true, false)]);
        assert_eq!(kept(Outcomes::BFailed), [(false, true)]);
        assert_eq!(kept(Outcomes::BothFailed), [(true, true)]);
        assert_eq!(kept(Outcomes::NeitherFailed), [(false, false)]);
        for o in Outcomes::ALL {
            assert_eq!(Outcomes::parse(o.as_str()), Some(o));
        }
        assert_eq!(
            Outcomes::AFailed.title("kimi", "glm"),
            "kimi failed where glm did not"
        );
    }

    fn step(role: &str, items: Vec<Item>) -> Step {
        Step {
            message: 0,
            role: role.to_owned(),
            items,
            at: None,
            model: None,
        }
    }

    #[test]
    fn steps_align_by_role() {
        let (u, a) = (|| step("user", vec![]), || step("assistant", vec![]));
        // a: user, assistant, assistant; b: user, user, assistant.
        let x = [u(), a(), a()];
        let y = [u(), u(), a()];
        assert_eq!(
            align(&x, &y),
            [
                (Some(0), Some(0)),
                (None, Some(1)),
                (Some(1), Some(2)),
                (Some(2), None)
            ]
        );
        // Every step of both appears once, in order.
        let z = [a(), u(), a(), a(), u()];
        for (p, q) in [(&x[..], &z[..]), (&z[..], &y[..]), (&z[..], &z[..])] {
            let lines = align(p, q);
            let left: Vec<usize> = lines.iter().filter_map(|l| l.0).collect();
            let right: Vec<usize> = lines.iter().filter_map(|l| l.1).collect();
            assert_eq!(left, (0..p.len()).collect::<Vec<_>>());
            assert_eq!(right, (0..q.len()).collect::<Vec<_>>());
            assert!(lines.iter().all(|l| match l {
                (Some(i), Some(j)) => p[*i].role == q[*j].role,
                _ => true,
            }));
        }
    }

    #[test]
    fn a_steps_facts_count_its_calls_failures_and_words() {
        let response = |failed| ResponseView {
            content: String::new(),
            failed,
            tutorial_error: false,
            exit_code: None,
            flags: vec![],
            took_ms: None,
            logged_error: None,
        };
        let call = |responses| Item::Call {
            id: None,
            name: "terminal".into(),
            arguments: "{}".into(),
            error: None,
            flags: vec![],
            responses,
        };
        let s = step(
            "assistant",
            vec![
                Item::Reasoning {
                    text: "a b c".into(),
                    words: 3,
                    flags: vec![],
                },
                call(vec![response(true)]),
                call(vec![response(false)]),
                Item::Response(response(true)),
            ],
        );
        let facts = StepFacts {
            calls: 2,
            failed: 2,
            words: 3,
        };
        assert_eq!(StepFacts::of(&s), facts);
        let user = step("user", vec![]);
        assert_eq!(
            StepFacts::of_all(&[s.clone(), user, s]),
            StepFacts {
                calls: 4,
                failed: 4,
                words: 6,
            }
        );
    }
}
