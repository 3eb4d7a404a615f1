//! Who said what: `cargo run --release --example attribute -- [--json|--jsonl] FILE...`
//!
//! Default: a short table per file. `--json`: pretty JSON for each file.
//! `--jsonl`: one JSON object per line per file (the stable contract, see
//! `whosaid::json`). `--model DIR` loads another model directory. `--rules-only`: quotes
//! from the rules alone, without the model's attribution tagger (about twice as fast).
//!
//! A file that cannot be read or analysed is reported on stderr by name and the
//! others are processed; the exit status is then 1.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;

use whosaid::json::DocumentJson;
use whosaid::Pipeline;

fn main() -> ExitCode {
    let mut format = "table";
    let mut model: Option<String> = None;
    let mut rules_only = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => format = "json",
            "--jsonl" => format = "jsonl",
            "--model" => model = args.next(),
            "--rules-only" => rules_only = true,
            "-h" | "--help" => {
                eprintln!("usage: attribute [--json|--jsonl] [--model DIR] [--rules-only] FILE...");
                return ExitCode::SUCCESS;
            }
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("usage: attribute [--json|--jsonl] [--model DIR] [--rules-only] FILE...");
        return ExitCode::from(2);
    }
    let pipeline = match model {
        Some(dir) => Pipeline::load(std::path::Path::new(&dir)),
        None => Pipeline::load_bundled(),
    };
    let mut pipeline = match pipeline {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    pipeline.set_learned_attribution(!rules_only);
    let mut status = ExitCode::SUCCESS;
    // write errors (a closed pipe: `| head`) end the output quietly instead of panicking
    let mut out = std::io::stdout().lock();
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {file}: {e}");
                status = ExitCode::from(1);
                continue;
            }
        };
        // one document that fails (an internal error included, a panic caught) is
        // reported by name and the others go on; the exit status says some failed
        let analysed = catch_unwind(AssertUnwindSafe(|| {
            pipeline
                .analyze(&text)
                .map(|analysis| DocumentJson::from_analysis(&analysis, Some(file.clone())))
        }));
        let doc = match analysed {
            Ok(Ok(doc)) => doc,
            Ok(Err(e)) => {
                eprintln!("error: {file}: {e}");
                status = ExitCode::from(1);
                continue;
            }
            Err(_) => {
                eprintln!(
                    "error: {file}: internal error while writing its output (a bug in whosaid; please report the text)"
                );
                status = ExitCode::from(1);
                continue;
            }
        };
        let written = match format {
            "jsonl" => writeln!(out, "{}", serde_json::to_string(&doc).expect("serializable")),
            "json" => writeln!(out, "{}", serde_json::to_string_pretty(&doc).expect("serializable")),
            _ => write_table(&mut out, &file, &doc),
        };
        if written.is_err() {
            break;
        }
    }
    status
}

/// One line per quote: speaker — role — cue — quote.
fn write_table(out: &mut impl Write, file: &str, doc: &DocumentJson) -> std::io::Result<()> {
    writeln!(
        out,
        "== {file}: {} quotes, {} speakers, {} entities",
        doc.quotes.len(),
        doc.speakers.len(),
        doc.entities.len()
    )?;
    for q in &doc.quotes {
        let speaker = q.speaker.map(|s| &doc.speakers[s]);
        let name = speaker
            .map(|s| s.name.as_str())
            .or(q.speaker_mention.as_ref().map(|m| m.text.as_str()))
            .unwrap_or("?");
        let role = speaker.and_then(|s| s.role.as_deref()).unwrap_or("-");
        let cue = q.cue.as_ref().map(|c| c.text.as_str()).unwrap_or("-");
        writeln!(out, "{} — {} — {} — {}", name, role, cue, shorten(&q.content.text, 90))?;
    }
    Ok(())
}

/// At most `n` characters, with an ellipsis when cut.
fn shorten(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    format!("\"{out}\"")
}
