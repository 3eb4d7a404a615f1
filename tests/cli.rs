//! The `whosaid` binary as a user runs it: real files, standard input and JSON
//! Lines streams through the real model.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const SEED: &str = "seeds/xinhua-2021-07-17-li-khan.txt";

fn whosaid(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_whosaid"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.unwrap_or_default()).expect("stdin written");
    drop(input);
    child.wait_with_output().expect("the binary ends")
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The speaker name of each quote of a document.
fn speakers_of_quotes(doc: &Value) -> Vec<String> {
    doc["quotes"]
        .as_array()
        .expect("quotes")
        .iter()
        .map(|q| match q["speaker"].as_u64() {
            Some(s) => doc["speakers"][s as usize]["name"].as_str().unwrap_or("").to_string(),
            None => String::new(),
        })
        .collect()
}

/// A fresh directory of this test's own under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("whosaid-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn a_file_piped_gives_json_lines_with_the_seed_speakers() {
    let out = whosaid(&[SEED], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = lines(&out);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["file"], SEED);
    let speakers = speakers_of_quotes(&docs[0]);
    assert_eq!(
        speakers.iter().filter(|s| *s == "Li Keqiang").count(),
        12,
        "{speakers:?}"
    );
    assert_eq!(
        speakers.iter().filter(|s| *s == "Imran Khan").count(),
        4,
        "{speakers:?}"
    );
}

#[test]
fn standard_input_is_one_document_and_table_is_one_line_per_quote() {
    let text = std::fs::read(SEED).expect("seed");
    let out = whosaid(&["--format", "table", "-"], Some(&text));
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).expect("UTF-8");
    let rows: Vec<&str> = table.lines().collect();
    assert!(rows[0].starts_with("== -: 17 quotes"), "{}", rows[0]);
    assert_eq!(rows.len(), 18);
    assert!(
        rows.iter()
            .any(|r| r.starts_with("Li Keqiang — Chinese Premier — stressed — ")),
        "{table}"
    );
}

#[test]
fn json_lines_records_echo_their_id_and_fields_and_a_bad_record_fails_alone() {
    let stream = concat!(
        r#"{"id": "a1", "text": "\"We will rebuild,\" Mayor Anna Ruiz said.", "outlet": "Gazette"}"#,
        "\n",
        "not a record\n",
        "\n",
        r#"{"id": 2, "text": "No quotes here."}"#,
        "\n",
        r#"{"id": 3}"#,
        "\n",
    );
    let out = whosaid(&["--input", "jsonl"], Some(stream.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "some records failed");
    let err = stderr(&out);
    assert!(err.contains("error: -:2: not a JSON object record"), "{err}");
    assert!(err.contains("error: -:5: record has no \"text\" string"), "{err}");
    let docs = lines(&out);
    assert_eq!(docs.len(), 2, "the good records are all written");
    assert_eq!(docs[0]["id"], "a1");
    assert_eq!(docs[0]["outlet"], "Gazette");
    assert_eq!(speakers_of_quotes(&docs[0]), ["Anna Ruiz"]);
    assert_eq!(docs[0]["quotes"][0]["content"]["text"], "We will rebuild");
    assert_eq!(docs[1]["id"], 2);
    assert_eq!(docs[1]["quotes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn directories_are_read_recursively_and_bad_files_are_named() {
    let dir = scratch("dirs");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("a.txt"), "\"It is done,\" Tom Becker said.").unwrap();
    std::fs::write(dir.join("nested/b.txt"), "Maria Gonzalez said the vote would wait.").unwrap();
    std::fs::write(dir.join("notes.md"), "\"Not an article,\" he said.").unwrap();
    // "Café" with a Latin-1 é: not UTF-8 at byte 3
    std::fs::write(
        dir.join("latin1.txt"),
        b"Caf\xe9 owner Ana Lima smiled. \"Yes,\" she said.",
    )
    .unwrap();
    let dir_arg = dir.to_str().unwrap();
    let out = whosaid(&[dir_arg, "/no/such/file.txt"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("latin1.txt: not UTF-8 at byte offset 3"), "{err}");
    assert!(err.contains("/no/such/file.txt:"), "{err}");
    let docs = lines(&out);
    let files: Vec<&str> = docs.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files[0].ends_with("a.txt") && files[1].ends_with("nested/b.txt"),
        "{files:?}"
    );
    assert_eq!(speakers_of_quotes(&docs[0]), ["Tom Becker"]);
    assert_eq!(speakers_of_quotes(&docs[1]), ["Maria Gonzalez"]);

    // --lossy reads the bad file with a replacement character instead
    let latin1 = dir.join("latin1.txt");
    let out = whosaid(&["--lossy", latin1.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = &lines(&out)[0];
    assert_eq!(doc["quotes"][0]["content"]["text"], "Yes");
    // character offsets count the replacement character as one
    assert_eq!(doc["quotes"][0]["content"]["start"], 29);
    assert_eq!(speakers_of_quotes(doc), ["Ana Lima"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn json_is_one_array_and_min_confidence_filters_quotes() {
    let all = whosaid(&["--format", "json", SEED, SEED], None);
    assert!(all.status.success(), "{}", stderr(&all));
    let docs: Value = serde_json::from_slice(&all.stdout).expect("one JSON array");
    assert_eq!(docs.as_array().map(Vec::len), Some(2));
    let confident = whosaid(&["--min-confidence", "0.84", SEED], None);
    let doc = &lines(&confident)[0];
    let kept = doc["quotes"].as_array().unwrap();
    assert!(!kept.is_empty() && kept.len() < 17, "{} of 17 quotes kept", kept.len());
    assert!(kept.iter().all(|q| q["confidence"].as_f64().unwrap() >= 0.84));
}

#[test]
fn usage_errors_exit_2_and_say_what_to_type() {
    let out = whosaid(&["--format", "xml", SEED], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("possible values: table, json, jsonl, html"), "{err}");
    let out = whosaid(&["--min-confidence", "7", SEED], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--min-confidence 0.5"));
    let out = whosaid(&["--model", "/no/such/model", SEED], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/no/such/model/"),
        "the missing model file is named: {}",
        stderr(&out)
    );
}

#[test]
fn stats_prints_one_line_of_timings_on_stderr() {
    let out = whosaid(&["--stats", SEED, SEED], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 2, "the output is unchanged");
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.starts_with("stats "))
        .unwrap_or_else(|| panic!("a stats line: {err}"));
    let fields: std::collections::HashMap<&str, &str> = line["stats ".len()..]
        .split(' ')
        .map(|kv| kv.split_once('=').unwrap_or_else(|| panic!("key=value: {line}")))
        .collect();
    assert_eq!(fields["documents"], "2", "{line}");
    let seed_chars = std::fs::read_to_string(SEED).expect("seed").chars().count();
    assert_eq!(fields["chars"], (2 * seed_chars).to_string(), "{line}");
    for key in ["load_s", "analyze_s", "articles_per_s"] {
        let x: f64 = fields[key]
            .parse()
            .unwrap_or_else(|_| panic!("{key} is a number: {line}"));
        assert!(x > 0.0, "{line}");
    }
    // without --stats, nothing of the kind
    let plain = whosaid(&[SEED], None);
    assert!(!stderr(&plain).contains("stats "), "{}", stderr(&plain));
}

/// `--precision f32` runs the model as trained; the default (int8 where the CPU has VNNI)
/// attributes the seed's quotes to the same speakers.
#[test]
fn both_precisions_give_the_seed_speakers() {
    let int8 = whosaid(&["--format", "jsonl", SEED], None);
    let f32 = whosaid(&["--format", "jsonl", "--precision", "f32", SEED], None);
    assert!(int8.status.success() && f32.status.success(), "{}", stderr(&f32));
    let (a, b) = (lines(&int8), lines(&f32));
    assert_eq!(a.len(), 1);
    let speakers = speakers_of_quotes(&a[0]);
    assert_eq!(speakers.len(), 17, "{speakers:?}"); // (16 of Li and Khan, one of the embassy)
    assert!(speakers.iter().all(|s| !s.is_empty()), "{speakers:?}");
    assert_eq!(speakers, speakers_of_quotes(&b[0]));
}
