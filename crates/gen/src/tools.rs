//! Tool definitions (condensed from hermes-agent's, MIT) and the nine categories with their
//! subcategories, weights and tool profiles.

use super::pyjson;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tool {
    BrowserBack,
    BrowserClick,
    BrowserNavigate,
    BrowserPress,
    BrowserScroll,
    BrowserSnapshot,
    BrowserType,
    BrowserVision,
    Clarify,
    Cronjob,
    DelegateTask,
    ExecuteCode,
    Memory,
    Patch,
    Process,
    ReadFile,
    SearchFiles,
    SendMessage,
    SessionSearch,
    SkillView,
    SkillsList,
    Terminal,
    Todo,
    VisionAnalyze,
    WebExtract,
    WebSearch,
    WriteFile,
}

use Tool::*;

/// Every tool, in alphabetical order of its name (the order hermes-agent lists them).
pub const ALL: [Tool; 27] = [
    BrowserBack,
    BrowserClick,
    BrowserNavigate,
    BrowserPress,
    BrowserScroll,
    BrowserSnapshot,
    BrowserType,
    BrowserVision,
    Clarify,
    Cronjob,
    DelegateTask,
    ExecuteCode,
    Memory,
    Patch,
    Process,
    ReadFile,
    SearchFiles,
    SendMessage,
    SessionSearch,
    SkillView,
    SkillsList,
    Terminal,
    Todo,
    VisionAnalyze,
    WebExtract,
    WebSearch,
    WriteFile,
];

impl Tool {
    pub fn name(self) -> &'static str {
        self.def().0
    }

    /// (name, description, parameters as Python-style JSON). Condensed from hermes-agent's
    /// definitions so that the synthetic rows stay small.
    pub fn def(self) -> (&'static str, &'static str, &'static str) {
        match self {
            BrowserBack => (
                "browser_back",
                "Navigate back to the previous page in browser history. Requires browser_navigate to be called first.",
                r#"{"type": "object", "properties": {}, "required": []}"#,
            ),
            BrowserClick => (
                "browser_click",
                "Click on an element identified by its ref ID from the snapshot (e.g., '@e5'). Requires browser_navigate and browser_snapshot first.",
                r#"{"type": "object", "properties": {"ref": {"type": "string", "description": "Element reference, e.g. '@e5'"}}, "required": ["ref"]}"#,
            ),
            BrowserNavigate => (
                "browser_navigate",
                "Navigate to a URL in the browser. Initializes the session and loads the page. Must be called before other browser tools.",
                r#"{"type": "object", "properties": {"url": {"type": "string", "description": "The URL to navigate to"}}, "required": ["url"]}"#,
            ),
            BrowserPress => (
                "browser_press",
                "Press a keyboard key (Enter, Tab, Escape, ArrowDown). Useful for submitting forms.",
                r#"{"type": "object", "properties": {"key": {"type": "string", "description": "Key to press"}}, "required": ["key"]}"#,
            ),
            BrowserScroll => (
                "browser_scroll",
                "Scroll the page up or down to reveal more content.",
                r#"{"type": "object", "properties": {"direction": {"type": "string", "enum": ["up", "down"]}}, "required": ["direction"]}"#,
            ),
            BrowserSnapshot => (
                "browser_snapshot",
                "Get a text snapshot of the page's accessibility tree with ref IDs (like @e1, @e2) for browser_click and browser_type.",
                r#"{"type": "object", "properties": {"full": {"type": "boolean", "description": "Complete page content instead of the compact view", "default": false}}, "required": []}"#,
            ),
            BrowserType => (
                "browser_type",
                "Type text into an input field identified by its ref ID. Clears the field first.",
                r#"{"type": "object", "properties": {"ref": {"type": "string", "description": "Element reference, e.g. '@e3'"}, "text": {"type": "string", "description": "Text to type"}}, "required": ["ref", "text"]}"#,
            ),
            BrowserVision => (
                "browser_vision",
                "Take a screenshot of the current page and analyze it with vision AI (CAPTCHAs, complex layouts, anything the text snapshot misses).",
                r#"{"type": "object", "properties": {"question": {"type": "string", "description": "What you want to know about the page"}}, "required": ["question"]}"#,
            ),
            Clarify => (
                "clarify",
                "Ask the user a question when you need clarification or a decision. Provide up to 4 choices — the user can also answer 'Other' — or omit them for an open-ended question.",
                r#"{"type": "object", "properties": {"question": {"type": "string", "description": "The question"}, "choices": {"type": "array", "items": {"type": "string"}, "maxItems": 4}}, "required": ["question"]}"#,
            ),
            Cronjob => (
                "cronjob",
                "Manage scheduled tasks: create (run a self-contained prompt on a cron expression or interval, optionally delivering the result to a messaging platform), list, remove, pause, resume.",
                r#"{"type": "object", "properties": {"action": {"type": "string", "enum": ["create", "list", "remove", "pause", "resume"]}, "name": {"type": "string"}, "schedule": {"type": "string", "description": "Cron expression, 'every 30m' or ISO timestamp"}, "prompt": {"type": "string"}, "deliver": {"type": "string"}, "job_id": {"type": "string"}}, "required": ["action"]}"#,
            ),
            DelegateTask => (
                "delegate_task",
                "Spawn a subagent to work on a task in an isolated context; only its final summary is returned. Subagents have NO memory of your conversation: pass everything via 'context'.",
                r#"{"type": "object", "properties": {"goal": {"type": "string"}, "context": {"type": "string"}, "toolsets": {"type": "array", "items": {"type": "string"}}, "max_iterations": {"type": "integer"}}, "required": ["goal"]}"#,
            ),
            ExecuteCode => (
                "execute_code",
                "Run a Python script that can call Hermes tools (`from hermes_tools import terminal, read_file, ...`). Use it for 3+ calls with logic between them. 5-minute timeout, 50KB stdout cap.",
                r#"{"type": "object", "properties": {"code": {"type": "string", "description": "Python code; print the final result"}}, "required": ["code"]}"#,
            ),
            Memory => (
                "memory",
                "Save durable facts to persistent memory across sessions. Targets: 'user' (who the user is) and 'memory' (environment facts, conventions). Actions: add, replace, remove.",
                r#"{"type": "object", "properties": {"action": {"type": "string", "enum": ["add", "replace", "remove"]}, "target": {"type": "string", "enum": ["memory", "user"]}, "content": {"type": "string"}, "old_text": {"type": "string"}}, "required": ["action", "target"]}"#,
            ),
            Patch => (
                "patch",
                "Targeted find-and-replace edits in files (use instead of sed/awk). Fuzzy matching tolerates whitespace; returns a unified diff.",
                r#"{"type": "object", "properties": {"mode": {"type": "string", "enum": ["replace", "patch"], "default": "replace"}, "path": {"type": "string"}, "old_string": {"type": "string", "description": "Text to find (unique unless replace_all)"}, "new_string": {"type": "string"}, "replace_all": {"type": "boolean", "default": false}}, "required": ["mode"]}"#,
            ),
            Process => (
                "process",
                "Manage background processes started with terminal(background=true): list, poll, log, wait, kill, write, submit.",
                r#"{"type": "object", "properties": {"action": {"type": "string", "enum": ["list", "poll", "log", "wait", "kill", "write", "submit"]}, "session_id": {"type": "string"}, "data": {"type": "string"}}, "required": ["action"]}"#,
            ),
            ReadFile => (
                "read_file",
                "Read a text file with line numbers ('LINE_NUM|CONTENT') and pagination. Use this instead of cat/head/tail. Cannot read images — use vision_analyze.",
                r#"{"type": "object", "properties": {"path": {"type": "string", "description": "Path to the file"}, "offset": {"type": "integer", "default": 1, "minimum": 1}, "limit": {"type": "integer", "default": 500, "maximum": 2000}}, "required": ["path"]}"#,
            ),
            SearchFiles => (
                "search_files",
                "Search file contents (target='content', regex) or find files by name (target='files', glob). Use this instead of grep/rg/find/ls. Ripgrep-backed.",
                r#"{"type": "object", "properties": {"pattern": {"type": "string"}, "target": {"type": "string", "enum": ["content", "files"], "default": "content"}, "path": {"type": "string", "default": "."}, "file_glob": {"type": "string"}, "limit": {"type": "integer", "default": 50}}, "required": ["pattern"]}"#,
            ),
            SendMessage => (
                "send_message",
                "Send a message to a connected platform (Telegram, Discord, Slack, Signal, email). Use target 'list' to see destinations.",
                r#"{"type": "object", "properties": {"target": {"type": "string", "description": "Platform, 'platform:chat_id' or 'list'"}, "message": {"type": "string"}}, "required": ["target"]}"#,
            ),
            SessionSearch => (
                "session_search",
                "Search past conversations or browse recent sessions. Use it when the user says 'we did this before' or 'last time'. Syntax: keywords joined with OR, \"phrases\", prefix*.",
                r#"{"type": "object", "properties": {"query": {"type": "string", "description": "Omit to browse recent sessions"}, "limit": {"type": "integer", "default": 3}}, "required": []}"#,
            ),
            SkillView => (
                "skill_view",
                "Load a skill's full content (SKILL.md) or one of its linked files (references, templates, scripts).",
                r#"{"type": "object", "properties": {"name": {"type": "string"}, "file_path": {"type": "string"}}, "required": ["name"]}"#,
            ),
            SkillsList => (
                "skills_list",
                "List available skills (name + description). Use skill_view(name) to load one.",
                r#"{"type": "object", "properties": {"category": {"type": "string"}}, "required": []}"#,
            ),
            Terminal => (
                "terminal",
                "Execute shell commands on a Linux environment. Filesystem persists between calls. Do NOT use cat/grep/sed — use read_file, search_files, patch. Reserve terminal for builds, installs, git, scripts and processes.",
                r#"{"type": "object", "properties": {"command": {"type": "string", "description": "The command to execute"}, "background": {"type": "boolean", "default": false}, "timeout": {"type": "integer", "minimum": 1}, "workdir": {"type": "string"}}, "required": ["command"]}"#,
            ),
            Todo => (
                "todo",
                "Manage the session's task list (complex tasks with 3+ steps). Call with no parameters to read it. Only ONE item in_progress at a time.",
                r#"{"type": "object", "properties": {"todos": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "content": {"type": "string"}, "status": {"type": "string", "enum": ["pending", "in_progress", "completed", "cancelled"]}}, "required": ["id", "content", "status"]}}, "merge": {"type": "boolean", "default": false}}, "required": []}"#,
            ),
            VisionAnalyze => (
                "vision_analyze",
                "Analyze an image (URL or local path) with AI vision and answer a question about it.",
                r#"{"type": "object", "properties": {"image_url": {"type": "string"}, "question": {"type": "string"}}, "required": ["image_url", "question"]}"#,
            ),
            WebExtract => (
                "web_extract",
                "Extract the content of web pages as markdown (large pages are summarized). Max 5 URLs per call.",
                r#"{"type": "object", "properties": {"urls": {"type": "array", "items": {"type": "string"}, "maxItems": 5}}, "required": ["urls"]}"#,
            ),
            WebSearch => (
                "web_search",
                "Search the web. Returns up to 5 results with titles, URLs and descriptions.",
                r#"{"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}"#,
            ),
            WriteFile => (
                "write_file",
                "Write content to a file, completely replacing it (use instead of echo/heredoc). Creates parent directories. Use 'patch' for targeted edits.",
                r#"{"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string", "description": "Complete file content"}}, "required": ["path", "content"]}"#,
            ),
        }
    }
}

/// Appends the OpenAI-style definition list for `tools` (Python `json.dumps` layout), which is
/// both the `tools` column and the `<tools>` block of the system prompt.
pub fn push_defs(out: &mut String, tools: &[Tool]) {
    out.push('[');
    for (i, t) in tools.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let (name, desc, params) = t.def();
        out.push_str("{\"type\": \"function\", \"function\": {\"name\": \"");
        out.push_str(name);
        out.push_str("\", \"description\": ");
        pyjson::push_str(out, desc);
        out.push_str(", \"parameters\": ");
        out.push_str(params);
        out.push_str("}}");
    }
    out.push(']');
}

pub const PREAMBLE: &str = "You are a function calling AI model. You are provided with function signatures within <tools> </tools> XML tags. You may call one or more functions to assist with the user query. If available tools are not relevant in assisting with user query, just respond in natural conversational language. Don't make assumptions about what values to plug into functions. After calling & executing the functions, you will be provided with function results within <tool_response> </tool_response> XML tags. Here are the available tools:\n<tools>\n";

pub const POSTAMBLE: &str = "\n</tools>\nFor each function call return a JSON object, with the following pydantic model json schema for each:\n{'title': 'FunctionCall', 'type': 'object', 'properties': {'name': {'title': 'Name', 'type': 'string'}, 'arguments': {'title': 'Arguments', 'type': 'object'}}, 'required': ['name', 'arguments']}\nEach function call should be enclosed within <tool_call> </tool_call> XML tags.\nExample:\n<tool_call>\n{'name': <function-name>,'arguments': <args-dict>}\n</tool_call>";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cat {
    TerminalCoding,
    AgentTools,
    Repository,
    Browser,
    MultiTool,
    FileOps,
    Scheduling,
    Planning,
    Conversational,
}

pub struct Category {
    pub cat: Cat,
    pub name: &'static str,
    /// Row count in the kimi config of the reference dataset.
    pub weight: u32,
    pub subs: &'static [&'static str],
    /// Always declared.
    pub core: &'static [Tool],
    /// Each declared with probability 1/2.
    pub extra: &'static [Tool],
    /// Relative call frequencies (only declared tools are drawn).
    pub calls: &'static [(Tool, u32)],
}

pub static CATEGORIES: [Category; 9] = [
    Category {
        cat: Cat::TerminalCoding,
        name: "Terminal & Coding",
        weight: 2010,
        subs: &[
            "Debugging & Testing",
            "Scripting & Automation",
            "Build & Dependencies",
            "Data Processing",
        ],
        core: &[Terminal, ReadFile, WriteFile, SearchFiles],
        extra: &[
            Patch,
            Process,
            ExecuteCode,
            Todo,
            WebSearch,
            Clarify,
            Memory,
        ],
        calls: &[
            (Terminal, 66),
            (ReadFile, 9),
            (WriteFile, 9),
            (Patch, 5),
            (SearchFiles, 9),
            (ExecuteCode, 3),
            (Process, 3),
            (WebSearch, 1),
            (Todo, 1),
            (Memory, 1),
        ],
    },
    Category {
        cat: Cat::AgentTools,
        name: "Agent Tools",
        weight: 1474,
        subs: &[
            "Memory & Context",
            "Skills & Delegation",
            "Code Execution",
            "Web Research",
        ],
        core: &[Terminal, ReadFile, SessionSearch, Memory],
        extra: &[
            Clarify,
            Todo,
            SearchFiles,
            WriteFile,
            Patch,
            SkillView,
            SkillsList,
            DelegateTask,
            ExecuteCode,
            WebSearch,
            WebExtract,
            Process,
        ],
        calls: &[
            (Terminal, 30),
            (ReadFile, 8),
            (SessionSearch, 12),
            (Memory, 10),
            (SkillView, 7),
            (SkillsList, 3),
            (DelegateTask, 3),
            (ExecuteCode, 7),
            (SearchFiles, 7),
            (WriteFile, 6),
            (Clarify, 3),
            (Todo, 5),
            (WebSearch, 5),
            (WebExtract, 3),
            (Patch, 2),
            (Process, 1),
        ],
    },
    Category {
        cat: Cat::Repository,
        name: "Repository Tasks",
        weight: 1109,
        subs: &[
            "Git Operations",
            "Code Review & Refactoring",
            "Documentation",
        ],
        core: &[Terminal, ReadFile, SearchFiles, Patch, WriteFile],
        extra: &[Todo, ExecuteCode, Process, Clarify, DelegateTask],
        calls: &[
            (Terminal, 55),
            (ReadFile, 17),
            (SearchFiles, 19),
            (Patch, 7),
            (WriteFile, 6),
            (Todo, 2),
            (ExecuteCode, 1),
        ],
    },
    Category {
        cat: Cat::Browser,
        name: "Browser Automation",
        weight: 1048,
        subs: &["Web Navigation", "Form Filling", "Data Extraction"],
        core: &[BrowserNavigate, BrowserSnapshot, BrowserClick, BrowserType],
        extra: &[
            BrowserScroll,
            BrowserBack,
            BrowserPress,
            BrowserVision,
            Terminal,
            WriteFile,
            WebSearch,
            WebExtract,
            VisionAnalyze,
        ],
        calls: &[
            (BrowserSnapshot, 30),
            (BrowserNavigate, 14),
            (BrowserClick, 16),
            (BrowserType, 8),
            (BrowserScroll, 6),
            (BrowserPress, 3),
            (BrowserBack, 2),
            (BrowserVision, 5),
            (Terminal, 8),
            (WriteFile, 4),
            (WebSearch, 3),
            (WebExtract, 2),
            (VisionAnalyze, 2),
        ],
    },
    Category {
        cat: Cat::MultiTool,
        name: "Multi-Tool",
        weight: 807,
        subs: &[
            "Research & Report",
            "Cross-Tool Workflows",
            "Media & Vision",
        ],
        core: &[Terminal, WebSearch, WebExtract, WriteFile],
        extra: &[
            ReadFile,
            SearchFiles,
            ExecuteCode,
            BrowserNavigate,
            BrowserSnapshot,
            VisionAnalyze,
            SendMessage,
            Todo,
            Patch,
        ],
        calls: &[
            (Terminal, 36),
            (WebSearch, 12),
            (WebExtract, 9),
            (WriteFile, 10),
            (ReadFile, 8),
            (SearchFiles, 8),
            (ExecuteCode, 5),
            (BrowserNavigate, 3),
            (BrowserSnapshot, 3),
            (VisionAnalyze, 3),
            (SendMessage, 1),
            (Todo, 2),
            (Patch, 2),
        ],
    },
    Category {
        cat: Cat::FileOps,
        name: "File Operations",
        weight: 757,
        subs: &["File Management", "Search & Edit", "Config Files"],
        core: &[ReadFile, WriteFile, SearchFiles, Patch, Terminal],
        extra: &[ExecuteCode, Todo, Clarify],
        calls: &[
            (ReadFile, 22),
            (WriteFile, 18),
            (SearchFiles, 26),
            (Patch, 10),
            (Terminal, 34),
            (ExecuteCode, 2),
        ],
    },
    Category {
        cat: Cat::Scheduling,
        name: "Scheduling",
        weight: 204,
        subs: &["Cron Jobs", "Reminders & Notifications"],
        core: &[Cronjob, Terminal, SendMessage],
        extra: &[WriteFile, ReadFile, Todo, Memory, WebSearch, Clarify],
        calls: &[
            (Cronjob, 30),
            (Terminal, 30),
            (SendMessage, 10),
            (WriteFile, 10),
            (ReadFile, 8),
            (Todo, 4),
            (Memory, 4),
            (WebSearch, 4),
        ],
    },
    Category {
        cat: Cat::Planning,
        name: "Planning & Organization",
        weight: 201,
        subs: &["Task Planning", "Project Organization"],
        core: &[Todo, WriteFile, Memory, Terminal],
        extra: &[Clarify, ReadFile, SearchFiles, SessionSearch, WebSearch],
        calls: &[
            (Todo, 28),
            (WriteFile, 15),
            (Memory, 9),
            (Clarify, 6),
            (Terminal, 20),
            (ReadFile, 10),
            (SearchFiles, 7),
            (SessionSearch, 4),
            (WebSearch, 3),
        ],
    },
    Category {
        cat: Cat::Conversational,
        name: "Conversational",
        weight: 36,
        subs: &["General Q&A", "Clarification"],
        core: &[Clarify, Memory, WebSearch, SessionSearch],
        extra: &[Terminal],
        calls: &[
            (Clarify, 30),
            (Memory, 25),
            (WebSearch, 25),
            (SessionSearch, 20),
            (Terminal, 5),
        ],
    },
];

#[cfg(test)]
pub(crate) mod tests_support {
    /// True when every `,` and `:` outside strings is followed by one space (Python layout).
    pub fn python_layout(s: &str) -> bool {
        let b = s.as_bytes();
        let (mut in_str, mut esc) = (false, false);
        for i in 0..b.len() {
            let c = b[i];
            if in_str {
                if esc {
                    esc = false;
                } else if c == b'\\' {
                    esc = true;
                } else if c == b'"' {
                    in_str = false;
                }
            } else if c == b'"' {
                in_str = true;
            } else if (c == b',' || c == b':') && b.get(i + 1) != Some(&b' ') {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::python_layout;
    use super::*;

    #[test]
    fn defs_are_valid_python_style_json() {
        let mut names = std::collections::HashSet::new();
        for w in ALL.windows(2) {
            assert!(w[0].name() < w[1].name(), "ALL must be sorted by name");
        }
        for t in ALL {
            let (name, _, params) = t.def();
            assert!(names.insert(name));
            let v: serde_json::Value =
                serde_json::from_str(params).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(v["properties"].is_object(), "{name}");
            assert!(v["required"].is_array(), "{name}");
            assert!(python_layout(params), "{name}");
        }
        let mut s = String::new();
        push_defs(&mut s, &ALL);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v.as_array().unwrap().len(), ALL.len());
        assert!(python_layout(&s));
    }

    #[test]
    fn categories_are_consistent() {
        let subs: usize = CATEGORIES.iter().map(|c| c.subs.len()).sum();
        assert!((24..=28).contains(&subs));
        for c in &CATEGORIES {
            for (t, _) in c.calls {
                assert!(
                    c.core.contains(t) || c.extra.contains(t),
                    "{}: {:?}",
                    c.name,
                    t
                );
            }
        }
    }
}
