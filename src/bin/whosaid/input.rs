//! Inputs, read as a stream of documents: files, directories (recursively) and
//! standard input, as plain text (one document each) or as JSON Lines (one record
//! per line). Only one line (or one text file) is held at a time, so a 10 GB JSON
//! Lines archive streams through in bounded memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::args::InputFormat;

/// One document to analyse.
pub struct Document {
    /// Where it came from, for messages: a path, `-`, or `path:line` for a record.
    pub source: String,
    /// The path for a text file (`"file"` in the output), `-` for standard input.
    pub file: Option<String>,
    /// A JSON record's `id` (or `"path:line"` when it has none).
    pub id: Option<Value>,
    /// A JSON record's other fields, passed through to the output.
    pub extra: Map<String, Value>,
    /// The text.
    pub text: String,
}

/// An input that could not be read; the others go on.
pub struct InputError {
    /// The path (or `path:line`).
    pub source: String,
    /// What went wrong, said for a user.
    pub message: String,
}

/// Fields whose names the output uses itself: a record's own are not passed through.
const OUTPUT_FIELDS: [&str; 5] = ["id", "file", "entities", "speakers", "quotes"];

/// Reads every input in order and hands each document (or error) to `emit`, which
/// returns false to stop (the consumer went away).
pub struct Reader {
    pub format: InputFormat,
    pub lossy: bool,
}

impl Reader {
    pub fn read_all(&self, inputs: &[String], emit: &mut dyn FnMut(Result<Document, InputError>) -> bool) {
        for input in inputs {
            let keep_going = if input == "-" {
                self.read_stream("-", Box::new(io::stdin().lock()), emit)
            } else {
                let path = Path::new(input);
                if path.is_dir() {
                    self.read_dir(path, emit)
                } else {
                    self.read_file(path, emit)
                }
            };
            if !keep_going {
                return;
            }
        }
    }

    /// Every file with this format's extension under `dir`, in name order.
    fn read_dir(&self, dir: &Path, emit: &mut dyn FnMut(Result<Document, InputError>) -> bool) -> bool {
        let extension = match self.format {
            InputFormat::Text => "txt",
            InputFormat::Jsonl => "jsonl",
        };
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return emit(Err(error(&dir.display().to_string(), e.to_string()))),
        };
        entries.sort();
        for path in entries {
            let keep_going = if path.is_dir() {
                self.read_dir(&path, emit)
            } else if path.extension().is_some_and(|e| e == extension) {
                self.read_file(&path, emit)
            } else {
                true
            };
            if !keep_going {
                return false;
            }
        }
        true
    }

    fn read_file(&self, path: &Path, emit: &mut dyn FnMut(Result<Document, InputError>) -> bool) -> bool {
        let name = path.display().to_string();
        match File::open(path) {
            Ok(file) => self.read_stream(&name, Box::new(BufReader::new(file)), emit),
            Err(e) => emit(Err(error(&name, e.to_string()))),
        }
    }

    fn read_stream(
        &self,
        name: &str,
        mut stream: Box<dyn BufRead + '_>,
        emit: &mut dyn FnMut(Result<Document, InputError>) -> bool,
    ) -> bool {
        match self.format {
            InputFormat::Text => {
                let mut bytes = Vec::new();
                if let Err(e) = stream.read_to_end(&mut bytes) {
                    return emit(Err(error(name, e.to_string())));
                }
                let document = self.decode(name, bytes, 0).map(|text| Document {
                    source: name.to_string(),
                    file: Some(name.to_string()),
                    id: None,
                    extra: Map::new(),
                    text,
                });
                emit(document)
            }
            InputFormat::Jsonl => self.read_records(name, stream, emit),
        }
    }

    /// One record per line; blank lines are skipped.
    fn read_records(
        &self,
        name: &str,
        mut stream: Box<dyn BufRead + '_>,
        emit: &mut dyn FnMut(Result<Document, InputError>) -> bool,
    ) -> bool {
        let mut line = Vec::new();
        let (mut number, mut offset) = (0usize, 0usize);
        loop {
            line.clear();
            let read = match stream.read_until(b'\n', &mut line) {
                Ok(0) => return true,
                Ok(n) => n,
                Err(e) => return emit(Err(error(name, e.to_string()))),
            };
            number += 1;
            let source = format!("{name}:{number}");
            let record = self
                .decode(&source, std::mem::take(&mut line), offset)
                .and_then(|text| record(&source, &text));
            offset += read;
            // (a blank line is no record)
            if let Some(item) = record.transpose() {
                if !emit(item) {
                    return false;
                }
            }
        }
    }

    /// Bytes as text: invalid UTF-8 is an error naming its byte offset (from the start
    /// of the input), or with `--lossy` becomes replacement characters.
    fn decode(&self, source: &str, bytes: Vec<u8>, offset: usize) -> Result<String, InputError> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(e) if self.lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
            Err(e) => Err(error(
                source,
                format!(
                    "not UTF-8 at byte offset {} (try --lossy to replace invalid bytes)",
                    offset + e.utf8_error().valid_up_to()
                ),
            )),
        }
    }
}

/// A JSON Lines record as a document; `None` for a blank line.
fn record(source: &str, line: &str) -> Result<Option<Document>, InputError> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let mut fields: Map<String, Value> = serde_json::from_str(line).map_err(|e| {
        error(
            source,
            format!("not a JSON object record ({e}); expected {{\"id\": …, \"text\": …}}"),
        )
    })?;
    let text = match fields.remove("text") {
        Some(Value::String(text)) => text,
        _ => return Err(error(source, "record has no \"text\" string".to_string())),
    };
    let id = fields.remove("id").unwrap_or_else(|| Value::String(source.to_string()));
    for field in OUTPUT_FIELDS {
        fields.remove(field);
    }
    Ok(Some(Document {
        source: source.to_string(),
        file: None,
        id: Some(id),
        extra: fields,
        text,
    }))
}

fn error(source: &str, message: String) -> InputError {
    InputError {
        source: source.to_string(),
        message,
    }
}
