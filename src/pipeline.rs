//! The pipeline: load the model once, then analyse any number of texts.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::attribute::{attribute, Attribution};
use crate::cues::{find_cues, Cue};
use crate::document::DocView;
use crate::error::Result;
use crate::ner::{bundled_model_dir, Ner, NerLayer};
use crate::quotes::{find_marked, find_quotes, Quote};
use crate::segment::{segment, Segmentation};
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
        let ner = self.ner.tag(text, &segmentation.sentences, &segmentation.tokens)?;
        let t2 = Instant::now();
        let analysis = self.rules(text, segmentation, ner);
        let times = StageTimes {
            segment: t1 - t0,
            model: t2 - t1,
            rules: t2.elapsed(),
        };
        Ok((analysis, times))
    }

    /// Analyse many texts; the model runs over all of them in shared batches,
    /// which is much faster than one `analyze` call per short text.
    pub fn analyze_batch(&self, texts: &[&str]) -> Result<Vec<Analysis>> {
        let segmentations: Vec<Segmentation> = texts.iter().map(|t| segment(t)).collect();
        let inputs: Vec<_> = texts
            .iter()
            .zip(&segmentations)
            .map(|(t, s)| (*t, s.sentences.as_slice(), s.tokens.as_slice()))
            .collect();
        let layers = self.ner.tag_many(&inputs)?;
        Ok(texts
            .iter()
            .zip(segmentations)
            .zip(layers)
            .map(|((t, seg), ner)| self.rules(t, seg, ner))
            .collect())
    }

    /// The rule stages, after the model: speakers, cues, quotes, attributions.
    fn rules(&self, text: &str, segmentation: Segmentation, ner: NerLayer) -> Analysis {
        let view = DocView::new(text, &segmentation, &ner, &self.ner.config().pos_labels);
        // quotation marks are paired once: speakers skip names inside them, quotes start from them
        let marked = find_marked(&view);
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
