//! The ONNX Runtime backend (cargo feature `onnx`).
//!
//! Runs `models/model.onnx` (written by `training/export_onnx.py` from the same
//! weights) through ONNX Runtime, loaded at run time from the library named by
//! `ORT_DYLIB_PATH` (for instance the one in PyPI's `onnxruntime`:
//! `.venv/lib/python3.11/site-packages/onnxruntime/capi/libonnxruntime.so.1.32.0`).

use std::path::Path;
use std::sync::Mutex;

use once_cell::sync::OnceCell;
use ort::session::Session;
use ort::value::Tensor;

use super::{ModelConfig, TaggerBackend, TaggerInput, TaggerOutput};
use crate::error::{Error, Result};

/// ONNX Runtime session. `run` needs `&mut`, so the session sits behind a mutex.
pub struct OnnxTagger {
    session: Mutex<Session>,
    n_ner: usize,
}

/// ONNX Runtime allows one environment per process: made on first use, then shared.
static ENVIRONMENT: OnceCell<ort::environment::Environment> = OnceCell::new();

impl OnnxTagger {
    /// Load `model.onnx` with the ONNX Runtime library at `ORT_DYLIB_PATH`.
    pub fn load(model: &Path, config: &ModelConfig) -> Result<Self> {
        let lib = std::env::var("ORT_DYLIB_PATH").map_err(|_| Error::Runtime {
            stage: "onnx load",
            message: "set ORT_DYLIB_PATH to libonnxruntime.so (see README, Backends)".into(),
        })?;
        if !model.exists() {
            return Err(Error::ModelFile {
                path: model.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "run training/export_onnx.py"),
            });
        }
        let environment = ENVIRONMENT.get_or_try_init(|| {
            ort::init_from(&lib)
                .map_err(|e| Error::runtime("onnx load", e))?
                .build()
                .map_err(|e| Error::runtime("onnx load", e))
        })?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let session = Session::builder(environment)
            .and_then(|b| b.with_intra_threads(threads).map_err(Into::into))
            .and_then(|mut b| b.commit_from_file(model))
            .map_err(|e| Error::BadModelFile {
                path: model.to_path_buf(),
                reason: e.to_string(),
            })?;
        Ok(OnnxTagger {
            session: Mutex::new(session),
            n_ner: config.ner_labels.len(),
        })
    }
}

fn as_i64(v: &[u32]) -> Vec<i64> {
    v.iter().map(|&x| x as i64).collect()
}

fn argmax_rows(logits: &[f32], k: usize) -> Vec<u32> {
    logits
        .chunks(k)
        .map(|row| {
            let mut best = 0;
            for (j, &x) in row.iter().enumerate() {
                if x > row[best] {
                    best = j;
                }
            }
            best as u32
        })
        .collect()
}

impl TaggerBackend for OnnxTagger {
    fn name(&self) -> &'static str {
        "onnx"
    }

    fn forward(&self, input: &TaggerInput) -> Result<TaggerOutput> {
        let err = |e: ort::Error| Error::runtime("ner forward (onnx)", e);
        let shape = [input.batch, input.len];
        let tensor = |v: &[u32]| Tensor::from_array((shape, as_i64(v))).map_err(err);
        let inputs = ort::inputs![
            "ids" => tensor(&input.ids)?,
            "piece_shape" => tensor(&input.piece_shape)?,
            "word_shape" => tensor(&input.word_shape)?,
            "mask" => tensor(&input.mask)?,
        ];
        let mut session = self
            .session
            .lock()
            .map_err(|e| Error::runtime("ner forward (onnx)", e))?;
        let outputs = session.run(inputs).map_err(err)?;
        let (_, ner) = outputs["ner"].try_extract_tensor::<f32>().map_err(err)?;
        let (_, pos) = outputs["pos"].try_extract_tensor::<f32>().map_err(err)?;
        let (_, chunk) = outputs["chunk"].try_extract_tensor::<f32>().map_err(err)?;
        let n = input.batch * input.len;
        // log-softmax over the NER labels, as the candle backend returns
        let k = self.n_ner;
        let mut logp = Vec::with_capacity(ner.len());
        for row in ner.chunks(k) {
            let max = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            let sum: f32 = row.iter().map(|&x| (x - max).exp()).sum();
            let log_z = max + sum.ln();
            logp.extend(row.iter().map(|&x| x - log_z));
        }
        Ok(TaggerOutput {
            ner: logp,
            pos: argmax_rows(pos, pos.len() / n),
            chunk: argmax_rows(chunk, chunk.len() / n),
            attribution: Vec::new(),
        })
    }
}
