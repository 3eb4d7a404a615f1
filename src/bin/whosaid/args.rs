//! The command line: what `whosaid --help` prints and what each option means.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// Who said what in English news: every quote, its speaker (full name, role) and its cue.
///
/// Reads files, directories (every `*.txt` under them) or `-` (standard input), and
/// writes one result per document as it goes.
#[derive(Debug, Parser)]
#[command(name = "whosaid", version, after_help = EXAMPLES)]
pub struct Args {
    /// Files, directories (recursively, `*.txt`; with `--input jsonl`, `*.jsonl`) or `-` for standard input
    /// [default: `-` when standard input is not a terminal].
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// How inputs are read: `text` (one document per file; all of standard input is one
    /// document) or `jsonl` (one JSON record `{"id": …, "text": …}` per line; other
    /// fields are passed through to the output).
    #[arg(long, value_enum, default_value_t = InputFormat::Text)]
    pub input: InputFormat,

    /// Output: `table` (one line per quote), `json` (a pretty JSON array of documents),
    /// `jsonl` (one JSON object per document per line) or `html` (one self-contained page)
    /// [default: table on a terminal, jsonl when piped].
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,

    /// Same as `--format json` (kept from the `attribute` example).
    #[arg(long, hide = true, conflicts_with_all = ["format", "jsonl"])]
    pub json: bool,

    /// Same as `--format jsonl`.
    #[arg(long, hide = true, conflicts_with = "format")]
    pub jsonl: bool,

    /// Threads for the model and the rules [default: all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Leave out quotes whose confidence is below X (0 to 1).
    #[arg(long, value_name = "X", default_value_t = 0.0, value_parser = confidence)]
    pub min_confidence: f32,

    /// Quotes from the rules alone, without the attribution tagger (about twice as fast).
    #[arg(long)]
    pub rules_only: bool,

    /// What the model computes in: `int8` (the default where the CPU has VNNI: about twice
    /// as fast, the same figures) or `f32` (the model as trained; always, on a CPU without
    /// VNNI).
    #[arg(long, value_enum)]
    pub precision: Option<PrecisionArg>,

    /// Load the model from DIR instead of the bundled `models/` (also `WHOSAID_MODEL=DIR`;
    /// an installed binary reads the bundled model from the checkout it was built in).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,

    /// Decode invalid UTF-8 with replacement characters instead of reporting the input.
    #[arg(long)]
    pub lossy: bool,

    /// Documents analysed together (bounds memory: only one batch is held at a time).
    #[arg(long, value_name = "N", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch: u32,

    /// At the end, print one line of timings to standard error: `stats documents=N chars=C
    /// load_s=X analyze_s=Y articles_per_s=Z` (documents analysed, their characters, the model
    /// load, and the wall time from the model loaded to the last document written).
    #[arg(long)]
    pub stats: bool,
}

const EXAMPLES: &str = "Examples:
  whosaid article.txt                      a table: speaker — role — cue — quote
  whosaid --format json article.txt        the JSON contract (character offsets)
  whosaid --format html articles/ > page.html
  cat article.txt | whosaid -
  whosaid --input jsonl archive.jsonl > quotes.jsonl

Exit status: 0 when every input was analysed, 1 when some input failed (each is
reported on stderr by name, the others are still processed), 2 for a usage error.";

/// What the model computes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrecisionArg {
    /// 32-bit floats throughout.
    F32,
    /// int8 matrix products in the encoder layers.
    Int8,
}

/// How inputs are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One document per file.
    Text,
    /// One JSON record per line.
    Jsonl,
}

/// What is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// speaker — role — cue — quote, one line per quote.
    Table,
    /// A pretty JSON array of documents.
    Json,
    /// One JSON object per document per line.
    Jsonl,
    /// One self-contained HTML page.
    Html,
}

impl Args {
    /// The output format, from the flags or from where stdout goes.
    pub fn output_format(&self, stdout_is_terminal: bool) -> OutputFormat {
        match (self.format, self.json, self.jsonl) {
            (Some(f), _, _) => f,
            (None, true, _) => OutputFormat::Json,
            (None, _, true) => OutputFormat::Jsonl,
            _ if stdout_is_terminal => OutputFormat::Table,
            _ => OutputFormat::Jsonl,
        }
    }
}

fn confidence(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{s}` is not a number from 0 to 1 (try --min-confidence 0.5)")),
    }
}
