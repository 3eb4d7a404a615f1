#!/usr/bin/env bash
# Set up and test the rust-bert backend (cargo feature `rust-bert`):
#   1. libtorch 2.4 from PyPI torch==2.4.0 into .venv-rustbert (about 5 GB: torch pulls CUDA
#      libraries even for CPU use);
#   2. build with LIBTORCH_USE_PYTORCH=1 (torch-sys finds libtorch through that Python) and
#      run the backend's test (PyTorch reference within 1e-4, same entities as candle);
#   3. its throughput next to candle's (pass ../shared/data/conll2003/test.txt for the CoNLL set).
# Binaries built with the feature need torch's lib/ on LD_LIBRARY_PATH, as set here.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-rustbert/bin/python ] || python3 -m venv .venv-rustbert
.venv-rustbert/bin/python -c "import torch; assert torch.__version__.startswith('2.4.0')" 2>/dev/null \
  || .venv-rustbert/bin/pip install -q torch==2.4.0
export LIBTORCH_USE_PYTORCH=1
# a build directory of its own: switching features does not rebuild the default one
export CARGO_TARGET_DIR="$PWD/target/rust-bert"
export PATH="$PWD/.venv-rustbert/bin:$PATH"
TORCH_LIB=$(.venv-rustbert/bin/python -c "import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
export LD_LIBRARY_PATH="$TORCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "libtorch: $TORCH_LIB"
cargo test --release --features rust-bert --test main rust_bert
cargo run --release --features rust-bert --example throughput -- "$@"
