//! Quotes in fiction: the Project Dialogism Novel Corpus (PDNC), quotation spans and speakers.
//!
//! `cargo run --release --example eval_pdnc -- [--pdnc DIR] [--chars N] [--novel NAME] [--rules-only] [--misses FILE] [--layer-cache DIR]`
//!
//! - `--pdnc DIR` (`../shared/data/pdnc`): `pdnc.jsonl` and the novels' texts (the 14 PDNC
//!   novels kept for development; the other 14 are held out).
//! - `--chars N` (60000): analyse only the first N characters of each novel, cut at the last
//!   paragraph break ("\n\n") before N; 0 analyses the whole novel.
//! - `--novel NAME`: only that novel.
//! - `--rules-only`: quotes from the rules alone (no attribution tagger).
//! - `--misses FILE`: one tab-separated line per missed gold quote (`miss`), per predicted
//!   quote that matches no gold one (`extra`) and per matched quote with a wrong speaker
//!   (`speaker`): novel, what, start, end, qtype, gold speaker, predicted speaker, text.
//!
//! - `--layer-cache DIR`: keep the model's layers, so a second run after a change to the rule
//!   stages takes seconds (`common/layer_cache.rs`).
//!
//! What is counted:
//! - gold: every PDNC sub-quotation (a quotation interrupted by its attribution gives two)
//!   whose span lies inside the analysed prefix. PDNC's spans include the quotation marks.
//! - predicted (pred): whosaid's quotes in quotation marks, those of kind `direct` and
//!   `mixed` (a mixed quote is reported speech containing a quoted part); indirect quotes are
//!   counted on a line of their own but not scored. whosaid's direct content is without the
//!   marks; the overlap is computed on the character ranges as they are.
//! - a gold and a predicted quote match when they share at least 30% of the gold span's
//!   characters and at least 30% of the predicted span's; the pairs are matched one to one,
//!   greedily, largest overlap first. recall = matched gold / gold, precision = matched
//!   predicted / predicted, F1 their harmonic mean.
//! - speaker accuracy (spk): over matched gold quotes whose speaker is a character (PDNC's
//!   placeholders `_narr`, `_group`, `_unknowable` have no names and are left out, their count
//!   shown), is the predicted speaker's `name` one of the character's PDNC aliases? Names are
//!   compared lower-cased without a leading "the"/"a"/"an": equal, or all the name's words
//!   among one alias's words ("Aziz" for "Dr. Aziz"), or all one alias's words among the
//!   name's. A quote without a speaker is wrong. Given overall, per novel and by PDNC's
//!   qtype: Explicit (a speaker named in the attribution), Anaphoric (a pronoun or
//!   description: "he said", "said his host"), Implicit (no attribution; from the turns of
//!   the dialogue), and `none` where PDNC gives no qtype.
//! - time: wall time of the analyses alone, and of the whole run (with the model's loading).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use whosaid::json::{DocumentJson, QuoteKind};
use whosaid::Pipeline;

#[allow(dead_code)] // (analyze_each is for batch users)
#[path = "common/layer_cache.rs"]
mod layer_cache;

const USAGE: &str =
    "usage: eval_pdnc [--pdnc DIR] [--chars N] [--novel NAME] [--rules-only] [--misses FILE] [--layer-cache DIR]";

/// Share of each span's characters a match must cover.
const MIN_OVERLAP: f64 = 0.3;

fn main() -> ExitCode {
    let started = Instant::now();
    let mut dir = PathBuf::from("../shared/data/pdnc");
    let mut chars = 60_000usize;
    let mut novel: Option<String> = None;
    let mut rules_only = false;
    let mut misses: Option<PathBuf> = None;
    let mut cache: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--rules-only" {
            rules_only = true;
            continue;
        }
        match (a.as_str(), args.next()) {
            ("--pdnc", Some(v)) => dir = v.into(),
            ("--novel", Some(v)) => novel = Some(v),
            ("--misses", Some(v)) => misses = Some(v.into()),
            ("--layer-cache", Some(v)) => cache = Some(v.into()),
            ("--chars", Some(v)) if v.parse::<usize>().is_ok() => chars = v.parse().expect("checked"),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let mut pipeline = match Pipeline::load_bundled() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    pipeline.set_learned_attribution(!rules_only);
    let mut report = String::new();
    let code = match eval(&pipeline, cache.as_deref(), &dir, chars, novel.as_deref(), &mut report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    };
    if let Some(path) = misses {
        if let Err(e) = std::fs::write(&path, report) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    if code == ExitCode::SUCCESS {
        println!(
            "wall time {:.1} s in all (with loading the model)",
            started.elapsed().as_secs_f64()
        );
    }
    code
}

#[derive(serde::Deserialize)]
struct Novel {
    novel: String,
    file: String,
    quotes: Vec<GoldQuote>,
}

#[derive(serde::Deserialize)]
struct GoldQuote {
    start: usize,
    end: usize,
    text: String,
    speaker: String,
    aliases: Vec<String>,
    qtype: Option<String>,
}

/// Counts for one novel or for all.
#[derive(Default, Clone)]
struct Tally {
    gold: usize,
    pred: usize,
    matched: usize,
    /// Per qtype: (right, scored).
    speaker: BTreeMap<String, (usize, usize)>,
    placeholders: usize,
    no_speaker: usize,
    /// Predicted quotes per kind (indirect ones included, though not scored).
    kinds: BTreeMap<&'static str, usize>,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.matched += o.matched;
        for (k, (r, n)) in &o.speaker {
            let e = self.speaker.entry(k.clone()).or_default();
            e.0 += r;
            e.1 += n;
        }
        self.placeholders += o.placeholders;
        self.no_speaker += o.no_speaker;
        for (k, n) in &o.kinds {
            *self.kinds.entry(k).or_default() += n;
        }
    }

    fn speaker_total(&self) -> (usize, usize) {
        self.speaker.values().fold((0, 0), |(r, n), (r2, n2)| (r + r2, n + n2))
    }

    fn line(&self, name: &str) -> String {
        let recall = ratio(self.matched, self.gold);
        let precision = ratio(self.matched, self.pred);
        let f1 = if recall + precision > 0.0 {
            2.0 * recall * precision / (recall + precision)
        } else {
            0.0
        };
        let (r, n) = self.speaker_total();
        format!(
            "{name:<28} {:>6} {:>6} {:>7.1} {:>7.1} {:>7.1} {:>7.1} {:>11}",
            self.gold,
            self.pred,
            100.0 * recall,
            100.0 * precision,
            100.0 * f1,
            100.0 * ratio(r, n),
            format!("{r}/{n}"),
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Lower case, without a leading article.
fn normal(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    ["the ", "a ", "an "]
        .iter()
        .find_map(|a| lower.strip_prefix(a))
        .unwrap_or(&lower)
        .trim()
        .to_string()
}

fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Is `name` one of the character's `aliases`?
fn names_character(name: &str, aliases: &[String]) -> bool {
    let n = normal(name);
    let nw = words(&n);
    !nw.is_empty()
        && aliases.iter().any(|alias| {
            let g = normal(alias);
            let gw = words(&g);
            g == n || (!gw.is_empty() && (nw.iter().all(|w| gw.contains(w)) || gw.iter().all(|w| nw.contains(w))))
        })
}

fn kind_name(kind: QuoteKind) -> &'static str {
    match kind {
        QuoteKind::Direct => "direct",
        QuoteKind::Indirect => "indirect",
        QuoteKind::Mixed => "mixed",
    }
}

/// The first `chars` characters of `text` (all of it for 0), cut at the last paragraph
/// break before them.
fn prefix(text: &str, chars: usize) -> &str {
    if chars == 0 {
        return text;
    }
    let Some((byte, _)) = text.char_indices().nth(chars) else {
        return text;
    };
    match text[..byte].rfind("\n\n") {
        Some(cut) => &text[..cut],
        None => &text[..byte],
    }
}

/// A text for one line of the misses file: spaces for tabs and line breaks, at most 160 characters.
fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(160) {
        Some((i, _)) => format!("{}...", &flat[..i]),
        None => flat,
    }
}

fn eval(
    pipeline: &Pipeline,
    cache: Option<&Path>,
    dir: &Path,
    chars: usize,
    only: Option<&str>,
    report: &mut String,
) -> Result<(), String> {
    let index = dir.join("pdnc.jsonl");
    let jsonl = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let mut novels = Vec::new();
    for (i, line) in jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let n: Novel = serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", index.display(), i + 1))?;
        if only.is_none_or(|o| o == n.novel) {
            novels.push(n);
        }
    }
    if novels.is_empty() {
        return Err(format!("{}: no novel {}", index.display(), only.unwrap_or("")));
    }
    println!(
        "PDNC, {} novel(s), {}, {}",
        novels.len(),
        if chars == 0 {
            "whole novels".to_string()
        } else {
            format!("first {chars} characters of each")
        },
        if pipeline.uses_learned_attribution() {
            "rules and attribution tagger"
        } else {
            "rules only"
        }
    );
    println!(
        "{:<28} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>11}",
        "novel", "gold", "pred", "recall", "prec", "F1", "spk", "right/n"
    );
    let mut total = Tally::default();
    let (mut analysed, mut analysis_time) = (0usize, 0.0f64);
    for novel in &novels {
        let path = dir.join(&novel.file);
        let full = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = prefix(&full, chars);
        let len = text.chars().count();
        analysed += len;
        let t = Instant::now();
        let analysis = layer_cache::analyze(pipeline, cache, text).map_err(|e| format!("{}: {e}", path.display()))?;
        analysis_time += t.elapsed().as_secs_f64();
        let doc = DocumentJson::from_analysis(&analysis, None);
        let mut tally = Tally::default();
        let gold: Vec<&GoldQuote> = novel
            .quotes
            .iter()
            .filter(|q| q.start < q.end && q.end <= len)
            .collect();
        for q in &doc.quotes {
            *tally.kinds.entry(kind_name(q.kind)).or_default() += 1;
        }
        let pred: Vec<_> = doc
            .quotes
            .iter()
            .filter(|q| matches!(q.kind, QuoteKind::Direct | QuoteKind::Mixed))
            .collect();
        tally.gold = gold.len();
        tally.pred = pred.len();
        // every pair that overlaps enough, largest overlap first
        let mut pairs = Vec::new();
        for (gi, g) in gold.iter().enumerate() {
            for (pi, p) in pred.iter().enumerate() {
                let (ps, pe) = (p.content.start, p.content.end);
                let overlap = g.end.min(pe).saturating_sub(g.start.max(ps));
                if overlap > 0
                    && overlap as f64 >= MIN_OVERLAP * (g.end - g.start) as f64
                    && overlap as f64 >= MIN_OVERLAP * pe.saturating_sub(ps) as f64
                {
                    pairs.push((overlap, gi, pi));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut gold_match: Vec<Option<usize>> = vec![None; gold.len()];
        let mut pred_used = vec![false; pred.len()];
        for (_, gi, pi) in pairs {
            if gold_match[gi].is_none() && !pred_used[pi] {
                gold_match[gi] = Some(pi);
                pred_used[pi] = true;
            }
        }
        tally.matched = gold_match.iter().flatten().count();
        let mut lines: Vec<(usize, String)> = Vec::new();
        for (g, m) in gold.iter().zip(&gold_match) {
            let qtype = g.qtype.clone().unwrap_or_else(|| "none".to_string());
            let Some(pi) = *m else {
                lines.push((
                    g.start,
                    format!(
                        "{}\tmiss\t{}\t{}\t{qtype}\t{}\t\t{}",
                        novel.novel,
                        g.start,
                        g.end,
                        g.speaker,
                        one_line(&g.text)
                    ),
                ));
                continue;
            };
            if g.speaker.starts_with('_') || g.aliases.is_empty() {
                tally.placeholders += 1;
                continue;
            }
            let name = pred[pi].speaker.map(|s| doc.speakers[s].name.as_str());
            let right = name.is_some_and(|n| names_character(n, &g.aliases));
            tally.no_speaker += usize::from(name.is_none());
            let e = tally.speaker.entry(qtype.clone()).or_default();
            e.0 += usize::from(right);
            e.1 += 1;
            if !right {
                lines.push((
                    g.start,
                    format!(
                        "{}\tspeaker\t{}\t{}\t{qtype}\t{}\t{}\t{}",
                        novel.novel,
                        g.start,
                        g.end,
                        g.speaker,
                        name.unwrap_or("-"),
                        one_line(&g.text)
                    ),
                ));
            }
        }
        for (p, used) in pred.iter().zip(&pred_used) {
            if !used {
                let name = p.speaker.map(|s| doc.speakers[s].name.as_str());
                lines.push((
                    p.content.start,
                    format!(
                        "{}\textra\t{}\t{}\t{}\t\t{}\t{}",
                        novel.novel,
                        p.content.start,
                        p.content.end,
                        kind_name(p.kind),
                        name.unwrap_or("-"),
                        one_line(&p.content.text)
                    ),
                ));
            }
        }
        lines.sort_by_key(|l| l.0);
        for (_, l) in lines {
            let _ = writeln!(report, "{l}");
        }
        println!("{}", tally.line(&novel.novel));
        total.add(&tally);
    }
    println!("{}", total.line("total"));
    let kinds: Vec<String> = total.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!(
        "whosaid's quotes by kind: {} (direct and mixed scored)",
        kinds.join(", ")
    );
    let (r, n) = total.speaker_total();
    println!(
        "speaker accuracy {:.1}% ({r}/{n} matched quotes; {} without a speaker; {} PDNC placeholders left out)",
        100.0 * ratio(r, n),
        total.no_speaker,
        total.placeholders
    );
    for qtype in ["Explicit", "Anaphoric", "Implicit", "none"] {
        let (r, n) = total.speaker.get(qtype).copied().unwrap_or((0, 0));
        println!("  {qtype:<10} {:>5.1}% ({r}/{n})", 100.0 * ratio(r, n));
    }
    println!(
        "{analysed} characters analysed in {analysis_time:.1} s ({:.0} characters/s)",
        analysed as f64 / analysis_time.max(1e-9)
    );
    Ok(())
}
