#!/usr/bin/env bash
# Set up and test the ONNX Runtime backend (cargo feature `onnx`):
#   1. ONNX Runtime's shared library from PyPI `onnxruntime` (into .venv), and onnx/onnxscript
#      for the export;
#   2. models/model.onnx exported from the shipped weights (not committed);
#   3. the backend's test (PyTorch reference within 1e-4, same entities as candle) and its
#      throughput next to candle's.
# Needs the training venv (training/setup.sh) for PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || training/setup.sh
.venv/bin/pip install -q onnx onnxscript onnxruntime
.venv/bin/python training/export_onnx.py
ORT_DYLIB_PATH=$(ls "$PWD"/.venv/lib/python3*/site-packages/onnxruntime/capi/libonnxruntime.so.* | head -n 1)
export ORT_DYLIB_PATH
echo "ORT_DYLIB_PATH=$ORT_DYLIB_PATH"
cargo test --release --features onnx --test main onnx
cargo run --release --features onnx --example throughput -- "$@"
