#!/usr/bin/env bash
# The `--format html` page in a real headless browser (Debian's chromium, driven by
# playwright-core): every quote of the JSON output highlighted with its speaker, the
# speakers table, the tooltip on keyboard focus and hover, the text kept whole, the
# list of documents, phone width and print; screenshots to docs/.
#
#   scripts/browser-test.sh                        # installs what it needs (apt, npm), builds, tests
#   scripts/browser-test.sh --update-screenshots   # the same, and the screenshots into docs/
#
# Without --update-screenshots the screenshots are taken (and their size checked) in a
# temporary folder, so a CI run leaves the tree as it was.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

if [ ! -x /usr/bin/chromium ]; then
    echo "browser-test: installing Debian's chromium"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-sil-charis fonts-inter > /dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    echo "browser-test: installing playwright-core into tests/browser/node_modules"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
installed=$(date +%s)

cargo build --release --bin whosaid
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=target/release/whosaid
$bin --format html seeds/xinhua-2021-07-17-li-khan.txt > "$work/seed.html"
$bin --format jsonl seeds/xinhua-2021-07-17-li-khan.txt > "$work/seed.jsonl"
$bin --format html seeds/ > "$work/seeds.html"
$bin --format jsonl seeds/ > "$work/seeds.jsonl"
built=$(date +%s)

shots="$work"
[ "${1:-}" != "--update-screenshots" ] || shots="docs"
node tests/browser/test.mjs "$work" "$shots"
echo "browser-test: ok (install $((installed - started)) s, build and render $((built - installed)) s, browser $(($(date +%s) - built)) s)"
