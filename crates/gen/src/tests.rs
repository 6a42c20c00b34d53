use super::*;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

fn opts(seed: u64, n: usize, tricky: f64) -> GenOptions {
    GenOptions {
        seed,
        rows: n,
        tricky_ratio: tricky,
        ..Default::default()
    }
}

fn jsonl(o: &GenOptions) -> Vec<u8> {
    let mut v = Vec::new();
    write_jsonl(o, &mut v).unwrap();
    v
}

/// Top-level keys of a JSON object, in document order.
fn keys_in_order(line: &str) -> Vec<String> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Vec<String>, A::Error> {
            let mut ks = Vec::new();
            while let Some(k) = m.next_key::<String>()? {
                m.next_value::<IgnoredAny>()?;
                ks.push(k);
            }
            Ok(ks)
        }
    }
    let mut de = serde_json::Deserializer::from_str(line);
    (&mut de).deserialize_map(V).unwrap()
}

fn count(h: &str, n: &str) -> usize {
    h.matches(n).count()
}

/// hermes-agent's failure idea, roughly: error text, success false, non-zero exit, empty result.
fn block_failed(b: &str) -> bool {
    b.contains("\"success\": false")
        || b.contains("\"exit_code\": -1")
        || b.contains("\"exit_code\": 1,")
        || b.contains("\"exit_code\": 2,")
        || b.contains("\"exit_code\": 7,")
        || b.contains("\"exit_code\": 101,")
        || b.contains("\"exit_code\": 124,")
        || b.contains("\"exit_code\": 127,")
        || b.contains("\"content\": {\"error\"")
        || b.contains("\"content\": \"Error")
        || b.contains("\"content\": \"\"}")
        || b.contains("\"status\": \"error\"")
        || b.contains("does not exist")
}

#[test]
fn deterministic_byte_identical() {
    for t in [0.0, 0.3] {
        let o = opts(9, 150, t);
        let a = jsonl(&o);
        let b = jsonl(&o);
        assert_eq!(a, b);
        assert!(a.len() > 100_000);
        // random access agrees with the stream
        let r = row(&o, 17);
        let line = std::str::from_utf8(&a).unwrap().lines().nth(17).unwrap();
        assert_eq!(r.to_json_line(), line);
    }
    assert_ne!(jsonl(&opts(1, 5, 0.0)), jsonl(&opts(2, 5, 0.0)));
}

#[test]
fn lines_parse_keys_in_order_and_lengths_match() {
    let o = opts(11, 300, 0.5);
    for r in rows(&o) {
        let line = r.to_json_line();
        assert_eq!(line.len(), r.json_len(), "json_len mismatch for {}", r.id);
        assert!(!line.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            keys_in_order(&line),
            [
                "id",
                "conversations",
                "tools",
                "category",
                "subcategory",
                "task"
            ]
        );
        let conv = v["conversations"].as_array().unwrap();
        assert!(conv.len() >= 3);
        for m in conv {
            assert_eq!(keys_in_order(&m.to_string()), ["from", "value"]);
            let f = m["from"].as_str().unwrap();
            assert!(["system", "human", "gpt", "tool"].contains(&f), "{f}");
        }
        assert_eq!(conv[0]["from"], "system");
        assert_eq!(conv[1]["from"], "human");
        assert_eq!(conv[1]["value"], v["task"]);
        assert_eq!(conv.last().unwrap()["from"], "gpt");
        let id = v["id"].as_str().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert!(!line.contains("\\u0000"));
    }
}

#[test]
fn tools_column_and_system_prompt() {
    for r in rows(&opts(3, 200, 0.0)) {
        let tools: serde_json::Value = serde_json::from_str(&r.tools_json).unwrap();
        let arr = tools.as_array().unwrap();
        assert!(arr.len() >= 3);
        let mut names = Vec::new();
        for t in arr {
            assert_eq!(t["type"], "function");
            let f = &t["function"];
            names.push(f["name"].as_str().unwrap().to_string());
            assert!(f["description"].as_str().unwrap().len() > 20);
            assert!(f["parameters"]["properties"].is_object());
            assert!(f["parameters"]["required"].is_array());
        }
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let sys = &r.conversations[0].1;
        assert_eq!(
            *sys,
            format!("{}{}{}", tools::PREAMBLE, r.tools_json, tools::POSTAMBLE)
        );
        assert!(sys.ends_with("Example:\n<tool_call>\n{'name': <function-name>,'arguments': <args-dict>}\n</tool_call>"));
        // every call names a declared tool and parses
        for (from, v) in &r.conversations {
            if from != "gpt" {
                continue;
            }
            for part in v.split("<tool_call>\n").skip(1) {
                let json = part.split("\n</tool_call>").next().unwrap();
                let c: serde_json::Value =
                    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
                assert_eq!(keys_in_order(json), ["name", "arguments"]);
                assert!(names.contains(&c["name"].as_str().unwrap().to_string()));
                assert!(c["arguments"].is_object());
                assert!(tools::tests_support::python_layout(json), "{json}");
            }
        }
    }
}

#[test]
fn non_tricky_structure() {
    let mut calls = 0usize;
    let mut call_turns = 0usize;
    let mut parallel = 0usize;
    let mut turns = 0usize;
    let mut empty_think = 0usize;
    let mut gpt_turns = 0usize;
    let mut recovered = 0usize;
    let n = 1000;
    for r in rows(&opts(5, n, 0.0)) {
        let c = &r.conversations;
        turns += c.len();
        let mut k = 0usize;
        let mut seen_fail = false;
        let mut rec = false;
        for (i, (from, v)) in c.iter().enumerate() {
            match from.as_str() {
                "gpt" => {
                    gpt_turns += 1;
                    assert!(v.starts_with("<think>\n"), "{v}");
                    assert_eq!(count(v, "<think>"), 1);
                    assert_eq!(count(v, "</think>"), 1);
                    assert_eq!(v.trim_end(), v);
                    if v.starts_with("<think>\n</think>") {
                        empty_think += 1;
                    }
                    let nc = count(v, "<tool_call>");
                    assert_eq!(nc, count(v, "</tool_call>"));
                    if nc > 0 {
                        calls += nc;
                        call_turns += 1;
                        parallel += usize::from(nc > 1);
                        let (nf, nv) = &c[i + 1];
                        assert_eq!(
                            nf, "tool",
                            "calling gpt turn must be followed by a tool turn"
                        );
                        assert_eq!(count(nv, "<tool_response>"), nc);
                        assert_eq!(count(nv, "</tool_response>"), nc);
                        for b in nv.split("\n</tool_response>").filter(|b| !b.is_empty()) {
                            let b = b
                                .trim_start_matches('\n')
                                .strip_prefix("<tool_response>\n")
                                .unwrap();
                            let j: serde_json::Value =
                                serde_json::from_str(b).unwrap_or_else(|e| panic!("{e}: {b}"));
                            assert_eq!(keys_in_order(b), ["tool_call_id", "name", "content"]);
                            let id = j["tool_call_id"].as_str().unwrap();
                            assert_eq!(
                                id,
                                format!("functions.{}:{}", j["name"].as_str().unwrap(), k)
                            );
                            k += 1;
                            if block_failed(b) {
                                seen_fail = true;
                            } else if seen_fail {
                                rec = true;
                            }
                        }
                    } else {
                        assert!(
                            i + 1 == c.len() || c[i + 1].0 == "human",
                            "a gpt turn without calls ends the exchange"
                        );
                    }
                }
                "tool" => assert_eq!(c[i - 1].0, "gpt"),
                "human" => assert!(i == 1 || c[i - 1].0 == "gpt"),
                _ => assert_eq!(i, 0),
            }
            for tag in ["<tool_call>", "<think>", "<tool_response>"] {
                if from == "human" || from == "tool" {
                    assert!(
                        !v.contains(tag) || from == "tool" && tag == "<tool_response>",
                        "{tag} in {from}"
                    );
                }
            }
        }
        recovered += usize::from(rec);
    }
    let rows_f = n as f64;
    let mean_calls = calls as f64 / rows_f;
    let mean_turns = turns as f64 / rows_f;
    let par = parallel as f64 / call_turns as f64;
    let empty = empty_think as f64 / gpt_turns as f64;
    let rec = recovered as f64 / rows_f;
    eprintln!("calls/row {mean_calls:.1} turns/row {mean_turns:.1} parallel {par:.3} empty-think {empty:.3} recovered {rec:.3}");
    assert!((9.0..=17.0).contains(&mean_calls), "{mean_calls}");
    assert!((17.0..=30.0).contains(&mean_turns), "{mean_turns}");
    assert!((0.11..=0.21).contains(&par), "{par}");
    assert!((0.04..=0.13).contains(&empty), "{empty}");
    assert!((0.72..=0.92).contains(&rec), "{rec}");
}

#[test]
fn category_distribution() {
    let n = 2000;
    let mut counts = std::collections::HashMap::<String, usize>::new();
    let mut subs = std::collections::HashSet::new();
    for r in rows(&opts(77, n, 0.0)) {
        *counts.entry(r.category.clone()).or_default() += 1;
        subs.insert(r.subcategory.clone());
    }
    let total: u32 = tools::CATEGORIES.iter().map(|c| c.weight).sum();
    for c in &tools::CATEGORIES {
        let want = c.weight as f64 / total as f64;
        let got = *counts.get(c.name).unwrap_or(&0) as f64 / n as f64;
        assert!(
            (got - want).abs() < 0.03,
            "{}: got {got:.3}, want {want:.3}",
            c.name
        );
    }
    assert_eq!(counts.len(), 9);
    assert!(subs.len() >= 24, "{}", subs.len());
}

#[test]
fn tool_frequencies_terminal_dominant() {
    let mut freq = std::collections::HashMap::<String, usize>::new();
    for r in rows(&opts(21, 800, 0.0)) {
        for (from, v) in &r.conversations {
            if from == "gpt" {
                for part in v.split("<tool_call>\n{\"name\": \"").skip(1) {
                    let name = part.split('"').next().unwrap();
                    *freq.entry(name.to_string()).or_default() += 1;
                }
            }
        }
    }
    let total: usize = freq.values().sum();
    let mut v: Vec<_> = freq.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!("{v:?}");
    assert_eq!(v[0].0, "terminal");
    let share = v[0].1 as f64 / total as f64;
    assert!((0.33..=0.55).contains(&share), "{share}");
    let top: Vec<&str> = v.iter().take(5).map(|x| x.0.as_str()).collect();
    assert!(
        top.contains(&"read_file") && top.contains(&"search_files") && top.contains(&"write_file"),
        "{top:?}"
    );
    assert!(v.len() >= 24, "{}", v.len());
}

#[test]
fn tricky_rows_contain_the_tricks() {
    let o = opts(13, 400, 1.0);
    let mut seen = [0usize; 9];
    for r in rows(&o) {
        let line = r.to_json_line();
        serde_json::from_str::<serde_json::Value>(&line).unwrap();
        let gpts: Vec<&String> = r
            .conversations
            .iter()
            .filter(|m| m.0 == "gpt")
            .map(|m| &m.1)
            .collect();
        let all_gpt = gpts
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\u{1}");
        seen[0] += usize::from(all_gpt.contains("\\n</tool_call>\\n\\nResults come back"));
        seen[1] += usize::from(
            all_gpt.contains("<tool_call>{\"name\": \"x\", \"arguments\": {}}</tool_call>"),
        );
        seen[2] += usize::from(
            gpts.iter()
                .any(|g| g.starts_with("<think>") && !g.contains("</think>")),
        );
        seen[3] += usize::from(
            gpts.iter()
                .any(|g| !g.starts_with("<think>") && g.contains("</think>")),
        );
        seen[4] += usize::from(all_gpt.contains("{'name': 'terminal', 'arguments': {'command': "));
        seen[5] += usize::from(all_gpt.contains("\"arguments\": \"{"));
        seen[6] += usize::from(line.contains("does not exist"));
        seen[7] += usize::from(
            r.conversations
                .windows(2)
                .any(|w| w[0].0 == "gpt" && w[1].0 == "gpt"),
        );
        seen[8] += usize::from(line.contains("\\t") && line.contains("\\\\"));
    }
    for (i, s) in seen.iter().enumerate() {
        assert!(*s > 5, "trick {i} seen only {s} times");
    }
}

#[test]
fn target_bytes_and_rows_for_bytes() {
    let o = GenOptions {
        target_bytes: Some(500_000),
        ..opts(4, 0, 0.05)
    };
    let v = jsonl(&o);
    assert!(v.len() >= 500_000);
    let n = v.iter().filter(|&&b| b == b'\n').count();
    let last = std::str::from_utf8(&v)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .len()
        + 1;
    assert!(v.len() - last < 500_000);
    assert_eq!(rows_for_bytes(500_000, &o), n);
}

#[test]
fn sizes_have_a_long_tail() {
    let o = GenOptions {
        max_output_bytes: 2 << 20,
        ..opts(8, 1500, 0.0)
    };
    let mut sizes: Vec<usize> = Vec::new();
    for r in rows(&o) {
        for (from, v) in &r.conversations {
            if from == "tool" {
                sizes.push(v.len());
            }
        }
    }
    sizes.sort_unstable();
    let n = sizes.len();
    let median = sizes[n / 2];
    let big = sizes.iter().filter(|&&s| s > 10_000).count();
    assert!(median < 2000, "{median}");
    assert!(big * 1000 > n, "{big} of {n}");
    assert!(*sizes.last().unwrap() > 40_000);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn parquet_round_trip() {
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let o = opts(23, 120, 0.1);
    let want: Vec<GenRow> = rows(&o).collect();
    for (codec, nested_none) in [
        ("snappy", false),
        ("zstd", false),
        ("nested-none", true),
        ("lz4", false),
    ] {
        let (c, nn) = parse_compression(codec).unwrap();
        assert_eq!(nn, nested_none);
        let path = std::env::temp_dir().join(format!(
            "agent-traces-gen-{}-{codec}.parquet",
            std::process::id()
        ));
        let spec = ParquetSpec {
            compression: c,
            row_group_rows: 50,
            nested_uncompressed: nn,
        };
        assert_eq!(write_parquet_with(&o, &path, &spec).unwrap(), 120);
        // metadata: 3 row groups, codecs as asked
        let meta = SerializedFileReader::new(std::fs::File::open(&path).unwrap())
            .unwrap()
            .metadata()
            .clone();
        assert_eq!(meta.num_row_groups(), 3);
        for col in meta.row_group(0).columns() {
            let nested = col.column_path().string().starts_with("conversations");
            let want_c = if nn && nested {
                parquet::basic::Compression::UNCOMPRESSED
            } else {
                c
            };
            assert_eq!(
                std::mem::discriminant(&col.compression()),
                std::mem::discriminant(&want_c),
                "{codec} {}",
                col.column_path()
            );
        }
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap())
            .unwrap()
            .build()
            .unwrap();
        let mut got: Vec<GenRow> = Vec::new();
        for b in reader {
            let b = b.unwrap();
            let s = |i: usize| b.column(i).as_string::<i32>().clone();
            let (id, tools, cat, sub, task) = (s(0), s(2), s(3), s(4), s(5));
            let conv = b.column(1).as_list::<i32>();
            for r in 0..b.num_rows() {
                let msgs = conv.value(r);
                let st = msgs.as_struct();
                let from = st.column(0).as_string::<i32>();
                let value = st.column(1).as_string::<i32>();
                let conversations = (0..st.len())
                    .map(|k| (from.value(k).to_string(), value.value(k).to_string()))
                    .collect();
                got.push(GenRow {
                    id: id.value(r).into(),
                    conversations,
                    tools_json: tools.value(r).into(),
                    category: cat.value(r).into(),
                    subcategory: sub.value(r).into(),
                    task: task.value(r).into(),
                });
            }
        }
        std::fs::remove_file(&path).ok();
        assert_eq!(got, want, "{codec}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn parquet_row_groups_split_batches() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let o = GenOptions {
        max_output_bytes: 2048,
        ..opts(31, 700, 0.0)
    };
    let path = std::env::temp_dir().join(format!(
        "agent-traces-gen-{}-rg.parquet",
        std::process::id()
    ));
    let spec = ParquetSpec {
        compression: parquet::basic::Compression::UNCOMPRESSED,
        row_group_rows: 300,
        nested_uncompressed: false,
    };
    assert_eq!(write_parquet_with(&o, &path, &spec).unwrap(), 700);
    let meta = SerializedFileReader::new(std::fs::File::open(&path).unwrap())
        .unwrap()
        .metadata()
        .clone();
    std::fs::remove_file(&path).ok();
    let sizes: Vec<i64> = meta.row_groups().iter().map(|g| g.num_rows()).collect();
    assert_eq!(sizes, [300, 300, 100]);
    let schema = meta.file_metadata().schema_descr();
    let paths: Vec<String> = schema.columns().iter().map(|c| c.path().string()).collect();
    assert_eq!(paths.len(), 7, "{paths:?}");
    assert!(
        paths[1].starts_with("conversations.") && paths[1].ends_with(".from"),
        "{paths:?}"
    );
}
