//! The pipeline: load the model once, then analyse any number of texts.

use std::path::Path;

use crate::error::Result;
use crate::ner::{bundled_model_dir, Ner, NerLayer};
use crate::segment::{segment, Segmentation};

/// Everything whosaid found in one text. Owns the text; layers refer to it by span.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The input text.
    pub text: String,
    /// Paragraphs, sentences, tokens.
    pub segmentation: Segmentation,
    /// Entities and POS/chunk tags.
    pub ner: NerLayer,
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

    /// The NER stage.
    pub fn ner(&self) -> &Ner {
        &self.ner
    }

    /// Analyse one text.
    pub fn analyze(&self, text: &str) -> Result<Analysis> {
        let segmentation = segment(text);
        let ner = self.ner.tag(text, &segmentation.sentences, &segmentation.tokens)?;
        Ok(Analysis {
            text: text.to_string(),
            segmentation,
            ner,
        })
    }
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
