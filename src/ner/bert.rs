//! The default backend: a BERT encoder with case-shape embeddings and three
//! token-classification heads (NER, POS, chunk), in pure Rust on candle.
//!
//! Follows the layout of candle-transformers' `models/bert.rs` (one struct per
//! layer with `load`/`forward`, checkpoint key names), with two changes for
//! speed on CPU: Q, K and V are fused into one matrix, and every dense layer
//! keeps its weight pre-transposed so a forward pass is plain 2-D matmuls.

use std::path::Path;

use candle_core::{DType, Device, Module, Tensor, D};
use candle_nn::{LayerNorm, VarBuilder};

use super::{ModelConfig, TaggerBackend, TaggerInput, TaggerOutput};
use crate::error::{Error, Result};

type CResult<T> = candle_core::Result<T>;

/// A dense layer `x W^T + b` with `W^T` stored contiguous.
struct Dense {
    weight_t: Tensor,
    bias: Tensor,
}

impl Dense {
    fn load(vb: VarBuilder, din: usize, dout: usize) -> CResult<Self> {
        let w = vb.get((dout, din), "weight")?;
        let bias = vb.get(dout, "bias")?;
        Ok(Dense {
            weight_t: w.t()?.contiguous()?,
            bias,
        })
    }
    fn from_parts(weights: &[Tensor], biases: &[Tensor]) -> CResult<Self> {
        let w = Tensor::cat(weights, 0)?;
        Ok(Dense {
            weight_t: w.t()?.contiguous()?,
            bias: Tensor::cat(biases, 0)?,
        })
    }
    /// `x`: [n, din] -> [n, dout]
    fn forward(&self, x: &Tensor) -> CResult<Tensor> {
        x.matmul(&self.weight_t)?.broadcast_add(&self.bias)
    }
}

fn layer_norm(vb: VarBuilder, size: usize, eps: f64) -> CResult<LayerNorm> {
    let weight = vb.get(size, "weight")?;
    let bias = vb.get(size, "bias")?;
    Ok(LayerNorm::new(weight, bias, eps))
}

struct Layer {
    qkv: Dense,
    attn_out: Dense,
    attn_norm: LayerNorm,
    intermediate: Dense,
    output: Dense,
    out_norm: LayerNorm,
    heads: usize,
    hidden: usize,
}

impl Layer {
    fn load(vb: VarBuilder, cfg: &ModelConfig) -> CResult<Self> {
        let h = cfg.hidden_size;
        let sa = vb.pp("attention").pp("self");
        let (mut ws, mut bs) = (Vec::new(), Vec::new());
        // 1/sqrt(head_dim) is folded into the query projection: one pass less per layer
        let scale = 1.0 / ((h / cfg.num_attention_heads) as f64).sqrt();
        for name in ["query", "key", "value"] {
            let (w, b) = (sa.pp(name).get((h, h), "weight")?, sa.pp(name).get(h, "bias")?);
            if name == "query" {
                ws.push((w * scale)?);
                bs.push((b * scale)?);
            } else {
                ws.push(w);
                bs.push(b);
            }
        }
        Ok(Layer {
            qkv: Dense::from_parts(&ws, &bs)?,
            attn_out: Dense::load(vb.pp("attention").pp("output").pp("dense"), h, h)?,
            attn_norm: layer_norm(vb.pp("attention").pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            intermediate: Dense::load(vb.pp("intermediate").pp("dense"), h, cfg.intermediate_size)?,
            output: Dense::load(vb.pp("output").pp("dense"), cfg.intermediate_size, h)?,
            out_norm: layer_norm(vb.pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            heads: cfg.num_attention_heads,
            hidden: h,
        })
    }

    /// `x`: [b*l, h]; `mask_bias`: [b, 1, 1, l] (0 or -10000).
    fn forward(&self, x: &Tensor, b: usize, l: usize, mask_bias: &Tensor) -> CResult<Tensor> {
        let (h, heads) = (self.hidden, self.heads);
        let d = h / heads;
        let qkv = self.qkv.forward(x)?.reshape((b, l, 3, heads, d))?;
        let qkv = qkv.permute((2, 0, 3, 1, 4))?; // [3, b, heads, l, d]
        let q = qkv.get(0)?.contiguous()?;
        let k = qkv.get(1)?.contiguous()?;
        let v = qkv.get(2)?.contiguous()?;
        let scores = q.matmul(&k.t()?)?.broadcast_add(mask_bias)?;
        let probs = candle_nn::ops::softmax_last_dim(&scores)?;
        let ctx = probs.matmul(&v)?; // [b, heads, l, d]
        let ctx = ctx.transpose(1, 2)?.reshape((b * l, h))?;
        let x = self.attn_norm.forward(&(self.attn_out.forward(&ctx)? + x)?)?;
        let inter = super::gelu::gelu_erf(&self.intermediate.forward(&x)?)?;
        self.out_norm.forward(&(self.output.forward(&inter)? + x)?)
    }
}

/// The candle backend. `Send + Sync`: tensors are immutable and shared.
pub struct CandleTagger {
    word: Tensor,
    position: Tensor,
    token_type0: Tensor,
    piece_shape: Tensor,
    word_shape: Tensor,
    emb_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: Dense,
    n_ner: usize,
    n_pos: usize,
    n_chunk: usize,
    device: Device,
}

impl CandleTagger {
    /// Load weights from `model.safetensors` (any float dtype; computed in f32).
    pub fn load(weights: &Path, cfg: &ModelConfig) -> Result<Self> {
        let device = Device::Cpu;
        let bad = |e: candle_core::Error| Error::BadModelFile {
            path: weights.to_path_buf(),
            reason: e.to_string(),
        };
        let bytes = std::fs::read(weights).map_err(|source| Error::ModelFile {
            path: weights.to_path_buf(),
            source,
        })?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device).map_err(bad)?;
        Self::from_var_builder(vb, cfg, device).map_err(bad)
    }

    fn from_var_builder(vb: VarBuilder, cfg: &ModelConfig, device: Device) -> CResult<Self> {
        let h = cfg.hidden_size;
        let e = vb.pp("embeddings");
        let n_shapes = cfg.shapes.len();
        let (n_ner, n_pos, n_chunk) = (cfg.ner_labels.len(), cfg.pos_labels.len(), cfg.chunk_labels.len());
        // The three heads run as one matmul: [h] -> [ner | pos | chunk].
        let mut ws = Vec::new();
        let mut bs = Vec::new();
        for (name, n) in [("ner", n_ner), ("pos", n_pos), ("chunk", n_chunk)] {
            ws.push(vb.pp(name).get((n, h), "weight")?);
            bs.push(vb.pp(name).get(n, "bias")?);
        }
        let layers = (0..cfg.num_hidden_layers)
            .map(|i| Layer::load(vb.pp("encoder").pp("layer").pp(i.to_string()), cfg))
            .collect::<CResult<Vec<_>>>()?;
        Ok(CandleTagger {
            word: e.pp("word_embeddings").get((cfg.vocab_size, h), "weight")?,
            position: e
                .pp("position_embeddings")
                .get((cfg.max_position_embeddings, h), "weight")?,
            token_type0: e
                .pp("token_type_embeddings")
                .get((cfg.type_vocab_size, h), "weight")?
                .get(0)?,
            piece_shape: vb.pp("piece_shape").get((n_shapes, h), "weight")?,
            word_shape: vb.pp("word_shape").get((n_shapes, h), "weight")?,
            emb_norm: layer_norm(e.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            layers,
            heads: Dense::from_parts(&ws, &bs)?,
            n_ner,
            n_pos,
            n_chunk,
            device,
        })
    }

    fn run(&self, input: &TaggerInput) -> CResult<TaggerOutput> {
        let (b, l) = (input.batch, input.len);
        let n = b * l;
        let ids = Tensor::from_slice(&input.ids, n, &self.device)?;
        let ps = Tensor::from_slice(&input.piece_shape, n, &self.device)?;
        let ws = Tensor::from_slice(&input.word_shape, n, &self.device)?;
        let pos = self.position.narrow(0, 0, l)?.repeat((b, 1))?;
        let x = (self.word.embedding(&ids)? + self.piece_shape.embedding(&ps)?)?;
        let x = ((x + self.word_shape.embedding(&ws)?)? + pos)?.broadcast_add(&self.token_type0)?;
        let mut x = self.emb_norm.forward(&x)?;
        let bias: Vec<f32> = input
            .mask
            .iter()
            .map(|&m| if m == 0 { -10000.0 } else { 0.0 })
            .collect();
        let mask_bias = Tensor::from_vec(bias, (b, 1, 1, l), &self.device)?;
        for layer in &self.layers {
            x = layer.forward(&x, b, l, &mask_bias)?;
        }
        let logits = self.heads.forward(&x)?; // [n, ner+pos+chunk]
        let ner = logits.narrow(1, 0, self.n_ner)?;
        let pos = logits.narrow(1, self.n_ner, self.n_pos)?;
        let chunk = logits.narrow(1, self.n_ner + self.n_pos, self.n_chunk)?;
        Ok(TaggerOutput {
            ner: candle_nn::ops::log_softmax(&ner, D::Minus1)?.flatten_all()?.to_vec1()?,
            pos: pos.argmax(D::Minus1)?.to_vec1()?,
            chunk: chunk.argmax(D::Minus1)?.to_vec1()?,
        })
    }
}

impl TaggerBackend for CandleTagger {
    fn name(&self) -> &'static str {
        "candle"
    }
    fn forward(&self, input: &TaggerInput) -> Result<TaggerOutput> {
        self.run(input).map_err(|e| Error::runtime("ner forward (candle)", e))
    }
}
