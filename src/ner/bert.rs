//! The default backend: a BERT encoder with case-shape embeddings and three
//! token-classification heads (NER, POS, chunk), in pure Rust.
//!
//! candle reads the weights (safetensors, any float dtype, computed in f32); the
//! forward pass is a handful of fused CPU kernels over plain `f32` slices, with the
//! matrix products done by `gemm`, the crate behind candle's CPU matmul. Profiling the
//! tensor-op version showed a third of the time outside the matmuls (copies for head
//! permutes, padded rows, separate bias/residual/mask passes, two thread pools
//! spinning against each other on two cores). Here:
//!
//! * no padding: the real positions of all rows are packed into one `[tokens, hidden]`
//!   matrix; only attention looks across positions, and it runs per row;
//! * bias and residual are written into the output before the matmul accumulates into
//!   it (`dst = dst + x·Wᵀ`), GELU and layer norm run in place;
//! * Q, K and V are one fused matrix with 1/√d folded into Q; attention reads the heads
//!   in place through strides (no permute copies) and skips padded keys;
//! * threads work on whole groups of rows (sequences) through all layers, so a batch
//!   costs one fork-join instead of one per operation; a single row splits its
//!   matmuls across threads instead.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use gemm::Parallelism;
use rayon::prelude::*;

use super::quant::{Kernel, QuantRows, QuantWeights};
use super::{ModelConfig, Precision, TaggerBackend, TaggerInput, TaggerOutput};
use crate::error::{Error, Result};

type CResult<T> = candle_core::Result<T>;

fn to_vec(t: &Tensor) -> CResult<Vec<f32>> {
    t.flatten_all()?.to_vec1::<f32>()
}

/// A dense layer `x Wᵀ + b`, with `Wᵀ` stored row-major `[din, dout]`.
struct Dense {
    weight_t: Vec<f32>,
    bias: Vec<f32>,
    din: usize,
    dout: usize,
    /// The weights in int8, when the layer runs quantized (see [`super::quant`]).
    quant: Option<(QuantWeights, Kernel)>,
}

impl Dense {
    fn from_parts(weights: &[Tensor], biases: &[Tensor]) -> CResult<Self> {
        let w = Tensor::cat(weights, 0)?; // [dout, din]
        let (dout, din) = w.dims2()?;
        Ok(Dense {
            weight_t: to_vec(&w.t()?.contiguous()?)?,
            bias: to_vec(&Tensor::cat(biases, 0)?)?,
            din,
            dout,
            quant: None,
        })
    }

    fn load(vb: VarBuilder, din: usize, dout: usize) -> CResult<Self> {
        Self::from_parts(&[vb.get((dout, din), "weight")?], &[vb.get(dout, "bias")?])
    }

    /// `out[n, dout] = x[n, din] Wᵀ + b (+ residual[n, dout])`; an int8 layer quantizes
    /// `x` into `rows`.
    fn forward(&self, x: &[f32], residual: Option<&[f32]>, out: &mut Vec<f32>, par: Parallelism, rows: &mut QuantRows) {
        let n = x.len() / self.din;
        out.clear();
        match residual {
            Some(r) => {
                for row in r.chunks_exact(self.dout) {
                    out.extend(row.iter().zip(&self.bias).map(|(a, b)| a + b));
                }
            }
            None => {
                for _ in 0..n {
                    out.extend_from_slice(&self.bias);
                }
            }
        }
        assert_eq!(out.len(), n * self.dout);
        if n == 0 {
            return;
        }
        if let Some((q, kernel)) = &self.quant {
            rows.fill(x, self.din);
            q.matmul_add(rows, out, *kernel, !matches!(par, Parallelism::None));
            return;
        }
        // SAFETY: the sizes and strides below describe exactly `x` ([n, din]),
        // `weight_t` ([din, dout]) and `out` ([n, dout]), all row-major.
        unsafe {
            gemm::gemm(
                n,
                self.dout,
                self.din,
                out.as_mut_ptr(),
                1,
                self.dout as isize,
                true,
                x.as_ptr(),
                1,
                self.din as isize,
                self.weight_t.as_ptr(),
                1,
                self.dout as isize,
                1.0,
                1.0,
                false,
                false,
                false,
                par,
            )
        }
    }
}

struct LayerNorm {
    weight: Vec<f32>,
    bias: Vec<f32>,
    eps: f32,
}

impl LayerNorm {
    fn load(vb: VarBuilder, size: usize, eps: f64) -> CResult<Self> {
        Ok(LayerNorm {
            weight: to_vec(&vb.get(size, "weight")?)?,
            bias: to_vec(&vb.get(size, "bias")?)?,
            eps: eps as f32,
        })
    }

    fn forward_in_place(&self, x: &mut [f32]) {
        layer_norm_rows(x, &self.weight, &self.bias, self.eps);
    }
}

/// Layer norm of each row of `x` (rows of `weight.len()`), in place.
#[inline(always)]
fn layer_norm_rows_generic(x: &mut [f32], weight: &[f32], bias: &[f32], eps: f32) {
    const LANES: usize = 16;
    let h = weight.len();
    let whole = h / LANES * LANES;
    // (sums in lanes, plain loops: see dispatch.rs)
    for row in x.chunks_exact_mut(h) {
        let (mut sums, mut sum) = ([0f32; LANES], 0f32);
        for c in row[..whole].chunks_exact(LANES) {
            for i in 0..LANES {
                sums[i] += c[i];
            }
        }
        for &v in &row[whole..] {
            sum += v;
        }
        let mean = (sum + sums.iter().sum::<f32>()) / h as f32;
        let (mut squares, mut square) = ([0f32; LANES], 0f32);
        for c in row[..whole].chunks_exact(LANES) {
            for i in 0..LANES {
                squares[i] += (c[i] - mean) * (c[i] - mean);
            }
        }
        for &v in &row[whole..] {
            square += (v - mean) * (v - mean);
        }
        let var = (square + squares.iter().sum::<f32>()) / h as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for i in 0..h {
            row[i] = (row[i] - mean) * inv * weight[i] + bias[i];
        }
    }
}

dispatch!(layer_norm_rows, layer_norm_rows_generic, (x: &mut [f32], weight: &[f32], bias: &[f32], eps: f32));

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

/// Reusable buffers of one thread's forward pass.
#[derive(Default)]
struct Scratch {
    qkv: Vec<f32>,
    ctx: Vec<f32>,
    attn: Vec<f32>,
    inter: Vec<f32>,
    scores: Vec<f32>,
    quant: QuantRows,
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
            attn_norm: LayerNorm::load(vb.pp("attention").pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            intermediate: Dense::load(vb.pp("intermediate").pp("dense"), h, cfg.intermediate_size)?,
            output: Dense::load(vb.pp("output").pp("dense"), cfg.intermediate_size, h)?,
            out_norm: LayerNorm::load(vb.pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            heads: cfg.num_attention_heads,
            hidden: h,
        })
    }

    /// `x`: `[tokens, hidden]`, the packed rows whose lengths are `lens`; updated in place.
    fn forward(&self, x: &mut Vec<f32>, lens: &[usize], s: &mut Scratch, par: Parallelism) {
        let h = self.hidden;
        self.qkv.forward(x, None, &mut s.qkv, par, &mut s.quant);
        s.ctx.clear();
        s.ctx.resize(x.len(), 0.0);
        let mut row0 = 0;
        for &len in lens {
            self.attention(&s.qkv[row0 * 3 * h..], len, &mut s.ctx[row0 * h..], &mut s.scores);
            row0 += len;
        }
        self.attn_out
            .forward(&s.ctx, Some(&x[..]), &mut s.attn, par, &mut s.quant);
        self.attn_norm.forward_in_place(&mut s.attn);
        self.intermediate
            .forward(&s.attn, None, &mut s.inter, par, &mut s.quant);
        super::activations::gelu_in_place(&mut s.inter);
        self.output.forward(&s.inter, Some(&s.attn), x, par, &mut s.quant);
        self.out_norm.forward_in_place(x);
    }

    /// Self-attention of one row of `len` positions: `qkv` `[len, 3h]` (Q | K | V, heads
    /// side by side in each) to `ctx` `[len, h]`.
    fn attention(&self, qkv: &[f32], len: usize, ctx: &mut [f32], scores: &mut Vec<f32>) {
        let (h, d) = (self.hidden, self.hidden / self.heads);
        let stride = 3 * h as isize;
        scores.clear();
        scores.resize(len * len, 0.0);
        for head in 0..self.heads {
            let (q, k, v) = (head * d, h + head * d, 2 * h + head * d);
            assert!(qkv.len() >= (len - 1) * 3 * h + v + d && ctx.len() >= (len - 1) * h + q + d);
            // SAFETY: the asserted lengths cover every element the strides reach.
            unsafe {
                // scores[len, len] = Q_head[len, d] · K_headᵀ[d, len]
                gemm::gemm(
                    len,
                    len,
                    d,
                    scores.as_mut_ptr(),
                    1,
                    len as isize,
                    false,
                    qkv.as_ptr().add(q),
                    1,
                    stride,
                    qkv.as_ptr().add(k),
                    stride,
                    1,
                    0.0,
                    1.0,
                    false,
                    false,
                    false,
                    Parallelism::None,
                );
            }
            super::activations::softmax_rows(scores, len);
            // SAFETY: as above; `ctx` rows have stride h, this head's columns q..q+d.
            unsafe {
                // ctx_head[len, d] = P[len, len] · V_head[len, d]
                gemm::gemm(
                    len,
                    d,
                    len,
                    ctx.as_mut_ptr().add(q),
                    1,
                    h as isize,
                    false,
                    scores.as_ptr(),
                    1,
                    len as isize,
                    qkv.as_ptr().add(v),
                    1,
                    stride,
                    0.0,
                    1.0,
                    false,
                    false,
                    false,
                    Parallelism::None,
                );
            }
        }
    }
}

/// The default backend. `Send + Sync`: the weights are immutable and shared.
pub struct CandleTagger {
    word: Vec<f32>,
    position: Vec<f32>,
    token_type0: Vec<f32>,
    piece_shape: Vec<f32>,
    word_shape: Vec<f32>,
    emb_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: Dense,
    hidden: usize,
    vocab: usize,
    positions: usize,
    n_shapes: usize,
    n_ner: usize,
    n_pos: usize,
    n_chunk: usize,
    /// The learned attribution tagger, when its weights are loaded.
    attribution: Option<AttributionBranch>,
    /// Whether to run it.
    attribution_on: bool,
    /// What the dense layers compute in.
    precision: Precision,
}

/// The attribution tagger: trained copies of the encoder's top layers that branch
/// off after `shared` layers (so the NER encoder's first layers serve both), and a
/// classifier over [`super::ATTRIBUTION_LABELS`].
struct AttributionBranch {
    shared: usize,
    /// Its own input embeddings when it branches off before the first layer.
    embeddings: Option<OwnEmbeddings>,
    layers: Vec<Layer>,
    head: Dense,
}

/// A branch's own input embeddings; the word embeddings may stay the NER model's.
struct OwnEmbeddings {
    word: Option<Vec<f32>>,
    position: Vec<f32>,
    token_type0: Vec<f32>,
    piece_shape: Vec<f32>,
    word_shape: Vec<f32>,
    norm: LayerNorm,
}

/// The tables that make a position's input vector.
struct EmbeddingTables<'a> {
    word: &'a [f32],
    position: &'a [f32],
    token_type0: &'a [f32],
    piece_shape: &'a [f32],
    word_shape: &'a [f32],
    norm: &'a LayerNorm,
}

impl EmbeddingTables<'_> {
    /// `[tokens, hidden]` input vectors of the group's positions.
    fn embed(&self, h: usize, input: &TaggerInput, group: &Group) -> Vec<f32> {
        let mut x = Vec::with_capacity(group.at.len() * h);
        for &(r, p) in &group.at {
            let i = r * input.len + p;
            let (id, ps, ws) = (
                input.ids[i] as usize,
                input.piece_shape[i] as usize,
                input.word_shape[i] as usize,
            );
            let parts = [
                &self.word[id * h..(id + 1) * h],
                &self.piece_shape[ps * h..(ps + 1) * h],
                &self.word_shape[ws * h..(ws + 1) * h],
                &self.position[p * h..(p + 1) * h],
                self.token_type0,
            ];
            x.extend((0..h).map(|c| parts.iter().map(|v| v[c]).sum::<f32>()));
        }
        self.norm.forward_in_place(&mut x);
        x
    }
}

/// One group of rows a thread runs through the encoder: the packed real positions.
struct Group {
    /// (row in the batch, position in the row) of each packed position
    at: Vec<(usize, usize)>,
    /// real positions per row, in order
    lens: Vec<usize>,
}

impl CandleTagger {
    /// Load weights from `model.safetensors` (any float dtype; computed in f32).
    pub fn load(weights: &Path, cfg: &ModelConfig) -> Result<Self> {
        let bad = |e: candle_core::Error| Error::BadModelFile {
            path: weights.to_path_buf(),
            reason: e.to_string(),
        };
        let bytes = std::fs::read(weights).map_err(|source| Error::ModelFile {
            path: weights.to_path_buf(),
            source,
        })?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &Device::Cpu).map_err(bad)?;
        Self::from_var_builder(vb, cfg).map_err(bad)
    }

    fn from_var_builder(vb: VarBuilder, cfg: &ModelConfig) -> CResult<Self> {
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
        let token_types = e.pp("token_type_embeddings").get((cfg.type_vocab_size, h), "weight")?;
        Ok(CandleTagger {
            word: to_vec(&e.pp("word_embeddings").get((cfg.vocab_size, h), "weight")?)?,
            position: to_vec(
                &e.pp("position_embeddings")
                    .get((cfg.max_position_embeddings, h), "weight")?,
            )?,
            token_type0: to_vec(&token_types.get(0)?)?,
            piece_shape: to_vec(&vb.pp("piece_shape").get((n_shapes, h), "weight")?)?,
            word_shape: to_vec(&vb.pp("word_shape").get((n_shapes, h), "weight")?)?,
            emb_norm: LayerNorm::load(e.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            layers,
            heads: Dense::from_parts(&ws, &bs)?,
            hidden: h,
            vocab: cfg.vocab_size,
            positions: cfg.max_position_embeddings,
            n_shapes,
            n_ner,
            n_pos,
            n_chunk,
            attribution: None,
            attribution_on: true,
            precision: Precision::F32,
        })
    }

    /// Add the attribution tagger from `attribution.safetensors`: tensors
    /// `attribution.layer.{j}.*` (the encoder layer names) for the branch's layers and
    /// `attribution.classifier.{weight,bias}`; the branch starts after
    /// `num_hidden_layers - (its layers)` shared layers.
    pub fn load_attribution(&mut self, weights: &Path, cfg: &ModelConfig) -> Result<()> {
        let bad = |reason: String| Error::BadModelFile {
            path: weights.to_path_buf(),
            reason,
        };
        let bytes = std::fs::read(weights).map_err(|source| Error::ModelFile {
            path: weights.to_path_buf(),
            source,
        })?;
        let vb =
            VarBuilder::from_buffered_safetensors(bytes, DType::F32, &Device::Cpu).map_err(|e| bad(e.to_string()))?;
        let branch = vb.pp("attribution");
        let n_layers = (0..cfg.num_hidden_layers)
            .take_while(|j| branch.contains_tensor(&format!("layer.{j}.attention.self.query.weight")))
            .count();
        if n_layers == 0 {
            return Err(bad("no attribution.layer.0 tensors".to_string()));
        }
        let h = cfg.hidden_size;
        let shared = cfg.num_hidden_layers - n_layers;
        let own = branch.contains_tensor("embeddings.position_embeddings.weight");
        if own != (shared == 0) {
            return Err(bad(format!(
                "{n_layers} branch layers {} own embeddings",
                if own { "with" } else { "without" }
            )));
        }
        let load = || -> CResult<AttributionBranch> {
            let e = branch.pp("embeddings");
            let embeddings = if own {
                let word = if e.contains_tensor("word_embeddings.weight") {
                    Some(to_vec(&e.pp("word_embeddings").get((cfg.vocab_size, h), "weight")?)?)
                } else {
                    None
                };
                let n_shapes = cfg.shapes.len();
                Some(OwnEmbeddings {
                    word,
                    position: to_vec(
                        &e.pp("position_embeddings")
                            .get((cfg.max_position_embeddings, h), "weight")?,
                    )?,
                    token_type0: to_vec(
                        &e.pp("token_type_embeddings")
                            .get((cfg.type_vocab_size, h), "weight")?
                            .get(0)?,
                    )?,
                    piece_shape: to_vec(&branch.pp("piece_shape").get((n_shapes, h), "weight")?)?,
                    word_shape: to_vec(&branch.pp("word_shape").get((n_shapes, h), "weight")?)?,
                    norm: LayerNorm::load(e.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
                })
            } else {
                None
            };
            Ok(AttributionBranch {
                shared,
                embeddings,
                layers: (0..n_layers)
                    .map(|j| Layer::load(branch.pp("layer").pp(j.to_string()), cfg))
                    .collect::<CResult<Vec<_>>>()?,
                head: Dense::load(
                    branch.pp("classifier"),
                    cfg.hidden_size,
                    super::ATTRIBUTION_LABELS.len(),
                )?,
            })
        };
        self.attribution = Some(load().map_err(|e| bad(e.to_string()))?);
        self.set_precision(self.precision); // (the branch's layers too)
        Ok(())
    }

    /// Run the encoders' dense layers in int8 (`Precision::Int8`, when the CPU has an
    /// int8 kernel: the heads and attention stay f32) or all in f32; says which it runs.
    pub fn set_precision(&mut self, precision: Precision) -> Precision {
        let kernel = Kernel::detect().filter(|_| precision == Precision::Int8);
        let branch_layers = self.attribution.iter_mut().flat_map(|b| b.layers.iter_mut());
        for layer in self.layers.iter_mut().chain(branch_layers) {
            for dense in [
                &mut layer.qkv,
                &mut layer.attn_out,
                &mut layer.intermediate,
                &mut layer.output,
            ] {
                dense.quant =
                    kernel.and_then(|k| QuantWeights::new(&dense.weight_t, dense.din, dense.dout).map(|q| (q, k)));
            }
        }
        self.precision = if kernel.is_some() {
            Precision::Int8
        } else {
            Precision::F32
        };
        self.precision
    }

    fn check(&self, input: &TaggerInput) -> Result<()> {
        let n = input.batch * input.len;
        let bad = |what: String| Err(Error::runtime("ner forward (candle)", what));
        if [
            input.ids.len(),
            input.piece_shape.len(),
            input.word_shape.len(),
            input.mask.len(),
        ] != [n; 4]
        {
            return bad(format!("input arrays are not [{}, {}]", input.batch, input.len));
        }
        if input.len > self.positions {
            return bad(format!("{} positions > the model's {}", input.len, self.positions));
        }
        if let Some(id) = input.ids.iter().find(|&&id| id as usize >= self.vocab) {
            return bad(format!("word-piece id {id} outside the vocabulary"));
        }
        let shapes = input.piece_shape.iter().chain(&input.word_shape);
        if let Some(s) = shapes.into_iter().find(|&&s| s as usize >= self.n_shapes) {
            return bad(format!("case shape {s} unknown"));
        }
        Ok(())
    }

    /// Split the batch's rows into at most `threads` groups of about equal work.
    fn groups(input: &TaggerInput, threads: usize) -> Vec<Group> {
        let rows: Vec<Vec<usize>> = (0..input.batch)
            .map(|r| (0..input.len).filter(|&p| input.mask[r * input.len + p] != 0).collect())
            .collect();
        let total: usize = rows.iter().map(|r| r.len()).sum();
        let per_group = total.div_ceil(threads.max(1)).max(1);
        let mut groups = Vec::new();
        let mut cur = Group {
            at: Vec::new(),
            lens: Vec::new(),
        };
        for (r, positions) in rows.iter().enumerate() {
            if positions.is_empty() {
                continue;
            }
            cur.at.extend(positions.iter().map(|&p| (r, p)));
            cur.lens.push(positions.len());
            if cur.at.len() >= per_group {
                groups.push(std::mem::replace(
                    &mut cur,
                    Group {
                        at: Vec::new(),
                        lens: Vec::new(),
                    },
                ));
            }
        }
        if !cur.at.is_empty() {
            groups.push(cur);
        }
        groups
    }

    /// The attribution branch, when loaded and switched on.
    fn active_branch(&self) -> Option<&AttributionBranch> {
        self.attribution.as_ref().filter(|_| self.attribution_on)
    }

    /// Encoder and heads over one group: `[tokens, ner + pos + chunk]` logits, and the
    /// attribution branch's `[tokens, labels]` logits (empty without the branch).
    fn run_group(&self, input: &TaggerInput, group: &Group, par: Parallelism) -> (Vec<f32>, Vec<f32>) {
        let h = self.hidden;
        let mut x = EmbeddingTables {
            word: &self.word,
            position: &self.position,
            token_type0: &self.token_type0,
            piece_shape: &self.piece_shape,
            word_shape: &self.word_shape,
            norm: &self.emb_norm,
        }
        .embed(h, input, group);
        let mut scratch = Scratch::default();
        // (a branch with its own embeddings starts from them)
        let branch = self.active_branch();
        let mut branch_x = branch.and_then(|b| b.embeddings.as_ref()).map(|own| {
            EmbeddingTables {
                word: own.word.as_deref().unwrap_or(&self.word),
                position: &own.position,
                token_type0: &own.token_type0,
                piece_shape: &own.piece_shape,
                word_shape: &own.word_shape,
                norm: &own.norm,
            }
            .embed(h, input, group)
        });
        for (i, layer) in self.layers.iter().enumerate() {
            if branch_x.is_none() && branch.is_some_and(|b| b.shared == i) {
                branch_x = Some(x.clone());
            }
            layer.forward(&mut x, &group.lens, &mut scratch, par);
        }
        let mut logits = Vec::new();
        self.heads.forward(&x, None, &mut logits, par, &mut scratch.quant);
        let mut attribution = Vec::new();
        if let Some(branch) = branch {
            let mut bx = branch_x.unwrap_or(x);
            for layer in &branch.layers {
                layer.forward(&mut bx, &group.lens, &mut scratch, par);
            }
            branch
                .head
                .forward(&bx, None, &mut attribution, par, &mut scratch.quant);
        }
        (logits, attribution)
    }

    fn run(&self, input: &TaggerInput) -> Result<TaggerOutput> {
        self.check(input)?;
        let threads = rayon::current_num_threads();
        let groups = Self::groups(input, threads);
        // One group (a single row): its matmuls use the threads instead.
        let par = if groups.len() == 1 && threads > 1 {
            Parallelism::Rayon(threads)
        } else {
            Parallelism::None
        };
        let logits: Vec<(Vec<f32>, Vec<f32>)> = groups.par_iter().map(|g| self.run_group(input, g, par)).collect();

        let (n, k) = (input.batch * input.len, self.n_ner);
        let width = self.n_ner + self.n_pos + self.n_chunk;
        // Padding positions: uniform NER scores, tag 0.
        let a = super::ATTRIBUTION_LABELS.len();
        let mut out = TaggerOutput {
            ner: vec![-(k as f32).ln(); n * k],
            pos: vec![0; n],
            chunk: vec![0; n],
            attribution: if self.has_attribution() {
                vec![-(a as f32).ln(); n * a]
            } else {
                Vec::new()
            },
        };
        for (group, (logits, attribution)) in groups.iter().zip(&logits) {
            for (&(r, p), row) in group.at.iter().zip(logits.chunks_exact(width)) {
                let i = r * input.len + p;
                log_softmax_into(&row[..k], &mut out.ner[i * k..(i + 1) * k]);
                out.pos[i] = argmax(&row[k..k + self.n_pos]);
                out.chunk[i] = argmax(&row[k + self.n_pos..]);
            }
            for (&(r, p), row) in group.at.iter().zip(attribution.chunks_exact(a)) {
                let i = r * input.len + p;
                log_softmax_into(row, &mut out.attribution[i * a..(i + 1) * a]);
            }
        }
        Ok(out)
    }
}

fn log_softmax_into(logits: &[f32], out: &mut [f32]) {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let log_z = max + logits.iter().map(|v| (v - max).exp()).sum::<f32>().ln();
    for (o, v) in out.iter_mut().zip(logits) {
        *o = v - log_z;
    }
}

fn argmax(xs: &[f32]) -> u32 {
    let mut best = 0;
    for (i, v) in xs.iter().enumerate() {
        if *v > xs[best] {
            best = i;
        }
    }
    best as u32
}

impl TaggerBackend for CandleTagger {
    fn name(&self) -> &'static str {
        "candle"
    }
    fn has_attribution(&self) -> bool {
        self.active_branch().is_some()
    }
    fn enable_attribution(&mut self, on: bool) {
        self.attribution_on = on;
    }
    fn set_precision(&mut self, precision: Precision) -> Precision {
        CandleTagger::set_precision(self, precision)
    }
    fn precision(&self) -> Precision {
        self.precision
    }
    fn forward(&self, input: &TaggerInput) -> Result<TaggerOutput> {
        self.run(input)
    }
}
