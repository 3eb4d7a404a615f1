//! Entity-level P/R/F1 (conlleval-style exact match) of the NER model on a
//! CoNLL file, IOB1 or IOB2:
//!
//! `cargo run --release --example eval_conll -- ../shared/data/conll2003/test.txt [--model DIR]`
//!
//! Each document (between `-DOCSTART-` lines) is fed to the model as text, one
//! sentence per line with words joined by spaces, exactly as an article would
//! be; predicted entities (character spans) are mapped back to the words: a word takes the
//! entity that covers its first character.

use std::collections::{BTreeMap, HashSet};
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use whosaid::segment::segment;
use whosaid::Ner;

type Chunk = (usize, usize, usize, String); // (sentence, first word, end word, type)

/// Documents of sentences of (word, tag).
type Documents = Vec<Vec<Vec<(String, String)>>>;

fn read_conll(path: &str) -> std::io::Result<Documents> {
    let text = std::fs::read_to_string(path)?;
    let (mut docs, mut doc, mut sent) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines() {
        if line.starts_with("-DOCSTART-") {
            if !sent.is_empty() {
                doc.push(std::mem::take(&mut sent));
            }
            if !doc.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
        } else if line.trim().is_empty() {
            if !sent.is_empty() {
                doc.push(std::mem::take(&mut sent));
            }
        } else {
            let cols: Vec<&str> = line.split_whitespace().collect();
            sent.push((cols[0].to_string(), cols[cols.len() - 1].to_string()));
        }
    }
    if !sent.is_empty() {
        doc.push(sent);
    }
    if !doc.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

/// Chunks of an IOB1 or IOB2 tag sequence.
fn chunks(sentence: usize, tags: &[String], out: &mut HashSet<Chunk>) {
    let mut cur: Option<(usize, String)> = None;
    for (i, t) in tags.iter().chain(std::iter::once(&"O".to_string())).enumerate() {
        let (prefix, typ) = if t == "O" { ("O", "") } else { (&t[..1], &t[2..]) };
        let continues = prefix == "I" && matches!(&cur, Some((_, c)) if c == typ);
        if !continues {
            if let Some((s, c)) = cur.take() {
                out.insert((sentence, s, i, c));
            }
            if prefix != "O" {
                cur = Some((i, typ.to_string()));
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut model = whosaid::ner::bundled_model_dir();
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--model" && i + 1 < args.len() {
            model = args[i + 1].clone().into();
            i += 2;
        } else {
            files.push(args[i].clone());
            i += 1;
        }
    }
    if files.is_empty() {
        eprintln!("usage: eval_conll FILE... [--model DIR]");
        std::process::exit(2);
    }
    let mut ner = Ner::load(Path::new(&model)).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    ner.enable_attribution(false); // entities only: the attribution tagger changes none
    for file in files {
        let docs = read_conll(&file).unwrap_or_else(|e| {
            eprintln!("error: {file}: {e}");
            std::process::exit(1)
        });
        let (mut gold, mut pred) = (HashSet::new(), HashSet::new());
        // WHOSAID_DUMP=FILE writes the predicted word tags, for comparing with other taggers
        let mut dump = std::env::var("WHOSAID_DUMP")
            .ok()
            .and_then(|p| std::fs::File::create(p).ok());
        let mut sent_id = 0;
        let mut n_words = 0;
        let t0 = Instant::now();
        for doc in &docs {
            let mut text = String::new();
            let mut word_spans = Vec::new(); // per sentence: byte spans of words
            for sent in doc {
                let mut spans = Vec::new();
                for (w, _) in sent {
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push(' ');
                    }
                    spans.push((text.len(), text.len() + w.len()));
                    text.push_str(w);
                }
                text.push('\n');
                word_spans.push(spans);
            }
            let seg = segment(&text);
            let layer = ner.tag(&text, &seg.sentences, &seg.tokens).unwrap_or_else(|e| {
                eprintln!("error: {file}: {e}");
                std::process::exit(1)
            });
            for (s, sent) in doc.iter().enumerate() {
                n_words += sent.len();
                let tags: Vec<String> = sent.iter().map(|(_, t)| t.clone()).collect();
                chunks(sent_id + s, &tags, &mut gold);
                let mut predicted = vec!["O".to_string(); sent.len()];
                for e in &layer.entities {
                    let mut first = true;
                    for (w, &(ws, _)) in word_spans[s].iter().enumerate() {
                        // a word takes the entity that covers its first character (as a
                        // word-level tagger labels a word by its first word-piece)
                        if e.span.start <= ws && ws < e.span.end {
                            predicted[w] = format!("{}-{}", if first { "B" } else { "I" }, e.label.as_str());
                            first = false;
                        }
                    }
                }
                if let Some(d) = dump.as_mut() {
                    for ((w, _), t) in sent.iter().zip(&predicted) {
                        let _ = writeln!(d, "{w} {t}");
                    }
                    let _ = writeln!(d);
                }
                chunks(sent_id + s, &predicted, &mut pred);
            }
            sent_id += doc.len();
        }
        let secs = t0.elapsed().as_secs_f64();
        println!(
            "{file}: {sent_id} sentences, {n_words} words, {} gold entities, {secs:.1}s ({:.0} words/s, backend {})",
            gold.len(),
            n_words as f64 / secs,
            ner.backend_name()
        );
        let mut rows: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        for c in &gold {
            rows.entry(c.3.clone()).or_default().1 += 1;
            if pred.contains(c) {
                rows.entry(c.3.clone()).or_default().0 += 1;
            }
        }
        for c in &pred {
            rows.entry(c.3.clone()).or_default().2 += 1;
        }
        let f = |tp: usize, g: usize, p: usize| {
            let pr = if p > 0 { tp as f64 / p as f64 } else { 0.0 };
            let rc = if g > 0 { tp as f64 / g as f64 } else { 0.0 };
            let f1 = if pr + rc > 0.0 { 2.0 * pr * rc / (pr + rc) } else { 0.0 };
            (100.0 * pr, 100.0 * rc, 100.0 * f1)
        };
        let (mut tp, mut g, mut p) = (0, 0, 0);
        for (typ, &(t, gg, pp)) in &rows {
            let (pr, rc, f1) = f(t, gg, pp);
            println!("  {typ:<5} precision {pr:6.2} recall {rc:6.2} F1 {f1:6.2}  (gold {gg}, predicted {pp})");
            tp += t;
            g += gg;
            p += pp;
        }
        let (pr, rc, f1) = f(tp, g, p);
        println!("  ALL   precision {pr:6.2} recall {rc:6.2} F1 {f1:6.2}  (gold {g}, predicted {p})");
    }
}
