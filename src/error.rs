//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in whosaid.
///
/// Input text never produces an error: any string, empty or 1 MB long, is
/// analysed. Errors come from the model files and the model runtime, and, as
/// the last line of defence, [`Error::Internal`] for a stage that failed on one
/// document (a caught panic) instead of ending the process.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A model file is missing or unreadable. The model directory must hold
    /// `config.json`, `tokenizer.json` and `model.safetensors` (the crate ships
    /// them in `models/`; `training/train_ner.py --export DIR` writes them).
    #[error("cannot read model file {path}: {source}")]
    ModelFile {
        /// The file that could not be read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A model file exists but its content is not what whosaid expects.
    #[error("bad model file {path}: {reason}")]
    BadModelFile {
        /// The offending file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The tensor runtime failed while running the model.
    #[error("model runtime error in {stage}: {message}")]
    Runtime {
        /// Which stage was running (e.g. "ner forward").
        stage: &'static str,
        /// The runtime's message.
        message: String,
    },
    /// The tokenizer failed on the input.
    #[error("tokenizer error: {0}")]
    Tokenizer(String),
    /// A layer given to [`crate::Pipeline::analyze_tagged`] does not fit its text
    /// (tags not one per token, an entity off the text or off char boundaries).
    #[error("layer does not fit the text: {0}")]
    BadLayer(String),
    /// A bug in whosaid: a stage failed on this document (a panic, caught). The
    /// other documents of a batch are unaffected; please report the text.
    #[error("internal error in {stage} (a bug in whosaid; please report the text): {message}")]
    Internal {
        /// Which part failed ("rule stages", "model").
        stage: &'static str,
        /// The panic's message.
        message: String,
    },
}

/// `Result` with whosaid's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An [`Error::Internal`] from a caught panic's payload.
    pub(crate) fn from_panic(stage: &'static str, payload: Box<dyn std::any::Any + Send>) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic without a message".to_string());
        Error::Internal { stage, message }
    }

    pub(crate) fn runtime(stage: &'static str, err: impl std::fmt::Display) -> Self {
        Error::Runtime {
            stage,
            message: err.to_string(),
        }
    }
}
