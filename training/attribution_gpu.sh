#!/bin/bash
# The device run that trained models/attribution.safetensors (on the project's lent NVIDIA H200:
# 61 s of training for model A). Run from the repository root with PolNeAR copied to .gpu/polnear;
# $OUT receives the logs, the dev predictions and the chosen weights (split into <16 MB parts, the
# device tool's limit; `cat attr-A.part* > attribution.safetensors` joins them).
# Two K=0 taggers: A keeps the NER model's word embeddings (shared), B trains them too; the smaller
# A ships unless B beats it by more than 1 point of dev content F1 (a rule fixed before the run).
export PYTHONUNBUFFERED=1
set -o pipefail
OUT=${OUT:-out}
mkdir -p "$OUT"
nvidia-smi --query-gpu=name --format=csv,noheader
common="--full --device cuda --threads 8 --data .gpu/polnear --shared-layers 0 --final --epochs 10 --seed 13"
timeout 200 python3 training/train_attribution.py $common --freeze-word-embeddings --run /tmp/runA --ckpt /tmp/A.pt \
  --dump $OUT/dev-A.json --export /tmp/A.safetensors 2>&1 | tee $OUT/log-A.txt
timeout 200 python3 training/train_attribution.py $common --run /tmp/runB --ckpt /tmp/B.pt \
  --dump $OUT/dev-B.json --export /tmp/B.safetensors 2>&1 | tee $OUT/log-B.txt
fa=$(grep -o 'kept epoch.*content F1 [0-9.]*' $OUT/log-A.txt | grep -o '[0-9.]*$')
fb=$(grep -o 'kept epoch.*content F1 [0-9.]*' $OUT/log-B.txt | grep -o '[0-9.]*$')
echo "A $fa B $fb"
pick=A
if [ -n "$fb" ] && { [ -z "$fa" ] || python3 -c "import sys; sys.exit(0 if $fb > $fa + 1.0 else 1)"; }; then pick=B; fi
echo "pick $pick"
sha256sum /tmp/$pick.safetensors | tee $OUT/sha-$pick.txt
split -b 15000000 -d /tmp/$pick.safetensors $OUT/attr-$pick.part
ls -l $OUT
