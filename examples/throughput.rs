//! NER throughput at batch 1 and 16, in f32 and int8, against this machine's peaks.
//!
//! `cargo run --release --example throughput -- [../shared/data/conll2003/test.txt] [--limit N]`
//!
//! Runs the model over a fixed set of sentences (the CoNLL test sentences when the file is
//! given, else the seed articles' sentences), each sentence a separate text, and prints:
//!
//! ```text
//! peak_gflops=<f32 peak>
//! peak_int8_gops=<int8 peak> int8_kernel=<kernel>   (or none, without VNNI)
//! backend=<name> precision=<f32|int8> batch=<n> tokens_per_s=<x> sentences_per_s=<y> efficiency=<z>
//! backend=<name>+tagger ...   (the same with the attribution tagger, the pipeline's default)
//! load_s=<seconds to load the model>
//! pipeline articles_per_s=<a> model_share=<fraction of the time in the model> outside_model_share=<the rest>
//! peak_rss_mb=<m>
//! ```
//!
//! Tokens are word-pieces including [CLS] and [SEP]. Efficiency is the achieved model
//! FLOP/s — 2 × non-embedding parameters × tokens, plus attention (4 × L² × hidden per
//! layer and sequence) — divided by the peak of its precision measured in the same run
//! with the same code the model runs (`gemm` for f32, the int8 kernel with its
//! quantization for int8) on the model's own layer shapes (2,048 positions), on all
//! threads, both as one split product and as one product per thread (the way the
//! model runs a batch), best of five after a warm-up. Attention and the heads stay f32
//! in the int8 model, so its efficiency against the int8 peak understates the kernels.

use std::time::Instant;

use whosaid::ner::quant::{Kernel, QuantRows, QuantWeights};
use whosaid::ner::Precision;
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

/// The dense shapes of one encoder layer (`din`, `dout`): Q|K|V, attention output,
/// feed-forward in and out.
fn layer_shapes(h: usize, inter: usize) -> [(usize, usize); 4] {
    [(h, 3 * h), (h, h), (h, inter), (inter, h)]
}

/// This machine's peak, in GFLOP/s (f32) or GOP/s (int8), on the shapes the model runs:
/// `rows` positions through one layer's dense products, on all threads, two ways (one
/// product split across threads, and each thread its own rows, as the model runs a
/// batch), after a warm-up; the best of `trials` of the faster way.
fn peak(
    rows: usize,
    shapes: &[(usize, usize)],
    trials: usize,
    product: &(dyn Fn(usize, usize, usize, bool) + Sync),
) -> f64 {
    let threads = rayon::current_num_threads();
    let ops: f64 = shapes.iter().map(|&(din, dout)| 2.0 * (rows * din * dout) as f64).sum();
    let mut best = f64::MAX;
    for trial in 0..=trials {
        for split in [true, false] {
            let t = Instant::now();
            for &(din, dout) in shapes {
                if split {
                    product(rows, din, dout, true);
                } else {
                    rayon::broadcast(|_| product(rows / threads, din, dout, false));
                }
            }
            if trial > 0 {
                best = best.min(t.elapsed().as_secs_f64());
            }
        }
    }
    ops / best / 1e9
}

/// f32 peak: `gemm`, the library the default backend's f32 path calls.
fn peak_f32(rows: usize, shapes: &[(usize, usize)]) -> f64 {
    let big = shapes.iter().map(|&(din, dout)| din.max(dout)).max().unwrap_or(1);
    let x = vec![0.5f32; rows * big];
    let w = vec![0.25f32; big * big];
    peak(rows, shapes, 5, &|n, din, dout, split| {
        let mut out = vec![0f32; n * dout];
        let par = if split {
            gemm::Parallelism::Rayon(rayon::current_num_threads())
        } else {
            gemm::Parallelism::None
        };
        // SAFETY: `x` holds at least n × din values, `w` din × dout, `out` n × dout.
        unsafe {
            gemm::gemm(
                n,
                dout,
                din,
                out.as_mut_ptr(),
                1,
                dout as isize,
                false,
                x.as_ptr(),
                1,
                din as isize,
                w.as_ptr(),
                1,
                dout as isize,
                0.0,
                1.0,
                false,
                false,
                false,
                par,
            )
        }
    })
}

/// int8 peak: the kernel the int8 path runs, with its activation quantization.
fn peak_int8(rows: usize, shapes: &[(usize, usize)], kernel: Kernel) -> f64 {
    let weights: Vec<QuantWeights> = shapes
        .iter()
        .map(|&(din, dout)| QuantWeights::new(&vec![0.25f32; din * dout], din, dout).expect("model shape"))
        .collect();
    let x: Vec<f32> = (0..rows * 4096).map(|i| (i % 17) as f32 - 8.0).collect();
    peak(rows, shapes, 5, &|n, din, dout, split| {
        let w = shapes
            .iter()
            .position(|&s| s == (din, dout))
            .map(|i| &weights[i])
            .expect("shape");
        let mut out = vec![0f32; n * dout];
        w.matmul_add(&QuantRows::new(&x[..n * din], din), &mut out, kernel, split);
    })
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
    // (2,048 positions: a batch of 16 windows of 128 pieces)
    let shapes = layer_shapes(cfg.hidden_size, cfg.intermediate_size);
    let peak_f32 = peak_f32(2048, &shapes);
    println!("peak_gflops={peak_f32:.1}");
    let kernel = Kernel::detect();
    let peak_int8 = kernel.map(|k| peak_int8(2048, &shapes, k));
    match (kernel, peak_int8) {
        (Some(k), Some(p)) => println!("peak_int8_gops={p:.1} int8_kernel={}", k.name()),
        _ => println!("peak_int8_gops=none (no VNNI: the model runs f32)"),
    }
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
        let precision = ner.precision();
        let peak = match precision {
            Precision::Int8 => peak_int8.unwrap_or(peak_f32),
            Precision::F32 => peak_f32,
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
                "backend={} precision={} batch={batch} tokens_per_s={:.0} sentences_per_s={:.1} efficiency={:.3}",
                name,
                precision.name(),
                tokens / secs,
                sentences.len() as f64 / secs,
                flops / secs / (peak * 1e9)
            );
        }
    };
    // NER alone (the tagger skipped), then with the attribution tagger (the default); in
    // f32, then in int8 (the default where the CPU has VNNI)
    let with_tagger = pipeline.uses_learned_attribution();
    let default_precision = pipeline.ner().precision();
    for precision in [Precision::F32, Precision::Int8] {
        if pipeline.ner_mut().set_precision(precision) != precision {
            continue;
        }
        pipeline.set_learned_attribution(false);
        run(pipeline.ner_mut());
        pipeline.set_learned_attribution(true);
        if with_tagger {
            run(pipeline.ner_mut());
        }
    }
    pipeline.ner_mut().set_precision(default_precision);
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
