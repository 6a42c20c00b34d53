//! Word pools, task templates, reasoning and file-content generators.
//!
//! Non-tricky text never contains the literal tags `<tool_call>`, `<think>`, `</think>`,
//! `<tool_response>` (tests rely on that); only the tricky paths in `row.rs` add them.

use super::rng::Rng;
use super::tools::Cat;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Rust,
    Go,
    Shell,
}

impl Lang {
    pub fn display(self) -> &'static str {
        match self {
            Lang::Python => "Python",
            Lang::JavaScript => "JavaScript",
            Lang::TypeScript => "TypeScript",
            Lang::Rust => "Rust",
            Lang::Go => "Go",
            Lang::Shell => "Bash",
        }
    }

    pub fn files(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &[
                "app.py",
                "main.py",
                "requirements.txt",
                "tests/test_app.py",
                "src/{pkg}/__init__.py",
                "src/{pkg}/models.py",
                "src/{pkg}/utils.py",
                "src/{pkg}/cli.py",
                "config.yaml",
                "README.md",
                "pyproject.toml",
                "scripts/migrate.py",
            ],
            Lang::JavaScript => &[
                "package.json",
                "src/index.js",
                "src/server.js",
                "src/routes/api.js",
                "src/utils/format.js",
                "tests/app.test.js",
                ".env.example",
                "README.md",
                "webpack.config.js",
            ],
            Lang::TypeScript => &[
                "package.json",
                "tsconfig.json",
                "src/index.ts",
                "src/components/App.tsx",
                "src/api/client.ts",
                "src/types.ts",
                "src/hooks/useData.ts",
                "tests/client.test.ts",
                "README.md",
                "vite.config.ts",
            ],
            Lang::Rust => &[
                "Cargo.toml",
                "src/main.rs",
                "src/lib.rs",
                "src/config.rs",
                "src/parser.rs",
                "src/error.rs",
                "tests/integration.rs",
                "README.md",
            ],
            Lang::Go => &[
                "go.mod",
                "main.go",
                "internal/handler/handler.go",
                "internal/handler/handler_test.go",
                "internal/store/store.go",
                "cmd/server/main.go",
                "Makefile",
                "README.md",
            ],
            Lang::Shell => &[
                "deploy.sh",
                "Dockerfile",
                "docker-compose.yml",
                "nginx.conf",
                ".github/workflows/ci.yml",
                "k8s/deployment.yaml",
                "scripts/backup.sh",
                ".env",
                "README.md",
            ],
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Lang::Python => "py",
            Lang::JavaScript => "js",
            Lang::TypeScript => "ts",
            Lang::Rust => "rs",
            Lang::Go => "go",
            Lang::Shell => "sh",
        }
    }

    pub fn pkgs(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &[
                "requests",
                "pandas",
                "flask",
                "fastapi",
                "pydantic",
                "sqlalchemy",
                "pytest",
                "numpy",
                "httpx",
                "click",
            ],
            Lang::JavaScript | Lang::TypeScript => &[
                "express", "axios", "react", "lodash", "zod", "vitest", "jest", "dotenv", "pg",
                "ws",
            ],
            Lang::Rust => &[
                "serde",
                "tokio",
                "clap",
                "anyhow",
                "reqwest",
                "thiserror",
                "tracing",
                "regex",
            ],
            Lang::Go => &["gin", "cobra", "zap", "testify", "sqlx", "viper"],
            Lang::Shell => &["nginx", "postgres", "redis", "certbot", "docker", "jq"],
        }
    }

    pub fn test_cmd(self) -> &'static str {
        match self {
            Lang::Python => "python -m pytest -x -q",
            Lang::JavaScript => "npm test",
            Lang::TypeScript => "npx vitest run",
            Lang::Rust => "cargo test",
            Lang::Go => "go test ./...",
            Lang::Shell => "bash -n deploy.sh && shellcheck deploy.sh",
        }
    }

    pub fn build_cmd(self) -> &'static str {
        match self {
            Lang::Python => "python -m build",
            Lang::JavaScript => "npm run build",
            Lang::TypeScript => "npx tsc --noEmit",
            Lang::Rust => "cargo build --release",
            Lang::Go => "go build ./...",
            Lang::Shell => "docker compose build",
        }
    }

    pub fn install_cmd(self) -> &'static str {
        match self {
            Lang::Python => "pip install -r requirements.txt",
            Lang::JavaScript | Lang::TypeScript => "npm install",
            Lang::Rust => "cargo fetch",
            Lang::Go => "go mod download",
            Lang::Shell => "apt-get install -y jq curl",
        }
    }

    pub fn run_cmd(self) -> &'static str {
        match self {
            Lang::Python => "python3 main.py",
            Lang::JavaScript => "node src/index.js",
            Lang::TypeScript => "npx tsx src/index.ts",
            Lang::Rust => "cargo run --quiet",
            Lang::Go => "go run .",
            Lang::Shell => "./deploy.sh --dry-run",
        }
    }
}

const PROJECTS: &[&str] = &[
    "inventory-api",
    "weather-dashboard",
    "blog-engine",
    "ml-pipeline",
    "chat-server",
    "todo-cli",
    "invoice-generator",
    "data-scraper",
    "auth-service",
    "portfolio-site",
    "log-analyzer",
    "recipe-app",
    "kanban-board",
    "budget-tracker",
    "image-resizer",
    "url-shortener",
    "metrics-exporter",
    "payment-gateway",
    "notes-sync",
    "csv-toolkit",
];

const SITES: &[&str] = &[
    "news.ycombinator.com",
    "books.toscrape.com",
    "quotes.toscrape.com",
    "github.com/trending",
    "en.wikipedia.org/wiki/Rust_(programming_language)",
    "www.python.org/downloads",
    "httpbin.org/forms/post",
    "the-internet.herokuapp.com/login",
    "www.bbc.com/news",
    "pypi.org/project/requests",
    "arxiv.org/list/cs.AI/recent",
    "docs.github.com/en/actions",
    "www.amazon.com/s?k=mechanical+keyboard",
    "stackoverflow.com/questions/tagged/rust",
];

const TOPICS: &[&str] = &[
    "vector databases",
    "Rust async runtimes",
    "solar panel efficiency trends",
    "LLM inference optimization",
    "PostgreSQL vs MySQL for analytics",
    "WebAssembly in the browser",
    "Kubernetes cost optimization",
    "electric vehicle battery recycling",
    "remote work productivity studies",
    "the history of the Unix shell",
    "CRDTs for collaborative editing",
    "quantum error correction",
    "carbon capture startups",
    "home espresso machines",
];

const TIMES: &[&str] = &[
    "every weekday at 9am",
    "every Monday at 8:00",
    "in 30 minutes",
    "daily at 18:30",
    "every 2 hours",
    "on the first day of every month",
    "every Friday at 5pm",
    "tomorrow morning at 7",
];

const PLATFORMS: &[&str] = &["Telegram", "Discord", "Slack", "email", "Signal"];
const PEOPLE: &[&str] = &[
    "Alice",
    "Marco",
    "the team",
    "Priya",
    "Jonas",
    "my manager",
    "Léa",
    "Kenji",
];
const SERVICES: &[&str] = &[
    "nginx", "postgres", "redis", "gunicorn", "docker", "cron", "sshd",
];
const CITIES: &[&str] = &[
    "Berlin",
    "Tokyo",
    "São Paulo",
    "Zürich",
    "Montréal",
    "Kraków",
    "Reykjavík",
    "Austin",
];
const IDENTS: &[&str] = &[
    "user", "order", "item", "config", "session", "record", "payload", "report", "cache", "task",
    "invoice", "event",
];

/// The little fictional environment a row's trajectory happens in.
pub struct World {
    pub cat: Cat,
    pub project: &'static str,
    pub lang: Lang,
    pub root: String,
    pub files: Vec<String>,
    pub pkg: &'static str,
    pub site: &'static str,
    pub topic: &'static str,
    pub time: &'static str,
    pub platform: &'static str,
    pub person: &'static str,
    pub service: &'static str,
    pub city: &'static str,
    pub port: u32,
    /// Adds odd characters (tabs, quotes, backslashes, ANSI, non-ASCII) to generated text.
    pub weird: bool,
    /// Adds a little non-ASCII text here and there (realistic, not tricky).
    pub intl: bool,
}

impl World {
    pub fn new(rng: &mut Rng, cat: Cat) -> World {
        let lang = match cat {
            Cat::Scheduling | Cat::Planning => {
                *rng.pick(&[Lang::Python, Lang::Shell, Lang::Shell, Lang::JavaScript])
            }
            _ => *rng.pick(&[
                Lang::Python,
                Lang::Python,
                Lang::Python,
                Lang::Python,
                Lang::JavaScript,
                Lang::TypeScript,
                Lang::TypeScript,
                Lang::Rust,
                Lang::Go,
                Lang::Shell,
            ]),
        };
        let project = rng.s(PROJECTS);
        let root = match rng.below(4) {
            0 => format!("/root/{project}"),
            1 => format!("/home/user/projects/{project}"),
            2 => format!("~/{project}"),
            _ => format!("/workspace/{project}"),
        };
        let pkg_name = project.replace('-', "_");
        let all = lang.files();
        let mut files = Vec::with_capacity(all.len());
        for f in all {
            if files.len() < 3 || rng.chance(0.75) {
                files.push(f.replace("{pkg}", &pkg_name));
            }
        }
        World {
            cat,
            project,
            lang,
            root,
            files,
            pkg: rng.s(lang.pkgs()),
            site: rng.s(SITES),
            topic: rng.s(TOPICS),
            time: rng.s(TIMES),
            platform: rng.s(PLATFORMS),
            person: rng.s(PEOPLE),
            service: rng.s(SERVICES),
            city: rng.s(CITIES),
            port: *rng.pick(&[8000, 3000, 8080, 5000, 5432, 6379]),
            weird: false,
            intl: rng.chance(0.12),
        }
    }

    pub fn file<'a>(&'a self, rng: &mut Rng) -> &'a str {
        &self.files[rng.below(self.files.len())]
    }

    /// A source file of the row's language if there is one.
    pub fn code_file<'a>(&'a self, rng: &mut Rng) -> &'a str {
        let ext = self.lang.ext();
        let n = self.files.iter().filter(|f| f.ends_with(ext)).count();
        if n == 0 {
            return self.file(rng);
        }
        let k = rng.below(n);
        self.files
            .iter()
            .filter(|f| f.ends_with(ext))
            .nth(k)
            .map(|s| s.as_str())
            .unwrap_or("README.md")
    }

    /// An identifier: a common word, or (more often) a made-up one, so that long outputs are
    /// not one small vocabulary repeated (real traces compress far less than that).
    pub fn ident(&self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(16);
        self.push_ident(rng, &mut s);
        s
    }

    pub fn push_ident(&self, rng: &mut Rng, out: &mut String) {
        const SYL: &[&str] = &[
            "ka", "lo", "ven", "tri", "mas", "po", "rel", "din", "sa", "quo", "ber", "nix", "tal",
            "fe", "gor", "ul", "zen", "mi", "har", "cob", "le", "vat", "sim", "or", "pel", "dra",
            "nu", "kes", "bo", "tin", "ax", "ri",
        ];
        const SUF: &[&str] = &[
            "", "", "", "_id", "_map", "er", "s", "_cache", "_v2", "_list",
        ];
        if rng.chance(0.4) {
            out.push_str(rng.s(IDENTS));
            return;
        }
        for _ in 0..rng.range(2, 3) {
            out.push_str(rng.s(SYL));
        }
        out.push_str(rng.s(SUF));
    }

    /// Expands `{placeholders}` of `t` into `out`.
    pub fn fill(&self, rng: &mut Rng, out: &mut String, t: &str) {
        let mut rest = t;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let Some(j) = after.find('}') else {
                out.push_str(&rest[i..]);
                return;
            };
            let key = &after[..j];
            match key {
                "project" => out.push_str(self.project),
                "dir" => out.push_str(&self.root),
                "file" => {
                    let f = self.file(rng).to_string();
                    out.push_str(&f)
                }
                "code" => {
                    let f = self.code_file(rng).to_string();
                    out.push_str(&f)
                }
                "lang" => out.push_str(self.lang.display()),
                "pkg" => out.push_str(self.pkg),
                "site" => out.push_str(self.site),
                "topic" => out.push_str(self.topic),
                "time" => out.push_str(self.time),
                "platform" => out.push_str(self.platform),
                "person" => out.push_str(self.person),
                "svc" => out.push_str(self.service),
                "city" => out.push_str(self.city),
                "ident" => self.push_ident(rng, out),
                "port" => super::pyjson::push_int(out, self.port as i64),
                "n" => super::pyjson::push_int(out, rng.range(3, 20) as i64),
                "test" => out.push_str(self.lang.test_cmd()),
                "ext" => out.push_str(self.lang.ext()),
                _ => {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
            }
            rest = &after[j + 1..];
        }
        out.push_str(rest);
    }

    /// [`World::fill`] with a template drawn from `ts`.
    pub fn fill_pick(&self, rng: &mut Rng, out: &mut String, ts: &[&str]) {
        let t = ts[rng.below(ts.len())];
        self.fill(rng, out, t);
    }

    /// [`World::filled`] with a template drawn from `ts`.
    pub fn filled_pick(&self, rng: &mut Rng, ts: &[&str]) -> String {
        let t = ts[rng.below(ts.len())];
        self.filled(rng, t)
    }

    pub fn filled(&self, rng: &mut Rng, t: &str) -> String {
        let mut s = String::with_capacity(t.len() + 32);
        self.fill(rng, &mut s, t);
        s
    }
}

/// Task templates per subcategory.
pub fn task_templates(sub: &str) -> &'static [&'static str] {
    match sub {
        "Debugging & Testing" => &[
            "The tests in {project} are failing after I upgraded {pkg}. Can you figure out why and fix them?",
            "My {lang} script crashes with a KeyError when the input file has empty lines. Debug it and add a test.",
            "Run the test suite for {project} and fix whatever is broken.",
            "There's a race condition somewhere in the {ident} cache of {project}. Find it and write a regression test.",
            "Why does `{test}` hang forever on CI but pass locally? Investigate and fix it.",
        ],
        "Scripting & Automation" => &[
            "Write a {lang} script that backs up {dir} to /mnt/backup every night and keeps the last {n} copies.",
            "Create a bash script that renames all .jpeg files in ~/Pictures to .jpg and logs what it did.",
            "Automate the release process for {project}: bump the version, tag, and generate a changelog.",
            "Write a script that monitors disk usage and warns me when any partition is over 85%.",
            "Build a small CLI in {lang} that converts CSV files to JSON with optional column filtering.",
        ],
        "Build & Dependencies" => &[
            "Set up a {lang} development environment for {project} and make sure it builds cleanly.",
            "Upgrade {pkg} to the latest major version in {project} and fix any breaking changes.",
            "The Docker build for {project} takes 12 minutes. Optimize the Dockerfile.",
            "Install and configure {svc} on this machine, then verify it is running.",
            "Our lockfile is out of sync and `{test}` fails to resolve dependencies. Sort it out.",
        ],
        "Data Processing" => &[
            "Parse the access logs in /var/log/{svc}/ and give me the top {n} IPs by request count.",
            "Clean up sales_2024.csv: remove duplicates, normalize dates, and compute monthly totals per region.",
            "Convert the JSON export in data/export.json into a SQLite database with proper indexes.",
            "Analyze the temperature readings for {city} in data/weather.csv and plot the weekly averages.",
            "Merge the {n} CSV files in data/raw/ into one parquet file and report row counts.",
        ],
        "Memory & Context" => &[
            "Look through past sessions for the deployment config we created for the staging environment. I need it again.",
            "Remember that I prefer {lang} with type hints and 4-space indentation for all future code.",
            "What did we decide last week about the database schema for {project}?",
            "Save a note that the {svc} service on this box runs on port {port} and restarts via systemd.",
            "We fixed a similar {pkg} error before. Find how we solved it and apply the same fix here.",
        ],
        "Skills & Delegation" => &[
            "Use the right skill to set up a new {lang} project with linting, formatting and CI.",
            "Split this into parallel subtasks: audit the dependencies of {project}, check the docs, and review open TODOs.",
            "Check which skills are available for working with {svc} and use one to configure it.",
            "Delegate a research task on {topic} and summarize what comes back.",
        ],
        "Code Execution" => &[
            "Compute the first {n} prime gaps and tell me which gap size appears most often.",
            "Use code to count how many lines of {lang} are in {project}, grouped by directory.",
            "Simulate 10,000 rolls of three dice and show the distribution of sums.",
            "Write and run a quick benchmark comparing list comprehension and map() for 1M elements.",
        ],
        "Web Research" => &[
            "Research the current state of {topic} and write me a short briefing with sources.",
            "Find the latest release notes for {pkg} and tell me what changed that might break us.",
            "What are the best practices for {topic} in 2025? Give me a summary with links.",
            "Compare three popular options for {topic} and recommend one for a small team.",
        ],
        "Git Operations" => &[
            "Rebase my feature branch onto main and resolve the conflicts in {code}.",
            "Find the commit that introduced the bug in {code} using git bisect.",
            "Clean up the git history of {project}: squash the WIP commits on this branch.",
            "Create a release branch for v{n}.0, cherry-pick the hotfixes, and tag it.",
            "Someone committed a .env file with secrets. Remove it from the history of {project}.",
        ],
        "Code Review & Refactoring" => &[
            "Review {code} and refactor it to remove duplication. Keep the public API unchanged.",
            "Refactor the {ident} module in {project} to use dependency injection so it is testable.",
            "Find all uses of the deprecated {pkg} API in {project} and migrate them.",
            "Do a code review of the last {n} commits and point out bugs or risky changes.",
        ],
        "Documentation" => &[
            "Create documentation in Markdown for the deployment process with troubleshooting guide.",
            "Write a README for {project} covering setup, configuration and usage examples.",
            "Generate API docs for the endpoints in {code} and add them to docs/api.md.",
            "Add docstrings to every public function in {code}.",
        ],
        "Web Navigation" => &[
            "Go to {site} and tell me what the top {n} items are right now.",
            "Open {site}, find the pricing page, and summarize the plans.",
            "Navigate to {site} and check whether the page loads any JavaScript errors.",
            "Browse {site} and find the contact email for support.",
        ],
        "Form Filling" => &[
            "Fill out the form at httpbin.org/forms/post with a medium pizza, extra cheese, delivery at 19:30, and submit it.",
            "Log into the-internet.herokuapp.com/login with the test credentials shown on the page.",
            "Sign up for the newsletter on {site} with my email test.user@example.com.",
            "Search {site} for '{topic}' and apply the newest-first filter.",
        ],
        "Data Extraction" => &[
            "Scrape all book titles and prices from books.toscrape.com (first {n} pages) into a CSV.",
            "Extract the table of release versions from {site} and save it as JSON.",
            "Collect every quote and author from quotes.toscrape.com and group them by tag.",
            "Get the titles and links of the first {n} posts on {site}.",
        ],
        "Research & Report" => &[
            "Research {topic}, collect at least five sources, and write a report to report.md.",
            "Find recent benchmarks for {topic} and build a comparison table in Markdown.",
            "Summarize the top discussions about {topic} this month and save the summary to notes/{ident}.md.",
        ],
        "Cross-Tool Workflows" => &[
            "Check the weather in {city}, write it to a file, and send me a summary on {platform}.",
            "Download the dataset from the URL in README.md, compute basic stats, and save a report.",
            "Find the latest version of {pkg}, update {project} to use it, run the tests, and report back.",
            "Search the web for the {svc} config best practices and apply them to our config file.",
        ],
        "Media & Vision" => &[
            "Describe what's in screenshots/error.png and tell me how to fix the error it shows.",
            "Resize every image in assets/ to max 1024px wide and list the ones that were changed.",
            "Look at the chart in docs/architecture.png and write a text description for the README.",
        ],
        "File Management" => &[
            "Organize ~/Downloads: move files into folders by type and delete empty folders.",
            "Find all files larger than 100MB under {dir} and list them by size.",
            "Rename the files in photos/ to YYYY-MM-DD_HHMMSS.jpg using their EXIF dates.",
            "Archive every log file older than {n} days in /var/log/{project} into a tarball.",
        ],
        "Search & Edit" => &[
            "Replace every hard-coded URL to localhost:{port} in {project} with a config variable.",
            "Find all TODO and FIXME comments in {project} and make a list with file and line.",
            "Update the copyright year in all source file headers of {project}.",
            "Find where the {ident} timeout is set and change it from 30 to 60 seconds.",
        ],
        "Config Files" => &[
            "Add a new upstream to nginx.conf for the API on port {port} with health checks.",
            "Convert config.yaml to TOML and update the loader in {code}.",
            "Set up a .env file from .env.example with sensible development values.",
            "Fix the YAML syntax error in .github/workflows/ci.yml so the pipeline runs again.",
        ],
        "Cron Jobs" => &[
            "Schedule a job that checks whether {site} is up {time} and alerts me if it isn't.",
            "Set up a cron job that runs the backup script {time}.",
            "List my scheduled jobs and remove the ones that are no longer needed.",
            "Create a job that summarizes new {topic} articles {time} and sends them to {platform}.",
        ],
        "Reminders & Notifications" => &[
            "Remind me {time} to review the pull requests for {project}.",
            "Send {person} a message on {platform} when the nightly build finishes.",
            "Every morning, send me the weather forecast for {city} on {platform}.",
        ],
        "Task Planning" => &[
            "Help me plan the migration of {project} from {lang} 2 to a new architecture. Break it into tasks.",
            "I have {n} things to do before Friday's launch. Make a prioritized plan and track it.",
            "Plan a two-week sprint for {project} based on the open issues in TODO.md.",
        ],
        "Project Organization" => &[
            "Set up a project structure for a new {lang} service with docs, tests and CI folders.",
            "Reorganize the notes in ~/notes into folders by topic and create an index file.",
            "Create a roadmap document for {project} with milestones for the next quarter.",
        ],
        "General Q&A" => &[
            "What's the difference between a process and a thread?",
            "Can you explain how {topic} works in simple terms?",
            "Which is better for a beginner, {lang} or Go? Be honest.",
            "¿Puedes explicarme qué es una API REST? Gracias.",
        ],
        "Clarification" => &[
            "Fix it.",
            "Can you make the thing we talked about faster?",
            "Update the config please.",
            "Deploy it to the usual place.",
        ],
        _ => &["Help me with {project}."],
    }
}

// ---------------------------------------------------------------- reasoning

const OPENERS: &[&str] = &[
    "The user wants me to ",
    "The user is asking me to ",
    "I need to ",
    "So the task is to ",
    "Okay, the request is to ",
];

const FILLERS: &[&str] = &[
    "Let me think about the best approach here.",
    "I'll keep the changes minimal and focused on what was asked.",
    "This should be straightforward, but I'll confirm each step.",
    "The user didn't specify a format, so I'll go with something readable and conventional.",
    "Let me make sure I understand what the expected output looks like.",
    "I don't need to ask the user about this; a reasonable default is fine.",
    "The previous output is long, but the relevant part is near the end.",
    "It would be good to keep a record of this in memory for next time.",
    "Actually, let me reconsider: a simpler approach might be enough here.",
    "I'll need to handle both the success and the failure case explicitly.",
    "Good, that narrows it down considerably.",
    "I have enough information now to proceed.",
    "Let me break this into smaller steps so nothing gets missed.",
    "Before going further, I want to verify my assumptions.",
];

const FILLERS_CODE: &[&str] = &[
    "I should first understand the current structure of {project} before changing anything.",
    "It's important not to break the existing behaviour, so I'll keep the public interface the same.",
    "There may be edge cases with empty input that I need to handle.",
    "After that, I'll verify the result by running `{test}` again.",
    "The project seems to use {lang} with {pkg}, which narrows down where the problem could be.",
    "If this doesn't work, a fallback would be to check the logs in {dir}/logs.",
    "I want to double-check the file paths, since the working directory might not be {dir}.",
    "Looking at the naming conventions, the {ident} handling lives in {code}.",
    "One thing to be careful about is that the config may be loaded from environment variables as well.",
    "Maybe the issue is related to how {pkg} handles timeouts.",
    "I could also write a small helper to avoid repeating this logic in several places.",
    "Wait, I should check whether {file} is even tracked in git.",
    "The service listens on port {port}, so the health check should target that.",
    "Let me also consider performance: the data could be large.",
    "I think the cleanest solution is to extract the {ident} logic into its own function.",
];

const FILLERS_WEB: &[&str] = &[
    "The page might load content dynamically, so a fresh snapshot is safer than guessing refs.",
    "Cookie banners often block clicks; I'll watch for one.",
    "I should prefer primary sources over blog posts where possible.",
    "The results should be recent — anything older than a year about {topic} may be outdated.",
    "I'll note the URLs so I can cite them at the end.",
    "If the site blocks automation, web_extract might still get the text.",
    "The element refs change after navigation, so I need to re-read them.",
    "Let me cross-check the numbers from at least two sources.",
];

const FILLERS_PLAN: &[&str] = &[
    "The schedule has to be expressed in the server's timezone, which is UTC.",
    "A self-contained prompt matters because the job runs without this conversation.",
    "The plan should put the riskiest item first so problems surface early.",
    "I'll track progress in the todo list so nothing is forgotten.",
    "{person} should get a short, clear message rather than a wall of text.",
    "Deadlines matter here: the launch is on Friday.",
];

const C_SUBJ: &[&str] = &[
    "I need to",
    "I should",
    "It makes sense to",
    "Next I want to",
    "I'll",
    "Maybe I can",
    "Before that, I have to",
    "The safest option is to",
    "It's worth trying to",
    "Ideally I would",
];
const C_VERB: &[&str] = &[
    "check", "verify", "update", "look at", "compare", "clean up", "re-run", "document",
    "simplify", "trace", "inspect", "rename", "test",
];
const C_OBJ: &[&str] = &[
    "the {ident} handler in {code}",
    "how {ident} is initialised",
    "the output of the last command",
    "the {n} failing cases",
    "the config for {project}",
    "what {pkg} returns for an empty {ident}",
    "the {ident} fields the user mentioned",
    "the log lines around {ident}",
    "the results for {topic}",
    "whether {file} changed",
    "the {ident} and {ident} paths",
    "line {n} of {file}",
];
const C_TAIL: &[&str] = &[
    "before moving on.",
    "to be sure.",
    "first.",
    "so the fix is complete.",
    "since that's where the mismatch probably is.",
    "— it could explain the behaviour.",
    "and then report back.",
    "without touching anything else.",
    "because the numbers don't add up yet.",
];

/// A sentence put together from parts (much more varied than the fixed pools).
fn push_composed(rng: &mut Rng, w: &World, out: &mut String) {
    out.push_str(rng.s(C_SUBJ));
    out.push(' ');
    out.push_str(rng.s(C_VERB));
    out.push(' ');
    w.fill_pick(rng, out, C_OBJ);
    out.push(' ');
    out.push_str(rng.s(C_TAIL));
}

fn fillers_for(cat: Cat) -> &'static [&'static str] {
    match cat {
        Cat::TerminalCoding | Cat::Repository | Cat::FileOps => FILLERS_CODE,
        Cat::Browser | Cat::MultiTool | Cat::AgentTools | Cat::Conversational => FILLERS_WEB,
        Cat::Scheduling | Cat::Planning => FILLERS_PLAN,
    }
}

const FILLERS_INTL: &[&str] = &[
    "The README is partly in French (« déploiement », « paramètres »), so I'll keep UTF-8 everywhere.",
    "Some file names contain Chinese characters like 报告.md and 数据, so quoting matters.",
    "The user wrote café and naïve in the data; slugs must handle accents.",
    "✅ The first part is done, 🚀 next comes the deployment step.",
    "Dates in this locale look like 27.03.2026 — I'll normalise them to ISO 8601.",
    "The city name is {city}, so the API query must be URL-encoded properly.",
    "日本語のコメントもあるので、エンコーディングに注意する。",
    "Ключевой момент: не ломать существующий API.",
];

const WEIRD_BITS: &[&str] = &[
    "The regex needs escaping: \\d+\\.\\d+ and a literal backslash \\\\ in Windows paths like C:\\Users\\dev.",
    "Careful with quotes: she said \"it's 'fine'\" — nested quoting in shell is painful.",
    "The file uses tabs:\tcol1\tcol2\tcol3 — not spaces.",
    "There's a stray carriage return\r in the CSV header.",
    "ANSI codes like \u{1b}[31mred\u{1b}[0m leak into the log output.",
    "Unicode line separator\u{2028}and paragraph separator\u{2029} appear in the JSON payload.",
    "Zero-width joiner in 👩‍💻 and a BOM \u{feff} at file start can break naive parsers.",
    "Right-to-left text: مرحبا بالعالم, mixed with English.",
    "Form feed\u{c} and backspace\u{8} characters appear in the legacy report.",
    "Emoji in commit messages: 🐛 fix, ✨ feat, 🔥 remove.",
];

/// What the previous step produced, for the next reasoning to react to.
pub enum Prev<'a> {
    Start,
    Ok(&'a str),
    Failed(&'a str),
}

/// Appends reasoning of roughly `target_words` words.
#[allow(clippy::too_many_arguments)]
pub fn push_reasoning(
    rng: &mut Rng,
    w: &World,
    out: &mut String,
    task: &str,
    prev: Prev<'_>,
    intent: &str,
    target_words: usize,
) {
    let start = out.len();
    let mut words = 0usize;
    match prev {
        Prev::Start => {
            out.push_str(rng.s(OPENERS));
            push_lower_first(out, task.trim_end_matches(['.', '?', '!']));
            out.push_str(". ");
            words += count_words(task) + 5;
        }
        Prev::Ok(obs) => {
            out.push_str(obs);
            out.push(' ');
            words += count_words(obs);
        }
        Prev::Failed(err) => {
            out.push_str(err);
            out.push(' ');
            words += count_words(err);
        }
    }
    let intent_words = count_words(intent) + 3;
    let mut since_break = 0;
    while words + intent_words < target_words {
        let s: &str = if w.weird && rng.chance(0.25) {
            rng.s(WEIRD_BITS)
        } else if w.intl && rng.chance(0.15) {
            rng.s(FILLERS_INTL)
        } else if rng.chance(0.55) {
            rng.s(fillers_for(w.cat))
        } else {
            rng.s(FILLERS)
        };
        let before = out.len();
        if rng.chance(0.45) {
            push_composed(rng, w, out);
        } else {
            w.fill(rng, out, s);
        }
        words += count_words(&out[before..]);
        since_break += 1;
        if since_break > 4 && rng.chance(0.3) {
            out.push_str("\n\n");
            since_break = 0;
        } else {
            out.push(' ');
        }
    }
    out.push_str(rng.s(&[
        "Let me ",
        "I'll ",
        "Now I'll ",
        "Next, let me ",
        "First, I'll ",
    ]));
    out.push_str(intent);
    out.push('.');
    debug_assert!(out.len() > start);
}

pub fn push_lower_first(out: &mut String, s: &str) {
    let mut cs = s.chars();
    if let Some(c) = cs.next() {
        // Keep acronyms and names as they are ("CSV", "Go", "I").
        let second_upper = s.chars().nth(1).is_some_and(|d| d.is_uppercase());
        if c.is_ascii_uppercase() && !second_upper && c != 'I' {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
        out.push_str(cs.as_str());
    }
}

pub fn count_words(s: &str) -> usize {
    s.as_bytes()
        .iter()
        .filter(|&&b| b == b' ' || b == b'\n')
        .count()
        + 1
}

/// Word count for one reasoning block (0 = empty think). Long tail to a few thousand words.
pub fn think_words(rng: &mut Rng, scale: f64) -> usize {
    // Weights in tenths of a percent: 8% empty, a long tail up to a few thousand words.
    let w = rng.bucket(&[
        (80, 0, 0),
        (330, 8, 30),
        (320, 30, 80),
        (180, 80, 220),
        (70, 220, 700),
        (17, 700, 2000),
        (3, 2000, 5000),
    ]);
    scale_words(w, scale)
}

fn scale_words(w: usize, scale: f64) -> usize {
    if w == 0 {
        0
    } else {
        ((w as f64 * scale) as usize).max(3)
    }
}

// ---------------------------------------------------------------- code / file content

const PY_LINES: &[&str] = &[
    "import os",
    "import json",
    "import logging",
    "from pathlib import Path",
    "from typing import Any, Optional",
    "",
    "logger = logging.getLogger(__name__)",
    "",
    "",
    "class {Ident}Manager:",
    "    \"\"\"Manage {ident} records.\"\"\"",
    "",
    "    def __init__(self, path: str = \"data/{ident}s.json\") -> None:",
    "        self.path = Path(path)",
    "        self._cache: dict[str, Any] = {}",
    "",
    "    def load(self) -> list[dict]:",
    "        if not self.path.exists():",
    "            logger.warning(\"missing %s\", self.path)",
    "            return []",
    "        with self.path.open() as fh:",
    "            return json.load(fh)",
    "",
    "def get_{ident}(key: str, default: Optional[str] = None) -> Optional[str]:",
    "    value = os.environ.get(key.upper(), default)",
    "    if value is None:",
    "        raise KeyError(f\"{key} is not configured\")",
    "    return value.strip()",
    "",
    "    for idx, row in enumerate(rows):",
    "        if not row:",
    "            continue",
    "        total += float(row.get(\"amount\", 0))",
    "    return {\"count\": len(rows), \"total\": round(total, 2)}",
    "",
    "if __name__ == \"__main__\":",
    "    main()",
];

const JS_LINES: &[&str] = &[
    "const express = require('express');",
    "const { readFile } = require('fs/promises');",
    "",
    "const app = express();",
    "app.use(express.json());",
    "",
    "async function load{Ident}s(path) {",
    "  const raw = await readFile(path, 'utf8');",
    "  return JSON.parse(raw).filter(Boolean);",
    "}",
    "",
    "app.get('/api/{ident}s', async (req, res) => {",
    "  try {",
    "    const items = await load{Ident}s(process.env.DATA_PATH);",
    "    res.json({ items, count: items.length });",
    "  } catch (err) {",
    "    console.error('failed to load', err);",
    "    res.status(500).json({ error: err.message });",
    "  }",
    "});",
    "",
    "export function format{Ident}(value) {",
    "  return `${value.id}: ${value.name ?? 'unknown'}`;",
    "}",
    "",
    "module.exports = { app, load{Ident}s };",
];

const RS_LINES: &[&str] = &[
    "use std::collections::HashMap;",
    "use serde::{Deserialize, Serialize};",
    "",
    "#[derive(Debug, Clone, Serialize, Deserialize)]",
    "pub struct {Ident} {",
    "    pub id: u64,",
    "    pub name: String,",
    "    pub tags: Vec<String>,",
    "}",
    "",
    "impl {Ident} {",
    "    pub fn new(id: u64, name: impl Into<String>) -> Self {",
    "        Self { id, name: name.into(), tags: Vec::new() }",
    "    }",
    "}",
    "",
    "pub fn index_{ident}s(items: &[{Ident}]) -> HashMap<u64, &{Ident}> {",
    "    items.iter().map(|it| (it.id, it)).collect()",
    "}",
    "",
    "#[cfg(test)]",
    "mod tests {",
    "    use super::*;",
    "    #[test]",
    "    fn builds_index() {",
    "        let v = vec![{Ident}::new(1, \"a\")];",
    "        assert_eq!(index_{ident}s(&v).len(), 1);",
    "    }",
    "}",
];

const GO_LINES: &[&str] = &[
    "package handler",
    "",
    "import (",
    "\t\"encoding/json\"",
    "\t\"net/http\"",
    ")",
    "",
    "type {Ident} struct {",
    "\tID   int    `json:\"id\"`",
    "\tName string `json:\"name\"`",
    "}",
    "",
    "func List{Ident}s(w http.ResponseWriter, r *http.Request) {",
    "\titems, err := store.All(r.Context())",
    "\tif err != nil {",
    "\t\thttp.Error(w, err.Error(), http.StatusInternalServerError)",
    "\t\treturn",
    "\t}",
    "\tw.Header().Set(\"Content-Type\", \"application/json\")",
    "\t_ = json.NewEncoder(w).Encode(items)",
    "}",
];

const SH_LINES: &[&str] = &[
    "#!/usr/bin/env bash",
    "set -euo pipefail",
    "",
    "APP_DIR=\"${APP_DIR:-/opt/app}\"",
    "LOG_FILE=\"/var/log/deploy.log\"",
    "",
    "log() { echo \"[$(date +%FT%T)] $*\" | tee -a \"$LOG_FILE\"; }",
    "",
    "log \"pulling latest image\"",
    "docker compose pull",
    "docker compose up -d --remove-orphans",
    "",
    "if ! curl -fsS http://localhost:8080/health > /dev/null; then",
    "  log \"health check failed\"",
    "  exit 1",
    "fi",
    "log \"deploy finished\"",
    "services:",
    "  web:",
    "    image: ghcr.io/example/app:latest",
    "    ports:",
    "      - \"8080:8080\"",
    "    environment:",
    "      - DATABASE_URL=postgres://app:app@db:5432/app",
    "    restart: unless-stopped",
];

const MD_LINES: &[&str] = &[
    "# Deployment Guide",
    "",
    "A comprehensive guide for deploying the application across environments.",
    "",
    "## Table of Contents",
    "",
    "- [Overview](#overview)",
    "- [Prerequisites](#prerequisites)",
    "- [Troubleshooting](#troubleshooting)",
    "",
    "## Prerequisites",
    "",
    "- Docker 24+ and docker compose",
    "- Access to the container registry",
    "- A `.env` file based on `.env.example`",
    "",
    "```bash",
    "docker compose up -d",
    "```",
    "",
    "### Common issues",
    "",
    "| Symptom | Cause | Fix |",
    "|---------|-------|-----|",
    "| 502 Bad Gateway | app not started | check `docker compose logs web` |",
    "| Port already in use | old container | `docker compose down` |",
];

pub fn lines_for(path: &str) -> &'static [&'static str] {
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "py" => PY_LINES,
        "js" | "ts" | "tsx" | "json" => JS_LINES,
        "rs" | "toml" => RS_LINES,
        "go" | "mod" => GO_LINES,
        "md" | "txt" => MD_LINES,
        _ => SH_LINES,
    }
}

/// Appends one code line with `{ident}`/`{Ident}` substituted.
fn push_line(out: &mut String, line: &str, ident: &str) {
    let mut rest = line;
    loop {
        let a = rest.find("{ident}");
        let b = rest.find("{Ident}");
        let (pos, upper) = match (a, b) {
            (None, None) => break,
            (Some(x), None) => (x, false),
            (None, Some(y)) => (y, true),
            (Some(x), Some(y)) => {
                if x < y {
                    (x, false)
                } else {
                    (y, true)
                }
            }
        };
        out.push_str(&rest[..pos]);
        if upper {
            let mut cs = ident.chars();
            if let Some(c) = cs.next() {
                out.push(c.to_ascii_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(ident);
        }
        rest = &rest[pos + 7..];
    }
    out.push_str(rest);
}

/// Appends about `target` bytes of file content for `path`; with `numbered`, in read_file's
/// `"     N|line"` layout starting at `first_line`. Returns the number of lines written.
pub fn push_file_content(
    rng: &mut Rng,
    w: &World,
    out: &mut String,
    path: &str,
    target: usize,
    numbered: Option<usize>,
) -> usize {
    use std::fmt::Write;
    let lines = lines_for(path);
    let comment = match path.rsplit('.').next().unwrap_or("") {
        "rs" | "js" | "ts" | "tsx" | "go" => "// ",
        "md" | "txt" | "json" => "",
        _ => "# ",
    };
    let start = out.len();
    let mut i = rng.below(lines.len());
    let mut n = 0usize;
    let mut ident = w.ident(rng);
    while out.len() - start < target || n == 0 {
        if let Some(first) = numbered {
            if n > 0 {
                out.push('\n');
            }
            let _ = write!(out, "{:>6}|", first + n);
        } else if n > 0 {
            out.push('\n');
        }
        if rng.chance(0.12) {
            // a comment (or a prose line in Markdown) in the file's own words
            if !comment.is_empty() && lines[i].starts_with(' ') {
                out.push_str("    ");
            }
            out.push_str(comment);
            push_composed(rng, w, out);
        } else {
            push_line(out, lines[i], &ident);
        }
        if w.weird && rng.chance(0.05) {
            out.push_str(rng.s(WEIRD_BITS));
        } else if w.intl && rng.chance(0.02) {
            out.push_str("  # 注意: ne pas modifier — ✓");
        }
        n += 1;
        i += 1;
        if i == lines.len() {
            i = 0;
            ident = w.ident(rng);
        }
    }
    n
}

// ---------------------------------------------------------------- final answers

const DONE: &[&str] = &[
    "I've finished the task. Here's a summary of what I did:",
    "Done! Here's what changed:",
    "All set. Summary:",
    "I've completed the work on {project}. Here's an overview:",
    "Here's what I found and fixed:",
];

const CODE_BULLETS: &[&str] = &[
    "Updated `{code}` to handle the edge case with empty input",
    "Added a regression test in `{file}`",
    "Ran `{test}` — all tests pass",
    "Documented the new option in `README.md`",
    "Removed the unused {ident} helper",
    "Verified the service responds on port {port}",
    "Pinned {pkg} to a compatible version",
    "Committed the changes on branch `fix/{ident}-handling`",
    "Refactored `{code}` so the {ident} logic lives in one place",
];

const RESEARCH_BULLETS: &[&str] = &[
    "Searched past sessions and found the {project} notes",
    "Saved the relevant details to memory for next time",
    "Collected {n} sources on {topic}",
    "Summarized the key findings in `notes/{ident}_summary.md`",
    "Compared the options in a table (latency, cost, maturity)",
    "Delegated the dependency audit to a subagent and merged its findings",
    "Double-checked the numbers with a short script",
];

const BROWSER_BULLETS: &[&str] = &[
    "Opened https://{site} and took a snapshot of the page",
    "Extracted {n} records from {site}",
    "Filled in and submitted the form",
    "Saved the results to `data/{ident}s.csv`",
    "No JavaScript errors on the page",
    "Handled the cookie banner before continuing",
];

const SCHED_BULLETS: &[&str] = &[
    "Scheduled the job {time}",
    "Results are delivered to {platform}",
    "Sent a confirmation to {person} on {platform}",
    "Removed {n} stale jobs",
    "The backup script runs with `set -euo pipefail` and logs to /var/log",
];

const PLAN_BULLETS: &[&str] = &[
    "Created a plan with {n} tasks, ordered by priority",
    "Saved the roadmap to `docs/roadmap.md`",
    "Marked the first task as in progress",
    "Noted your preferences in memory",
    "Grouped the work into milestones for {project}",
];

const CONV_BULLETS: &[&str] = &[
    "A process has its own memory space; threads share the memory of their process",
    "{topic} comes down to a few core ideas",
    "Start with one small example, then generalize",
    "The trade-off is usually simplicity versus flexibility",
    "If you tell me more about your setup, I can be more specific",
];

fn bullets_for(cat: Cat) -> &'static [&'static str] {
    match cat {
        Cat::TerminalCoding | Cat::Repository | Cat::FileOps => CODE_BULLETS,
        Cat::AgentTools | Cat::MultiTool => RESEARCH_BULLETS,
        Cat::Browser => BROWSER_BULLETS,
        Cat::Scheduling => SCHED_BULLETS,
        Cat::Planning => PLAN_BULLETS,
        Cat::Conversational => CONV_BULLETS,
    }
}

/// Appends the final answer text (Markdown).
pub fn push_final_answer(
    rng: &mut Rng,
    w: &World,
    out: &mut String,
    failed_at_end: bool,
    target: usize,
) {
    let start = out.len();
    if failed_at_end {
        w.fill(
            rng,
            out,
            "I wasn't able to complete everything. The last step failed and I couldn't find a workaround without more information.\n\nWhat I tried:\n",
        );
    } else if w.cat == Cat::Conversational {
        w.fill(rng, out, "Sure! Here's a short explanation.\n\n");
    } else {
        w.fill_pick(rng, out, DONE);
        out.push_str("\n\n");
        if rng.chance(0.5) {
            out.push_str(rng.s(&[
                "## Summary\n\n",
                "## ✅ Changes\n\n",
                "### What was done\n\n",
                "## 📄 **Overview**\n\n",
            ]));
        }
    }
    // Bullets without repeats, then (for long answers) prose paragraphs.
    let bullets = bullets_for(w.cat);
    let first = rng.below(bullets.len());
    let n_bullets = rng.range(2, bullets.len());
    let mut code_block = w.cat != Cat::Conversational && rng.chance(0.25);
    for k in 0..n_bullets {
        if out.len() - start >= target {
            break;
        }
        out.push_str("- ");
        w.fill(rng, out, bullets[(first + k) % bullets.len()]);
        out.push('\n');
        if code_block && rng.chance(0.3) {
            code_block = false;
            out.push_str("\n```bash\n");
            w.fill(rng, out, "{test}\n");
            out.push_str("```\n\n");
        }
    }
    let mut heading = true;
    while out.len() - start < target {
        if heading {
            out.push_str(rng.s(&["\n### Details\n\n", "\n### Notes\n\n", "\n**Next steps:** "]));
            heading = false;
        }
        let s = if rng.chance(0.5) {
            rng.s(fillers_for(w.cat))
        } else {
            rng.s(FILLERS)
        };
        w.fill(rng, out, s);
        out.push(if rng.chance(0.2) { '\n' } else { ' ' });
    }
    if rng.chance(0.4) {
        out.push('\n');
        w.fill_pick(
            rng,
            out,
            &[
                "Let me know if you'd like me to adjust anything.",
                "Want me to also set up CI for this?",
                "If anything looks off, tell me and I'll take another look.",
            ],
        );
    }
}

pub const FOLLOW_UPS: &[&str] = &[
    "Thanks! Can you also add a test for the error case?",
    "Great. Now do the same for {file}.",
    "Perfect — please also save this to memory so we don't redo it.",
    "That's not quite what I meant. I wanted the output as JSON, not CSV.",
    "Can you run it one more time and show me the full output?",
    "Merci ! Et peux-tu aussi mettre à jour le README ?",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_without_leftovers() {
        let mut rng = Rng::new(3);
        for c in super::super::tools::CATEGORIES.iter() {
            for sub in c.subs {
                let ts = task_templates(sub);
                assert!(ts.len() >= 3, "{sub}");
                for t in ts {
                    let w = World::new(&mut rng, c.cat);
                    let s = w.filled(&mut rng, t);
                    assert!(!s.contains('{') || s.contains("${"), "{s}");
                }
            }
        }
    }

    #[test]
    fn numbered_file_content() {
        let mut rng = Rng::new(5);
        let w = World::new(&mut rng, Cat::FileOps);
        let mut s = String::new();
        let n = push_file_content(&mut rng, &w, &mut s, "app.py", 500, Some(1));
        assert!(s.starts_with("     1|"));
        assert_eq!(s.lines().count(), n);
        assert!(s.len() >= 500);
    }
}
