//! The overview's headline cards: the notebook's headline figures, each with its one-line
//! definition (the catalog's note) and a sentence saying what stands out in these rows —
//! computed from the summary, never canned. The page shows them first; `analyse` could print
//! them too.

use super::catalog;
use super::display::{group, show};
use super::{pct, Mode, Summary, NO_CATEGORY};

/// One card: a figure, how it is counted, and what it says about this data.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// The catalog figure it shows (`data-card`).
    pub name: &'static str,
    pub title: &'static str,
    /// The value as a reader sees it (the strict reading's where the two differ).
    pub value: String,
    /// The value by the notebook's rules, when it reads differently.
    pub notebook: Option<String>,
    /// How it is counted: the catalog's note.
    pub definition: &'static str,
    /// What stands out, in one sentence.
    pub finding: String,
}

/// The cards for `s`, in reading order (empty when no row was analysed).
pub fn cards(s: &Summary) -> Vec<Card> {
    if s.rows == 0 {
        return Vec::new();
    }
    vec![
        rows(s),
        turns(s),
        tool_calls(s),
        parallel(s),
        errors(s),
        reasoning(s),
    ]
}

fn note(name: &str) -> &'static str {
    catalog::figure(name).map_or("", |f| f.note)
}

fn value(name: &str, s: &Summary, mode: Mode) -> f64 {
    catalog::figure(name).map_or(0.0, |f| f.value(s, mode))
}

/// `part` of `whole` as a whole percent, or with one decimal under 10%.
fn share(part: u64, whole: u64) -> String {
    percent(pct(part, whole))
}

fn percent(p: f64) -> String {
    if p < 10.0 && (p * 10.0).round() != (p.round() * 10.0) {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

fn rows(s: &Summary) -> Card {
    let top = s
        .categories
        .iter()
        .filter(|(c, _)| c.as_str() != NO_CATEGORY)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
    let finding = match top {
        Some((cat, n)) if s.categories.len() > 1 => format!(
            "{} categories; the largest, {cat}, holds {} of the rows.",
            s.categories.len(),
            share(*n, s.rows)
        ),
        Some((cat, _)) => format!("Every row is in one category, {cat}."),
        None => "No row names a category.".to_owned(),
    };
    Card {
        name: "rows",
        title: "Rows",
        value: group(s.rows),
        notebook: None,
        definition: note("rows"),
        finding,
    }
}

fn turns(s: &Summary) -> Card {
    let median = value("turns_median", s, Mode::Strict);
    let p90 = value("turns_p90", s, Mode::Strict);
    Card {
        name: "turns",
        title: "Turns",
        value: group(s.turns),
        notebook: None,
        definition: note("turns"),
        finding: format!(
            "A row has {} messages at the median; one in ten has more than {}.",
            show(median),
            show(p90)
        ),
    }
}

fn tool_calls(s: &Summary) -> Card {
    let m = &s.strict;
    let finding = match m.top_tools(1).first() {
        Some((name, n)) => format!(
            "{name} is {} of all calls, among {} tools called.",
            share(*n, m.tool_calls),
            m.tool_counts.len()
        ),
        None => "No row calls a tool.".to_owned(),
    };
    Card {
        name: "tool_calls",
        title: "Tool calls",
        value: group(m.tool_calls),
        notebook: notebook(group(s.tutorial.tool_calls), group(m.tool_calls)),
        definition: note("tool_calls"),
        finding,
    }
}

fn parallel(s: &Summary) -> Card {
    let m = &s.strict;
    let calling: u64 = m.parallel_widths.values().sum();
    let widest = m.parallel_widths.keys().next_back().copied().unwrap_or(0);
    let p = m.parallel_turn_pct();
    let finding = if calling == 0 {
        "No assistant turn calls a tool.".to_owned()
    } else if widest <= 1 {
        "Every calling turn makes one call at a time.".to_owned()
    } else {
        format!(
            "{} of {} calling turns call tools in parallel; the widest calls {widest} at once.",
            percent(p),
            group(calling)
        )
    };
    Card {
        name: "parallel_turn_pct",
        title: "Parallel calls",
        value: percent(p),
        notebook: notebook(
            percent(value("parallel_turn_pct", s, Mode::Tutorial)),
            percent(p),
        ),
        definition: note("parallel_turn_pct"),
        finding,
    }
}

fn errors(s: &Summary) -> Card {
    let t = value("error_rows_pct", s, Mode::Tutorial);
    let st = value("error_rows_pct", s, Mode::Strict);
    let finding = if (t - st).abs() < 0.5 {
        format!(
            "{} of rows have a failed tool result, by either rule.",
            percent(st)
        )
    } else {
        format!(
            "{} of rows have an error by the notebook's rule, {} by the strict rule.",
            percent(t),
            percent(st)
        )
    };
    Card {
        name: "error_rows_pct",
        title: "Rows with an error",
        value: percent(st),
        notebook: notebook(percent(t), percent(st)),
        definition: note("error_rows_pct"),
        finding,
    }
}

fn reasoning(s: &Summary) -> Card {
    let turns = value("reasoning_turn_pct", s, Mode::Strict);
    let median = value("think_words_median", s, Mode::Strict);
    let p90 = value("think_words_p90", s, Mode::Strict);
    let finding = if s.strict.think_blocks == 0 {
        "No assistant turn holds reasoning.".to_owned()
    } else {
        format!(
            "{} of assistant turns reason; half the blocks are under {} words, one in ten over {}.",
            percent(turns),
            show(median.round()),
            show(p90.round())
        )
    };
    Card {
        name: "think_words_median",
        title: "Reasoning length",
        value: format!("{} words", show(median)),
        notebook: notebook(
            format!(
                "{} words",
                show(value("think_words_median", s, Mode::Tutorial))
            ),
            format!("{} words", show(median)),
        ),
        definition: note("think_words_median"),
        finding,
    }
}

/// The notebook's value when it reads differently from the strict one.
fn notebook(tutorial: String, strict: String) -> Option<String> {
    (tutorial != strict).then_some(tutorial)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::parse_row;

    fn summary(lines: &[&str]) -> Summary {
        let mut s = Summary::default();
        for l in lines {
            s.add(&parse_row(l).expect("test row"));
        }
        s
    }

    const ROW: &str = r#"{"id":"a","category":"coding","conversations":[{"from":"human","value":"hi"},{"from":"gpt","value":"<think>look at it</think><tool_call>{\"name\":\"terminal\",\"arguments\":{}}</tool_call><tool_call>{\"name\":\"read\",\"arguments\":{}}</tool_call>"},{"from":"tool","value":"<tool_response>{\"name\":\"terminal\",\"content\":{\"error\":null,\"exit_code\":0}}</tool_response><tool_response>{\"name\":\"read\",\"content\":\"ok\"}</tool_response>"},{"from":"gpt","value":"done"}]}"#;

    #[test]
    fn each_card_states_what_the_rows_show() {
        let s = summary(&[
            ROW,
            &ROW.replace("coding", "math").replace("\"a\"", "\"b\""),
        ]);
        let cards = cards(&s);
        let names: Vec<&str> = cards.iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "rows",
                "turns",
                "tool_calls",
                "parallel_turn_pct",
                "error_rows_pct",
                "think_words_median"
            ]
        );
        let find = |n: &str| cards.iter().find(|c| c.name == n).expect(n).finding.clone();
        assert_eq!(
            find("rows"),
            "2 categories; the largest, coding, holds 50% of the rows."
        );
        assert_eq!(
            find("turns"),
            "A row has 4 messages at the median; one in ten has more than 4."
        );
        assert_eq!(
            find("tool_calls"),
            "read is 50% of all calls, among 2 tools called."
        );
        assert_eq!(
            find("parallel_turn_pct"),
            "100% of 2 calling turns call tools in parallel; the widest calls 2 at once."
        );
        // The notebook's rule reads "error" in the dump of `"error": null`; the strict rule does not.
        assert_eq!(
            find("error_rows_pct"),
            "100% of rows have an error by the notebook's rule, 0% by the strict rule."
        );
        assert!(find("think_words_median").starts_with("50% of assistant turns reason"));
        assert!(cards.iter().all(|c| !c.definition.is_empty()));
        let errors = cards
            .iter()
            .find(|c| c.name == "error_rows_pct")
            .expect("errors");
        assert_eq!(
            (errors.value.as_str(), errors.notebook.as_deref()),
            ("0%", Some("100%"))
        );
        let rows = &cards[0];
        assert_eq!((rows.value.as_str(), rows.notebook.as_deref()), ("2", None));
        assert!(super::cards(&Summary::default()).is_empty());
    }
}
