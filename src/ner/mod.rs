//! Named-entity recognition (and POS / chunk tags) with the bundled transformer.
//!
//! The text is word-pieced once; pieces are packed, sentence by sentence, into
//! windows of at most `max_window` positions (a sentence longer than that is
//! cut into overlapping chunks, each piece scored by the chunk where it sits
//! farthest from an edge); windows of similar length are batched; one
//! constrained BIO pass over the document's pieces gives the entities.
//!
//! The model itself sits behind [`TaggerBackend`], so ONNX Runtime or
//! rust-bert can replace the default candle backend.

#[macro_use]
mod dispatch;
mod activations;
mod bert;
mod decode;
#[cfg(feature = "onnx")]
mod onnx;
pub mod quant;
#[cfg(feature = "rust-bert")]
mod rust_bert;
pub mod shape;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

pub use bert::CandleTagger;
pub(crate) use decode::viterbi;
#[cfg(feature = "onnx")]
pub use onnx::OnnxTagger;
#[cfg(feature = "rust-bert")]
pub use rust_bert::RustBertTagger;

use crate::error::{Error, Result};
use crate::segment::{Sentence, Token};
use crate::span::Span;

/// Entity types of the CoNLL-2003 scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityLabel {
    /// People.
    #[serde(rename = "PER")]
    Person,
    /// Organisations: companies, governments, embassies, parties, teams.
    #[serde(rename = "ORG")]
    Organization,
    /// Places: countries, cities, provinces, regions.
    #[serde(rename = "LOC")]
    Location,
    /// Other names: nationalities ("Chinese"), events, works.
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityLabel {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "PER" => Some(EntityLabel::Person),
            "ORG" => Some(EntityLabel::Organization),
            "LOC" => Some(EntityLabel::Location),
            "MISC" => Some(EntityLabel::Misc),
            _ => None,
        }
    }
    /// The CoNLL name: PER, ORG, LOC or MISC.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityLabel::Person => "PER",
            EntityLabel::Organization => "ORG",
            EntityLabel::Location => "LOC",
            EntityLabel::Misc => "MISC",
        }
    }
}

/// A named entity: a byte span of the text, its type and the model's confidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Where it is in the text (bytes).
    pub span: Span,
    /// Its type.
    pub label: EntityLabel,
    /// Mean probability of the chosen tag over the entity's word-pieces.
    pub score: f32,
}

/// What the NER stage adds to a document: entities, plus a POS and a chunk tag
/// per token (indices into [`ModelConfig::pos_labels`] / `chunk_labels`). Serializable, so
/// a layer can be stored and given back to [`crate::Pipeline::analyze_tagged`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NerLayer {
    /// Entities in text order, non-overlapping.
    pub entities: Vec<Entity>,
    /// Penn Treebank POS tag of each token (same order as the token layer).
    pub pos: Vec<u16>,
    /// CoNLL chunk tag (IOB2, e.g. B-NP) of each token.
    pub chunk: Vec<u16>,
    /// The learned attribution tagger's spans, in text order; `None` when the model
    /// has no attribution tagger (then quotes come from the rules alone).
    pub attribution: Option<Vec<LearnedSpan>>,
}

/// `config.json` of a whosaid model: BERT's keys plus the label maps.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelConfig {
    /// Word-piece vocabulary size.
    pub vocab_size: usize,
    /// Hidden size.
    pub hidden_size: usize,
    /// Encoder layers.
    pub num_hidden_layers: usize,
    /// Attention heads.
    pub num_attention_heads: usize,
    /// Feed-forward size.
    pub intermediate_size: usize,
    /// Position table size.
    pub max_position_embeddings: usize,
    /// Token-type table size.
    pub type_vocab_size: usize,
    /// LayerNorm epsilon.
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    /// NER tags, IOB2 ("O", "B-PER", ...).
    pub ner_labels: Vec<String>,
    /// POS tags (Penn Treebank).
    pub pos_labels: Vec<String>,
    /// Chunk tags (IOB2).
    pub chunk_labels: Vec<String>,
    /// Case-shape names (their count sizes the shape embeddings).
    pub shapes: Vec<String>,
    /// Longest window the model was trained on, in positions.
    #[serde(default = "default_window")]
    pub max_window: usize,
}

fn default_eps() -> f64 {
    1e-12
}
fn default_window() -> usize {
    256
}

impl ModelConfig {
    /// Read and check `config.json`.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::ModelFile {
            path: path.to_path_buf(),
            source,
        })?;
        let cfg: ModelConfig = serde_json::from_str(&text).map_err(|e| Error::BadModelFile {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let bad = |reason: String| Error::BadModelFile {
            path: path.to_path_buf(),
            reason,
        };
        if cfg.ner_labels.first().map(String::as_str) != Some("O") {
            return Err(bad("ner_labels must start with \"O\"".into()));
        }
        for l in &cfg.ner_labels[1..] {
            let ok = (l.starts_with("B-") || l.starts_with("I-")) && EntityLabel::parse(&l[2..]).is_some();
            if !ok {
                return Err(bad(format!(
                    "unknown NER label {l:?} (expected B-/I- of PER, ORG, LOC, MISC)"
                )));
            }
        }
        if cfg.num_attention_heads == 0 || !cfg.hidden_size.is_multiple_of(cfg.num_attention_heads) {
            return Err(bad("hidden_size must be a multiple of num_attention_heads".into()));
        }
        if cfg.max_window < 8 || cfg.max_window > cfg.max_position_embeddings {
            return Err(bad(format!("max_window {} out of range", cfg.max_window)));
        }
        Ok(cfg)
    }
}

/// One batch of windows, padded to `len`: row-major `[batch, len]` arrays.
#[derive(Debug, Clone)]
pub struct TaggerInput {
    /// Word-piece ids, with `[CLS]` first and `[SEP]` last in each row.
    pub ids: Vec<u32>,
    /// Case shape of each piece.
    pub piece_shape: Vec<u32>,
    /// Case shape of each piece's word.
    pub word_shape: Vec<u32>,
    /// 1 for real positions, 0 for padding.
    pub mask: Vec<u32>,
    /// Rows.
    pub batch: usize,
    /// Positions per row.
    pub len: usize,
}

/// A backend's answer for one [`TaggerInput`].
#[derive(Debug, Clone)]
pub struct TaggerOutput {
    /// NER log-probabilities, `[batch, len, ner_labels]` row-major.
    pub ner: Vec<f32>,
    /// Best POS tag per position, `[batch, len]`.
    pub pos: Vec<u32>,
    /// Best chunk tag per position, `[batch, len]`.
    pub chunk: Vec<u32>,
    /// Attribution-tagger log-probabilities over [`ATTRIBUTION_LABELS`],
    /// `[batch, len, labels]`; empty when the backend runs no attribution tagger.
    pub attribution: Vec<f32>,
}

/// The attribution tagger's labels (IOB2 over PolNeAR's Content / Source / Cue).
pub const ATTRIBUTION_LABELS: [&str; 7] = ["O", "B-CONTENT", "I-CONTENT", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE"];

/// What a learned attribution span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LearnedLabel {
    /// What was said.
    Content,
    /// Who said it.
    Source,
    /// The words that report it ("said", "according to").
    Cue,
}

/// A span the attribution tagger marks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LearnedSpan {
    /// Where it is in the text (bytes).
    pub span: Span,
    /// Content, source or cue.
    pub label: LearnedLabel,
    /// Mean probability of the chosen tag over its word-pieces.
    pub score: f32,
}

/// A runtime that runs the tagging model: candle by default; ONNX Runtime and
/// rust-bert behind cargo features.
pub trait TaggerBackend: Send + Sync {
    /// Short name for reports ("candle", "onnx", "rust-bert").
    fn name(&self) -> &'static str;
    /// Run one padded batch.
    fn forward(&self, input: &TaggerInput) -> Result<TaggerOutput>;
    /// True when [`TaggerOutput::attribution`] is filled.
    fn has_attribution(&self) -> bool {
        false
    }
    /// Run the attribution tagger (when loaded) or skip it (`false`: NER only, faster).
    fn enable_attribution(&mut self, _on: bool) {}
    /// Compute in `precision` where the backend and the CPU can; returns what it runs.
    fn set_precision(&mut self, _precision: Precision) -> Precision {
        Precision::F32
    }
    /// What the backend computes in.
    fn precision(&self) -> Precision {
        Precision::F32
    }
}

/// What the default backend's encoder layers compute in.
///
/// `Int8` (the default where the CPU has VNNI: AVX-512 VNNI or AVX-VNNI) quantizes the
/// dense layers' weights per output column and their inputs per row, and accumulates
/// exactly in `i32` ([`quant`]); attention, layer norms, GELU and the heads stay f32.
/// About twice the f32 throughput for the same figures (README, "Speed"). `F32` is the
/// model as trained; a CPU without VNNI always runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// 32-bit floats throughout.
    F32,
    /// int8 matrix products in the encoder layers.
    Int8,
}

impl Precision {
    /// `"f32"` or `"int8"`.
    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::Int8 => "int8",
        }
    }
}

/// The spans of the best constrained IOB2 path over the attribution log-probabilities.
fn learned_spans(pieces: &[Piece], logp: &[f32]) -> Vec<LearnedSpan> {
    let labels: Vec<String> = ATTRIBUTION_LABELS.iter().map(|s| s.to_string()).collect();
    let a = labels.len();
    if logp.len() != pieces.len() * a {
        return Vec::new(); // a document without pieces
    }
    let path = viterbi(logp, &labels);
    let mut out: Vec<LearnedSpan> = Vec::new();
    let mut count = 0usize;
    for (p, &tag) in path.iter().enumerate() {
        let prob = logp[p * a + tag].exp();
        let label = match tag {
            1 | 2 => LearnedLabel::Content,
            3 | 4 => LearnedLabel::Source,
            5 | 6 => LearnedLabel::Cue,
            _ => continue,
        };
        let inside = tag % 2 == 0;
        match out.last_mut() {
            Some(last) if inside && last.label == label && path[p - 1] != 0 => {
                last.span.end = pieces[p].span.end;
                last.score += prob;
                count += 1;
            }
            _ => {
                if let Some(last) = out.last_mut() {
                    last.score /= count.max(1) as f32;
                }
                out.push(LearnedSpan {
                    span: Span::new(pieces[p].span.start, pieces[p].span.end),
                    label,
                    score: prob,
                });
                count = 1;
            }
        }
    }
    if let Some(last) = out.last_mut() {
        last.score /= count.max(1) as f32;
    }
    out
}

/// The files of a model directory.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    /// `config.json`
    pub config: PathBuf,
    /// `tokenizer.json`
    pub tokenizer: PathBuf,
    /// `model.safetensors`
    pub weights: PathBuf,
    /// `attribution.safetensors`: the attribution tagger (optional; candle backend).
    pub attribution: PathBuf,
}

impl ModelFiles {
    /// The standard file names inside `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        ModelFiles {
            config: dir.join("config.json"),
            tokenizer: dir.join("tokenizer.json"),
            weights: dir.join("model.safetensors"),
            attribution: dir.join("attribution.safetensors"),
        }
    }
}

/// The directory of the model that ships with the crate (`models/`).
pub fn bundled_model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
}

/// Word-piece tokenizer + tagging backend + decoding. `Send + Sync`.
pub struct Ner {
    tokenizer: Tokenizer,
    backend: Box<dyn TaggerBackend>,
    config: ModelConfig,
    /// Rows per forward pass.
    batch_size: usize,
    cls: u32,
    sep: u32,
}

/// A word-piece of the document.
#[derive(Debug, Clone, Copy)]
struct Piece {
    id: u32,
    span: Span,
    shape: u32,
    word_shape: u32,
}

/// In a dateline ("BEIJING, July 16 (Xinhua) --"), the name in parentheses is the news
/// agency: an organisation, whatever the model (trained on text without datelines) says.
fn agencies_in_datelines(text: &str, sentences: &[Sentence], entities: &mut [Entity]) {
    for s in sentences.iter().filter(|s| s.dateline) {
        let line = s.span.text(text);
        let (Some(open), Some(close)) = (line.find('('), line.rfind(')')) else {
            continue;
        };
        let inside = Span::new(s.span.start + open, s.span.start + close);
        for e in entities.iter_mut().filter(|e| inside.contains(e.span)) {
            e.label = EntityLabel::Organization;
        }
    }
}

/// Model outputs for one document's pieces.
struct Scores {
    logp: Vec<f32>,
    pos: Vec<u32>,
    chunk: Vec<u32>,
    /// Attribution log-probabilities, `[pieces, labels]` (empty without the tagger).
    attribution: Vec<f32>,
}

/// A window: `pieces[start..end]` plus which of them it is responsible for.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: usize,
    end: usize,
    own_start: usize,
    own_end: usize,
}

impl Ner {
    /// Load the model in `dir` with the default (candle) backend, and its attribution
    /// tagger when the directory has `attribution.safetensors`.
    pub fn load(dir: &Path) -> Result<Self> {
        let files = ModelFiles::in_dir(dir);
        let config = ModelConfig::from_file(&files.config)?;
        let mut backend = CandleTagger::load(&files.weights, &config)?;
        if files.attribution.exists() {
            backend.load_attribution(&files.attribution, &config)?;
        }
        backend.set_precision(Precision::Int8);
        Self::with_backend(&files, config, Box::new(backend))
    }

    /// Load the model in `dir` with the ONNX Runtime backend (`model.onnx`, feature `onnx`).
    #[cfg(feature = "onnx")]
    pub fn load_onnx(dir: &Path) -> Result<Self> {
        let files = ModelFiles::in_dir(dir);
        let config = ModelConfig::from_file(&files.config)?;
        let backend = OnnxTagger::load(&dir.join("model.onnx"), &config)?;
        Self::with_backend(&files, config, Box::new(backend))
    }

    /// Load the model in `dir` with the rust-bert (libtorch) backend (feature `rust-bert`).
    #[cfg(feature = "rust-bert")]
    pub fn load_rust_bert(dir: &Path) -> Result<Self> {
        let files = ModelFiles::in_dir(dir);
        let config = ModelConfig::from_file(&files.config)?;
        let backend = RustBertTagger::load(&files.weights, &config)?;
        Self::with_backend(&files, config, Box::new(backend))
    }

    /// Use `backend` with the tokenizer and config in `files`.
    pub fn with_backend(files: &ModelFiles, config: ModelConfig, backend: Box<dyn TaggerBackend>) -> Result<Self> {
        if !files.tokenizer.exists() {
            return Err(Error::ModelFile {
                path: files.tokenizer.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "file not found"),
            });
        }
        let mut tokenizer = Tokenizer::from_file(&files.tokenizer).map_err(|e| Error::BadModelFile {
            path: files.tokenizer.clone(),
            reason: e.to_string(),
        })?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        let special = |name: &str| {
            tokenizer.token_to_id(name).ok_or_else(|| Error::BadModelFile {
                path: files.tokenizer.clone(),
                reason: format!("vocabulary lacks {name}"),
            })
        };
        let (cls, sep) = (special("[CLS]")?, special("[SEP]")?);
        Ok(Ner {
            tokenizer,
            backend,
            config,
            batch_size: 16,
            cls,
            sep,
        })
    }

    /// Windows per forward pass (default 16).
    pub fn set_batch_size(&mut self, n: usize) {
        self.batch_size = n.max(1);
    }

    /// The backend's name.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// The model's configuration (label maps).
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// Number of word-pieces `text` makes (for throughput figures).
    pub fn count_pieces(&self, text: &str) -> Result<usize> {
        Ok(self.pieces(text)?.len())
    }

    fn pieces(&self, text: &str) -> Result<Vec<Piece>> {
        let enc = self
            .tokenizer
            .encode(text, false)
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        let ids = enc.get_ids();
        let offsets = enc.get_offsets();
        let words = enc.get_word_ids();
        // Span of each pre-token word, for the word shape.
        let mut pieces = Vec::with_capacity(ids.len());
        let mut i = 0;
        while i < ids.len() {
            let mut j = i + 1;
            while j < ids.len() && words[j].is_some() && words[j] == words[i] {
                j += 1;
            }
            let word = Span::new(offsets[i].0, offsets[j - 1].1);
            let word_shape = shape::shape_of(word.text(text));
            for k in i..j {
                let span = Span::new(offsets[k].0, offsets[k].1);
                pieces.push(Piece {
                    id: ids[k],
                    span,
                    shape: shape::shape_of(span.text(text)),
                    word_shape,
                });
            }
            i = j;
        }
        Ok(pieces)
    }

    /// Pack sentences into windows of at most `max_window - 2` pieces.
    fn windows(&self, pieces: &[Piece], sentences: &[Sentence]) -> Vec<Window> {
        let cap = self.config.max_window - 2;
        let overlap = cap / 4;
        // Sentence index of each piece boundary: a window may end only where a sentence ends.
        let mut ends = Vec::new(); // piece index after each sentence's last piece
        let mut p = 0;
        for s in sentences {
            while p < pieces.len() && pieces[p].span.start < s.span.end {
                p += 1;
            }
            if ends.last() != Some(&p) {
                ends.push(p);
            }
        }
        if ends.last() != Some(&pieces.len()) {
            ends.push(pieces.len());
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut e = 0;
        while start < pieces.len() {
            // longest run of whole sentences that fits
            let mut end = start;
            while e < ends.len() && ends[e] - start <= cap {
                end = ends[e];
                e += 1;
            }
            if end > start {
                out.push(Window {
                    start,
                    end,
                    own_start: start,
                    own_end: end,
                });
                start = end;
                continue;
            }
            // one sentence longer than a window: overlapping chunks
            let sent_end = ends[e];
            let mut s = start;
            loop {
                let w_end = (s + cap).min(sent_end);
                let own_start = if s == start { s } else { s + overlap / 2 };
                let own_end = if w_end == sent_end { w_end } else { w_end - overlap / 2 };
                out.push(Window {
                    start: s,
                    end: w_end,
                    own_start,
                    own_end,
                });
                if w_end == sent_end {
                    break;
                }
                s = w_end - overlap;
            }
            start = sent_end;
            e += 1;
        }
        out
    }

    /// Tag `text`, whose sentences and tokens come from the segmenter.
    pub fn tag(&self, text: &str, sentences: &[Sentence], tokens: &[Token]) -> Result<NerLayer> {
        let mut out = self.tag_many(&[(text, sentences, tokens)])?;
        Ok(out.pop().unwrap_or_default())
    }

    /// Tag several texts at once: windows from all of them share the batches,
    /// so many short texts (headlines, sentences) run at full batch width.
    pub fn tag_many(&self, docs: &[(&str, &[Sentence], &[Token])]) -> Result<Vec<NerLayer>> {
        let k = self.config.ner_labels.len();
        // word-pieces and, below, decoding are per document: on all threads (the model's
        // batches use them too, but these parts would otherwise leave all but one idle)
        let pieces: Vec<Vec<Piece>> = docs
            .par_iter()
            .map(|(text, _, _)| self.pieces(text))
            .collect::<Result<_>>()?;
        let mut scores = Vec::with_capacity(docs.len());
        // (document, window) over all documents
        let mut windows: Vec<(usize, Window)> = Vec::new();
        for (d, (_, sentences, _)) in docs.iter().enumerate() {
            let p = &pieces[d];
            windows.extend(self.windows(p, sentences).into_iter().map(|w| (d, w)));
            scores.push(Scores {
                logp: vec![0f32; p.len() * k],
                pos: vec![0u32; p.len()],
                chunk: vec![0u32; p.len()],
                attribution: Vec::new(),
            });
        }
        // Length-bucketed batches: sort windows by length so padding stays small.
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&w| windows[w].1.end - windows[w].1.start);
        for group in order.chunks(self.batch_size) {
            let len = group
                .iter()
                .map(|&w| windows[w].1.end - windows[w].1.start + 2)
                .max()
                .unwrap_or(2);
            let b = group.len();
            let mut input = TaggerInput {
                ids: vec![0; b * len],
                piece_shape: vec![shape::SPECIAL; b * len],
                word_shape: vec![shape::SPECIAL; b * len],
                mask: vec![0; b * len],
                batch: b,
                len,
            };
            for (r, &w) in group.iter().enumerate() {
                let (d, win) = windows[w];
                let row = r * len;
                input.ids[row] = self.cls;
                input.mask[row] = 1;
                for (c, p) in pieces[d][win.start..win.end].iter().enumerate() {
                    input.ids[row + 1 + c] = p.id;
                    input.piece_shape[row + 1 + c] = p.shape;
                    input.word_shape[row + 1 + c] = p.word_shape;
                    input.mask[row + 1 + c] = 1;
                }
                let sep = row + 1 + win.end - win.start;
                input.ids[sep] = self.sep;
                input.mask[sep] = 1;
            }
            let out = self.backend.forward(&input)?;
            let a = ATTRIBUTION_LABELS.len();
            let with_attribution = out.attribution.len() == b * len * a;
            for (r, &w) in group.iter().enumerate() {
                let (d, win) = windows[w];
                let sc = &mut scores[d];
                if with_attribution && sc.attribution.is_empty() {
                    sc.attribution = vec![0f32; pieces[d].len() * a];
                }
                for p in win.own_start..win.own_end {
                    let at = r * len + 1 + (p - win.start);
                    sc.logp[p * k..(p + 1) * k].copy_from_slice(&out.ner[at * k..(at + 1) * k]);
                    sc.pos[p] = out.pos[at];
                    sc.chunk[p] = out.chunk[at];
                    if with_attribution {
                        sc.attribution[p * a..(p + 1) * a].copy_from_slice(&out.attribution[at * a..(at + 1) * a]);
                    }
                }
            }
        }
        Ok(docs
            .par_iter()
            .zip(pieces.par_iter().zip(&scores))
            .map(|((text, sentences, tokens), (pieces, sc))| {
                let mut layer = self.decode(text, pieces, sc, tokens);
                agencies_in_datelines(text, sentences, &mut layer.entities);
                layer
            })
            .collect())
    }

    fn decode(&self, text: &str, pieces: &[Piece], sc: &Scores, tokens: &[Token]) -> NerLayer {
        let path = viterbi(&sc.logp, &self.config.ner_labels);
        let entities = self.entities(text, pieces, &path, &sc.logp);
        // Token tags come from the token's first piece.
        let mut tok_pos = Vec::with_capacity(tokens.len());
        let mut tok_chunk = Vec::with_capacity(tokens.len());
        let mut p = 0;
        for t in tokens {
            while p < pieces.len() && pieces[p].span.end <= t.span.start {
                p += 1;
            }
            let (ps, cs) = if p < pieces.len() && pieces[p].span.start < t.span.end {
                (sc.pos[p], sc.chunk[p])
            } else {
                (0, 0)
            };
            tok_pos.push(ps as u16);
            tok_chunk.push(cs as u16);
        }
        NerLayer {
            entities,
            pos: tok_pos,
            chunk: tok_chunk,
            attribution: self.has_attribution().then(|| learned_spans(pieces, &sc.attribution)),
        }
    }

    /// True when the backend runs the attribution tagger.
    pub fn has_attribution(&self) -> bool {
        self.backend.has_attribution()
    }

    /// Run the attribution tagger (when the model has one) or skip it.
    pub fn enable_attribution(&mut self, on: bool) {
        self.backend.enable_attribution(on);
    }

    /// Compute in `precision` where the backend and the CPU can (see [`Precision`]);
    /// returns the precision the model now runs in.
    pub fn set_precision(&mut self, precision: Precision) -> Precision {
        self.backend.set_precision(precision)
    }

    /// What the model computes in.
    pub fn precision(&self) -> Precision {
        self.backend.precision()
    }

    fn entities(&self, text: &str, pieces: &[Piece], path: &[usize], logp: &[f32]) -> Vec<Entity> {
        let labels = &self.config.ner_labels;
        let k = labels.len();
        let mut out = Vec::new();
        let mut cur: Option<(usize, EntityLabel, f32, usize)> = None; // (first piece, label, prob sum, count)
        let mut last_piece = 0;
        // ("Decision. Mr. McKinley" tagged from the stop on): punctuation at an entity's
        // edge is not part of the name
        let punct = |p: usize| {
            pieces[p].word_shape == shape::NON_ALPHA && !pieces[p].span.text(text).chars().any(char::is_alphanumeric)
        };
        let close = |cur: &mut Option<(usize, EntityLabel, f32, usize)>, mut last: usize, out: &mut Vec<Entity>| {
            if let Some((mut first, label, sum, n)) = cur.take() {
                while first < last && punct(first) {
                    first += 1;
                }
                // (a closing parenthesis whose opening one is inside stays: "Proleter ( Z )")
                let opened = |last: usize| (first..last).any(|p| pieces[p].span.text(text) == "(");
                while last > first && punct(last) && !(pieces[last].span.text(text) == ")" && opened(last)) {
                    last -= 1;
                }
                // (nor is a lone "The" before a separately tagged "Associated Press")
                let span_text = &text[pieces[first].span.start..pieces[last].span.end];
                if punct(first) || span_text.eq_ignore_ascii_case("the") {
                    return;
                }
                out.push(Entity {
                    span: Span::new(pieces[first].span.start, pieces[last].span.end),
                    label,
                    score: sum / n as f32,
                });
            }
        };
        for (p, &tag) in path.iter().enumerate() {
            let name = &labels[tag];
            let prob = logp[p * k + tag].exp();
            // a name never runs over a line break (the decoding runs over the whole
            // document, so "Willie" ending one line would take "Wood" opening the next)
            // (pieces of one character share its span, so the gap may be empty or reversed)
            let gap = text.get(pieces[p.max(1) - 1].span.end..pieces[p].span.start);
            if p > 0 && gap.is_some_and(|g| g.contains('\n')) {
                close(&mut cur, last_piece, &mut out);
            }
            if name == "O" {
                close(&mut cur, last_piece, &mut out);
            } else {
                let label = EntityLabel::parse(&name[2..]).expect("labels checked at load");
                let continues = name.starts_with("I-") && matches!(cur, Some((_, l, _, _)) if l == label);
                if continues {
                    if let Some(c) = cur.as_mut() {
                        c.2 += prob;
                        c.3 += 1;
                    }
                } else {
                    close(&mut cur, last_piece, &mut out);
                    cur = Some((p, label, prob, 1));
                }
            }
            last_piece = p;
        }
        close(&mut cur, last_piece, &mut out);
        on_words(&crate::segment::words(text), out)
    }
}

/// Entities made of whole words. The model tags word-pieces, so a name can end inside
/// a word ("Queensland" of "Queenslander") or lose an abbreviation's dot ("U.S" of
/// "U.S.", "Acme Ltd" of "Acme Ltd."). A word belongs to an entity when its first
/// character does, as a word-level tagger labels a word by its first piece (and as
/// the model was trained, every piece of a word carrying the word's tag): an entity
/// ending inside a word takes the whole word, one starting inside a word starts at
/// the next, and one left without a word is dropped.
fn on_words(words: &[Span], entities: Vec<Entity>) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len());
    for mut e in entities {
        let w = words.partition_point(|w| w.end <= e.span.start);
        if w < words.len() && words[w].start < e.span.start {
            match words.get(w + 1) {
                Some(next) if next.start < e.span.end => e.span.start = next.start,
                _ => continue,
            }
        }
        let last = words.partition_point(|w| w.start < e.span.end);
        if last > 0 && words[last - 1].end > e.span.end {
            e.span.end = words[last - 1].end;
        }
        if out.last().is_some_and(|prev| prev.span.end > e.span.start) {
            continue; // (cannot happen: a word's first character is in one entity at most)
        }
        out.push(e);
    }
    out
}
