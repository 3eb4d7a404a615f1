"""Average the weights of several fine-tuned runs ("model soup") into one checkpoint.

Runs that share the initialisation of their new parts (same --seed, different --data-seed)
stay in one basin, so the mean of their weights is a model of its own, as fast as each.

    .venv/bin/python training/average.py training/runs/final8 training/runs/s14e10 --out training/runs/soup
    .venv/bin/python training/train_ner.py --run training/runs/soup --resume --eval-only \
        --recipe-note "mean of final8 and s14e10" [--export models]
"""
import argparse
import os

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="+", help="run directories holding checkpoint.pt, or epochN.pt files")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    states = [torch.load(r if r.endswith(".pt") else os.path.join(r, "checkpoint.pt"), weights_only=False)
              for r in args.runs]
    # epochN.pt files hold only weights: take the resumable state from a full checkpoint
    states.sort(key=lambda st: "opt" not in st)
    keys = states[0]["model"].keys()
    for st in states[1:]:
        assert st["model"].keys() == keys, "runs of different architectures"
    mean = {k: sum(st["model"][k].float() for st in states) / len(states) for k in keys}
    out = dict(states[0])
    out["model"] = {k: v.to(states[0]["model"][k].dtype) for k, v in mean.items()}
    out["averaged_from"] = args.runs
    out["train_seconds"] = sum(st["train_seconds"] for st in states)
    os.makedirs(args.out, exist_ok=True)
    torch.save(out, os.path.join(args.out, "checkpoint.pt"))
    print(f"averaged {len(states)} runs into {args.out}/checkpoint.pt")


if __name__ == "__main__":
    main()
