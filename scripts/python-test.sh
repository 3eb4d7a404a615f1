#!/usr/bin/env bash
# The Python package's tests from a fresh clone: a venv in the repository
# (.venv-python/), `pip install ./python pytest` (pip fetches maturin from PyPI
# for the build), then pytest on the real model.
#
# The wheel's Rust build uses the repository's target/ (CARGO_TARGET_DIR), so after
# `cargo build --release` it reuses candle's and tokenizers' builds and compiles
# only pyo3 and whosaid again (about a minute on 2 cores).
# Extra arguments go to pytest (e.g. -k batch).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=${WHOSAID_PY_VENV:-$root/.venv-python}
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
start=$(date +%s)
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target} \
    "$venv/bin/pip" install --quiet ./python pytest
echo "python-test: pip install ./python took $(( $(date +%s) - start )) s"
# (run from the repository root, so `import whosaid` is the installed package,
# not the python/whosaid sources)
"$venv/bin/python" -m pytest -q python/tests "$@"
