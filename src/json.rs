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
pub use crate::quotes::QuoteKind;
use crate::span::{CharMap, Span};
pub use crate::speakers::{Gender, GenderEvidence, SpeakerKind};

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

/// A speaker: one person or organisation, with every mention of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SpeakerJson {
    /// Index of this speaker in `speakers` (quotes refer to it).
    pub id: usize,
    /// Canonical name: the fullest proper name seen ("Li Keqiang"); for an unnamed
    /// speaker or a group, its description without the article ("justice official",
    /// "aides").
    pub name: String,
    /// Role from titles, appositives and nominals ("Chinese Premier"), if any.
    pub role: Option<String>,
    /// "person", "organization" or "group" (people named by a plural: "aides said").
    pub kind: SpeakerKind,
    /// Every mention (names, short names, titles, nominals, pronouns) in text order.
    pub mentions: Vec<TextSpan>,
    /// "female", "male" or null: only what the text says (see `gender_evidence`).
    pub gender: Option<Gender>,
    /// What gave the gender: "pronoun" (a "he"/"she" resolved to the speaker),
    /// "honorific" ("Mrs."), "role" ("chairwoman"), "given_name" (the name's usual
    /// gender, `data/first_names.txt`, used only when the text gives nothing else), or null.
    pub gender_evidence: Option<GenderEvidence>,
}

/// One attributed quote.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuoteJson {
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// What was said (without the quotation marks of a direct quote).
    pub content: TextSpan,
    /// The cue: reporting verb ("said"), participle ("adding"), "according to", a colon, ...
    /// or, for a quote only the attribution tagger found, the words it marks as the cue.
    pub cue: Option<TextSpan>,
    /// Id of the speaker in `speakers`, or null when unknown.
    pub speaker: Option<usize>,
    /// The mention that names the speaker at this quote ("he", "Li"), or null.
    pub speaker_mention: Option<TextSpan>,
    /// Confidence in [0, 1].
    pub confidence: f32,
}

/// The whole output for one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentJson {
    /// The input path as given, when the text came from a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Named entities in text order.
    pub entities: Vec<EntityJson>,
    /// People and organisations that are quoted or mentioned as possible speakers.
    pub speakers: Vec<SpeakerJson>,
    /// Quotes in text order.
    pub quotes: Vec<QuoteJson>,
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
        let text = analysis.text.as_str();
        let layer = &analysis.speakers;
        let speakers = layer
            .speakers
            .iter()
            .enumerate()
            .map(|(id, s)| SpeakerJson {
                id,
                name: clean_name(s.name.text(text)),
                role: s.role.map(|r| r.text(text).to_string()),
                kind: s.kind,
                mentions: s
                    .mentions
                    .iter()
                    .map(|&m| text_span(text, &map, layer.mentions[m].span))
                    .collect(),
                gender: s.gender,
                gender_evidence: s.gender_evidence,
            })
            .collect();
        let quotes = analysis
            .quotes
            .iter()
            .zip(&analysis.attributions)
            .map(|(q, a)| QuoteJson {
                kind: q.kind,
                content: text_span(text, &map, q.content),
                cue: q
                    .cue
                    .map(|c| analysis.cues[c].span)
                    .or(q.learned_cue)
                    .map(|span| text_span(text, &map, span)),
                speaker: a.speaker,
                speaker_mention: a.mention.map(|m| text_span(text, &map, m)),
                confidence: (a.confidence * 1000.0).round() / 1000.0,
            })
            .collect();
        DocumentJson {
            file,
            entities,
            speakers,
            quotes,
        }
    }
}

/// A name without a leading article ("the Chinese Embassy" -> "Chinese Embassy").
fn clean_name(name: &str) -> String {
    ["the ", "The ", "a ", "A ", "an ", "An "]
        .iter()
        .find_map(|article| name.strip_prefix(article))
        .unwrap_or(name)
        .to_string()
}

/// A byte span as a [`TextSpan`].
pub fn text_span(text: &str, map: &CharMap, span: Span) -> TextSpan {
    TextSpan {
        text: span.text(text).to_string(),
        start: map.char_of(span.start),
        end: map.char_of(span.end),
    }
}
