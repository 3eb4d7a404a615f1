#!/usr/bin/env bash
# The Spark example's test: the job (examples/spark/job.py) on Spark in local mode
# over the seed articles, as JSON Lines and as Parquet, with its output rows checked
# (examples/spark/test_job.py). Installs into the Python package's venv
# (.venv-python/): the whosaid package (pip install ./python, the repository's
# target/ shared with cargo) and PyPI's pyspark; Java from Debian's
# default-jre-headless when no `java` is on PATH.
# Extra arguments go to pytest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=${WHOSAID_PY_VENV:-$root/.venv-python}
python=${PYTHON:-python3}

if ! command -v java >/dev/null 2>&1; then
    echo "spark-test: no java on PATH; installing default-jre-headless" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
fi
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
start=$(date +%s)
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target} \
    "$venv/bin/pip" install --quiet ./python pytest 'pyspark>=3.5,<5'
echo "spark-test: pip install took $(( $(date +%s) - start )) s"
# Spark's own warnings go to the log; pytest's summary stays at the end.
"$venv/bin/python" -m pytest -q -p no:cacheprovider examples/spark "$@"
