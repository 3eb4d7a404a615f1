//! The pipeline: load the model once, then analyse any number of texts.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::attribute::{attribute, Attribution};
use crate::cues::{find_cues, Cue};
use crate::document::DocView;
use crate::error::{Error, Result};
use crate::marks::find_marked;
use crate::ner::{bundled_model_dir, Ner, NerLayer, Precision};
use crate::quotes::{find_quotes, Quote};
use crate::segment::{segment, Segmentation};
use crate::span::Span;
use crate::speakers::{find_speakers, SpeakerLayer};

/// Everything whosaid found in one text. Owns the text; layers refer to it by span.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The input text.
    pub text: String,
    /// Paragraphs, sentences, tokens.
    pub segmentation: Segmentation,
    /// Entities and POS/chunk tags.
    pub ner: NerLayer,
    /// Mentions and speakers.
    pub speakers: SpeakerLayer,
    /// Speech cues.
    pub cues: Vec<Cue>,
    /// Quotes, in text order.
    pub quotes: Vec<Quote>,
    /// Who said each quote (same order as `quotes`).
    pub attributions: Vec<Attribution>,
}

/// Loads the model once; `analyze` is then cheap to call from many threads
/// (`Pipeline` is `Send + Sync`).
pub struct Pipeline {
    ner: Ner,
}

impl Pipeline {
    /// Load the model bundled with the crate (`models/`).
    pub fn load_bundled() -> Result<Self> {
        Self::load(&bundled_model_dir())
    }

    /// Load the model in `dir` (`config.json`, `tokenizer.json`, `model.safetensors`).
    pub fn load(dir: &Path) -> Result<Self> {
        Ok(Pipeline { ner: Ner::load(dir)? })
    }

    /// Build from an already-loaded recognizer (another backend, say).
    pub fn from_ner(ner: Ner) -> Self {
        Pipeline { ner }
    }

    /// Quotes from the rules alone (`false`), or the rules checked and completed by the
    /// model's attribution tagger (`true`, the default; a model without the tagger
    /// always gives the rules alone).
    /// (Off, the model skips the tagger: about twice the throughput.)
    pub fn set_learned_attribution(&mut self, on: bool) {
        self.ner.enable_attribution(on);
    }

    /// Run the encoders in int8 (the default where the CPU has VNNI: about twice as
    /// fast, the same figures) or f32 (the model as trained); returns what it now runs.
    /// See [`Precision`].
    pub fn set_precision(&mut self, precision: Precision) -> Precision {
        self.ner.set_precision(precision)
    }

    /// What the encoders compute in.
    pub fn precision(&self) -> Precision {
        self.ner.precision()
    }

    /// True when quotes use the attribution tagger.
    pub fn uses_learned_attribution(&self) -> bool {
        self.ner.has_attribution()
    }

    /// The NER stage.
    pub fn ner(&self) -> &Ner {
        &self.ner
    }

    /// The NER stage, to change its batch size.
    pub fn ner_mut(&mut self) -> &mut Ner {
        &mut self.ner
    }

    /// Analyse one text.
    pub fn analyze(&self, text: &str) -> Result<Analysis> {
        Ok(self.analyze_timed(text)?.0)
    }

    /// Analyse one text and say how long each part took (for profiling: the
    /// `throughput` example reports the share of the time spent outside the model).
    pub fn analyze_timed(&self, text: &str) -> Result<(Analysis, StageTimes)> {
        let t0 = Instant::now();
        let segmentation = segment(text);
        let t1 = Instant::now();
        // (a panic in the model, a bug, fails this document alone, as one in the rules does)
        let ner = catch_unwind(AssertUnwindSafe(|| {
            self.ner.tag(text, &segmentation.sentences, &segmentation.tokens)
        }))
        .map_err(|panic| Error::from_panic("model", panic))??;
        let t2 = Instant::now();
        let analysis = self.rules(text, segmentation, ner)?;
        let times = StageTimes {
            segment: t1 - t0,
            model: t2 - t1,
            rules: t2.elapsed(),
        };
        Ok((analysis, times))
    }

    /// Analyse many texts; the model runs over all of them in shared batches,
    /// which is much faster than one `analyze` call per short text.
    /// The first document that fails fails the call; [`Pipeline::analyze_each`]
    /// gives one result per document instead.
    pub fn analyze_batch(&self, texts: &[&str]) -> Result<Vec<Analysis>> {
        self.analyze_each(texts).into_iter().collect()
    }

    /// Analyse many texts in shared batches, one result per text: a document that
    /// fails (a model error, or a caught internal failure) fails alone and the
    /// others are analysed. This is the entry point for batch jobs.
    pub fn analyze_each(&self, texts: &[&str]) -> Vec<Result<Analysis>> {
        // documents are segmented, and later run through the rules, in parallel (rayon's
        // pool: `RAYON_NUM_THREADS`, or the binary's `--threads`); the model batches them
        let segmentations: Vec<Segmentation> = texts.par_iter().map(|t| segment(t)).collect();
        let inputs: Vec<_> = texts
            .iter()
            .zip(&segmentations)
            .map(|(t, s)| (*t, s.sentences.as_slice(), s.tokens.as_slice()))
            .collect();
        let layers = match catch_unwind(AssertUnwindSafe(|| self.ner.tag_many(&inputs))) {
            Ok(Ok(layers)) => layers,
            // one document broke the shared batch: run each alone, so only it fails
            _ if texts.len() > 1 => return texts.iter().map(|t| self.analyze(t)).collect(),
            Ok(Err(e)) => return vec![Err(e)],
            Err(panic) => return vec![Err(Error::from_panic("model", panic))],
        };
        texts
            .par_iter()
            .zip(segmentations)
            .zip(layers)
            .map(|((t, seg), ner)| self.rules(t, seg, ner))
            .collect()
    }

    /// Analyse a text whose entities and POS tags come from elsewhere (another
    /// tagger, a gold corpus, a test generator): the rule stages run on `ner` as the
    /// model's layer. `ner.pos` holds one index into this model's
    /// [`crate::ner::ModelConfig::pos_labels`] per token of [`segment`]`(text)`
    /// (`chunk` may be empty); entities and learned spans must lie on char
    /// boundaries inside the text, in order. A layer that does not fit is an
    /// [`Error::BadLayer`], never a panic.
    pub fn analyze_tagged(&self, text: &str, ner: NerLayer) -> Result<Analysis> {
        let segmentation = segment(text);
        check_layer(text, &segmentation, &ner, self.ner.config().pos_labels.len())?;
        self.rules(text, segmentation, ner)
    }

    /// The rule stages, after the model: speakers, cues, quotes, attributions.
    /// A panic in them (a bug) is caught and becomes this document's
    /// [`Error::Internal`], so it never takes a batch or a process down.
    fn rules(&self, text: &str, segmentation: Segmentation, ner: NerLayer) -> Result<Analysis> {
        catch_unwind(AssertUnwindSafe(|| self.rule_stages(text, segmentation, ner)))
            .map_err(|panic| Error::from_panic("rule stages", panic))
    }

    fn rule_stages(&self, text: &str, segmentation: Segmentation, ner: NerLayer) -> Analysis {
        // quotation marks are paired once: speakers skip names inside them, quotes start from them
        let marked = find_marked(text, &segmentation);
        let view = DocView::new(text, &segmentation, &ner, &self.ner.config().pos_labels, &marked);
        let speakers = find_speakers(&view, &marked);
        let cues = find_cues(&view);
        let quotes = find_quotes(&view, &speakers, &cues, &marked);
        let attributions = attribute(&view, &speakers, &quotes);
        drop(view);
        Analysis {
            text: text.to_string(),
            segmentation,
            ner,
            speakers,
            cues,
            quotes,
            attributions,
        }
    }
}

/// Does a layer from outside fit the text and its segmentation?
fn check_layer(text: &str, seg: &Segmentation, ner: &NerLayer, pos_labels: usize) -> Result<()> {
    let bad = |reason: String| Err(Error::BadLayer(reason));
    if ner.pos.len() != seg.tokens.len() {
        return bad(format!("{} POS tags for {} tokens", ner.pos.len(), seg.tokens.len()));
    }
    if !ner.chunk.is_empty() && ner.chunk.len() != seg.tokens.len() {
        return bad(format!(
            "{} chunk tags for {} tokens",
            ner.chunk.len(),
            seg.tokens.len()
        ));
    }
    if let Some(&p) = ner.pos.iter().find(|&&p| p as usize >= pos_labels) {
        return bad(format!("POS tag {p} is not one of the model's {pos_labels} tags"));
    }
    let fits = |s: Span| {
        s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
    };
    let mut previous_end = 0;
    for e in &ner.entities {
        if !fits(e.span) || e.span.start < previous_end {
            return bad(format!(
                "entity {:?} is off the text, off char boundaries or out of order",
                e.span
            ));
        }
        previous_end = e.span.end;
    }
    let learned = ner.attribution.iter().flatten();
    if let Some(l) = learned.clone().find(|l| !fits(l.span)) {
        return bad(format!(
            "learned span {:?} is off the text or off char boundaries",
            l.span
        ));
    }
    if learned
        .clone()
        .zip(learned.skip(1))
        .any(|(a, b)| b.span.start < a.span.start)
    {
        return bad("learned spans are out of order".to_string());
    }
    Ok(())
}

/// Wall-clock time of each part of one [`Pipeline::analyze_timed`] call.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    /// Sentences and tokens.
    pub segment: Duration,
    /// The NER stage: word-pieces, windows, the model, decoding.
    pub model: Duration,
    /// Speakers, cues, quotes and attributions.
    pub rules: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;
    fn assert_send_sync<T: Send + Sync>() {}
    #[test]
    fn pipeline_is_send_sync() {
        assert_send_sync::<Pipeline>();
    }
}
