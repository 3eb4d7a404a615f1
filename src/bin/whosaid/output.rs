//! Writers for each output format; documents are written as they are analysed.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};
use whosaid::json::DocumentJson;

use crate::args::OutputFormat;
use crate::html::HtmlPage;

/// One analysed document, ready to write.
pub struct Analysed<'a> {
    /// Where it came from (a path, `-`, `path:line`).
    pub source: &'a str,
    /// The input text.
    pub text: &'a str,
    /// A JSON record's `id`.
    pub id: Option<&'a Value>,
    /// A JSON record's other fields.
    pub extra: &'a Map<String, Value>,
    /// The result, in the JSON contract.
    pub doc: &'a DocumentJson,
}

/// The JSON object written per document: the record's id and other fields, then
/// the contract's fields.
#[derive(Serialize)]
struct Record<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a Value>,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
    #[serde(flatten)]
    doc: &'a DocumentJson,
}

/// A writer of one output format.
pub enum Sink<W: Write> {
    Table(W),
    Json { out: W, documents: usize },
    Jsonl(W),
    Html(HtmlPage<W>),
}

impl<W: Write> Sink<W> {
    pub fn new(format: OutputFormat, out: W) -> Self {
        match format {
            OutputFormat::Table => Sink::Table(out),
            OutputFormat::Json => Sink::Json { out, documents: 0 },
            OutputFormat::Jsonl => Sink::Jsonl(out),
            OutputFormat::Html => Sink::Html(HtmlPage::new(out)),
        }
    }

    pub fn begin(&mut self) -> io::Result<()> {
        match self {
            Sink::Table(_) | Sink::Jsonl(_) => Ok(()),
            Sink::Json { out, .. } => write!(out, "["),
            Sink::Html(page) => page.begin(),
        }
    }

    pub fn document(&mut self, a: &Analysed) -> io::Result<()> {
        let record = Record {
            id: a.id,
            extra: a.extra,
            doc: a.doc,
        };
        match self {
            Sink::Table(out) => write_table(out, a),
            Sink::Jsonl(out) => {
                serde_json::to_writer(&mut *out, &record)?;
                writeln!(out)
            }
            Sink::Json { out, documents } => {
                writeln!(out, "{}", if *documents == 0 { "" } else { "," })?;
                *documents += 1;
                serde_json::to_writer_pretty(&mut *out, &record)?;
                Ok(())
            }
            Sink::Html(page) => page.document(a),
        }
    }

    pub fn end(&mut self) -> io::Result<()> {
        match self {
            Sink::Table(out) | Sink::Jsonl(out) => out.flush(),
            Sink::Json { out, .. } => {
                writeln!(out, "\n]")?;
                out.flush()
            }
            Sink::Html(page) => page.end(),
        }
    }

    /// Flush what is written so far (after each batch, so a stream's reader sees it).
    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Table(out) | Sink::Jsonl(out) | Sink::Json { out, .. } => out.flush(),
            Sink::Html(page) => page.flush(),
        }
    }
}

/// One line per quote: speaker — role — cue — quote.
fn write_table(out: &mut impl Write, a: &Analysed) -> io::Result<()> {
    let doc = a.doc;
    let name = match a.id {
        Some(Value::String(id)) => id.clone(),
        Some(id) => id.to_string(),
        None => a.source.to_string(),
    };
    writeln!(
        out,
        "== {name}: {} quotes, {} speakers, {} entities",
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
