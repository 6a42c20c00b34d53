//! Per-tool call arguments and tool results, generated together so they agree.

use super::pyjson::{self, push_str, Arr, Obj};
use super::rng::Rng;
use super::text::{self, Lang, World};
use super::tools::Tool;
use std::fmt::Write;

/// One generated call and its result.
pub struct CallOut {
    pub tool: Tool,
    /// Arguments object as Python-style JSON text.
    pub args: String,
    /// The `content` value as JSON text (object, or a string literal).
    pub content: String,
    /// What the model says it is about to do ("run `ls -la`").
    pub intent: String,
    /// What the next reasoning says about the result.
    pub obs: String,
    pub failed: bool,
}

/// State carried across the steps of one row.
#[derive(Default)]
pub struct State {
    /// `GenOptions::size_scale` and `max_output_bytes`, for sizes not drawn per output.
    pub scale: f64,
    pub cap: usize,
    pub bg_session: Option<String>,
    pub navigated: bool,
    pub next_ref: usize,
    pub todo_items: usize,
}

/// Generates one call of `tool`; `size` is the target size of an expandable output.
pub fn make_call(
    rng: &mut Rng,
    w: &World,
    st: &mut State,
    tool: Tool,
    fail: bool,
    size: usize,
) -> CallOut {
    let mut c = CallOut {
        tool,
        args: String::with_capacity(96),
        content: String::with_capacity(size.min(1 << 20) + 128),
        intent: String::new(),
        obs: String::new(),
        failed: fail,
    };
    // A share of failures come back as plain strings whatever the tool.
    let generic_fail = fail && rng.chance(0.12);
    match tool {
        Tool::Terminal => terminal(rng, w, st, &mut c, fail && !generic_fail, size),
        Tool::ReadFile => read_file(rng, w, &mut c, fail && !generic_fail, size),
        Tool::WriteFile => write_file(rng, w, st, &mut c, fail && !generic_fail),
        Tool::SearchFiles => search_files(rng, w, &mut c, fail && !generic_fail, size),
        Tool::Patch => patch(rng, w, &mut c, fail && !generic_fail),
        Tool::BrowserNavigate
        | Tool::BrowserSnapshot
        | Tool::BrowserClick
        | Tool::BrowserType
        | Tool::BrowserScroll
        | Tool::BrowserPress
        | Tool::BrowserBack
        | Tool::BrowserVision => browser(rng, w, st, &mut c, fail && !generic_fail, size),
        Tool::WebSearch | Tool::WebExtract => web(rng, w, &mut c, fail && !generic_fail, size),
        Tool::ExecuteCode | Tool::DelegateTask => {
            code_and_delegate(rng, w, &mut c, fail && !generic_fail, size)
        }
        Tool::SessionSearch | Tool::Memory | Tool::Todo | Tool::Clarify => {
            agent(rng, w, st, &mut c, fail && !generic_fail, size)
        }
        Tool::SkillView
        | Tool::SkillsList
        | Tool::VisionAnalyze
        | Tool::Cronjob
        | Tool::SendMessage
        | Tool::Process => misc(rng, w, st, &mut c, fail && !generic_fail, size),
    }
    if generic_fail {
        c.content.clear();
        let name = tool.name();
        let msg = match rng.below(5) {
            0 => format!(
                "Error executing tool '{name}': [Errno 2] No such file or directory: '{}'",
                w.file(rng)
            ),
            1 => format!("Error executing tool '{name}': Connection reset by peer"),
            2 => format!("Error executing tool '{name}': 'NoneType' object has no attribute 'get'"),
            3 => format!("Error: {name} timed out after 300 seconds"),
            _ => String::new(),
        };
        push_str(&mut c.content, &msg);
        c.obs = if msg.is_empty() {
            "The tool returned an empty result, which usually means something went wrong."
                .to_string()
        } else {
            format!(
                "That failed with an internal error ({}).",
                msg.split(": ").last().unwrap_or("unknown")
            )
        };
    }
    // Occasionally an oversized result arrives as a cut-off JSON string.
    if !fail && c.content.len() > 3000 && c.content.starts_with('{') && rng.chance(0.04) {
        let mut cut = c.content.len() * 3 / 5;
        while !c.content.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut s = String::with_capacity(cut + 64);
        push_str(&mut s, &c.content[..cut]);
        c.content = s;
        c.obs
            .push_str(" The result was cut off, but the part I need is there.");
    }
    c
}

fn fill_obs(rng: &mut Rng, w: &World, c: &mut CallOut, t: &str) {
    c.obs.clear();
    w.fill(rng, &mut c.obs, t);
}

// ---------------------------------------------------------------- terminal

#[derive(Clone, Copy)]
enum TermKind {
    Ls,
    GitStatus,
    GitLog,
    Test,
    Install,
    Build,
    Run,
    Grep,
    Cat,
    Curl,
    System,
    Quiet,
    Version,
    Background,
}

fn terminal(rng: &mut Rng, w: &World, st: &mut State, c: &mut CallOut, fail: bool, size: usize) {
    use TermKind::*;
    let kind = if size > 3000 {
        *rng.pick(&[Test, Install, Build, Run, Grep, Cat, GitLog])
    } else {
        rng.weighted_pick(&[
            (Ls, 10),
            (GitStatus, 7),
            (GitLog, 4),
            (Test, 14),
            (Install, 7),
            (Build, 7),
            (Run, 12),
            (Grep, 5),
            (Cat, 4),
            (Curl, 6),
            (System, 6),
            (Quiet, 7),
            (Version, 4),
            (Background, 2),
        ])
    };
    let mut cmd = String::with_capacity(64);
    let mut out = String::with_capacity(size + 64);
    let mut exit: i64 = 0;
    let lang = w.lang;
    match kind {
        Ls => {
            w.fill_pick(
                rng,
                &mut cmd,
                &[
                    "ls -la",
                    "ls -la {dir}",
                    "ls -la src/",
                    "cd {dir} && ls -la",
                ],
            );
            out.push_str("total ");
            pyjson::push_int(&mut out, rng.range(8, 400) as i64);
            out.push_str("\ndrwxr-xr-x  5 root root  4096 Mar 27 18:48 .\ndrwxr-xr-x  1 root root  4096 Mar 27 18:41 ..");
            for f in &w.files {
                if out.len() > size.max(200) {
                    break;
                }
                let _ = write!(
                    out,
                    "\n-rw-r--r--  1 root root {:>5} Mar {:>2} {:02}:{:02} {}",
                    rng.range(40, 48000),
                    rng.range(1, 28),
                    rng.range(0, 23),
                    rng.range(0, 59),
                    f
                );
            }
        }
        GitStatus => {
            cmd.push_str(rng.s(&["git status", "git status --short", "git diff --stat"]));
            out.push_str("On branch ");
            out.push_str(rng.s(&[
                "main",
                "feature/refactor-config",
                "fix/flaky-tests",
                "develop",
            ]));
            out.push_str("\nChanges not staged for commit:\n  (use \"git add <file>...\" to update what will be committed)\n");
            for _ in 0..rng.range(1, 3) {
                out.push_str("\tmodified:   ");
                out.push_str(w.file(rng));
                out.push('\n');
            }
            out.push_str("\nno changes added to commit (use \"git add\" and/or \"git commit -a\")");
        }
        GitLog => {
            cmd.push_str(rng.s(&[
                "git log --oneline -20",
                "git log --oneline --since='2 weeks ago'",
                "git log -p -3",
            ]));
            let mut i = 0;
            while out.len() < size.max(200) || i == 0 {
                if i > 0 {
                    out.push('\n');
                }
                rng.hex(&mut out, 7);
                out.push(' ');
                w.fill_pick(
                    rng,
                    &mut out,
                    &[
                        "fix: handle empty {ident} list",
                        "feat: add {ident} export endpoint",
                        "chore: bump {pkg}",
                        "refactor: split {code}",
                        "docs: update README",
                        "test: cover {ident} edge cases",
                        "Merge pull request #{n} from dev/{ident}-cleanup",
                    ],
                );
                i += 1;
            }
        }
        Test => {
            cmd.push_str(lang.test_cmd());
            if rng.chance(0.3) {
                cmd.push_str(" 2>&1 | tail -50");
            }
            push_test_output(rng, w, &mut out, size, fail);
            if fail {
                exit = if lang == Lang::Rust { 101 } else { 1 };
            }
        }
        Install => {
            w.fill(rng, &mut cmd, lang.install_cmd());
            if fail {
                let _ = write!(
                    out,
                    "ERROR: Could not find a version that satisfies the requirement {}==9.9.9 (from versions: 1.0.0, 1.1.0, 2.0.1)\nERROR: No matching distribution found for {}==9.9.9",
                    w.pkg, w.pkg
                );
                exit = 1;
            } else {
                push_install_output(rng, w, &mut out, size);
            }
        }
        Build => {
            cmd.push_str(lang.build_cmd());
            push_build_output(rng, w, &mut out, size, fail);
            if fail {
                exit = if lang == Lang::Rust { 101 } else { 2 };
            }
        }
        Run => {
            cmd.push_str(lang.run_cmd());
            if fail {
                push_traceback(rng, w, &mut out);
                exit = 1;
            } else {
                push_program_output(rng, w, &mut out, size);
            }
        }
        Grep => {
            w.fill_pick(
                rng,
                &mut cmd,
                &[
                    "grep -rn \"TODO\" src/",
                    "grep -rn \"{ident}\" --include=*.{ext} .",
                    "rg -n \"timeout\" {dir}",
                ],
            );
            if !fail && rng.chance(0.15) {
                exit = 1; // nothing matched: non-zero but not a failure
            } else {
                let mut i = 0;
                while out.len() < size.max(120) || i == 0 {
                    if i > 0 {
                        out.push('\n');
                    }
                    let f = w.code_file(rng);
                    let _ = write!(out, "{}:{}:", f, rng.range(1, 900));
                    let lines = text::lines_for(f);
                    out.push_str(lines[rng.below(lines.len())]);
                    i += 1;
                }
            }
        }
        Cat => {
            let f = w.file(rng).to_string();
            cmd.push_str(rng.s(&["cat ", "head -100 ", "tail -n 200 "]));
            cmd.push_str(&f);
            if fail {
                let _ = write!(out, "cat: {f}: No such file or directory");
                exit = 1;
            } else {
                text::push_file_content(rng, w, &mut out, &f, size, None);
            }
        }
        Curl => {
            let _ = write!(cmd, "curl -s http://localhost:{}/api/health", w.port);
            if fail {
                let _ = write!(out, "curl: (7) Failed to connect to localhost port {} after 0 ms: Connection refused", w.port);
                exit = 7;
            } else {
                let _ = write!(
                    out,
                    "{{\"status\":\"ok\",\"version\":\"1.{}.{}\",\"uptime\":{},\"db\":\"connected\"}}",
                    rng.range(0, 9),
                    rng.range(0, 20),
                    rng.range(10, 99999)
                );
            }
        }
        System => match rng.below(4) {
            0 => {
                cmd.push_str("df -h");
                out.push_str("Filesystem      Size  Used Avail Use% Mounted on\noverlay         252G   41G  199G  18% /\ntmpfs            64M     0   64M   0% /dev\n/dev/vda1       252G   41G  199G  18% /etc/hosts\nshm              64M     0   64M   0% /dev/shm");
            }
            1 => {
                let _ = write!(cmd, "systemctl status {} --no-pager", w.service);
                if fail {
                    let _ = write!(out, "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down");
                    exit = 1;
                } else {
                    let _ = write!(out, "● {svc}.service - {svc} server\n     Loaded: loaded (/lib/systemd/system/{svc}.service; enabled)\n     Active: active (running) since Thu 2026-03-26 09:12:44 UTC; 1 day 3h ago\n   Main PID: {} ({svc})\n      Tasks: 5 (limit: 4915)\n     Memory: 12.4M", rng.range(100, 40000), svc = w.service);
                }
            }
            2 => {
                cmd.push_str("docker ps --format 'table {{.Names}}\\t{{.Status}}\\t{{.Ports}}'");
                out.push_str("NAMES          STATUS          PORTS");
                for n in ["web", "db", "redis", "worker"] {
                    let _ = write!(
                        out,
                        "\n{}-{}-1   Up {} minutes   0.0.0.0:{}->{}/tcp",
                        w.project,
                        n,
                        rng.range(1, 59),
                        w.port,
                        w.port
                    );
                }
            }
            _ => {
                let _ = write!(cmd, "ps aux | grep {} | head -5", w.service);
                for _ in 0..rng.range(1, 4) {
                    let _ = writeln!(
                        out,
                        "root     {:>6}  0.{}  1.{} 123456 45678 ?        Ss   09:12   0:0{} /usr/sbin/{}",
                        rng.range(100, 40000),
                        rng.range(0, 9),
                        rng.range(0, 9),
                        rng.range(0, 9),
                        w.service
                    );
                }
                out.pop();
            }
        },
        Quiet => {
            w.fill_pick(
                rng,
                &mut cmd,
                &[
                    "mkdir -p {dir}/logs && cp {file} {file}.bak",
                    "chmod +x deploy.sh",
                    "git add -A && git commit -qm 'wip: {ident} changes'",
                    "mv {file} {file}.old",
                    "touch {dir}/.env",
                ],
            );
            if fail {
                out.push_str("mkdir: cannot create directory '/mnt/backup': Permission denied");
                exit = 1;
            }
        }
        Version => {
            cmd.push_str(rng.s(&[
                "python3 --version",
                "node --version && npm --version",
                "rustc --version",
                "go version",
                "uname -a",
            ]));
            if fail {
                let bin = cmd.split_whitespace().next().unwrap_or("x").to_string();
                let _ = write!(out, "bash: line 1: {bin}: command not found");
                exit = 127;
            } else {
                out.push_str(rng.s(&[
                    "Python 3.11.6",
                    "v20.11.1\n10.2.4",
                    "rustc 1.95.0 (f2d3ce0bd 2026-03-21)",
                    "go version go1.22.1 linux/amd64",
                    "Linux sandbox 6.8.0-45-generic #45-Ubuntu SMP x86_64 GNU/Linux",
                ]));
            }
        }
        Background => {
            cmd.push_str(rng.s(&[
                "npm run dev",
                "python3 -m http.server 8000",
                "uvicorn app:app --reload",
                "cargo watch -x run",
            ]));
            let mut sid = String::from("proc_");
            rng.hex(&mut sid, 12);
            st.bg_session = Some(sid.clone());
            let _ = write!(
                out,
                "Background process started (session_id: {sid}, pid: {})",
                rng.range(1000, 60000)
            );
        }
    }
    if w.weird && rng.chance(0.5) {
        cmd.push_str(rng.s(&[
            " | awk -F'\\t' '{print $2}'",
            " && printf 'done\\t✓\\n'",
            " 2>&1 | sed 's/\\x1b\\[[0-9;]*m//g'",
            " # naïve \"quoted\" path: ./données/报告.md",
        ]));
        out.push_str(rng.s(&[
            "\n\u{1b}[32m✓ ok\u{1b}[0m\tdone",
            "\r\nprogress: 100%\r",
            "\n\"quoted\" \\ back\\slash\tTAB",
            "\nrésumé: 完成 🎉",
        ]));
    }
    // hermes: on a timeout the exit code is 124; on an exception the call itself failed.
    let exception = fail && exit == 0 && rng.chance(0.5);
    let timeout = fail && exit == 0 && !exception;
    let mut args = Obj::new(&mut c.args);
    args.str("command", &cmd);
    if matches!(kind, Background) {
        args.bool("background", true);
    } else if timeout || rng.chance(0.15) {
        args.int("timeout", *rng.pick(&[30, 60, 120, 300, 600]));
    }
    if rng.chance(0.1) {
        args.str("workdir", &w.root);
    }
    args.end();
    let mut o = Obj::new(&mut c.content);
    if exception {
        o.str("output", "")
            .int("exit_code", -1)
            .str("error", "Command execution failed: sandbox process exited unexpectedly")
            .str("status", "error")
            .str(
                "traceback",
                "Traceback (most recent call last):\n  File \"/opt/hermes/tools/terminal_tool.py\", line 812, in terminal_tool\n    result = env.execute(command, timeout=timeout)\n  File \"/opt/hermes/tools/environments/local.py\", line 143, in execute\n    raise RuntimeError(\"sandbox process exited unexpectedly\")\nRuntimeError: sandbox process exited unexpectedly",
            );
    } else {
        if timeout {
            out.push_str("\n\n[Command timed out after 120s]");
            exit = 124;
        }
        o.str("output", &out).int("exit_code", exit).null("error");
    }
    o.end();
    // A few results come back as plain text (the docs example does that).
    if !fail && !exception && rng.chance(0.03) {
        c.content.clear();
        push_str(&mut c.content, &out);
    }
    c.intent.push_str("run `");
    c.intent.push_str(&cmd);
    c.intent.push('`');
    if exception {
        fill_obs(rng, w, c, "The terminal call errored out entirely (exit code -1). Probably a transient sandbox issue, so I'll retry in a slightly different way.");
    } else if timeout {
        fill_obs(rng, w, c, "The command timed out (exit code 124). It might be waiting for input or just slow; I'll try a faster variant.");
    } else if fail {
        let last = out.lines().last().unwrap_or("").to_string();
        c.obs = format!("The command failed with exit code {exit}: {last}");
    } else if exit == 1 {
        fill_obs(
            rng,
            w,
            c,
            "grep returned exit code 1, which just means there were no matches.",
        );
    } else {
        let t = match kind {
            Test => "All tests pass now.",
            Install => "The dependencies installed without errors.",
            Build => "The build succeeded.",
            Ls => "I can see the project layout now.",
            _ => rng.s(&[
                "The command succeeded.",
                "Good, that worked.",
                "The output looks as expected.",
                "OK, that gives me what I needed.",
            ]),
        };
        fill_obs(rng, w, c, t);
    }
}

fn push_test_output(rng: &mut Rng, w: &World, out: &mut String, size: usize, fail: bool) {
    let n_tests = rng.range(4, 60);
    match w.lang {
        Lang::Python | Lang::Shell => {
            let _ = write!(
                out,
                "============================= test session starts ==============================\nplatform linux -- Python 3.11.6, pytest-8.1.1, pluggy-1.4.0\nrootdir: {}\ncollected {} items\n",
                w.root, n_tests
            );
            let mut i = 0usize;
            while out.len() + 200 < size || i < 2 {
                let _ = write!(
                    out,
                    "\ntests/test_{}.py::test_{}_{} PASSED [{:>3}%]",
                    w.ident(rng),
                    w.ident(rng),
                    i,
                    (i * 7) % 100
                );
                i += 1;
            }
            if fail {
                let _ = write!(
                    out,
                    "\n\n=================================== FAILURES ===================================\n___________________________ test_{0}_roundtrip ___________________________\n\n    def test_{0}_roundtrip():\n>       assert load_{0}(\"x\") == expected\nE       AssertionError: assert None == {{'id': 1}}\n\ntests/test_app.py:42: AssertionError\n=========================== short test summary info ============================\nFAILED tests/test_app.py::test_{0}_roundtrip - AssertionError\n========================= 1 failed, {1} passed in 2.31s =========================",
                    w.ident(rng),
                    n_tests - 1
                );
            } else {
                let _ = write!(out, "\n\n============================== {} passed in {}.{:02}s ==============================", n_tests, rng.range(0, 30), rng.range(0, 99));
            }
        }
        Lang::Rust => {
            out.push_str("   Compiling ");
            out.push_str(w.project);
            out.push_str(" v0.1.0\n    Finished `test` profile [unoptimized + debuginfo] target(s) in 8.42s\n     Running unittests src/lib.rs\n");
            let _ = write!(out, "\nrunning {n_tests} tests");
            let mut i = 0usize;
            while out.len() + 150 < size || i < 2 {
                let _ = write!(out, "\ntest tests::{}_{} ... ok", w.ident(rng), i);
                i += 1;
            }
            if fail {
                out.push_str("\ntest tests::parses_config ... FAILED\n\nfailures:\n\n---- tests::parses_config stdout ----\nthread 'tests::parses_config' panicked at src/config.rs:88:9:\nassertion `left == right` failed\n  left: 30\n right: 60\n\ntest result: FAILED. 0 passed; 1 failed\nerror: test failed, to rerun pass `--lib`");
            } else {
                let _ = write!(out, "\n\ntest result: ok. {n_tests} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.{:02}s", rng.range(1, 99));
            }
        }
        _ => {
            out.push_str("\n> test\n> vitest run\n\n RUN  v1.4.0 ");
            out.push_str(&w.root);
            let mut i = 0usize;
            while out.len() + 150 < size || i < 2 {
                let _ = write!(
                    out,
                    "\n ✓ tests/{}.test.ts ({} tests) {}ms",
                    w.ident(rng),
                    rng.range(1, 12),
                    rng.range(2, 400)
                );
                i += 1;
            }
            if fail {
                out.push_str("\n ❯ tests/client.test.ts (3 tests | 1 failed) 18ms\n   × fetches items > retries on 503\n     → expected 3 to be 2 // Object.is equality\n\n Test Files  1 failed | 4 passed (5)\n      Tests  1 failed | 22 passed (23)");
            } else {
                let _ = write!(
                    out,
                    "\n\n Test Files  {} passed ({})\n      Tests  {} passed ({})",
                    i, i, n_tests, n_tests
                );
            }
        }
    }
}

fn push_install_output(rng: &mut Rng, w: &World, out: &mut String, size: usize) {
    let pkgs = w.lang.pkgs();
    match w.lang {
        Lang::Shell => {
            out.push_str("Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\nThe following NEW packages will be installed:\n  jq libjq1 libonig5\n");
            let mut i = 0;
            while out.len() < size.max(300) || i == 0 {
                let _ = writeln!(
                    out,
                    "Get:{} http://archive.ubuntu.com/ubuntu noble/main amd64 {} {}.{}-{} [{} kB]",
                    i + 1,
                    ["jq", "libjq1", "libonig5", "curl", "libcurl4t64"][i % 5],
                    rng.range(1, 8),
                    rng.range(0, 9),
                    rng.range(1, 4),
                    rng.range(10, 400)
                );
                i += 1;
            }
            out.push_str("Setting up libonig5:amd64 (6.9.9-1build1) ...\nSetting up jq (1.7.1-3build1) ...\nProcessing triggers for man-db (2.12.0-4build2) ...");
        }
        Lang::Python => {
            let mut i = 0;
            while out.len() < size.max(300) || i == 0 {
                let p = pkgs[rng.below(pkgs.len())];
                let kb = rng.range(12, 900);
                let _ = write!(
                    out,
                    "Collecting {p}\n  Downloading {p}-{}.{}.{}-py3-none-any.whl ({kb} kB)\n     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ {kb}.0/{kb}.0 kB {}.{} MB/s eta 0:00:00\n",
                    rng.range(0, 3),
                    rng.range(0, 30),
                    rng.range(0, 9),
                    rng.range(1, 40),
                    rng.range(0, 9)
                );
                i += 1;
            }
            out.push_str("Installing collected packages: ");
            out.push_str(&pkgs[..2].join(", "));
            let _ = write!(
                out,
                "\nSuccessfully installed {}-2.0.1 {}-1.4.2",
                pkgs[0], pkgs[1]
            );
        }
        _ => {
            let mut i = 0;
            while out.len() + 200 < size || i == 0 {
                let _ = writeln!(
                    out,
                    "npm warn deprecated {}@{}.{}.0: This package is no longer supported.",
                    pkgs[rng.below(pkgs.len())],
                    rng.range(0, 5),
                    rng.range(0, 9)
                );
                i += 1;
            }
            let _ = write!(out, "\nadded {} packages, and audited {} packages in {}s\n\n{} packages are looking for funding\n  run `npm fund` for details\n\nfound 0 vulnerabilities", rng.range(40, 900), rng.range(900, 1000), rng.range(2, 40), rng.range(5, 120));
        }
    }
}

fn push_build_output(rng: &mut Rng, w: &World, out: &mut String, size: usize, fail: bool) {
    match w.lang {
        Lang::Rust => {
            let crates = [
                "proc-macro2",
                "unicode-ident",
                "quote",
                "syn",
                "serde_derive",
                "serde",
                "libc",
                "memchr",
                "tokio",
                "bytes",
                "mio",
                "regex-syntax",
            ];
            let mut i = 0;
            while out.len() + 120 < size || i < 3 {
                let _ = writeln!(
                    out,
                    "   Compiling {} v{}.{}.{}",
                    crates[rng.below(crates.len())],
                    rng.range(0, 2),
                    rng.range(0, 200),
                    rng.range(0, 30)
                );
                i += 1;
            }
            if fail {
                out.push_str("error[E0308]: mismatched types\n  --> src/config.rs:42:24\n   |\n42 |     let timeout: u64 = value;\n   |                  ---   ^^^^^ expected `u64`, found `String`\n   |                  |\n   |                  expected due to this\n\nerror: could not compile due to 1 previous error");
            } else {
                let _ = write!(
                    out,
                    "    Finished `release` profile [optimized] target(s) in {}.{:02}s",
                    rng.range(3, 200),
                    rng.range(0, 99)
                );
            }
        }
        Lang::Go => {
            if fail {
                out.push_str("# ");
                out.push_str(w.project);
                out.push_str("/internal/handler\ninternal/handler/handler.go:27:9: undefined: store\ninternal/handler/handler.go:31:2: declared and not used: items");
            }
        }
        _ => {
            let _ = write!(out, "> {}@1.0.0 build\n> vite build\n\nvite v5.2.8 building for production...\ntransforming...\n✓ {} modules transformed.\nrendering chunks...\n", w.project, rng.range(30, 2000));
            let mut i = 0;
            while out.len() + 200 < size || i == 0 {
                let _ = writeln!(
                    out,
                    "dist/assets/{}-{:08x}.js   {:>7}.{:02} kB │ gzip: {:>6}.{:02} kB",
                    w.ident(rng),
                    rng.next_u64() as u32,
                    rng.range(1, 900),
                    rng.range(0, 99),
                    rng.range(1, 200),
                    rng.range(0, 99)
                );
                i += 1;
            }
            if fail {
                out.push_str("error during build:\nsrc/api/client.ts (14:9): \"fetchItems\" is not exported by \"src/types.ts\", imported by \"src/api/client.ts\".");
            } else {
                let _ = write!(
                    out,
                    "✓ built in {}.{:02}s",
                    rng.range(1, 30),
                    rng.range(0, 99)
                );
            }
        }
    }
}

fn push_traceback(rng: &mut Rng, w: &World, out: &mut String) {
    let f = w.code_file(rng).to_string();
    let id = w.ident(rng);
    let _ = write!(
        out,
        "Traceback (most recent call last):\n  File \"{root}/{f}\", line {}, in <module>\n    main()\n  File \"{root}/{f}\", line {}, in main\n    data = load_{id}s(path)\n  File \"{root}/{f}\", line {}, in load_{id}s\n    return [row[\"amount\"] for row in rows]\n",
        rng.range(80, 200),
        rng.range(40, 79),
        rng.range(5, 39),
        root = w.root
    );
    out.push_str(rng.s(&[
        "KeyError: 'amount'",
        "ModuleNotFoundError: No module named 'yaml'",
        "FileNotFoundError: [Errno 2] No such file or directory: 'data/input.csv'",
        "TypeError: unsupported operand type(s) for +: 'int' and 'str'",
        "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
        "PermissionError: [Errno 13] Permission denied: '/var/log/app.log'",
    ]));
}

fn push_program_output(rng: &mut Rng, w: &World, out: &mut String, size: usize) {
    let mut i = 0usize;
    let style = rng.below(3);
    while out.len() < size.max(60) || i == 0 {
        if i > 0 {
            out.push('\n');
        }
        match style {
            0 => {
                let _ = write!(
                    out,
                    "2026-03-27 18:{:02}:{:02},{:03} INFO  processed {} {}s ({} skipped)",
                    (i / 60) % 60,
                    i % 60,
                    rng.range(0, 999),
                    rng.range(1, 5000),
                    w.ident(rng),
                    rng.range(0, 20)
                );
            }
            1 => {
                let _ = write!(
                    out,
                    "{:<12} {:>8}.{:02} {:>6}",
                    if i.is_multiple_of(5) {
                        w.city.to_string()
                    } else {
                        w.ident(rng)
                    },
                    rng.range(0, 99999),
                    rng.range(0, 99),
                    rng.range(0, 999)
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "[{}/{}] {} -> ok",
                    i + 1,
                    rng.range(i + 1, i + 500),
                    w.file(rng)
                );
            }
        }
        i += 1;
    }
}

// ---------------------------------------------------------------- files

fn read_file(rng: &mut Rng, w: &World, c: &mut CallOut, fail: bool, size: usize) {
    let path = w.file(rng).to_string();
    let offset = if rng.chance(0.15) {
        rng.range(2, 400)
    } else {
        1
    };
    let mut a = Obj::new(&mut c.args);
    a.str("path", &path);
    if offset > 1 {
        a.int("offset", offset as i64)
            .int("limit", *rng.pick(&[50, 100, 200]));
    }
    a.end();
    let _ = write!(c.intent, "read {path}");
    let mut o = Obj::new(&mut c.content);
    if fail {
        let mut msg = format!("File not found: {path}");
        if rng.chance(0.5) {
            o.str("error", &msg);
            o.strs("similar_files", &[w.file(rng), w.file(rng)]);
        } else {
            msg.push_str(". Did you mean one of these? ");
            msg.push_str(w.file(rng));
            o.str("content", "")
                .int("total_lines", 0)
                .str("error", &msg);
        }
        o.end();
        c.obs = format!("The file {path} doesn't exist at that path.");
        return;
    }
    let mut body = String::with_capacity(size + 64);
    let n = text::push_file_content(rng, w, &mut body, &path, size, Some(offset));
    // More lines than shown only when paginating (offset/limit) or past the 500-line default.
    let total = offset + n - 1
        + if offset > 1 || n >= 500 {
            rng.range(1, 1500)
        } else {
            0
        };
    o.str("content", &body).int("total_lines", total as i64);
    if total > offset + n - 1 && rng.chance(0.5) {
        o.bool("truncated", true).str(
            "hint",
            &format!(
                "Use offset={} to continue reading (showing {}-{} of {} lines)",
                offset + n,
                offset,
                offset + n - 1,
                total
            ),
        );
    }
    o.end();
    c.obs = format!("I can see the contents of {path} ({total} lines).");
}

fn write_file(rng: &mut Rng, w: &World, st: &State, c: &mut CallOut, fail: bool) {
    let path = if rng.chance(0.7) {
        w.file(rng).to_string()
    } else {
        w.filled(rng, "notes/{ident}_summary.md")
    };
    let mut body = String::with_capacity(256);
    // File bodies scale like tool outputs.
    let base = rng.bucket(&[
        (65, 50, 200),
        (27, 200, 700),
        (6, 700, 2500),
        (2, 2500, 10000),
    ]);
    let target = ((base as f64 * st.scale) as usize).clamp(16, st.cap.max(16));
    body.reserve(target + 128);
    text::push_file_content(rng, w, &mut body, &path, target, None);
    let mut a = Obj::new(&mut c.args);
    a.str("path", &path).str("content", &body);
    a.end();
    let _ = write!(c.intent, "write {path}");
    let mut o = Obj::new(&mut c.content);
    if fail {
        o.str("error", &format!("Permission denied: '{}/{path}'", w.root));
        c.obs = format!("Writing {path} failed with a permission error.");
    } else {
        o.int("bytes_written", body.len() as i64)
            .bool("dirs_created", path.contains('/') && rng.chance(0.3));
        c.obs = format!("{path} was written successfully.");
    }
    o.end();
}

fn search_files(rng: &mut Rng, w: &World, c: &mut CallOut, fail: bool, size: usize) {
    let files_mode = rng.chance(0.35);
    let pattern = if files_mode {
        w.filled_pick(rng, &["*.{ext}", "*config*", "*.md", "*{ident}*"])
    } else {
        w.filled_pick(
            rng,
            &[
                "def {ident}",
                "TODO|FIXME",
                "{ident}_timeout",
                "import {pkg}",
                "localhost:{port}",
                "class .*{ident}",
            ],
        )
    };
    let mut a = Obj::new(&mut c.args);
    a.str("pattern", &pattern);
    if files_mode {
        a.str("target", "files");
    } else if rng.chance(0.4) {
        a.str("target", "content");
    }
    if rng.chance(0.4) {
        a.str("path", if rng.chance(0.5) { "." } else { &w.root });
    }
    if !files_mode && rng.chance(0.3) {
        a.str("file_glob", &format!("*.{}", w.lang.ext()));
    }
    a.end();
    let _ = write!(c.intent, "search for `{pattern}`");
    let mut o = Obj::new(&mut c.content);
    if fail {
        if rng.chance(0.5) {
            o.str("error", &format!("Path not found: {}/src/legacy", w.root));
        } else {
            o.str(
                "error",
                "Invalid regex pattern: unterminated character class at position 7",
            );
        }
        o.end();
        c.obs = "The search errored out; the path or pattern must be wrong.".to_string();
        return;
    }
    if rng.chance(0.15) {
        o.int("total_count", 0);
        o.end();
        c.obs = format!("No results for `{pattern}`.");
        return;
    }
    let mut count = 0usize;
    let mut list = String::with_capacity(size + 32);
    let mut arr = Arr::new(&mut list);
    while arr.out.len() < size.max(100) || count == 0 {
        let f = w.code_file(rng);
        if files_mode {
            push_str(arr.item(), f);
        } else {
            let line = rng.range(1, 800) as i64;
            let lines = text::lines_for(f);
            let content = lines[rng.below(lines.len())];
            let mut m = Obj::new(arr.item());
            m.str("path", f).int("line", line).str("content", content);
            m.end();
        }
        count += 1;
    }
    arr.end();
    let total = count
        + if rng.chance(0.2) {
            rng.range(1, 300)
        } else {
            0
        };
    o.int("total_count", total as i64)
        .raw(if files_mode { "files" } else { "matches" }, &list);
    if total > count {
        o.bool("truncated", true);
    }
    o.end();
    c.obs = format!("Found {total} matches.");
}

fn patch(rng: &mut Rng, w: &World, c: &mut CallOut, fail: bool) {
    let path = w.code_file(rng).to_string();
    let lines = text::lines_for(&path);
    let i = rng.below(lines.len());
    let old = lines[i].to_string();
    let id = w.ident(rng);
    let new = if old.trim().is_empty() {
        format!("    # {id}: handle empty input")
    } else {
        format!("{old}  // {id} fix")
    };
    let mut a = Obj::new(&mut c.args);
    a.str("mode", "replace")
        .str("path", &path)
        .str("old_string", &old)
        .str("new_string", &new);
    if rng.chance(0.1) {
        a.bool("replace_all", true);
    }
    a.end();
    let _ = write!(c.intent, "patch {path}");
    let mut o = Obj::new(&mut c.content);
    if fail {
        o.bool("success", false).str("error", &format!("Could not find a match for old_string in {path}. The file may have changed; read it again."));
        c.obs = format!("The patch didn't apply: old_string wasn't found in {path}.");
    } else {
        let ln = rng.range(1, 400);
        let diff = format!(
            "--- a/{path}\n+++ b/{path}\n@@ -{ln},3 +{ln},3 @@\n {}\n-{old}\n+{new}\n {}",
            lines[(i + lines.len() - 1) % lines.len()],
            lines[(i + 1) % lines.len()]
        );
        o.bool("success", true)
            .str("diff", &diff)
            .strs("files_modified", &[&path]);
        if rng.chance(0.3) {
            o.with("lint", |s| {
                s.push_str("{\"status\": \"ok\", \"output\": \"\"}")
            });
        }
        c.obs = format!("The patch applied cleanly to {path}.");
    }
    o.end();
}

// ---------------------------------------------------------------- browser

fn browser(rng: &mut Rng, w: &World, st: &mut State, c: &mut CallOut, fail: bool, size: usize) {
    let url = format!("https://{}", w.site);
    let mut a = Obj::new(&mut c.args);
    let mut o = Obj::new(&mut c.content);
    match c.tool {
        Tool::BrowserNavigate => {
            a.str("url", &url);
            let _ = write!(c.intent, "open {url}");
            if fail {
                o.bool("success", false).str(
                    "error",
                    rng.s(&[
                        "Navigation failed: net::ERR_NAME_NOT_RESOLVED",
                        "Navigation timeout of 30000 ms exceeded",
                        "net::ERR_CONNECTION_REFUSED",
                    ]),
                );
                c.obs = "The page failed to load.".into();
            } else {
                st.navigated = true;
                st.next_ref = 1;
                o.bool("success", true)
                    .str("url", &url)
                    .str("title", &title_for(w));
                c.obs = "The page loaded.".into();
            }
        }
        Tool::BrowserSnapshot => {
            let full = rng.chance(0.3);
            if full {
                a.bool("full", true);
            }
            c.intent.push_str("take a snapshot of the page");
            if fail {
                o.bool("success", false)
                    .str("error", "No browser session. Call browser_navigate first.");
                c.obs = "There was no active browser session.".into();
            } else {
                let mut snap = String::with_capacity(size + 64);
                let _ = write!(snap, "- document:\n  - banner:\n    - link \"{}\" [ref=e1]\n    - navigation:\n      - link \"Home\" [ref=e2]\n      - link \"About\" [ref=e3]\n  - main:\n    - heading \"{}\" [level=1]", w.project, title_for(w));
                let mut r = 4;
                while snap.len() < size.max(300) {
                    let id = w.ident(rng);
                    let _ = match rng.below(4) {
                        0 => write!(snap, "\n    - listitem:\n      - link \"{} {}\" [ref=e{r}]\n      - text: \"£{}.{:02}\"", id, r, rng.range(5, 90), rng.range(0, 99)),
                        1 => write!(snap, "\n    - textbox \"{}\" [ref=e{r}]", id),
                        2 => write!(snap, "\n    - button \"{}\" [ref=e{r}]", ["Submit", "Next", "Search", "Add to cart", "Log in"][rng.below(5)]),
                        _ => write!(snap, "\n    - paragraph: The {} section lists {} entries updated on 2026-03-{:02}.", id, rng.range(1, 90), rng.range(1, 28)),
                    };
                    r += 1;
                }
                st.next_ref = r;
                o.bool("success", true)
                    .str("snapshot", &snap)
                    .int("element_count", r as i64);
                c.obs = format!("The snapshot shows {r} elements.");
            }
        }
        Tool::BrowserClick | Tool::BrowserType => {
            let r = format!("@e{}", rng.range(1, st.next_ref.max(8) - 1));
            a.str("ref", &r);
            let typed = w.filled_pick(
                rng,
                &[
                    "{topic}",
                    "test.user@example.com",
                    "{city}",
                    "medium pizza, extra cheese",
                ],
            );
            if c.tool == Tool::BrowserType {
                a.str("text", &typed);
                let _ = write!(c.intent, "type into {r}");
            } else {
                let _ = write!(c.intent, "click {r}");
            }
            if fail {
                o.bool("success", false).str(
                    "error",
                    &format!(
                        "Element {r} not found. The page may have changed; take a new snapshot."
                    ),
                );
                c.obs = format!("{r} no longer exists on the page.");
            } else if c.tool == Tool::BrowserType {
                o.bool("success", true)
                    .str("typed", &typed)
                    .str("element", &r);
                c.obs = "The text was entered.".into();
            } else {
                o.bool("success", true).str("clicked", &r);
                c.obs = "The click went through.".into();
            }
        }
        Tool::BrowserScroll => {
            let d = if rng.chance(0.8) { "down" } else { "up" };
            a.str("direction", d);
            let _ = write!(c.intent, "scroll {d}");
            o.bool("success", !fail).str("direction", d);
            if fail {
                o.str("error", "No browser session. Call browser_navigate first.");
            }
            c.obs = "Scrolled.".into();
        }
        Tool::BrowserPress => {
            let k = rng.s(&["Enter", "Tab", "Escape", "ArrowDown"]);
            a.str("key", k);
            let _ = write!(c.intent, "press {k}");
            o.bool("success", !fail).str("pressed", k);
            c.obs = "Key pressed.".into();
        }
        Tool::BrowserBack => {
            c.intent.push_str("go back to the previous page");
            o.bool("success", !fail).str("url", &url);
            c.obs = "Went back.".into();
        }
        _ => {
            let q = w.filled_pick(
                rng,
                &[
                    "Is there a cookie banner or CAPTCHA blocking the page?",
                    "What does the chart on this page show?",
                    "Where is the login button?",
                ],
            );
            a.str("question", &q);
            c.intent.push_str("look at the page visually");
            if fail {
                o.bool("success", false)
                    .str("error", "Screenshot failed: page crashed");
            } else {
                let mut t = String::with_capacity(size.min(4000));
                while t.len() < size.clamp(150, 3000) {
                    w.fill_pick(rng, &mut t, &["The page shows a header with the {project} logo and a navigation bar. ", "There is a cookie consent banner at the bottom with an 'Accept' button. ", "The main content is a list of items with prices and ratings. "]);
                }
                o.bool("success", true).str("analysis", t.trim_end());
            }
            c.obs = "The screenshot analysis is back.".into();
        }
    }
    a.end();
    o.end();
}

fn title_for(w: &World) -> String {
    let host = w.site.split('/').next().unwrap_or(w.site);
    match w.site.rsplit('/').next() {
        Some(page) if page != host => {
            format!("{} | {}", page.split('?').next().unwrap_or(page), host)
        }
        _ => host.to_string(),
    }
}

// ---------------------------------------------------------------- web

fn web(rng: &mut Rng, w: &World, c: &mut CallOut, fail: bool, size: usize) {
    let mut a = Obj::new(&mut c.args);
    let mut o = Obj::new(&mut c.content);
    if c.tool == Tool::WebSearch {
        let q = w.filled_pick(
            rng,
            &[
                "{topic} 2025",
                "{pkg} latest release changelog",
                "{topic} best practices",
                "how to configure {svc} health check",
                "weather {city} today",
            ],
        );
        a.str("query", &q);
        let _ = write!(c.intent, "search the web for \"{q}\"");
        if fail {
            o.str(
                "error",
                "Search API rate limit exceeded. Try again in 60 seconds.",
            );
            c.obs = "The web search hit a rate limit.".into();
        } else {
            o.with("data", |s| {
                let mut d = Obj::new(s);
                d.with("web", |s| {
                    let mut arr = Arr::new(s);
                    for i in 0..rng.range(2, 4) {
                        let mut r = Obj::new(arr.item());
                        r.str("title", &format!("{} — guide part {}", w.topic, i + 1))
                            .str("url", &format!("https://blog.example{}.com/{}/{}", i, w.ident(rng), rng.range(100, 9999)))
                            .str("description", &w.filled(rng, "An in-depth look at {topic}, with benchmarks, trade-offs and practical advice for teams using {lang}."));
                        r.end();
                    }
                    arr.end();
                });
                d.end();
            });
            o.bool("success", true);
            c.obs = "The search returned a few relevant results.".into();
        }
    } else {
        let url = format!(
            "https://blog.example0.com/{}/{}",
            w.ident(rng),
            rng.range(100, 9999)
        );
        a.strs("urls", &[&url]);
        let _ = write!(c.intent, "extract {url}");
        let mut md = String::with_capacity(size + 64);
        let _ = write!(md, "# {}\n\n", w.topic);
        while md.len() < size.max(200) {
            w.fill_pick(rng, &mut md, &[
                "## Background\n\n{topic} has changed a lot in the past two years. ",
                "Teams report that the main cost driver is operational complexity rather than licensing. ",
                "In our benchmarks on {city} data, throughput improved by {n}% after tuning. ",
                "- Pros: mature ecosystem, good docs\n- Cons: steep learning curve\n\n",
                "| Option | Latency | Cost |\n|---|---|---|\n| A | {n} ms | low |\n| B | {n} ms | medium |\n\n",
            ]);
        }
        if fail {
            o.with("results", |s| {
                let mut arr = Arr::new(s);
                let mut r = Obj::new(arr.item());
                r.str("url", &url)
                    .str("title", "")
                    .str("content", "")
                    .str("error", "HTTP 403 Forbidden");
                r.end();
                arr.end();
            });
            c.obs = "The page blocked the extraction with a 403.".into();
        } else if rng.chance(0.1) {
            // plain markdown string result
            o.out.clear();
            push_str(o.out, &md);
            c.obs = "Got the page content.".into();
            a.end();
            return;
        } else {
            o.with("results", |s| {
                let mut arr = Arr::new(s);
                let mut r = Obj::new(arr.item());
                r.str("url", &url)
                    .str("title", w.topic)
                    .str("content", &md)
                    .null("error");
                r.end();
                arr.end();
            });
            c.obs = "Got the page content.".into();
        }
    }
    a.end();
    o.end();
}

// ---------------------------------------------------------------- code / delegate

fn code_and_delegate(rng: &mut Rng, w: &World, c: &mut CallOut, fail: bool, size: usize) {
    let mut a = Obj::new(&mut c.args);
    let mut o = Obj::new(&mut c.content);
    if c.tool == Tool::ExecuteCode {
        let code = w.filled(
            rng,
            "from hermes_tools import terminal, read_file, search_files\nimport json\n\nres = search_files(\"{ident}\", target=\"content\", path=\".\")\ncounts = {}\nfor m in res.get(\"matches\", []):\n    counts[m[\"path\"]] = counts.get(m[\"path\"], 0) + 1\nfor path, n in sorted(counts.items(), key=lambda kv: -kv[1])[:{n}]:\n    print(f\"{n:4d}  {path}\")\nprint(json.dumps({\"files\": len(counts)}))",
        );
        a.str("code", &code);
        c.intent.push_str("script this with execute_code");
        if fail {
            o.str("status", "error").str("output", "").str("error", "Traceback (most recent call last):\n  File \"<string>\", line 6, in <module>\nKeyError: 'path'");
            c.obs = "The script raised a KeyError: the match objects use a different key.".into();
        } else {
            let mut out = String::with_capacity(size + 32);
            let mut i = 0;
            while out.len() < size.max(40) || i == 0 {
                let _ = writeln!(out, "{:>4}  {}", rng.range(1, 99), w.code_file(rng));
                i += 1;
            }
            let _ = write!(out, "{{\"files\": {i}}}");
            o.str("status", "success")
                .str("output", &out)
                .int("tool_calls_made", rng.range(1, 12) as i64)
                .with("duration_seconds", |s| {
                    pyjson::push_f2(s, rng.range(10, 9000) as u64)
                });
            c.obs = "The script ran and printed the summary.".into();
        }
    } else {
        let goal = w.filled(rng, "Audit the {lang} dependencies of {project} and list outdated packages with their latest versions");
        a.str("goal", &goal).str(
            "context",
            &w.filled(
                rng,
                "Project root: {dir}. Use {test} to verify nothing breaks.",
            ),
        );
        if rng.chance(0.4) {
            a.strs("toolsets", &["terminal", "file"]);
        }
        c.intent.push_str("delegate part of the work to a subagent");
        o.with("results", |s| {
            let mut arr = Arr::new(s);
            let mut r = Obj::new(arr.item());
            r.int("task_index", 0)
                .str("status", if fail { "failed" } else { "completed" });
            if fail {
                r.str("summary", "").str(
                    "error",
                    "Subagent exceeded max_iterations (50) without finishing.",
                );
            } else {
                let mut sum = String::new();
                while sum.len() < size.clamp(200, 6000) {
                    w.fill_pick(
                        rng,
                        &mut sum,
                        &[
                            "Checked {n} packages; {pkg} is two major versions behind. ",
                            "All tests pass after the upgrade of minor versions. ",
                            "Recommend pinning {pkg} until the migration guide is followed. ",
                        ],
                    );
                }
                r.str("summary", sum.trim_end());
            }
            r.int("api_calls", rng.range(3, 50) as i64)
                .with("duration_seconds", |s| {
                    pyjson::push_f2(s, rng.range(500, 40000) as u64)
                });
            r.end();
            arr.end();
        });
        c.obs = if fail {
            "The subagent gave up without a result.".into()
        } else {
            "The subagent finished and reported back.".into()
        };
    }
    a.end();
    o.end();
}

// ---------------------------------------------------------------- agent tools

fn agent(rng: &mut Rng, w: &World, st: &mut State, c: &mut CallOut, fail: bool, size: usize) {
    let mut a = Obj::new(&mut c.args);
    let mut o = Obj::new(&mut c.content);
    match c.tool {
        Tool::SessionSearch => {
            let q = w.filled_pick(
                rng,
                &[
                    "{project} deployment config",
                    "staging OR deployment OR config",
                    "{pkg} error fix",
                    "{svc} port",
                ],
            );
            let with_query = rng.chance(0.85);
            if with_query {
                a.str("query", &q);
                let _ = write!(c.intent, "search past sessions for \"{q}\"");
            } else {
                c.intent.push_str("browse the recent sessions");
            }
            if rng.chance(0.2) {
                a.int("limit", 5);
            }
            if fail {
                o.bool("success", false)
                    .str("error", "Session database not available.");
                c.obs = "Session search isn't available here.".into();
            } else {
                o.bool("success", true);
                if with_query {
                    o.str("query", &q);
                } else {
                    o.str("mode", "recent");
                }
                o.with("results", |s| {
                    let mut arr = Arr::new(s);
                    let mut budget = 0usize;
                    while arr.len() < 1 || (budget < size.min(8000) && arr.len() < 5) {
                        let mut r = Obj::new(arr.item());
                        let mut sid = String::from("20260");
                        let _ = write!(sid, "{}{:02}_{:06}_", rng.range(1, 3), rng.range(1, 28), rng.range(0, 235959));
                        rng.hex(&mut sid, 6);
                        let mut summary = String::new();
                        while summary.len() < 150 {
                            w.fill_pick(rng, &mut summary, &["The user worked on {project} and set up {svc} on port {port}. ", "We created a deployment config for staging with {n} replicas. ", "The {pkg} error was fixed by pinning the version. "]);
                        }
                        budget += summary.len();
                        r.str("session_id", &sid).str("when", &format!("March {}, 2026 at 0{}:15 PM", rng.range(1, 28), rng.range(1, 9))).str("source", "cli").str("summary", summary.trim_end());
                        r.end();
                    }
                    arr.end();
                });
                o.int("sessions_searched", rng.range(1, 40) as i64);
                c.obs = "I found a relevant past session.".into();
            }
        }
        Tool::Memory => {
            let target = if rng.chance(0.7) { "memory" } else { "user" };
            let content = w.filled_pick(
                rng,
                &[
                    "{project}: {svc} runs on port {port}, restart via systemd",
                    "User prefers {lang} with type hints and concise answers",
                    "{project} tests: run `{test}` from {dir}",
                    "Timezone: Europe/Berlin; writes in English and French (é, ç)",
                ],
            );
            a.str("action", "add")
                .str("target", target)
                .str("content", &content);
            c.intent.push_str("save this to memory");
            if fail {
                o.bool("success", false).str("error", "Memory at 2,180/2,200 chars. Adding this entry (64 chars) would exceed the limit. Replace or remove existing entries first.");
                c.obs = "Memory is full; I need to replace an older entry.".into();
            } else {
                o.bool("success", true)
                    .str("target", target)
                    .with("entries", |s| {
                        pyjson::push_str_array(
                            s,
                            &[content.as_str(), "Project conventions: 4-space indent"],
                        )
                    })
                    .str("usage", &format!("{}/2,200 chars", rng.range(100, 2000)))
                    .int("entry_count", rng.range(2, 14) as i64)
                    .str("message", "Entry added.");
                c.obs = "Saved to memory.".into();
            }
        }
        Tool::Todo => {
            let read_only = st.todo_items > 0 && rng.chance(0.2);
            let n = rng.range(2, 5);
            let mut done = 0usize;
            let mut list = String::new();
            {
                let mut arr = Arr::new(&mut list);
                for i in 0..n {
                    let status = if i < st.todo_items.min(n) {
                        done += 1;
                        "completed"
                    } else if i == st.todo_items.min(n) {
                        "in_progress"
                    } else {
                        "pending"
                    };
                    let mut t = Obj::new(arr.item());
                    t.str("id", &(i + 1).to_string())
                        .str(
                            "content",
                            &w.filled(
                                rng,
                                [
                                    "Explore the {project} structure",
                                    "Reproduce the issue",
                                    "Fix {code}",
                                    "Add tests",
                                    "Update the docs",
                                    "Run `{test}`",
                                    "Report back to the user",
                                ][i % 7],
                            ),
                        )
                        .str("status", status);
                    t.end();
                }
                arr.end();
            }
            if !read_only {
                a.raw("todos", &list);
                if st.todo_items > 0 {
                    a.bool("merge", false);
                }
            }
            c.intent.push_str(if read_only {
                "check the todo list"
            } else {
                "update the todo list"
            });
            st.todo_items += 1;
            o.raw("todos", &list).with("summary", |s| {
                let mut m = Obj::new(s);
                m.int("total", n as i64)
                    .int("pending", (n - done).saturating_sub(1) as i64)
                    .int("in_progress", 1)
                    .int("completed", done as i64)
                    .int("cancelled", 0);
                m.end();
            });
            c.failed = false;
            c.obs = "The plan is tracked.".into();
        }
        _ => {
            let q = w.filled_pick(
                rng,
                &[
                    "Which environment should I deploy to?",
                    "Do you want the output as CSV or JSON?",
                    "Should I overwrite {file} or create a new file?",
                    "Which {project} branch are you referring to?",
                ],
            );
            let choices = ["staging", "production", "Create a new file", "JSON"];
            a.str("question", &q);
            let with_choices = rng.chance(0.6);
            if with_choices {
                a.strs("choices", &choices[..rng.range(2, 4)]);
            }
            c.intent.push_str("ask the user to clarify");
            if fail {
                o.str(
                    "error",
                    "Clarify tool is not available in this execution context.",
                );
                c.obs = "I can't ask the user here, so I'll pick a sensible default.".into();
            } else {
                o.str("question", &q);
                if with_choices {
                    o.strs("choices_offered", &choices[..2]);
                }
                o.str(
                    "user_response",
                    rng.s(&[
                        "staging",
                        "JSON please",
                        "Create a new file",
                        "the main branch",
                        "Whatever you think is best.",
                    ]),
                );
                c.obs = "The user answered.".into();
            }
        }
    }
    a.end();
    o.end();
}

// ---------------------------------------------------------------- misc

fn misc(rng: &mut Rng, w: &World, st: &mut State, c: &mut CallOut, fail: bool, size: usize) {
    let mut a = Obj::new(&mut c.args);
    let mut o = Obj::new(&mut c.content);
    match c.tool {
        Tool::SkillView => {
            let name = rng.s(&[
                "github-pr-workflow",
                "python-project-setup",
                "docker-deploy",
                "systematic-debugging",
                "web-research",
            ]);
            a.str("name", name);
            let _ = write!(c.intent, "load the {name} skill");
            if fail {
                o.bool("success", false)
                    .str("error", &format!("Skill '{name}' not found."))
                    .strs("available_skills", &["docker-deploy", "web-research"]);
                c.obs = "That skill doesn't exist.".into();
            } else {
                let mut md = format!("---\nname: {name}\ndescription: Step-by-step workflow\n---\n\n# {name}\n\n## When to use\n\n");
                let mut i = 1;
                while md.len() < size.clamp(300, 12000) {
                    let _ = write!(md, "{i}. ");
                    w.fill_pick(
                        rng,
                        &mut md,
                        &[
                            "Run `{test}` before and after changes.\n",
                            "Check the logs of {svc} for errors.\n",
                            "Commit with a descriptive message.\n",
                            "Verify the health endpoint on port {port}.\n",
                        ],
                    );
                    i += 1;
                }
                o.bool("success", true)
                    .str("name", name)
                    .str("content", &md)
                    .with("linked_files", |s| {
                        s.push_str(
                            "{\"references\": [\"references/checklist.md\"], \"scripts\": []}",
                        )
                    });
                c.obs = "The skill has the steps I need.".into();
            }
        }
        Tool::SkillsList => {
            c.intent.push_str("list the available skills");
            o.bool("success", true).with("skills", |s| {
                let mut arr = Arr::new(s);
                for (n, d, cat) in [
                    ("docker-deploy", "Build and deploy containers", "devops"),
                    (
                        "systematic-debugging",
                        "Reproduce, isolate, fix, verify",
                        "software-development",
                    ),
                    (
                        "web-research",
                        "Search, extract and cite sources",
                        "research",
                    ),
                    (
                        "python-project-setup",
                        "uv, ruff, pytest and CI",
                        "software-development",
                    ),
                ] {
                    let mut m = Obj::new(arr.item());
                    m.str("name", n).str("description", d).str("category", cat);
                    m.end();
                }
                arr.end();
            });
            o.int("count", 4);
            c.obs = "There are a few relevant skills.".into();
        }
        Tool::VisionAnalyze => {
            let img = w.filled_pick(
                rng,
                &[
                    "screenshots/error.png",
                    "docs/architecture.png",
                    "https://images.example.com/{ident}.jpg",
                ],
            );
            a.str("image_url", &img)
                .str("question", "Describe this image and any text in it.");
            let _ = write!(c.intent, "analyze {img}");
            if fail {
                o.bool("success", false)
                    .str("error", &format!("Could not load image: {img} (HTTP 404)"));
                c.obs = "The image couldn't be loaded.".into();
            } else {
                let mut t = String::new();
                while t.len() < size.clamp(200, 4000) {
                    w.fill_pick(rng, &mut t, &["The image shows a terminal window with a red error message mentioning {pkg}. ", "A diagram with three boxes labelled web, api and db connected by arrows. ", "The text reads 'Connection refused on port {port}'. "]);
                }
                o.bool("success", true).str("analysis", t.trim_end());
                c.obs = "The image analysis is clear.".into();
            }
        }
        Tool::Cronjob => {
            let list = rng.chance(0.25);
            if list {
                a.str("action", "list");
                c.intent.push_str("list the scheduled jobs");
                o.bool("success", true).int("count", 2).with("jobs", |s| s.push_str("[{\"job_id\": \"3f9a1c2e\", \"name\": \"nightly-backup\", \"schedule\": \"0 2 * * *\", \"enabled\": true}, {\"job_id\": \"b7d04e11\", \"name\": \"site-check\", \"schedule\": \"every 30m\", \"enabled\": false}]"));
                c.obs = "There are two jobs scheduled.".into();
            } else {
                let sched = rng.s(&[
                    "0 9 * * 1-5",
                    "every 30m",
                    "0 18 * * *",
                    "0 25 * * *",
                    "2026-04-02T07:00:00",
                ]);
                let name = w.filled(rng, "{ident}-check");
                a.str("action", "create").str("name", &name).str("schedule", sched).str("prompt", &w.filled(rng, "Check whether https://{site} responds with HTTP 200. If not, report the status code and time.")).str("deliver", "origin");
                let _ = write!(c.intent, "schedule the job ({sched})");
                if fail || sched == "0 25 * * *" {
                    o.bool("success", false).str(
                        "error",
                        &format!("Invalid schedule '{sched}': hour must be in 0..23"),
                    );
                    c.failed = true;
                    c.obs = "The schedule expression was invalid.".into();
                } else {
                    let mut id = String::new();
                    rng.hex(&mut id, 8);
                    o.bool("success", true)
                        .str("job_id", &id)
                        .str("name", &name)
                        .str("schedule", sched)
                        .str("next_run_at", "2026-04-02T09:00:00+00:00")
                        .str("message", &format!("Cron job '{name}' created."));
                    c.obs = "The job is scheduled.".into();
                }
            }
        }
        Tool::SendMessage => {
            let plat = w.platform.to_lowercase();
            let msg = w.filled(rng, "✅ {project}: nightly build finished. {n} tests passed, report saved to reports/latest.md");
            a.str("target", &plat).str("message", &msg);
            let _ = write!(c.intent, "send the message on {}", w.platform);
            if fail {
                o.str(
                    "error",
                    &format!("Platform '{plat}' is not configured. Available: telegram, discord"),
                );
                c.obs = format!("{} isn't configured.", w.platform);
            } else {
                o.bool("success", true)
                    .str("platform", &plat)
                    .str("chat_id", &format!("-100{}", rng.range(100000, 999999)))
                    .str("message_id", &rng.range(100, 99999).to_string());
                c.obs = "The message was delivered.".into();
            }
        }
        _ => {
            let sid = st.bg_session.clone().unwrap_or_else(|| {
                let mut s = String::from("proc_");
                rng.hex(&mut s, 12);
                s
            });
            let action = rng.s(&["poll", "poll", "log", "wait", "kill"]);
            a.str("action", action).str("session_id", &sid);
            let _ = write!(c.intent, "{action} the background process");
            if fail {
                o.str("error", &format!("No process with ID {sid}"));
                c.obs = "That background process is gone.".into();
            } else {
                let mut out = String::new();
                while out.len() < size.clamp(80, 6000) {
                    let _ = writeln!(
                        out,
                        "  ➜  Local:   http://localhost:{}/  ({} ms)",
                        w.port,
                        rng.range(100, 900)
                    );
                }
                o.str("session_id", &sid)
                    .str(
                        "status",
                        if action == "kill" {
                            "killed"
                        } else {
                            "running"
                        },
                    )
                    .int("pid", rng.range(1000, 60000) as i64)
                    .str("output_preview", &out);
                c.obs = "The server is up.".into();
            }
        }
    }
    a.end();
    o.end();
}
