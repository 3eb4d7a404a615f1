#!/bin/bash
# Held-out check (device run of 2026-11-27, NVIDIA H200, 44 s of training): the shipped tagger's
# recipe trained without every 10th PolNeAR train article (84 articles, 881 speech attributions,
# listed on the log's "held out:" line). The crate then scores the rules alone and the rules +
# this tagger on those 84 articles, which neither trained the tagger nor chose how it is combined
# with the rules (models/README.md). Outputs to $OUT as in attribution_gpu.sh.
OUT=${OUT:-out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
set -o pipefail
nvidia-smi --query-gpu=name --format=csv,noheader
timeout 200 python3 training/train_attribution.py --full --device cuda --threads 8 --data .gpu/polnear --shared-layers 0 \
  --freeze-word-embeddings --final --epochs 10 --seed 13 --holdout-every 10 --run /tmp/runH --ckpt /tmp/H.pt \
  --export /tmp/H.safetensors 2>&1 | tee $OUT/log-H.txt
sha256sum /tmp/H.safetensors | tee $OUT/sha-H.txt
split -b 15000000 -d /tmp/H.safetensors $OUT/attr-H.part
ls -l $OUT
