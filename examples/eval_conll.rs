//! Entity-level P/R/F1 (conlleval-style exact match) of the NER model on a
//! CoNLL file, IOB1 or IOB2:
//!
//! `cargo run --release --example eval_conll -- ../shared/data/conll2003/test.txt [--model DIR] [--raw] [--detok] [--misses FILE]`
//!
//! Each document (between `-DOCSTART-` lines) becomes ONE plain text: one sentence
//! per line, its words joined by single spaces (CoNLL's own words, so "U.S ." stays
//! "U.S ." and "Queenslander" one word). The text goes through the product path a
//! user gets: [`whosaid::Pipeline::analyze_each`] (attribution tagger off: it changes
//! no entity) and the JSON contract's entities ([`whosaid::json::DocumentJson`],
//! character offsets). Two figures come from those entities:
//!
//! - **gold-token** (lenient): a word takes the entity that covers its first character,
//!   as a word-level tagger labels a word by its first word-piece; words then make
//!   chunks. An entity ending inside a word, or without a word's final dot, still
//!   counts. This is the figure the model's card has always reported.
//! - **raw-text** (strict): an entity counts only when its character span starts at a
//!   word's first character, ends at a word's last character, and covers exactly the
//!   gold chunk's words with its type. An entity ending inside a word ("Queensland" in
//!   "Queenslander") or dropping a word's final dot ("U.S" for "U.S.") is a false
//!   positive and its gold chunk a miss.
//!
//! Both are printed; `--raw` prints the raw-text figure alone. `--detok` adds a second
//! pass and its raw-text figure on the words joined as a writer would ("Smith, who",
//! "Pakistan's", "(BSE)", "\"It is\""; see `space_before`), the same strict scoring.
//! `--misses FILE` writes each sentence where the raw-text entities differ from gold
//! (and `FILE.detok` for `--detok`). `WHOSAID_DUMP=FILE` writes the gold-token word tags,
//! for comparing with other taggers.

use std::collections::{BTreeMap, HashSet};
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use whosaid::json::DocumentJson;
use whosaid::Pipeline;

type Chunk = (usize, usize, usize, String); // (sentence, first word, end word, type)

/// Char spans of the words of each sentence of a document.
type WordSpans = Vec<Vec<(usize, usize)>>;

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

/// One document as text: one sentence a line, words joined by spaces (`detok`: as a
/// writer would join them, see [`space_before`]); the char span of every word, per sentence.
fn document_text(doc: &[Vec<(String, String)>], detok: bool) -> (String, WordSpans) {
    let mut text = String::new();
    let mut chars = 0;
    let mut word_spans = Vec::new();
    for sent in doc {
        let mut spans = Vec::new();
        let mut open_quote = false;
        for (i, (w, _)) in sent.iter().enumerate() {
            let space = !detok || space_before(&sent[i - i.min(1)].0, w, &mut open_quote);
            if i > 0 && space {
                text.push(' ');
                chars += 1;
            }
            let n = w.chars().count();
            spans.push((chars, chars + n));
            text.push_str(w);
            chars += n;
        }
        text.push('\n');
        chars += 1;
        word_spans.push(spans);
    }
    (text, word_spans)
}

/// `--detok`: is there a space between `prev` and `word`? None before closing
/// punctuation and clitics ("Smith, who", "Pakistan's", "(BSE)", "10%"), none after an
/// opening bracket or a dollar sign; straight quotes alternate, opening then closing.
fn space_before(prev: &str, word: &str, open_quote: &mut bool) -> bool {
    const ATTACH_LEFT: [&str; 16] = [
        ",", ".", ":", ";", "?", "!", "%", ")", "]", "...", "'s", "'S", "n't", "'re", "'ll", "'ve",
    ];
    if word == "\"" {
        *open_quote = !*open_quote;
        return *open_quote; // an opening quote has a space before it, a closing one none
    }
    if prev == "\"" && *open_quote {
        return false;
    }
    !(ATTACH_LEFT.contains(&word) || matches!(prev, "(" | "[" | "$"))
}

/// P/R/F1 rows per type and overall.
fn report(name: &str, gold: &HashSet<Chunk>, pred: &HashSet<Chunk>) {
    let mut rows: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for c in gold {
        rows.entry(c.3.clone()).or_default().1 += 1;
        if pred.contains(c) {
            rows.entry(c.3.clone()).or_default().0 += 1;
        }
    }
    for c in pred {
        rows.entry(c.3.clone()).or_default().2 += 1;
    }
    let f = |tp: usize, g: usize, p: usize| {
        let pr = if p > 0 { tp as f64 / p as f64 } else { 0.0 };
        let rc = if g > 0 { tp as f64 / g as f64 } else { 0.0 };
        let f1 = if pr + rc > 0.0 { 2.0 * pr * rc / (pr + rc) } else { 0.0 };
        (100.0 * pr, 100.0 * rc, 100.0 * f1)
    };
    println!("  {name}:");
    let (mut tp, mut g, mut p) = (0, 0, 0);
    for (typ, &(t, gg, pp)) in &rows {
        let (pr, rc, f1) = f(t, gg, pp);
        println!("    {typ:<5} precision {pr:6.2} recall {rc:6.2} F1 {f1:6.2}  (gold {gg}, predicted {pp})");
        tp += t;
        g += gg;
        p += pp;
    }
    let (pr, rc, f1) = f(tp, g, p);
    println!("    ALL   precision {pr:6.2} recall {rc:6.2} F1 {f1:6.2}  (gold {g}, predicted {p})");
}

/// What one pass over a file finds.
#[derive(Default)]
struct Pass {
    gold: HashSet<Chunk>,
    lenient: HashSet<Chunk>,
    strict: HashSet<Chunk>,
    /// Predicted entities that start (end) inside a word or between words.
    off_start: usize,
    off_end: usize,
    sentences: usize,
    words: usize,
}

/// Run every document of `docs` through the pipeline, as text joined by spaces
/// (`detok`: as a writer would), and score its entities.
fn run_pass(
    pipeline: &Pipeline,
    file: &str,
    docs: &Documents,
    detok: bool,
    mut dump: Option<&mut std::fs::File>,
    mut misses: Option<&mut std::fs::File>,
) -> Pass {
    let mut pass = Pass::default();
    for batch in docs.chunks(16) {
        let texts: Vec<(String, WordSpans)> = batch.iter().map(|d| document_text(d, detok)).collect();
        let refs: Vec<&str> = texts.iter().map(|(t, _)| t.as_str()).collect();
        let analyses = pipeline.analyze_each(&refs);
        for ((doc, (_, word_spans)), analysis) in batch.iter().zip(&texts).zip(analyses) {
            let analysis = analysis.unwrap_or_else(|e| {
                eprintln!("error: {file}: {e}");
                std::process::exit(1)
            });
            let entities = DocumentJson::from_analysis(&analysis, None).entities;
            for (s, sent) in doc.iter().enumerate() {
                let sid = pass.sentences + s;
                pass.words += sent.len();
                let spans = &word_spans[s];
                let tags: Vec<String> = sent.iter().map(|(_, t)| t.clone()).collect();
                let mut gold_here = HashSet::new();
                chunks(sid, &tags, &mut gold_here);
                let (line_start, line_end) = (spans[0].0, spans[spans.len() - 1].1);
                let here: Vec<_> = entities
                    .iter()
                    .filter(|e| e.start < line_end && e.end > line_start)
                    .collect();
                // gold-token: a word takes the entity that covers its first character
                let mut predicted = vec!["O".to_string(); sent.len()];
                for e in &here {
                    let mut first = true;
                    for (w, &(ws, _)) in spans.iter().enumerate() {
                        if e.start <= ws && ws < e.end {
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
                chunks(sid, &predicted, &mut pass.lenient);
                // raw-text: the entity's span must be exactly a run of words
                let mut strict_here = HashSet::new();
                for (k, e) in here.iter().enumerate() {
                    let first = spans.iter().position(|&(ws, _)| ws == e.start);
                    let last = spans.iter().position(|&(_, we)| we == e.end);
                    let chunk = match (first, last) {
                        (Some(a), Some(b)) if a <= b => (sid, a, b + 1, e.label.as_str().to_string()),
                        _ => {
                            pass.off_start += usize::from(first.is_none());
                            pass.off_end += usize::from(last.is_none());
                            // matches no gold chunk
                            (sid, usize::MAX - k, usize::MAX, e.label.as_str().to_string())
                        }
                    };
                    strict_here.insert(chunk);
                }
                if let Some(m) = misses.as_mut().filter(|_| strict_here != gold_here) {
                    let words: Vec<&str> = sent.iter().map(|(w, _)| w.as_str()).collect();
                    let _ = writeln!(m, "{}", words.join(" "));
                    let show = |c: &Chunk| format!("{}:{}", c.3, words[c.1..c.2].join(" "));
                    for c in gold_here.difference(&strict_here) {
                        let _ = writeln!(m, "  missed {}", show(c));
                    }
                    for e in &here {
                        let ok = gold_here
                            .iter()
                            .any(|c| spans[c.1].0 == e.start && spans[c.2 - 1].1 == e.end && c.3 == e.label.as_str());
                        if !ok {
                            let _ = writeln!(m, "  predicted {}:{:?}", e.label.as_str(), e.text);
                        }
                    }
                }
                pass.gold.extend(gold_here);
                pass.strict.extend(strict_here);
            }
            pass.sentences += doc.len();
        }
    }
    pass
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut model = whosaid::ner::bundled_model_dir();
    let mut files = Vec::new();
    let (mut raw_only, mut detok) = (false, false);
    let mut misses_path = None;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--model" && i + 1 < args.len() {
            model = args[i + 1].clone().into();
            i += 2;
        } else if args[i] == "--misses" && i + 1 < args.len() {
            misses_path = Some(args[i + 1].clone());
            i += 2;
        } else if args[i] == "--raw" {
            raw_only = true;
            i += 1;
        } else if args[i] == "--detok" {
            detok = true;
            i += 1;
        } else {
            files.push(args[i].clone());
            i += 1;
        }
    }
    if files.is_empty() {
        eprintln!("usage: eval_conll FILE... [--model DIR] [--raw] [--detok] [--misses FILE]");
        std::process::exit(2);
    }
    let mut pipeline = Pipeline::load(Path::new(&model)).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    pipeline.set_learned_attribution(false); // entities only: the attribution tagger changes none
    let create = |p: &str| {
        std::fs::File::create(p).unwrap_or_else(|e| {
            eprintln!("error: {p}: {e}");
            std::process::exit(1)
        })
    };
    let mut misses = misses_path.as_deref().map(create);
    let mut misses_detok = misses_path
        .as_deref()
        .filter(|_| detok)
        .map(|p| create(&format!("{p}.detok")));
    let mut dump = std::env::var("WHOSAID_DUMP").ok().map(|p| create(&p));
    for file in files {
        let docs = read_conll(&file).unwrap_or_else(|e| {
            eprintln!("error: {file}: {e}");
            std::process::exit(1)
        });
        let t0 = Instant::now();
        let pass = run_pass(&pipeline, &file, &docs, false, dump.as_mut(), misses.as_mut());
        let secs = t0.elapsed().as_secs_f64();
        println!(
            "{file}: {} sentences, {} words, {} gold entities, {secs:.1}s ({:.0} words/s, backend {})",
            pass.sentences,
            pass.words,
            pass.gold.len(),
            pass.words as f64 / secs,
            pipeline.ner().backend_name()
        );
        if !raw_only {
            report(
                "gold-token (word takes the entity at its first character)",
                &pass.gold,
                &pass.lenient,
            );
        }
        report(
            "raw-text (entity spans exactly on the gold words)",
            &pass.gold,
            &pass.strict,
        );
        println!(
            "    entities starting off a word boundary {}, ending off one {}",
            pass.off_start, pass.off_end
        );
        if detok {
            let pass = run_pass(&pipeline, &file, &docs, true, None, misses_detok.as_mut());
            report(
                "raw-text detokenized (\"Smith, who\", \"Pakistan's\"; spans exactly on the gold words)",
                &pass.gold,
                &pass.strict,
            );
            println!(
                "    entities starting off a word boundary {}, ending off one {}",
                pass.off_start, pass.off_end
            );
        }
    }
}
