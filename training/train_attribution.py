#!/usr/bin/env python3
"""A learned attribution tagger (Source / Cue / Content) on the shipped NER encoder.

Measures what issue 3 asks: does a small learned head, trained on PolNeAR train, find
speech contents better than whosaid's rules? The head is a branch of the shipped model:
layers 1-4 are shared with NER and frozen (so NER output is unchanged), two new layers
(initialised from layers 5-6) and a linear BIO classifier over
O, B/I-CONTENT, B/I-SOURCE, B/I-CUE are trained on layer-4 states.

Gold: speech attributions only (cue holds a reporting-verb form of
examples/eval_polnear/speech_forms.txt, or "according to"), first annotator file per article, as the
Rust evaluation does. Scoring: content P/R/F1 at >= 30% character overlap of both spans,
one-to-one greedy by overlap, the same rule as examples/eval_polnear/score.rs.

    .venv/bin/python training/train_attribution.py --epochs 3 --run training/runs/attr

`--full` instead fine-tunes the whole encoder (embeddings, case-shape embeddings and all
six layers, initialised from models/) plus the BIO classifier end to end, on the same
token windows computed on the fly (no layer-4 cache); meant for a GPU:

    python3 training/train_attribution.py --full --device cuda --epochs 10 --dump dev.json

In `--full` mode the best dev epoch (content F1) is kept, or with `--final` the last epoch
(a fixed number of epochs, no selection on dev; dev is only reported): its weights go to
`--ckpt` (default <run>/full.pt) and its dev predictions to `--dump`; per-epoch figures go to
<run>/metrics.json.

`--full --shared-layers K` (K >= 1) trains a branch of the NER model to ship with it: the
embeddings and layers 0..K-1 stay frozen (eval mode, no dropout), so NER output is unchanged
and their states are computed once for both; trainable copies of layers K..5 (initialised from
the NER model's) and the classifier are trained. `--export PATH.safetensors` writes the branch
in f16: `attribution.layer.{j}.<encoder layer sub-names>` (branch layer j = copy of encoder
layer K+j), `attribution.classifier.{weight,bias}` ([7, 384], [7]), metadata shared_layers,
labels, epochs, seed, lr; it is then reloaded (`load_branch`) and its log-probs compared with
the in-memory model on one dev window:

    python3 training/train_attribution.py --full --device cuda --shared-layers 2 --final --epochs 8 \
        --dump dev.json --export attr.safetensors

Checkpoints and cached features go to training/runs/<name>/ and training/cache/ (git-ignored).
"""
import argparse
import copy
import json
import os
import random
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(__file__))
from train_ner import (Layer, allowed_transitions, attention_bias, load_exported, shape_of,  # noqa: E402
                       viterbi, warmup_then_linear_decay)
from tokenizers import Tokenizer  # noqa: E402

LABELS = ["O", "B-CONTENT", "I-CONTENT", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE"]
SHARED_LAYERS = 4
CLS, SEP = 101, 102


def speech_forms(repo):
    path = os.path.join(repo, "examples/eval_polnear/speech_forms.txt")
    with open(path, encoding="utf-8") as f:
        return [s for s in (line.strip() for line in f) if s and not s.startswith("#")]


def is_speech(cue, forms):
    words = [w for w in re.split(r"[^0-9a-z]+", cue.lower()) if w]
    for f in forms:
        fw = f.split(" ")
        for i in range(len(words) - len(fw) + 1):
            if words[i:i + len(fw)] == fw:
                return True
    return False


def read_split(split_dir, forms):
    """[(stem, text, [gold])] with gold = {"content": [(s,e)], "cue": [...], "source": [...]}"""
    out = []
    anns = sorted(os.listdir(os.path.join(split_dir, "attributions")))
    first = {}
    for a in anns:
        stem = a.rsplit("_", 1)[0]
        first.setdefault(stem, a)
    for stem, a in sorted(first.items()):
        tp = os.path.join(split_dir, "text", stem + ".txt")
        if not os.path.exists(tp):
            continue
        text = open(tp, encoding="utf-8").read()
        spans, events = {}, []
        for line in open(os.path.join(split_dir, "attributions", a), encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if line.startswith("T") and len(f) >= 2 and " " in f[1]:
                offs = f[1].split(" ", 1)[1]
                try:
                    pieces = [tuple(int(x) for x in p.split()) for p in offs.split(";")]
                except ValueError:
                    continue
                spans[f[0]] = (pieces, f[2] if len(f) > 2 else "")
            elif line.startswith("E") and len(f) >= 2:
                events.append(f[1])
        golds = []
        for ev in events:
            g = {"content": [], "cue": [], "source": [], "cue_text": ""}
            for arg in ev.split():
                if ":" not in arg:
                    continue
                role, i = arg.split(":", 1)
                if i not in spans:
                    continue
                pieces, t = spans[i]
                for key in ("content", "cue", "source"):
                    if role.lower().startswith(key):
                        g[key] += pieces
                        if key == "cue":
                            g["cue_text"] += " " + t
            if g["content"] and is_speech(g["cue_text"], forms):
                g["content"].sort()
                golds.append(g)
        out.append((stem, text, golds))
    return out


def encode_article(tok, text, golds, max_len):
    """Windows of <= max_len-2 pieces ending at sentence ends where possible."""
    enc = tok.encode(text, add_special_tokens=False)
    ids, offs, wids = enc.ids, enc.offsets, enc.word_ids
    pre = {}
    for w, (a, b) in zip(wids, offs):
        lo, hi = pre.get(w, (a, b))
        pre[w] = (min(lo, a), max(hi, b))
    pshape = [shape_of(text[a:b]) for a, b in offs]
    wshape = [shape_of(text[pre[w][0]:pre[w][1]]) for w in wids]
    # char labels: content < source < cue (a cue inside its content keeps "cue")
    lab = np.zeros(len(text) + 1, dtype=np.int64)
    begin = np.zeros(len(text) + 1, dtype=bool)
    for key, b_id in (("content", 1), ("source", 3), ("cue", 5)):
        for g in golds:
            for s, e in g[key]:
                s, e = max(0, s), min(len(text), e)
                if s < e:
                    lab[s:e] = b_id
                    begin[s] = True
    labels, prev = [], 0
    for i, (a, b) in enumerate(offs):
        b_id = lab[a] if a < len(text) else 0
        if b_id == 0:
            labels.append(0)
        elif begin[a] or prev not in (b_id, b_id + 1):
            labels.append(b_id)
        else:
            labels.append(b_id + 1)
        prev = b_id if b_id else 0
    cap = max_len - 2
    ends = set()
    for i, (a, b) in enumerate(offs):
        piece = text[a:b]
        nxt = offs[i + 1][0] if i + 1 < len(offs) else len(text)
        if piece in (".", "?", "!", "\u201d", '"') or "\n" in text[b:nxt]:
            ends.add(i + 1)
    windows, s = [], 0
    n = len(ids)
    while s < n:
        e = min(n, s + cap)
        if e < n:
            cut = max((x for x in ends if s < x <= e), default=e)
            e = cut
        windows.append((s, e))
        s = e
    return {"ids": ids, "offs": offs, "pshape": pshape, "wshape": wshape, "labels": labels, "windows": windows}


class Branch(nn.Module):
    def __init__(self, base, cfg):
        super().__init__()
        h = cfg["hidden_size"]
        self.layer = nn.ModuleList([Layer(h, cfg["intermediate_size"], cfg["num_attention_heads"]) for _ in range(2)])
        for i, l in enumerate(self.layer):
            l.load_state_dict(base.encoder.layer[SHARED_LAYERS + i].state_dict())
        self.drop = nn.Dropout(0.1)
        self.cls = nn.Linear(h, len(LABELS))

    def forward(self, x, mask):
        bias = attention_bias(mask)
        for l in self.layer:
            x = l(x, bias)
        return self.cls(self.drop(x))


@torch.no_grad()
def shared_states(base, rows):
    """Layer-4 states of each (ids, pshape, wshape) row, with [CLS]/[SEP]."""
    out = []
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
    batch = 16
    for bi in range(0, len(order), batch):
        idx = order[bi:bi + batch]
        L = max(len(rows[i][0]) for i in idx) + 2
        ids = torch.zeros(len(idx), L, dtype=torch.long)
        ps = torch.zeros_like(ids)
        ws = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        for r, i in enumerate(idx):
            a, b, c = rows[i]
            n = len(a)
            ids[r, :n + 2] = torch.tensor([CLS] + a + [SEP])
            ps[r, 1:n + 1] = torch.tensor(b)
            ws[r, 1:n + 1] = torch.tensor(c)
            mask[r, :n + 2] = 1
        x = base.embed(ids, ps, ws)
        bias = attention_bias(mask)
        for layer in base.encoder.layer[:SHARED_LAYERS]:
            x = layer(x, bias)
        for r, i in enumerate(idx):
            n = len(rows[i][0])
            out.append((i, x[r, :n + 2].to(torch.float16).clone()))
    res = [None] * len(rows)
    for i, t in out:
        res[i] = t
    return res


def windows(tok, articles, max_len):
    encs = [encode_article(tok, text, golds, max_len) for _, text, golds in articles]
    rows, labels, where = [], [], []
    for ai, e in enumerate(encs):
        for s, t in e["windows"]:
            rows.append((e["ids"][s:t], e["pshape"][s:t], e["wshape"][s:t]))
            labels.append([-100] + e["labels"][s:t] + [-100])
            where.append((ai, s, t))
    return encs, rows, labels, where


def build(tok, base, articles, max_len, cache_path):
    encs, rows, labels, where = windows(tok, articles, max_len)
    if cache_path and os.path.exists(cache_path):
        feats = torch.load(cache_path)
    else:
        t0 = time.time()
        feats = shared_states(base, rows)
        print(f"layer-{SHARED_LAYERS} states of {len(rows)} windows in {time.time() - t0:.0f}s", flush=True)
        if cache_path:
            torch.save(feats, cache_path)
    return encs, feats, labels, where


ALLOW, START = allowed_transitions(LABELS)


@torch.no_grad()
def predict(branch, encs, feats, where):
    """Per article: list of (label_name, char_start, char_end) spans."""
    branch.eval()
    logp = [np.zeros((len(e["ids"]), len(LABELS)), dtype=np.float32) for e in encs]
    order = sorted(range(len(feats)), key=lambda i: feats[i].shape[0])
    for bi in range(0, len(order), 32):
        idx = order[bi:bi + 32]
        L = max(feats[i].shape[0] for i in idx)
        x = torch.zeros(len(idx), L, feats[idx[0]].shape[1])
        mask = torch.zeros(len(idx), L, dtype=torch.long)
        for r, i in enumerate(idx):
            x[r, :feats[i].shape[0]] = feats[i].float()
            mask[r, :feats[i].shape[0]] = 1
        out = F.log_softmax(branch(x, mask), -1).numpy()
        for r, i in enumerate(idx):
            ai, s, t = where[i]
            logp[ai][s:t] = out[r, 1:t - s + 1]
    return decode(encs, logp)


def decode(encs, logp):
    """Viterbi (BIO-constrained) over per-piece log-probs -> per article (label, char_start, char_end)."""
    spans = []
    for e, lp in zip(encs, logp):
        path = viterbi(lp, ALLOW, START) if len(lp) else []
        cur, out = None, []
        for i, l in enumerate(path):
            name = LABELS[l]
            if name.startswith("B-") or name == "O":
                if cur:
                    out.append(cur)
                cur = [name[2:], e["offs"][i][0], e["offs"][i][1]] if name != "O" else None
            else:
                cur[2] = e["offs"][i][1]
        if cur:
            out.append(cur)
        spans.append([tuple(s) for s in out])
    return spans


class Full(nn.Module):
    """The shipped encoder with a BIO classifier, fine-tuned end to end.

    shared=0: embeddings, case-shape embeddings and all layers are trained (they replace the NER encoder).
    shared=K>0: a branch of the NER model. Embeddings and layers 0..K-1 stay frozen (eval mode, no dropout,
    no_grad), so NER output is unchanged and their states are shared at inference; `layer` holds trainable
    copies of encoder layers K..n-1, and `cls` the classifier. `--export` writes `layer` + `cls`.
    """

    def __init__(self, base, cfg, shared=0, freeze_words=False):
        super().__init__()
        self.base = base
        self.shared = shared
        self.freeze_words = freeze_words
        if shared:
            for p in base.parameters():
                p.requires_grad_(False)
            self.layer = nn.ModuleList([copy.deepcopy(l) for l in base.encoder.layer[shared:]])
            for p in self.layer.parameters():
                p.requires_grad_(True)
        else:
            for name, p in base.named_parameters():  # the NER/POS/chunk heads are not used
                p.requires_grad_(not name.startswith(("ner.", "pos.", "chunk.")))
            if freeze_words:  # the word embeddings stay the NER model's, shared at inference
                base.embeddings.word_embeddings.weight.requires_grad_(False)
        self.drop = nn.Dropout(0.1)
        self.cls = nn.Linear(cfg["hidden_size"], len(LABELS))

    def train(self, mode=True):
        super().train(mode)
        if self.shared:
            self.base.eval()  # the shared part never drops out
        return self

    def embed(self, ids, ps, ws):
        b, e = self.base, self.base.embeddings
        pos = torch.arange(ids.shape[1], device=ids.device)[None, :]
        x = (e.word_embeddings(ids) + b.piece_shape(ps) + b.word_shape(ws)
             + e.position_embeddings(pos) + e.token_type_embeddings(torch.zeros_like(ids)))
        return b.drop(e.LayerNorm(x))

    def forward(self, ids, ps, ws, mask):
        keep = mask[:, None, None, :].bool()  # boolean mask: True = attend (device- and autocast-safe)
        if not self.shared:
            x = self.embed(ids, ps, ws)
            for layer in self.base.encoder.layer:
                x = layer(x, keep)
        else:
            with torch.no_grad():
                x = self.embed(ids, ps, ws)
                for layer in self.base.encoder.layer[:self.shared]:
                    x = layer(x, keep)
            for layer in self.layer:
                x = layer(x, keep)
        return self.cls(self.drop(x))


def branch_layers(model):
    return model.layer if model.shared else model.base.encoder.layer


def export_branch(model, path, meta):
    """The branch (layers K.. and classifier; for K=0 also its own embeddings, the word embeddings only
    when trained) in f16 under the names the Rust loader expects."""
    sd = {}
    if not model.shared:
        b, e = model.base, model.base.embeddings
        own = {"embeddings.position_embeddings.weight": e.position_embeddings.weight,
               "embeddings.token_type_embeddings.weight": e.token_type_embeddings.weight,
               "embeddings.LayerNorm.weight": e.LayerNorm.weight, "embeddings.LayerNorm.bias": e.LayerNorm.bias,
               "piece_shape.weight": b.piece_shape.weight, "word_shape.weight": b.word_shape.weight}
        if not model.freeze_words:
            own["embeddings.word_embeddings.weight"] = e.word_embeddings.weight
        for k, v in own.items():
            sd[f"attribution.{k}"] = v
    for j, layer in enumerate(branch_layers(model)):
        for k, v in layer.state_dict().items():
            sd[f"attribution.layer.{j}.{k}"] = v
    sd["attribution.classifier.weight"] = model.cls.weight
    sd["attribution.classifier.bias"] = model.cls.bias
    sd = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in sd.items()}
    save_file(sd, path, metadata={k: str(v) for k, v in meta.items()})
    return sd


def load_branch(base, cfg, path):
    """A `Full` model (on CPU, f32, eval) rebuilt from the shipped base and an `--export` file."""
    with safe_open(path, "pt") as f:
        shared = int(f.metadata()["shared_layers"])
        labels = f.metadata()["labels"].split(",")
        w = {k: f.get_tensor(k).float() for k in f.keys()}
    assert labels == LABELS, labels
    if not shared:
        base = copy.deepcopy(base)
        b, e = base, base.embeddings
        with torch.no_grad():
            for k, t in [("embeddings.position_embeddings.weight", e.position_embeddings.weight),
                         ("embeddings.token_type_embeddings.weight", e.token_type_embeddings.weight),
                         ("embeddings.LayerNorm.weight", e.LayerNorm.weight),
                         ("embeddings.LayerNorm.bias", e.LayerNorm.bias),
                         ("piece_shape.weight", b.piece_shape.weight), ("word_shape.weight", b.word_shape.weight),
                         ("embeddings.word_embeddings.weight", e.word_embeddings.weight)]:
                if f"attribution.{k}" in w:
                    t.copy_(w[f"attribution.{k}"])
                else:
                    assert k == "embeddings.word_embeddings.weight", k
    model = Full(base, cfg, shared)
    n = len(branch_layers(model))
    assert len({k.split(".")[2] for k in w if k.startswith("attribution.layer.")}) == n
    for j, layer in enumerate(branch_layers(model)):
        pre = f"attribution.layer.{j}."
        layer.load_state_dict({k[len(pre):]: v for k, v in w.items() if k.startswith(pre)})
    model.cls.load_state_dict({"weight": w["attribution.classifier.weight"], "bias": w["attribution.classifier.bias"]})
    return model.eval()


def full_batch(rows, labels, idx, device):
    L = max(len(rows[i][0]) for i in idx) + 2
    ids = torch.zeros(len(idx), L, dtype=torch.long)
    ps, ws, mask = torch.zeros_like(ids), torch.zeros_like(ids), torch.zeros_like(ids)
    y = torch.full((len(idx), L), -100, dtype=torch.long)
    for r, i in enumerate(idx):
        a, b, c = rows[i]
        n = len(a)
        ids[r, :n + 2] = torch.tensor([CLS] + a + [SEP])
        ps[r, 1:n + 1] = torch.tensor(b)
        ws[r, 1:n + 1] = torch.tensor(c)
        mask[r, :n + 2] = 1
        if labels is not None:
            y[r, :n + 2] = torch.tensor(labels[i])
    return [t.to(device, non_blocking=True) for t in (ids, ps, ws, mask, y)]


@torch.no_grad()
def predict_full(model, encs, rows, where, device, amp):
    model.eval()
    logp = [np.zeros((len(e["ids"]), len(LABELS)), dtype=np.float32) for e in encs]
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
    for bi in range(0, len(order), 64):
        idx = order[bi:bi + 64]
        ids, ps, ws, mask, _ = full_batch(rows, None, idx, device)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp):
            logits = model(ids, ps, ws, mask)
        out = F.log_softmax(logits.float(), -1).cpu().numpy()
        for r, i in enumerate(idx):
            ai, s, t = where[i]
            logp[ai][s:t] = out[r, 1:t - s + 1]
    return decode(encs, logp)


def score_source(articles, spans):
    """Learned SOURCE spans against gold speech-attribution sources, >= 30% overlap, one-to-one."""
    return score(articles, spans, "SOURCE", "source")


def content_f1(line):
    return float(re.search(r"F1 ([0-9.]+)", line).group(1))


def train_full(args, tok, base, cfg, train, dev):
    """--full: fine-tune embeddings + all encoder layers + BIO classifier end to end."""
    device = torch.device(args.device)
    amp = device.type == "cuda"
    if device.type == "cuda":
        print(f"device {torch.cuda.get_device_name(device)}; bf16 autocast", flush=True)
    else:
        print(f"device cpu ({torch.get_num_threads()} threads)", flush=True)
    t0 = time.time()
    _, rows, labels, _ = windows(tok, train, args.max_len)
    dencs, drows, _, dwhere = windows(tok, dev, args.max_len)
    print(f"windows: train {len(rows)} dev {len(drows)} ({time.time() - t0:.0f}s)", flush=True)
    model = Full(base, cfg, args.shared_layers, args.freeze_word_embeddings).to(device)
    head = list(model.cls.parameters())
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("cls.")]
    if args.shared_layers:
        print(f"branch: embeddings + layers 0..{args.shared_layers - 1} frozen (shared with NER); "
              f"{len(model.layer)} trained copies of layers {args.shared_layers}..{len(base.encoder.layer) - 1}",
              flush=True)
    print(f"trainable parameters: body {sum(p.numel() for p in body)} head {sum(p.numel() for p in head)}",
          flush=True)
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                            weight_decay=0.01)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
    batches = [order[i:i + args.batch] for i in range(0, len(order), args.batch)]
    sched = warmup_then_linear_decay(opt, len(batches) * args.epochs)
    rng = random.Random(args.seed)
    history, best = [], None
    t_all, t_train = time.time(), 0.0
    for epoch in range(args.epochs):
        model.train()
        rng.shuffle(batches)
        tot, t0 = 0.0, time.time()
        for bi, idx in enumerate(batches):
            ids, ps, ws, mask, y = full_batch(rows, labels, idx, device)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp):
                logits = model(ids, ps, ws, mask)
            loss = F.cross_entropy(logits.float().reshape(-1, len(LABELS)), y.reshape(-1), ignore_index=-100)
            opt.zero_grad(set_to_none=True); loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step()
            tot += loss.item()
            if bi % 50 == 0:
                print(f"epoch {epoch + 1} step {bi}/{len(batches)} loss {tot / (bi + 1):.4f} {time.time() - t0:.0f}s",
                      flush=True)
        secs = time.time() - t0
        t_train += secs
        t1 = time.time()
        spans = predict_full(model, dencs, drows, dwhere, device, amp)
        c, s = score(dev, spans), score_source(dev, spans)
        print(f"epoch {epoch + 1} done train {secs:.1f}s loss {tot / len(batches):.4f}; dev {c}; {s} "
              f"(eval {time.time() - t1:.1f}s)", flush=True)
        history.append({"epoch": epoch + 1, "loss": tot / len(batches), "train_s": secs, "content": c, "source": s})
        if not args.final and (best is None or content_f1(c) > best["f1"]):
            best = {"f1": content_f1(c), "epoch": epoch + 1, "spans": spans,
                    "state": {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}}
        last_spans = spans
    if args.final:  # fixed number of epochs, the last one kept: no selection on dev
        best = {"f1": content_f1(history[-1]["content"]), "epoch": args.epochs, "spans": last_spans,
                "state": {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}}
        kept = "last"
    else:
        model.load_state_dict(best["state"])
        kept = "best"
    print(f"train seconds {t_train:.0f} (with dev evaluation {time.time() - t_all:.0f}); "
          f"kept epoch {best['epoch']} ({kept}{', --final' if args.final else ' on dev'}) content F1 {best['f1']:.1f}",
          flush=True)
    ckpt = args.ckpt or os.path.join(args.run, "full.pt")
    torch.save({"model": best["state"], "epoch": best["epoch"], "labels": LABELS,
                "shared_layers": args.shared_layers}, ckpt)
    print(f"{kept} weights -> {ckpt}", flush=True)
    json.dump({"args": vars(args), "device": str(device), "history": history, "kept_epoch": best["epoch"],
               "kept": kept, "train_seconds": t_train}, open(os.path.join(args.run, "metrics.json"), "w"), indent=1)
    if args.export:
        meta = {"shared_layers": args.shared_layers, "labels": ",".join(LABELS), "epochs": best["epoch"],
                "seed": args.seed, "lr": args.lr}
        sd = export_branch(model, args.export, meta)
        print(f"branch -> {args.export} ({os.path.getsize(args.export)} bytes, {len(sd)} tensors, "
              f"{sum(v.numel() for v in sd.values())} parameters, f16; metadata {meta})", flush=True)
        check_export(model, base, cfg, args.export, drows, device)
    if args.dump:
        json.dump({stem: sp for (stem, _, _), sp in zip(dev, best["spans"])}, open(args.dump, "w"))
        print(f"dev predictions of epoch {best['epoch']} ({kept}) -> {args.dump}", flush=True)
        if not args.final and best["epoch"] != args.epochs:
            last = re.sub(r"(\.json)?$", "-last.json", args.dump, count=1)
            json.dump({stem: sp for (stem, _, _), sp in zip(dev, last_spans)}, open(last, "w"))
            print(f"dev predictions of epoch {args.epochs} (last) -> {last}", flush=True)


@torch.no_grad()
def check_export(model, base, cfg, path, rows, device):
    """Reload `path` into a fresh branch (`load_branch`) and compare its log-probs on the longest dev window
    (f32 compute, eval mode) with (a) the in-memory model with its branch weights rounded to f16, which must
    match exactly (names, order, shapes, loading), and (b) the in-memory f32 model (the cost of f16 storage)."""
    i = max(range(len(rows)), key=lambda i: len(rows[i][0]))
    ids, ps, ws, mask, _ = full_batch(rows, None, [i], device)
    model.eval()
    loaded = F.log_softmax(load_branch(base, cfg, path).to(device)(ids, ps, ws, mask).float(), -1)
    f32 = F.log_softmax(model(ids, ps, ws, mask).float(), -1)
    q = copy.deepcopy(model)
    for p in q.parameters():
        p.copy_(p.half().float())
    f16 = F.log_softmax(q(ids, ps, ws, mask).float(), -1)
    exact = (loaded - f16).abs().max().item()
    d = (loaded - f32).abs()
    agree = (loaded.argmax(-1) == f32.argmax(-1)).float().mean().item()
    print(f"export check (window of {len(rows[i][0])} pieces): reloaded vs in-memory rounded to f16: "
          f"max |log-prob diff| {exact:.1e} -> {'OK' if exact < 1e-5 else 'FAIL'}; reloaded vs in-memory f32: "
          f"max {d.max().item():.2e} mean {d.mean().item():.1e} argmax agreement {100 * agree:.1f}% "
          f"({'<' if d.max().item() < 1e-2 else '>='} 1e-2)", flush=True)
    return exact, d.max().item()


def overlap(pieces, s, e):
    return sum(max(0, min(b, e) - max(a, s)) for a, b in pieces)


def score(articles, spans, label="CONTENT", key="content"):
    """Learned `label` spans against the gold attributions' `key` pieces: P/R/F1 at >= 30% character
    overlap of both, matched one to one, greedily by overlap (examples/eval_polnear/score.rs's rule)."""
    tp = n_pred = n_gold = 0
    for (_, text, golds), sp in zip(articles, spans):
        preds = [(s, e) for k, s, e in sp if k == label]
        gs = [gd[key] for gd in golds if gd[key]]
        n_pred += len(preds)
        n_gold += len(gs)
        cands = []
        for p, (s, e) in enumerate(preds):
            for g, pieces in enumerate(gs):
                ov = overlap(pieces, s, e)
                gl = sum(b - a for a, b in pieces)
                if ov > 0 and 100 * ov >= 30 * gl and 100 * ov >= 30 * (e - s):
                    cands.append((ov, p, g))
        used_p, used_g = set(), set()
        for ov, p, g in sorted(cands, reverse=True):
            if p not in used_p and g not in used_g:
                used_p.add(p); used_g.add(g); tp += 1
    P = 100 * tp / max(1, n_pred)
    R = 100 * tp / max(1, n_gold)
    F = 2 * P * R / max(1e-9, P + R)
    return f"{key}@30% P {P:.1f} R {R:.1f} F1 {F:.1f} (tp {tp} pred {n_pred} gold {n_gold})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/polnear")
    ap.add_argument("--model", default="models")
    ap.add_argument("--run", default="training/runs/attr")
    ap.add_argument("--cache", default="training/cache")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=None, help="body lr (default 1e-4; --full: 5e-5)")
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=None, help="windows per batch (default 16; --full: 32)")
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="first N train articles (smoke test)")
    ap.add_argument("--dump", default=None, help="write dev predictions (JSON) here")
    ap.add_argument("--full", action="store_true",
                    help="fine-tune embeddings + all encoder layers + classifier end to end (no layer-4 cache)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda (--full only)")
    ap.add_argument("--ckpt", default=None, help="--full: best weights go here (default <run>/full.pt)")
    ap.add_argument("--dev-limit", type=int, default=0, help="first N dev articles (smoke test)")
    ap.add_argument("--holdout-every", type=int, default=0, help="train without every K-th train article")
    ap.add_argument("--freeze-word-embeddings", action="store_true",
                    help="--full with --shared-layers 0: keep the NER model's word embeddings (shared at inference)")
    ap.add_argument("--shared-layers", type=int, default=0,
                    help="--full: K>0 trains a branch: embeddings + layers 0..K-1 frozen (shared with NER), "
                         "copies of layers K.. trained (default 0: everything trained)")
    ap.add_argument("--final", action="store_true",
                    help="--full: keep the last epoch (no epoch selection on dev; dev is only reported)")
    ap.add_argument("--export", default=None,
                    help="--full: write the branch (layers + classifier; for K=0 its embeddings too; f16) here "
                         "(.safetensors), then check it reloads to the same log-probs")
    args = ap.parse_args()
    if args.export and not args.full:
        ap.error("--export needs --full")
    if args.lr is None:
        args.lr = 5e-5 if args.full else 1e-4
    if args.batch is None:
        args.batch = 32 if args.full else 16
    random.seed(args.seed); np.random.seed(args.seed); torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    forms = speech_forms(repo)
    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tok.no_truncation(); tok.no_padding()
    base = load_exported(args.model)
    for p in base.parameters():
        p.requires_grad_(False)
    cfg = json.load(open(os.path.join(args.model, "config.json")))
    if not 0 <= args.shared_layers < cfg["num_hidden_layers"]:
        ap.error(f"--shared-layers must be in 0..{cfg['num_hidden_layers'] - 1}")
    os.makedirs(args.run, exist_ok=True); os.makedirs(args.cache, exist_ok=True)
    train = read_split(os.path.join(args.data, "train"), forms)
    dev = read_split(os.path.join(args.data, "dev"), forms)
    if args.limit:
        train = train[:args.limit]
    if args.holdout_every:
        # every K-th train article (sorted by name, so every outlet) is kept out, to score the
        # crate's rules + tagger on articles that neither trained the tagger nor chose how it
        # is combined with the rules
        k = args.holdout_every
        held = [a for i, a in enumerate(train) if i % k == k - 1]
        train = [a for i, a in enumerate(train) if i % k != k - 1]
        print("held out:", " ".join(stem for stem, _, _ in held), flush=True)
    if args.dev_limit:
        dev = dev[:args.dev_limit]
    print(f"train {len(train)} articles {sum(len(g) for _, _, g in train)} speech attributions; "
          f"dev {len(dev)} / {sum(len(g) for _, _, g in dev)}", flush=True)
    if args.full:
        return train_full(args, tok, base, cfg, train, dev)
    suffix = f"-{args.limit}" if args.limit else ""
    tr = build(tok, base, train, args.max_len, os.path.join(args.cache, f"polnear-train{suffix}.pt"))
    dv = build(tok, base, dev, args.max_len,
               os.path.join(args.cache, f"polnear-dev-{args.dev_limit}.pt" if args.dev_limit else "polnear-dev.pt"))
    branch = Branch(base, cfg)
    head = list(branch.cls.parameters())
    body = [p for n, p in branch.named_parameters() if not n.startswith("cls")]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                            weight_decay=0.01)
    _, feats, labels, _ = tr
    order = sorted(range(len(feats)), key=lambda i: feats[i].shape[0])
    batches = [order[i:i + args.batch] for i in range(0, len(order), args.batch)]
    sched = warmup_then_linear_decay(opt, len(batches) * args.epochs)
    rng = random.Random(args.seed)
    t_all = time.time()
    for epoch in range(args.epochs):
        branch.train()
        rng.shuffle(batches)
        tot, t0 = 0.0, time.time()
        for bi, idx in enumerate(batches):
            L = max(feats[i].shape[0] for i in idx)
            x = torch.zeros(len(idx), L, feats[idx[0]].shape[1])
            y = torch.full((len(idx), L), -100, dtype=torch.long)
            mask = torch.zeros(len(idx), L, dtype=torch.long)
            for r, i in enumerate(idx):
                n = feats[i].shape[0]
                x[r, :n] = feats[i].float()
                y[r, :n] = torch.tensor(labels[i])
                mask[r, :n] = 1
            logits = branch(x, mask)
            loss = F.cross_entropy(logits.reshape(-1, len(LABELS)), y.reshape(-1), ignore_index=-100)
            opt.zero_grad(); loss.backward()
            torch.nn.utils.clip_grad_norm_(branch.parameters(), 1.0)
            opt.step(); sched.step()
            tot += loss.item()
            if bi % 100 == 0:
                print(f"epoch {epoch + 1} step {bi}/{len(batches)} loss {tot / (bi + 1):.4f} {time.time() - t0:.0f}s",
                      flush=True)
        spans = predict(branch, dv[0], dv[1], dv[3])
        print(f"epoch {epoch + 1} done {time.time() - t0:.0f}s; dev {score(dev, spans)}", flush=True)
        torch.save({"branch": branch.state_dict(), "epoch": epoch + 1}, os.path.join(args.run, "branch.pt"))
    print(f"train seconds {time.time() - t_all:.0f}")
    if args.dump:
        spans = predict(branch, dv[0], dv[1], dv[3])
        json.dump({stem: sp for (stem, _, _), sp in zip(dev, spans)}, open(args.dump, "w"))


if __name__ == "__main__":
    main()
