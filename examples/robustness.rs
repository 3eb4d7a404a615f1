//! The long robustness run: generated news-like texts through the pipeline, counting
//! crashes (caught panics) and broken invariants.
//!
//! `cargo run --release --example robustness -- [--docs N] [--model-docs M] [--seed S]`
//!
//! - `--docs N` (default 1,000,000): texts from the structured generator
//!   (`tests/generator`) through the rule stages, each with a generated tag layer
//!   (`Pipeline::analyze_tagged`; the model is loaded once but not run), analysed
//!   twice to check the output is the same;
//! - every prefix of each seed article that ends at a token, with the tags the model
//!   gives the whole article;
//! - `--model-docs M` (default 10,000): generated texts through the whole default
//!   pipeline, model and attribution tagger included, in batches (`analyze_each`).
//!
//! Prints documents/s, crashes with where they happened, and violations with the
//! first few texts. Exit status 1 when any crash or violation was found.

#[path = "../tests/generator/mod.rs"]
mod generator;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use generator::{layer, prefix_layer, violation, Rng, Vocabulary};
use rayon::prelude::*;
use whosaid::json::DocumentJson;
use whosaid::{Analysis, Pipeline};

/// Where caught panics happened ("src/quotes.rs:1548:20" → count).
static PANIC_SITES: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());

#[derive(Default)]
struct Tally {
    docs: usize,
    crashes: usize,
    violations: usize,
    examples: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.docs += other.docs;
        self.crashes += other.crashes;
        self.violations += other.violations;
        self.examples.extend(other.examples);
        self.examples.truncate(5);
    }

    /// Count one analysed document (`second` is a second run of the same text, if made).
    fn record(&mut self, text: &str, first: whosaid::Result<Analysis>, second: Option<whosaid::Result<Analysis>>) {
        self.docs += 1;
        let problem = match first {
            Err(e) => {
                self.crashes += 1;
                Some(e.to_string())
            }
            Ok(a) => {
                let doc = DocumentJson::from_analysis(&a, None);
                let json = serde_json::to_string(&doc).unwrap_or_default();
                let differs = second.is_some_and(|b| {
                    b.map(|b| serde_json::to_string(&DocumentJson::from_analysis(&b, None)).unwrap_or_default())
                        .ok()
                        != Some(json.clone())
                });
                let broken = violation(text, &doc).or(differs.then(|| "a second run differs".to_string()));
                self.violations += usize::from(broken.is_some());
                broken
            }
        };
        if let Some(p) = problem {
            if self.examples.len() < 5 {
                self.examples.push(format!("{p}\n    text: {text:?}"));
            }
        }
    }

    fn report(&self, what: &str, seconds: f64) {
        println!(
            "{what}: {} documents in {seconds:.1} s ({:.0} documents/s), {} crashes, {} violations",
            self.docs,
            self.docs as f64 / seconds.max(1e-9),
            self.crashes,
            self.violations
        );
        for e in &self.examples {
            println!("  {e}");
        }
    }
}

fn main() -> ExitCode {
    let mut docs = 1_000_000usize;
    let mut model_docs = 10_000usize;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next().and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match (a.as_str(), value) {
            ("--docs", Some(v)) => docs = v as usize,
            ("--model-docs", Some(v)) => model_docs = v as usize,
            ("--seed", Some(v)) => seed = v,
            _ => {
                eprintln!("usage: robustness [--docs N] [--model-docs M] [--seed S]");
                return ExitCode::from(2);
            }
        }
    }
    // caught panics are counted and located here instead of printed one by one
    std::panic::set_hook(Box::new(|info| {
        let site = info
            .location()
            .map_or("?".to_string(), |l| format!("{}:{}", l.file(), l.line()));
        *PANIC_SITES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(site)
            .or_default() += 1;
    }));
    let pipeline = match Pipeline::load_bundled() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let vocab = Vocabulary::load();
    let pos_labels = &pipeline.ner().config().pos_labels;
    let mut all = Tally::default();

    // 1. the rule stages over generated texts and generated tag layers
    let start = Instant::now();
    let chunk = 10_000;
    let tallies: Vec<Tally> = (0..docs.div_ceil(chunk))
        .into_par_iter()
        .map(|c| {
            let mut tally = Tally::default();
            for d in c * chunk..((c + 1) * chunk).min(docs) {
                let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(d as u64));
                let text = vocab.document(&mut rng);
                let ner = layer(&mut rng, &text, pos_labels);
                let first = pipeline.analyze_tagged(&text, ner.clone());
                let second = pipeline.analyze_tagged(&text, ner);
                tally.record(&text, first, Some(second));
            }
            tally
        })
        .collect();
    let mut rules = Tally::default();
    tallies.into_iter().for_each(|t| rules.add(t));
    rules.report("rule stages, generated texts and layers", start.elapsed().as_secs_f64());

    // 2. every prefix of the seed articles that ends at a token, with the model's tags
    let start = Instant::now();
    let mut prefixes = Tally::default();
    let mut seeds: Vec<_> = std::fs::read_dir("seeds")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    seeds.sort();
    for path in seeds {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(full) = pipeline.analyze(&text) else {
            prefixes.crashes += 1;
            continue;
        };
        let ends: Vec<usize> = full.segmentation.tokens.iter().map(|t| t.span.end).collect();
        let tallies: Vec<Tally> = ends
            .par_iter()
            .map(|&end| {
                let mut tally = Tally::default();
                let prefix = &text[..end];
                let first = pipeline.analyze_tagged(prefix, prefix_layer(&full, end));
                tally.record(prefix, first, None);
                tally
            })
            .collect();
        tallies.into_iter().for_each(|t| prefixes.add(t));
    }
    prefixes.report(
        "every token-end prefix of seeds/*.txt, model tags",
        start.elapsed().as_secs_f64(),
    );

    // 3. the whole default pipeline, model included
    let start = Instant::now();
    let mut model = Tally::default();
    let texts: Vec<String> = (0..model_docs)
        .map(|d| vocab.document(&mut Rng::new(seed.wrapping_mul(7_919).wrapping_add(d as u64) ^ 0xABCD)))
        .collect();
    for batch in texts.chunks(64) {
        let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
        for (text, result) in batch.iter().zip(pipeline.analyze_each(&refs)) {
            model.record(text, result, None);
        }
    }
    model.report(
        "whole pipeline (model + tagger), generated texts",
        start.elapsed().as_secs_f64(),
    );

    all.add(rules);
    all.add(prefixes);
    all.add(model);
    let sites = PANIC_SITES.lock().unwrap_or_else(|e| e.into_inner());
    for (site, n) in sites.iter() {
        println!("  panic site {site}: {n}");
    }
    println!(
        "total: {} documents, {} crashes, {} violations",
        all.docs, all.crashes, all.violations
    );
    if all.crashes + all.violations > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
