#!/usr/bin/env python3
"""Write tests/data/reference_logits.json: the PyTorch model's NER log-probabilities on two
windows of the seed article, for the crate's backend-parity test (logits within 1e-4), and
the attribution tagger's (`models/attribution.safetensors`, rebuilt by train_attribution's
`load_branch`) on the same windows.

.venv/bin/python training/reference_logits.py
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import train_ner as T  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")
model = T.load_exported(os.path.join(ROOT, "models"))
tok = T.load_tokenizer(os.path.join(ROOT, "models"))
texts = [
    "A case involving human life should be treated with the utmost care, Li stressed.",
    "Pakistani Prime Minister Imran Khan spoke with Chinese Premier Li Keqiang (Xinhua).",
]
rows = []
for t in texts:
    enc = tok.encode(t, add_special_tokens=False)
    spans = {}
    for wid, (a, b) in zip(enc.word_ids, enc.offsets):
        lo, hi = spans.get(wid, (a, b))
        spans[wid] = (min(lo, a), max(hi, b))
    ids = [T.CLS] + enc.ids + [T.SEP]
    ps = [0] + [T.shape_of(t[a:b]) for a, b in enc.offsets] + [0]
    ws = [0] + [T.shape_of(t[spans[w][0]:spans[w][1]]) for w in enc.word_ids] + [0]
    rows.append((ids, ps, ws))
L = max(len(r[0]) for r in rows)
pad = lambda xs: xs + [0] * (L - len(xs))
ids = torch.tensor([pad(r[0]) for r in rows])
ps = torch.tensor([pad(r[1]) for r in rows])
ws = torch.tensor([pad(r[2]) for r in rows])
mask = torch.tensor([[1] * len(r[0]) + [0] * (L - len(r[0])) for r in rows])
with torch.no_grad():
    ner, pos, chunk = model(ids, ps, ws, mask)
logp = torch.log_softmax(ner, -1)
att = None
att_path = os.path.join(ROOT, "models", "attribution.safetensors")
if os.path.exists(att_path):
    import json as _json
    import train_attribution as A  # noqa: E402
    cfg = _json.load(open(os.path.join(ROOT, "models", "config.json")))
    tagger = A.load_branch(T.load_exported(os.path.join(ROOT, "models")), cfg, att_path)
    with torch.no_grad():
        att = torch.log_softmax(tagger(ids, ps, ws, mask).float(), -1)
out = {
    "batch": len(rows), "len": L,
    "ids": ids.flatten().tolist(), "piece_shape": ps.flatten().tolist(), "word_shape": ws.flatten().tolist(),
    "mask": mask.flatten().tolist(),
    "ner_logp": [round(x, 6) for x in logp.flatten().tolist()],
    "pos": pos.argmax(-1).flatten().tolist(), "chunk": chunk.argmax(-1).flatten().tolist(),
}
if att is not None:
    out["attribution_logp"] = [round(x, 6) for x in att.flatten().tolist()]
os.makedirs(os.path.join(ROOT, "tests/data"), exist_ok=True)
with open(os.path.join(ROOT, "tests/data/reference_logits.json"), "w") as f:
    json.dump(out, f)
print("wrote tests/data/reference_logits.json", L, "positions")
