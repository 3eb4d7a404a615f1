//! NER throughput at batch 1 and 16, measured against this machine's f32 matmul peak.
//!
//! `cargo run --release --example throughput -- [../shared/data/conll2003/test.txt] [--limit N]`
//!
//! Runs the model over a fixed set of sentences (the CoNLL test sentences when the file is
//! given, else the seed articles' sentences), each sentence a separate text, and prints:
//!
//! ```text
//! peak_gflops=<p>
//! backend=<name> batch=<n> tokens_per_s=<x> sentences_per_s=<y> efficiency=<z>
//! backend=<name>+tagger ...   (the same with the attribution tagger, the pipeline's default)
//! load_s=<seconds to load the model>
//! pipeline articles_per_s=<a> model_share=<fraction of the time in the model> outside_model_share=<the rest>
//! peak_rss_mb=<m>
//! ```
//!
//! Tokens are word-pieces including [CLS] and [SEP]. Efficiency is the achieved model
//! FLOP/s — 2 × non-embedding parameters × tokens, plus attention (4 × L² × hidden per
//! layer and sequence) — divided by the f32 GEMM peak measured in the same run with the
//! same library (a 1536³ candle matmul, best of ten).

use std::time::Instant;

use candle_core::{Device, Tensor};
use whosaid::segment::segment;
use whosaid::Pipeline;

fn conll_sentences(path: &str) -> std::io::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)?;
    let mut out = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        match line.split_whitespace().next() {
            Some(w) => words.push(w),
            None => {
                if !words.is_empty() {
                    out.push(words.join(" "));
                    words.clear();
                }
            }
        }
    }
    if !words.is_empty() {
        out.push(words.join(" "));
    }
    Ok(out)
}

fn seed_texts() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("seeds/")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed"))
        .collect()
}

/// Best-of-10 GFLOP/s of an n×n×n f32 matmul (the best run is the closest to the peak).
fn peak_gflops(n: usize) -> f64 {
    let dev = Device::Cpu;
    let a = Tensor::randn(0f32, 1.0, (n, n), &dev).expect("randn");
    let b = Tensor::randn(0f32, 1.0, (n, n), &dev).expect("randn");
    let _ = a.matmul(&b).expect("matmul"); // warm-up
    let mut best = f64::MAX;
    for _ in 0..10 {
        let t = Instant::now();
        let c = a.matmul(&b).expect("matmul");
        let _ = c.dims();
        best = best.min(t.elapsed().as_secs_f64());
    }
    2.0 * (n as f64).powi(3) / best / 1e9
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let limit = args
        .iter()
        .position(|a| a == "--limit")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse::<usize>().ok());
    let file = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--limit"));
    let mut sentences: Vec<String> = match file {
        Some((_, path)) => conll_sentences(path).unwrap_or_else(|e| {
            eprintln!("error: {path}: {e}");
            std::process::exit(1)
        }),
        None => seed_texts()
            .iter()
            .flat_map(|a| {
                segment(a)
                    .sentences
                    .iter()
                    .map(|s| s.span.text(a).to_string())
                    .collect::<Vec<_>>()
            })
            .collect(),
    };
    if let Some(n) = limit {
        sentences.truncate(n);
    }

    let peak = peak_gflops(1536);
    println!("peak_gflops={peak:.1}");

    let t = Instant::now();
    let mut pipeline = Pipeline::load_bundled().unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let load_s = t.elapsed().as_secs_f64();

    let cfg = pipeline.ner().config().clone();
    let (h, inter, layers) = (
        cfg.hidden_size as f64,
        cfg.intermediate_size as f64,
        cfg.num_hidden_layers as f64,
    );
    let heads_out = (cfg.ner_labels.len() + cfg.pos_labels.len() + cfg.chunk_labels.len()) as f64;
    let non_embedding_params = layers * (4.0 * h * h + 4.0 * h + 2.0 * h * inter + inter + h + 4.0 * h) + h * heads_out;

    let segs: Vec<_> = sentences.iter().map(|s| segment(s)).collect();
    let inputs: Vec<_> = sentences
        .iter()
        .zip(&segs)
        .map(|(t, s)| (t.as_str(), s.sentences.as_slice(), s.tokens.as_slice()))
        .collect();
    // tokens and attention FLOPs per sequence (+2 for [CLS] and [SEP])
    let lens: Vec<f64> = sentences
        .iter()
        .map(|s| pipeline.ner().count_pieces(s).unwrap_or(0) as f64 + 2.0)
        .collect();
    let tokens: f64 = lens.iter().sum();
    let attention_flops: f64 = lens.iter().map(|l| layers * 4.0 * l * l * h).sum();
    let flops = 2.0 * non_embedding_params * tokens + attention_flops;

    // every backend compiled in; the default (candle) first
    #[allow(unused_mut)]
    let mut others: Vec<whosaid::Ner> = Vec::new();
    #[cfg(feature = "onnx")]
    match whosaid::Ner::load_onnx(&whosaid::ner::bundled_model_dir()) {
        Ok(ner) => others.push(ner),
        Err(e) => eprintln!("onnx backend skipped: {e}"),
    }
    #[cfg(feature = "rust-bert")]
    match whosaid::Ner::load_rust_bert(&whosaid::ner::bundled_model_dir()) {
        Ok(ner) => others.push(ner),
        Err(e) => eprintln!("rust-bert backend skipped: {e}"),
    }
    // the attribution tagger, when on, is a second encoder of the same size
    let tagger_flops = 2.0 * (non_embedding_params - h * heads_out + h * 7.0) * tokens + attention_flops;
    let run = |ner: &mut whosaid::Ner| {
        let (name, flops) = if ner.has_attribution() {
            (format!("{}+tagger", ner.backend_name()), flops + tagger_flops)
        } else {
            (ner.backend_name().to_string(), flops)
        };
        for batch in [1usize, 16] {
            ner.set_batch_size(batch);
            let _ = ner.tag_many(&inputs[..inputs.len().min(32)]); // warm-up
            let t = Instant::now();
            ner.tag_many(&inputs).unwrap_or_else(|e| {
                eprintln!("error: {e}");
                std::process::exit(1)
            });
            let secs = t.elapsed().as_secs_f64();
            println!(
                "backend={} batch={batch} tokens_per_s={:.0} sentences_per_s={:.1} efficiency={:.3}",
                name,
                tokens / secs,
                sentences.len() as f64 / secs,
                flops / secs / (peak * 1e9)
            );
        }
    };
    // NER alone (the tagger skipped), then with the attribution tagger (the default)
    let with_tagger = pipeline.uses_learned_attribution();
    pipeline.set_learned_attribution(false);
    run(pipeline.ner_mut());
    pipeline.set_learned_attribution(true);
    if with_tagger {
        run(pipeline.ner_mut());
    }
    for ner in &mut others {
        run(ner);
    }
    println!("load_s={load_s:.3}");

    // Whole pipeline on the seed articles: how much of the time is the model.
    pipeline.ner_mut().set_batch_size(16);
    let articles = seed_texts();
    let refs: Vec<&str> = articles.iter().map(String::as_str).collect();
    let rounds = 10;
    let (mut total, mut model) = (0.0, 0.0);
    for _ in 0..rounds {
        for a in &refs {
            let t = Instant::now();
            let (_, times) = pipeline.analyze_timed(a).expect("analysis");
            total += t.elapsed().as_secs_f64();
            model += times.model.as_secs_f64();
        }
    }
    println!(
        "pipeline articles_per_s={:.2} model_share={:.3} outside_model_share={:.3}",
        (rounds * refs.len()) as f64 / total,
        model / total,
        1.0 - model / total
    );
    if let Some(mb) = peak_rss_mb() {
        println!("peak_rss_mb={mb:.0}");
    }
}
