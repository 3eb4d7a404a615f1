//! `whosaid`: who said what, over files, directories, standard input or JSON Lines
//! streams. See `whosaid --help` and the README.
//!
//! Inputs are read on one thread into a bounded queue and analysed in batches
//! (the model runs over a batch's documents together); each batch is written as
//! soon as it is analysed, so memory stays bounded whatever the input's size.

mod args;
mod html;
mod input;
mod output;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver};
use std::time::{Duration, Instant};

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use whosaid::json::DocumentJson;
use whosaid::{Pipeline, Precision};

use args::{Args, PrecisionArg};
use input::{Document, InputError, Reader};
use output::{Analysed, Sink};

/// A batch holds at most this many characters (besides `--batch` documents).
const BATCH_CHARS: usize = 2_000_000;

fn main() -> ExitCode {
    let mut args = Args::parse();
    if args.inputs.is_empty() {
        if io::stdin().is_terminal() {
            eprintln!(
                "whosaid: no input. Try `whosaid FILE`, `whosaid DIR` or `cat FILE | whosaid -` (see `whosaid --help`)"
            );
            return ExitCode::from(2);
        }
        args.inputs.push("-".to_string());
    }
    if let Some(threads) = args.threads {
        // the model's matrix products and the rule stages both run on rayon's pool
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(threads as usize)
            .build_global()
        {
            eprintln!("whosaid: cannot start {threads} threads: {e}");
            return ExitCode::from(1);
        }
    }
    let model = args
        .model
        .clone()
        .or_else(|| std::env::var_os("WHOSAID_MODEL").map(Into::into));
    let loading = Instant::now();
    let pipeline = match &model {
        Some(dir) => Pipeline::load(dir),
        None => Pipeline::load_bundled(),
    };
    let mut pipeline = match pipeline {
        Ok(p) => p,
        Err(e) => {
            eprintln!("whosaid: {e}");
            return ExitCode::from(1);
        }
    };
    pipeline.set_learned_attribution(!args.rules_only);
    let precision = args.precision.map(|p| match p {
        PrecisionArg::F32 => Precision::F32,
        PrecisionArg::Int8 => Precision::Int8,
    });
    if let Some(p) = precision {
        if pipeline.set_precision(p) != p {
            eprintln!("whosaid: this CPU has no VNNI for int8; running f32");
        }
    }
    let loaded = loading.elapsed();

    let format = args.output_format(io::stdout().is_terminal());
    let mut report = Report::new(&args);
    let stdout = io::stdout().lock();
    let mut sink = Sink::new(format, io::BufWriter::new(stdout));

    // the reader runs ahead of the analysis by at most two batches
    let (send, receive) = sync_channel(2 * args.batch as usize);
    let reader = Reader {
        format: args.input,
        lossy: args.lossy,
    };
    let inputs = args.inputs.clone();
    std::thread::spawn(move || reader.read_all(&inputs, &mut |item| send.send(item).is_ok()));

    // write errors (a closed pipe: `| head`) end the output quietly
    let analysing = Instant::now();
    let written = run(&pipeline, &args, &receive, &mut sink, &mut report);
    let analysed = analysing.elapsed();
    report.finish();
    if args.stats {
        eprintln!("{}", report.stats(loaded, analysed));
    }
    match written {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("whosaid: cannot write the output: {e}");
            ExitCode::from(1)
        }
        _ if report.failed > 0 => {
            eprintln!(
                "whosaid: {} of {} inputs failed",
                report.failed,
                report.failed + report.done
            );
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Analyse batches as they arrive and write them.
fn run<W: Write>(
    pipeline: &Pipeline,
    args: &Args,
    receive: &Receiver<Result<Document, InputError>>,
    sink: &mut Sink<W>,
    report: &mut Report,
) -> io::Result<()> {
    sink.begin()?;
    loop {
        let batch = next_batch(receive, args.batch as usize, report);
        if batch.is_empty() {
            break;
        }
        let texts: Vec<&str> = batch.iter().map(|d| d.text.as_str()).collect();
        for (document, result) in batch.iter().zip(pipeline.analyze_each(&texts)) {
            match result {
                Ok(analysis) => {
                    let mut doc = DocumentJson::from_analysis(&analysis, document.file.clone());
                    doc.quotes.retain(|q| q.confidence >= args.min_confidence);
                    sink.document(&Analysed {
                        source: &document.source,
                        text: &document.text,
                        id: document.id.as_ref(),
                        extra: &document.extra,
                        doc: &doc,
                    })?;
                    report.done += 1;
                    report.chars += document.text.chars().count();
                }
                Err(e) => report.error(&document.source, &e.to_string()),
            }
        }
        report.advance(batch.len() as u64);
        sink.flush()?;
    }
    sink.end()
}

/// Up to `size` documents (and [`BATCH_CHARS`] characters); inputs that failed to
/// read are reported on the way. Empty when the inputs are exhausted.
fn next_batch(receive: &Receiver<Result<Document, InputError>>, size: usize, report: &mut Report) -> Vec<Document> {
    let mut batch = Vec::new();
    let mut chars = 0;
    while batch.len() < size && chars < BATCH_CHARS {
        // wait for the first document; then take only what is already there, so a
        // slow stream (a pipe that writes one record at a time) is answered promptly
        let item = if batch.is_empty() {
            receive.recv().ok()
        } else {
            receive.try_recv().ok()
        };
        match item {
            Some(Ok(document)) => {
                chars += document.text.len();
                batch.push(document);
            }
            Some(Err(e)) => {
                report.error(&e.source, &e.message);
                report.advance(1);
            }
            None => break,
        }
    }
    batch
}

/// Errors on stderr, and a progress bar there when it is a terminal.
struct Report {
    progress: Option<ProgressBar>,
    failed: usize,
    done: usize,
    /// Characters (Unicode scalars, as the output's offsets count them) of the documents done.
    chars: usize,
}

impl Report {
    fn new(args: &Args) -> Self {
        let several = args.inputs.len() > 1
            || args.input == args::InputFormat::Jsonl
            || args.inputs.iter().any(|i| std::path::Path::new(i).is_dir());
        let progress = (several && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} documents, {per_sec}, {elapsed} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Report {
            progress,
            failed: 0,
            done: 0,
            chars: 0,
        }
    }

    fn error(&mut self, source: &str, message: &str) {
        self.failed += 1;
        let line = format!("error: {source}: {message}");
        match &self.progress {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = &self.progress {
            bar.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.progress {
            bar.finish();
        }
    }

    /// The `--stats` line: what was analysed, the model load and the analysis's wall time
    /// (from the model loaded to the last document written), for benchmarks to grep.
    fn stats(&self, load: Duration, analyse: Duration) -> String {
        let analyse_s = analyse.as_secs_f64();
        let per_s = if analyse_s > 0.0 {
            self.done as f64 / analyse_s
        } else {
            0.0
        };
        format!(
            "stats documents={} chars={} load_s={:.3} analyze_s={analyse_s:.3} articles_per_s={per_s:.3}",
            self.done,
            self.chars,
            load.as_secs_f64()
        )
    }
}
