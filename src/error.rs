//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in whosaid.
///
/// Input text never produces an error: any string, empty or 1 MB long, is
/// analysed. Errors come from the model files and the model runtime.
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
}

/// `Result` with whosaid's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn runtime(stage: &'static str, err: impl std::fmt::Display) -> Self {
        Error::Runtime {
            stage,
            message: err.to_string(),
        }
    }
}
