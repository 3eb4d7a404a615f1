//! # whosaid
//!
//! Reads English news and says who said what.
//!
//! ```no_run
//! let pipeline = whosaid::Pipeline::load_bundled()?;
//! let analysis = pipeline.analyze("\"We are ready,\" Li Keqiang said.")?;
//! for entity in &analysis.ner.entities {
//!     println!("{} {}", entity.label.as_str(), entity.span.text(&analysis.text));
//! }
//! # Ok::<(), whosaid::Error>(())
//! ```
//!
//! ## Stages
//! A document flows one way through stages; each adds one layer and never
//! edits an earlier one:
//!
//! 1. [`segment`]: paragraphs, sentences, tokens;
//! 2. [`ner`]: entities (PER, ORG, LOC, MISC) and POS/chunk tags from the
//!    bundled transformer;
//! 3. [`speakers`]: mentions (names, short names, titles, appositives,
//!    nominals, pronouns) linked into speakers with a canonical name and role;
//! 4. [`cues`]: reporting verbs, participles, "according to", colons;
//! 5. [`quotes`]: direct quotes from quotation marks, reported speech from
//!    the clause around each cue;
//! 6. [`attribute`]: the speaker of each quote.
//!
//! ## Offsets
//! Inside the crate, spans are byte offsets ([`Span`]). The JSON output
//! ([`json`]) gives **character (Unicode scalar) offsets**, half-open, so
//! `text.chars().skip(start).take(end - start)` (or Python's `text[start:end]`)
//! is the quoted text.
//!
//! ## Model
//! `models/` holds the NER model (see `models/README.md`): all-MiniLM-L6-v2
//! fine-tuned on CoNLL-2003 with case-shape embeddings. It is loaded from the
//! crate directory by default; [`Pipeline::load`] takes another directory.
#![deny(missing_docs)]

pub mod attribute;
pub mod cues;
pub mod document;
pub mod error;
pub mod json;
pub mod lexicon;
pub mod ner;
pub mod pipeline;
pub mod quotes;
pub mod segment;
pub mod span;
pub mod speakers;

pub use error::{Error, Result};
pub use ner::{Entity, EntityLabel, Ner};
pub use pipeline::{Analysis, Pipeline};
pub use span::Span;
