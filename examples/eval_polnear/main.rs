//! Quote attribution scores on PolNeAR (BRAT standoff):
//!
//! `cargo run --release --example eval_polnear -- ../shared/data/polnear/dev [--limit N] [--misses FILE] [--model DIR] [--min-confidence 0.2] [--rules-only] [--learned FILE [--policy P]] [--layer-cache DIR]`
//!
//! By default quotes come from the rules checked and completed by the model's attribution
//! tagger (when `models/` has `attribution.safetensors`); `--rules-only` scores the rules alone.
//!
//! Quotes whose confidence is under `--min-confidence` (default 0.2) are not counted: that
//! leaves out direct quotes with neither a cue nor a previous quote to float after (0.15).
//!
//! `DIR/text/<stem>.txt` are the articles and `DIR/attributions/<stem>_<ANNOTATOR>.ann` their
//! annotations. Some articles were annotated by several annotators; we use only the first
//! annotator file in sorted order for each article. All BRAT offsets are character (Unicode
//! scalar) offsets, as are the offsets of whosaid's JSON output.
//!
//! Gold: only *speech* attributions count, i.e. those whose cue text (lowercased) contains a
//! reporting-verb form of `speech_forms.txt` (in this folder) as whole words, or "according to". Attributions
//! of belief, polls, findings, colon or dash cues, etc. are left out.
//!
//! Matching: a predicted content matches a gold content when their overlap in characters is
//! at least 30% of the gold content's length AND at least 30% of the predicted content's
//! length; pairs are matched one to one, greedily by decreasing overlap. "Exact" matching
//! compares spans after trimming whitespace, quotation marks, commas and full stops from both
//! ends (for a discontinuous gold content, its trimmed hull).
//!
//! Predictions are scored as attributions: quotes that share a cue (`"A," she said, "B."`)
//! and cueless quotes that float after a quote of the same speaker form one predicted
//! attribution with several pieces, as PolNeAR annotates them.
//!
//! `--learned FILE --policy P` scores combinations of the rules' quotes with a learned tagger's
//! spans dumped to FILE (`combine.rs`).
//!
//! `--layer-cache DIR` keeps the model's layers, so a second run after a change to the rule
//! stages takes seconds (`../common/layer_cache.rs`).
//!
//! Lines are printed as `key  value...`, one figure per key, so they can be grepped.
//!
//! Modules: `brat` reads the gold annotations, `score` matches and counts, `combine` applies
//! `--policy`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use whosaid::json::DocumentJson;

mod brat;
mod combine;
#[allow(dead_code)] // (analyze_each is for batch users)
#[path = "../common/layer_cache.rs"]
mod layer_cache;
mod score;

use brat::parse_ann;
use combine::{apply_learned, Policy, POLICIES};
use score::{by_kind, pct, prf, score, Counts};

struct Args {
    dir: PathBuf,
    /// Quotes below this confidence are not counted (unattributed quotes sit at 0.3).
    min_confidence: f32,
    limit: Option<usize>,
    misses: Option<PathBuf>,
    model: Option<PathBuf>,
    /// Spans of a learned tagger (`training/train_attribution.py --dump`) and how to use them.
    learned: Option<(PathBuf, Policy)>,
    /// Quotes from the rules alone, without the model's attribution tagger.
    rules_only: bool,
    /// Where the model's layers are kept between runs.
    layer_cache: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut limit, mut misses, mut model) = (None, None, None, None);
    let (mut learned, mut policy) = (None, Policy::Learned);
    let mut min_confidence = 0.2;
    let mut rules_only = false;
    let mut layer_cache = None;
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--limit" => {
                let v = value("--limit")?;
                limit = Some(v.parse::<usize>().map_err(|e| format!("--limit {v}: {e}"))?);
            }
            "--misses" => misses = Some(PathBuf::from(value("--misses")?)),
            "--min-confidence" => {
                let v = value("--min-confidence")?;
                min_confidence = v.parse::<f32>().map_err(|e| format!("--min-confidence {v}: {e}"))?;
            }
            "--model" => model = Some(PathBuf::from(value("--model")?)),
            "--learned" => learned = Some(PathBuf::from(value("--learned")?)),
            "--policy" => policy = value("--policy")?.parse()?,
            "--rules-only" => rules_only = true,
            "--layer-cache" => layer_cache = Some(PathBuf::from(value("--layer-cache")?)),
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    let dir = dir.ok_or("missing DIR")?;
    Ok(Args {
        dir,
        min_confidence,
        limit,
        misses,
        model,
        learned: learned.map(|l| (l, policy)),
        rules_only,
        layer_cache,
    })
}

/// `(stem, text path, ann path, annotator)` for every article with annotations, sorted.
fn articles(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, PathBuf, String)>> {
    let mut anns: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join("attributions"))? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((stem, annotator)) = name.strip_suffix(".ann").and_then(|s| s.rsplit_once('_')) else {
            continue;
        };
        anns.entry(stem.to_string())
            .or_default()
            .push((annotator.to_string(), path.clone()));
    }
    let mut texts: Vec<PathBuf> = std::fs::read_dir(dir.join("text"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    texts.sort();
    let mut out = Vec::new();
    for text in texts {
        let Some(stem) = text.file_stem().and_then(|s| s.to_str()).map(str::to_string) else {
            continue;
        };
        match anns.get_mut(&stem) {
            Some(files) => {
                // Several annotators may have annotated this article: use the first file in
                // sorted order (by annotator id), ignore the others.
                files.sort();
                let (annotator, ann) = files[0].clone();
                out.push((stem, text, ann, annotator));
            }
            None => eprintln!("warning: no annotations for {}, skipped", text.display()),
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!(
                "usage: eval_polnear DIR [--limit N] [--misses FILE] [--model DIR] [--min-confidence X] \
                 [--rules-only] [--learned FILE [--policy P]] [--layer-cache DIR]"
            );
            eprintln!("       P: {POLICIES} (default learned)");
            return ExitCode::from(2);
        }
    };
    let pipeline = match &args.model {
        Some(dir) => whosaid::Pipeline::load(dir),
        None => whosaid::Pipeline::load_bundled(),
    };
    let mut pipeline = match pipeline {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot load the model: {e}");
            return ExitCode::FAILURE;
        }
    };
    // (spans from a file replace the model's own tagger)
    pipeline.set_learned_attribution(!args.rules_only && args.learned.is_none());
    println!(
        "attribution   {}",
        if pipeline.uses_learned_attribution() {
            "rules + learned tagger"
        } else {
            "rules only"
        }
    );
    let mut list = match articles(&args.dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot list {}: {e}", args.dir.display());
            return ExitCode::FAILURE;
        }
    };
    if let Some(n) = args.limit {
        list.truncate(n);
    }

    let learned: HashMap<String, Vec<(String, usize, usize)>> = match &args.learned {
        Some((path, _)) => match std::fs::read_to_string(path).map(|s| serde_json::from_str(&s)) {
            Ok(Ok(m)) => m,
            _ => {
                eprintln!("error: cannot read learned spans {}", path.display());
                return ExitCode::FAILURE;
            }
        },
        None => HashMap::new(),
    };
    let (mut n_articles, mut skipped, mut all_attr, mut n_gold) = (0usize, 0usize, 0usize, 0usize);
    let mut counts: BTreeMap<String, Counts> = by_kind();
    let mut gold_by_kind: BTreeMap<String, (usize, usize, usize)> = by_kind();
    let mut other_cues: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_cue: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = String::new();
    let mut seconds = 0.0;
    let started = Instant::now();
    for (stem, text_path, ann_path, annotator) in &list {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| eprintln!("warning: {}: {e}, skipped", p.display()));
        let (Ok(text), Ok(ann)) = (read(text_path), read(ann_path)) else {
            skipped += 1;
            continue;
        };
        let t0 = Instant::now();
        let analysis = match layer_cache::analyze(&pipeline, args.layer_cache.as_deref(), &text) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("warning: {stem}: {e}, skipped");
                skipped += 1;
                continue;
            }
        };
        let mut doc = DocumentJson::from_analysis(&analysis, None);
        doc.quotes.retain(|q| q.confidence >= args.min_confidence);
        seconds += t0.elapsed().as_secs_f64();
        if let Some((_, policy)) = &args.learned {
            let spans = learned.get(stem).cloned().unwrap_or_default();
            apply_learned(&mut doc, &text, &spans, *policy);
        }

        let annotations = parse_ann(&ann);
        let chars: Vec<char> = text.chars().collect();
        let scored = score(
            &format!("{stem} ({annotator})"),
            &chars,
            &annotations.speech,
            &annotations.other,
            &doc,
        );
        n_articles += 1;
        all_attr += annotations.all;
        n_gold += annotations.speech.len();
        for cue in annotations.other_cues {
            *other_cues.entry(cue).or_default() += 1;
        }
        for (k, c) in &scored.counts {
            counts.entry(k.clone()).or_default().add(c);
        }
        for (k, (n, hit, exact)) in scored.gold_by_kind {
            let entry = gold_by_kind.entry(k).or_default();
            entry.0 += n;
            entry.1 += hit;
            entry.2 += exact;
        }
        for (cue, (n, tp)) in scored.by_cue {
            let entry = by_cue.entry(cue).or_default();
            entry.0 += n;
            entry.1 += tp;
        }
        misses.push_str(&scored.misses);
        misses.push('\n');
    }

    let mut total = Counts::default();
    for c in counts.values() {
        total.add(c);
    }
    println!(
        "articles      {n_articles} (skipped {skipped}; first annotator file per article; min confidence {})",
        args.min_confidence
    );
    println!(
        "attributions  all {all_attr} speech {n_gold} other {}",
        all_attr - n_gold
    );
    println!("gold          {n_gold}");
    println!("predicted     {}", total.pred);
    println!("content@30%   {}", prf(total.tp, total.pred, n_gold));
    println!("content@exact {}", prf(total.exact_tp, total.pred, n_gold));
    println!(
        "content@exact-but-that {}",
        prf(total.exact_that_tp, total.pred, n_gold)
    );
    // Predictions that match an annotated attribution whose cue is not a speech cue
    // ("shows", "believes", a colon) are not errors of finding attributions: figures
    // with them left out of the predictions.
    println!(
        "content@30%-other-left-out {} ({} predictions match a non-speech attribution)",
        prf(total.tp, total.pred - total.fp_other, n_gold),
        total.fp_other
    );
    println!(
        "cue@30%       acc {:.1} ({}/{})",
        pct(total.cue_ok, total.tp),
        total.cue_ok,
        total.tp
    );
    println!(
        "source@30%    strict {:.1} ({}/{}) lenient {:.1} ({}/{})",
        pct(total.src_strict, total.src_n),
        total.src_strict,
        total.src_n,
        pct(total.src_lenient, total.src_n),
        total.src_lenient,
        total.src_n
    );
    for (k, c) in &counts {
        println!(
            "pred-kind {:<8} pred {} P@30% {:.1} P@exact {:.1} cue {:.1} source strict {:.1} lenient {:.1}",
            k,
            c.pred,
            pct(c.tp, c.pred),
            pct(c.exact_tp, c.pred),
            pct(c.cue_ok, c.tp),
            pct(c.src_strict, c.src_n),
            pct(c.src_lenient, c.src_n)
        );
    }
    // Gold has no kind: it is guessed from quotation marks in the gold content.
    for (k, &(n, hit, exact)) in &gold_by_kind {
        println!(
            "gold-kind {:<8} gold {n} R@30% {:.1} R@exact {:.1}",
            k,
            pct(hit, n),
            pct(exact, n)
        );
    }
    println!(
        "timing        {n_articles} articles {seconds:.2} s analyze {:.2} articles/s (wall {:.2} s)",
        if seconds > 0.0 {
            n_articles as f64 / seconds
        } else {
            0.0
        },
        started.elapsed().as_secs_f64()
    );

    if let Some(path) = &args.misses {
        let mut out = String::from("# Speech cues are matched by reporting verbs; attributions left out, by cue:\n");
        let mut cues: Vec<_> = other_cues.into_iter().collect();
        cues.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (cue, n) in cues.iter().take(40) {
            let _ = writeln!(out, "#   {n:>4} {cue:?}");
        }
        out.push_str("# Predicted cues with at least 3 unmatched predictions: predicted, matched, precision\n");
        let mut cues: Vec<_> = by_cue.into_iter().filter(|(_, (n, tp))| n - tp >= 3).collect();
        cues.sort_by(|a, b| (b.1 .0 - b.1 .1).cmp(&(a.1 .0 - a.1 .1)).then_with(|| a.0.cmp(&b.0)));
        for (cue, (n, tp)) in cues {
            let _ = writeln!(out, "#   {n:>5} {tp:>5} {:>5.1} {cue:?}", pct(tp, n));
        }
        out.push('\n');
        out.push_str(&misses);
        if let Err(e) = std::fs::write(path, out) {
            eprintln!("warning: cannot write {}: {e}", path.display());
        }
    }
    ExitCode::SUCCESS
}
