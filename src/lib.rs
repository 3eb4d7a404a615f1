//! # whosaid
//!
//! Reads English news and says who said what.
//!
//! ```no_run
//! let pipeline = whosaid::Pipeline::load_bundled()?;
//! let analysis = pipeline.analyze("\"We are ready,\" Li Keqiang said.")?;
//! let doc = whosaid::json::DocumentJson::from_analysis(&analysis, None);
//! for quote in &doc.quotes {
//!     let who = quote.speaker.map(|s| doc.speakers[s].name.as_str()).unwrap_or("?");
//!     println!("{who}: {}", quote.content.text);
//! }
//! # Ok::<(), whosaid::Error>(())
//! ```
//!
//! [`Pipeline`] loads the model once and is `Send + Sync`; share it across
//! threads. [`Pipeline::analyze_batch`] runs many texts through the model in
//! shared batches.
//!
//! ## Stages
//! A document flows one way through stages; each adds one layer and never
//! edits an earlier one:
//!
//! 1. [`segment`]: paragraphs, sentences, tokens;
//! 2. [`ner`]: entities (PER, ORG, LOC, MISC) and POS/chunk tags from the
//!    bundled transformer, and the attribution tagger's Source / Cue / Content
//!    spans;
//! 3. marks (`src/marks.rs`): quotation marks paired into quoted spans;
//! 4. [`speakers`]: mentions (names, short names, titles, appositives,
//!    nominals, pronouns) linked into speakers (people, organisations, groups) with a
//!    canonical name, role and gender;
//! 5. [`cues`]: reporting verbs, participles, "according to", colons;
//! 6. [`quotes`]: direct quotes from the paired marks, reported speech from
//!    the clause around each cue, checked and completed by the attribution
//!    tagger's spans ([`Pipeline::set_learned_attribution`] turns that off);
//! 7. [`attribute`]: the speaker of each quote.
//!
//! ## Offsets
//! Inside the crate, spans are byte offsets ([`Span`]). The JSON output
//! ([`json`]) gives **character (Unicode scalar) offsets**, half-open, so
//! `text.chars().skip(start).take(end - start)` (or Python's `text[start:end]`)
//! is the quoted text.
//!
//! ## Untrusted input
//! Any string is valid input: empty text, text without quotes, unbalanced or
//! curly quotation marks, odd Unicode, megabytes of text, a text that stops
//! right after a cue ("He said"). Analysis never panics on input (a generator of
//! news-like texts checks it: `examples/robustness.rs`) and every span lies on
//! char boundaries inside the text. Should a stage still fail on a document (a
//! bug), the failure is caught and returned as [`Error::Internal`];
//! [`Pipeline::analyze_each`] gives one result per document of a batch. An unclosed quotation mark ends its quote at the
//! paragraph end. Text longer than the model's window is cut at sentence ends;
//! a sentence longer than a window is cut into overlapping windows.
//!
//! ## Errors
//! One [`Error`] enum: a missing or corrupt model file names the file.
//!
//! ## Model
//! `models/` holds the NER model (see `models/README.md`): all-MiniLM-L6-v2
//! fine-tuned on CoNLL-2003 with case-shape embeddings, and the attribution
//! tagger (`attribution.safetensors`, a second encoder fine-tuned on PolNeAR;
//! optional: a directory without it gives the rules alone). It is loaded from the
//! crate directory by default; [`Pipeline::load`] takes another directory.
#![deny(missing_docs)]

pub mod attribute;
pub mod cues;
pub(crate) mod document;
pub mod error;
pub mod json;
pub(crate) mod lexicon;
pub(crate) mod marks;
pub mod ner;
pub mod pipeline;
pub(crate) mod pos;
pub mod quotes;
pub mod segment;
pub mod span;
pub mod speakers;
pub(crate) mod typography;

pub use error::{Error, Result};
pub use ner::{Entity, EntityLabel, Ner, Precision};
pub use pipeline::{Analysis, Pipeline, StageTimes};
pub use span::Span;
