//! The rust-bert backend (cargo feature `rust-bert`): the shipped weights in
//! rust-bert's `BertModel` on libtorch, through `tch`.
//!
//! rust-bert has no slot for the case-shape embeddings, so they are added to the
//! word embeddings here and passed in as `input_embeds`; the model then adds the
//! position and token-type embeddings and normalises, as in training. Needs
//! libtorch 2.4 at build and run time: `scripts/rust-bert.sh` sets it up.

use std::path::Path;

use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::Activation;
use tch::nn::{self, Module};
use tch::{Kind, Tensor};

use super::{ModelConfig, TaggerBackend, TaggerInput, TaggerOutput};
use crate::error::{Error, Result};

/// The rust-bert backend.
pub struct RustBertTagger {
    // owns the weights the modules below refer to
    _vars: nn::VarStore,
    bert: BertModel<BertEmbeddings>,
    word: Tensor,
    piece_shape: nn::Embedding,
    word_shape: nn::Embedding,
    ner: nn::Linear,
    pos: nn::Linear,
    chunk: nn::Linear,
    vocab: usize,
    n_shapes: usize,
}

// SAFETY: the model is only read after loading (no_grad inference), and libtorch's
// CPU kernels are safe to call from several threads on shared, read-only tensors.
unsafe impl Sync for RustBertTagger {}
unsafe impl Send for RustBertTagger {}

impl RustBertTagger {
    /// Load `model.safetensors` (any float dtype; computed in f32).
    pub fn load(weights: &Path, cfg: &ModelConfig) -> Result<Self> {
        if !weights.exists() {
            return Err(Error::ModelFile {
                path: weights.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "file not found"),
            });
        }
        let config = BertConfig {
            hidden_act: Activation::gelu,
            attention_probs_dropout_prob: 0.0,
            hidden_dropout_prob: 0.0,
            hidden_size: cfg.hidden_size as i64,
            intermediate_size: cfg.intermediate_size as i64,
            max_position_embeddings: cfg.max_position_embeddings as i64,
            num_attention_heads: cfg.num_attention_heads as i64,
            num_hidden_layers: cfg.num_hidden_layers as i64,
            type_vocab_size: cfg.type_vocab_size as i64,
            vocab_size: cfg.vocab_size as i64,
            ..Default::default()
        };
        let h = cfg.hidden_size as i64;
        let n_shapes = cfg.shapes.len();
        let mut vars = nn::VarStore::new(tch::Device::Cpu);
        let root = vars.root();
        let bert = BertModel::<BertEmbeddings>::new_with_optional_pooler(&root, &config, false);
        let emb = nn::EmbeddingConfig::default();
        let piece_shape = nn::embedding(&root / "piece_shape", n_shapes as i64, h, emb);
        let word_shape = nn::embedding(&root / "word_shape", n_shapes as i64, h, emb);
        let lin = nn::LinearConfig::default();
        let ner = nn::linear(&root / "ner", h, cfg.ner_labels.len() as i64, lin);
        let pos = nn::linear(&root / "pos", h, cfg.pos_labels.len() as i64, lin);
        let chunk = nn::linear(&root / "chunk", h, cfg.chunk_labels.len() as i64, lin);
        vars.load(weights).map_err(|e| Error::BadModelFile {
            path: weights.to_path_buf(),
            reason: e.to_string(),
        })?;
        // `load` gives each variable the file's dtype (f16 here): compute in f32
        vars.float();
        let word = vars
            .variables()
            .get("embeddings.word_embeddings.weight")
            .map(Tensor::shallow_clone)
            .ok_or_else(|| Error::BadModelFile {
                path: weights.to_path_buf(),
                reason: "no embeddings.word_embeddings.weight".into(),
            })?;
        Ok(RustBertTagger {
            _vars: vars,
            bert,
            word,
            piece_shape,
            word_shape,
            ner,
            pos,
            chunk,
            vocab: cfg.vocab_size,
            n_shapes,
        })
    }

    fn run(&self, input: &TaggerInput) -> Result<TaggerOutput> {
        let (b, l) = (input.batch as i64, input.len as i64);
        let n = input.batch * input.len;
        if [
            input.ids.len(),
            input.piece_shape.len(),
            input.word_shape.len(),
            input.mask.len(),
        ] != [n; 4]
        {
            return Err(Error::runtime(
                "ner forward (rust-bert)",
                "input arrays of the wrong size",
            ));
        }
        if input.ids.iter().any(|&i| i as usize >= self.vocab)
            || input
                .piece_shape
                .iter()
                .chain(&input.word_shape)
                .any(|&s| s as usize >= self.n_shapes)
        {
            return Err(Error::runtime("ner forward (rust-bert)", "id or shape out of range"));
        }
        let tensor = |v: &[u32]| Tensor::from_slice(&v.iter().map(|&x| x as i64).collect::<Vec<_>>()).view([b, l]);
        let _no_grad = tch::no_grad_guard();
        let embeds = Tensor::embedding(&self.word, &tensor(&input.ids), -1, false, false)
            + self.piece_shape.forward(&tensor(&input.piece_shape))
            + self.word_shape.forward(&tensor(&input.word_shape));
        let mask = tensor(&input.mask);
        let out = self
            .bert
            .forward_t(None, Some(&mask), None, None, Some(&embeds), None, None, false)
            .map_err(|e| Error::runtime("ner forward (rust-bert)", e))?;
        let hidden = out.hidden_state;
        let ner = self.ner.forward(&hidden).log_softmax(-1, Kind::Float).flatten(0, -1);
        let tags = |t: Tensor| -> Result<Vec<u32>> {
            let v = Vec::<i64>::try_from(t.argmax(-1, false).flatten(0, -1))
                .map_err(|e| Error::runtime("ner forward (rust-bert)", e))?;
            Ok(v.into_iter().map(|x| x as u32).collect())
        };
        Ok(TaggerOutput {
            ner: Vec::<f32>::try_from(ner).map_err(|e| Error::runtime("ner forward (rust-bert)", e))?,
            pos: tags(self.pos.forward(&hidden))?,
            chunk: tags(self.chunk.forward(&hidden))?,
            attribution: Vec::new(),
        })
    }
}

impl TaggerBackend for RustBertTagger {
    fn name(&self) -> &'static str {
        "rust-bert"
    }
    fn forward(&self, input: &TaggerInput) -> Result<TaggerOutput> {
        self.run(input)
    }
}
