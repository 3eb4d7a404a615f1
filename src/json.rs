//! The JSON output contract, one object per input file (`--jsonl`).
//!
//! ```json
//! {"file": "seeds/a.txt",
//!  "entities": [{"text": "Li Keqiang", "label": "PER", "start": 10, "end": 20, "score": 0.99}]}
//! ```
//!
//! All `start`/`end` are **character (Unicode scalar) offsets** into the input
//! text, half-open. Fields are only ever added, never renamed or removed.

use serde::Serialize;

use crate::ner::EntityLabel;
use crate::pipeline::Analysis;
use crate::span::{CharMap, Span};

/// One text span in character offsets.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TextSpan {
    /// The covered text.
    pub text: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// A named entity.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EntityJson {
    /// The entity's text.
    pub text: String,
    /// PER, ORG, LOC or MISC.
    pub label: EntityLabel,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Model confidence in [0, 1].
    pub score: f32,
}

/// The whole output for one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentJson {
    /// The input path as given, when the text came from a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Named entities in text order.
    pub entities: Vec<EntityJson>,
}

impl DocumentJson {
    /// Convert an analysis (byte spans) to the JSON contract (char offsets).
    pub fn from_analysis(analysis: &Analysis, file: Option<String>) -> Self {
        let map = CharMap::new(&analysis.text);
        let entities = analysis
            .ner
            .entities
            .iter()
            .map(|e| {
                let s = text_span(&analysis.text, &map, e.span);
                EntityJson {
                    text: s.text,
                    label: e.label,
                    start: s.start,
                    end: s.end,
                    score: (e.score * 10000.0).round() / 10000.0,
                }
            })
            .collect();
        DocumentJson { file, entities }
    }
}

/// A byte span as a [`TextSpan`].
pub fn text_span(text: &str, map: &CharMap, span: Span) -> TextSpan {
    TextSpan {
        text: span.text(text).to_string(),
        start: map.char_of(span.start),
        end: map.char_of(span.end),
    }
}
