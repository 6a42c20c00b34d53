//! Search over whole trajectories, run by the workers over the files: a pattern (literal or a
//! regex, always case-insensitive) looked for in one part of each row — reasoning, tool calls,
//! tool responses, user messages, or anywhere — giving the first matching message of each row.

use regex_lite::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use crate::trace::{Conversation, Message, Role};

/// Which part of a trajectory is searched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    #[default]
    Any,
    Reasoning,
    Calls,
    Responses,
    User,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::Any,
        Scope::Reasoning,
        Scope::Calls,
        Scope::Responses,
        Scope::User,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Any => "any",
            Scope::Reasoning => "reasoning",
            Scope::Calls => "calls",
            Scope::Responses => "responses",
            Scope::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub pattern: String,
    /// The pattern is a regular expression (else it is matched literally).
    pub regex: bool,
    pub scope: Scope,
}

/// A compiled query.
#[derive(Clone, Debug)]
pub struct Matcher(Regex);

impl Matcher {
    pub fn new(query: &Query) -> Result<Matcher, String> {
        if query.pattern.is_empty() {
            return Err("the search is empty".into());
        }
        let pattern = if query.regex {
            query.pattern.clone()
        } else {
            regex_lite::escape(&query.pattern)
        };
        RegexBuilder::new(&pattern)
            .case_insensitive(true)
            .build()
            .map(Matcher)
            .map_err(|e| format!("not a valid regular expression: {e}"))
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }

    /// Byte ranges of the matches in `text` (for highlighting).
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        self.0
            .find_iter(text)
            .filter(|m| !m.is_empty())
            .map(|m| (m.start(), m.end()))
            .collect()
    }
}

/// The texts of `msg` that `scope` covers.
fn parts(msg: &Message, scope: Scope) -> Vec<&str> {
    match (scope, msg.role) {
        (Scope::Any, _) => vec![msg.text.as_str()],
        (Scope::User, Role::User) => vec![msg.text.as_str()],
        (Scope::Reasoning, Role::Assistant) => {
            msg.reasoning().map(|r| msg.slice(r.inner)).collect()
        }
        (Scope::Calls, Role::Assistant) => msg.calls().map(|c| msg.slice(c.payload)).collect(),
        (Scope::Responses, Role::Tool) => msg.responses().map(|r| msg.slice(r.payload)).collect(),
        _ => Vec::new(),
    }
}

/// The 1-based number of the first message of `conv` whose `scope` part matches.
pub fn first_match(conv: &Conversation, matcher: &Matcher, scope: Scope) -> Option<u32> {
    conv.messages
        .iter()
        .position(|m| parts(m, scope).into_iter().any(|t| matcher.is_match(t)))
        .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::parse_row;

    fn conv() -> Conversation {
        let row = serde_json::json!({"conversations": [
            {"from": "human", "value": "Please grep the LOGS"},
            {"from": "gpt", "value": "<think>I should use grep (a.b)</think><tool_call>{\"name\": \"terminal\", \"arguments\": {\"command\": \"grep -r logs\"}}</tool_call>"},
            {"from": "tool", "value": "<tool_response>{\"output\": \"no logs found\"}</tool_response>"},
        ]});
        parse_row(&row.to_string()).unwrap()
    }

    fn find(pattern: &str, regex: bool, scope: Scope) -> Option<u32> {
        let q = Query {
            pattern: pattern.into(),
            regex,
            scope,
        };
        first_match(&conv(), &Matcher::new(&q).unwrap(), scope)
    }

    #[test]
    fn scopes_case_and_regex() {
        assert_eq!(find("logs", false, Scope::Any), Some(1));
        assert_eq!(find("LOGS", false, Scope::User), Some(1));
        assert_eq!(find("logs", false, Scope::Calls), Some(2));
        assert_eq!(find("logs", false, Scope::Responses), Some(3));
        assert_eq!(find("logs", false, Scope::Reasoning), None);
        // Literal: the dot is a dot; regex: any character.
        assert_eq!(find("(a.b)", false, Scope::Reasoning), Some(2));
        assert_eq!(find("a.b", true, Scope::Reasoning), Some(2));
        assert_eq!(find("axb", false, Scope::Any), None);
        assert_eq!(find(r"no\s+LOGS", true, Scope::Any), Some(3));
        assert!(Matcher::new(&Query {
            pattern: "(".into(),
            regex: true,
            scope: Scope::Any
        })
        .is_err());
        let m = Matcher::new(&Query {
            pattern: "grep".into(),
            ..Query::default()
        })
        .unwrap();
        assert_eq!(m.ranges("Grep and GREP"), vec![(0, 4), (9, 13)]);
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.as_str()), Some(s));
        }
    }
}
