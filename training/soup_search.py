#!/usr/bin/env python3
"""Score weight averages ("soups") of finished runs on CoNLL-2003 test and CoNLL++.

Each candidate is a '+'-joined list of run directories (their checkpoint.pt) or epochN.pt
files; the mean of their weights is evaluated in f32 with constrained decoding, as
train_ner.py does. Valid is in the shipped model's training data, so candidates can only be
compared on test (the model card says so).

    .venv/bin/python training/soup_search.py training/runs/final8+training/runs/s14e10 \\
        training/runs/final8+training/runs/s14e10+training/runs/s16e12
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
from train_ner import Tagger, encode_docs, evaluate, fetch_base, fmt, load_tokenizer, read_conll  # noqa: E402


def weights(path):
    st = torch.load(path if path.endswith(".pt") else os.path.join(path, "checkpoint.pt"), weights_only=False)
    return st["model"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("candidates", nargs="+")
    ap.add_argument("--data", default="../shared/data/conll2003")
    ap.add_argument("--cache", default="training/cache")
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    base = fetch_base(args.cache)
    tok = load_tokenizer(base)
    cfg = json.load(open(os.path.join(base, "config.json")))
    raw = {s: read_conll(os.path.join(args.data, f"{s}.txt")) for s in ["test", "test-conllpp"]}
    enc = {s: encode_docs(tok, d) for s, d in raw.items()}
    model = Tagger(cfg)
    for cand in args.candidates:
        t0 = time.time()
        states = [weights(p) for p in cand.split("+")]
        mean = {k: sum(st[k].float() for st in states) / len(states) for k in states[0]}
        model.load_state_dict(mean)
        test = evaluate(model, raw["test"], enc["test"], args.max_len)
        pp = evaluate(model, raw["test-conllpp"], enc["test-conllpp"], args.max_len)
        print(f"{cand}\n  test {fmt(test)}\n  conll++ F1 {100 * pp['overall'][2]:.2f}  ({time.time() - t0:.0f}s)",
              flush=True)


if __name__ == "__main__":
    main()
