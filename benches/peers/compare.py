"""whosaid against spaCy's small CNN plus textacy, over the same articles, per core.

Runs each tool as its own process (the model load excluded from the timing and printed
apart) with 1 and then 2 threads: whosaid with --threads N, spaCy with N worker processes
over shares of the articles (see spacy_textacy.py). Prints one `result` line per run,
`ratio` lines (whosaid's articles/s over spaCy's; issue 15's target is >= 1.0) and a table.
Called by run.sh, which installs the venv and builds the binary first.
"""

import argparse
import os
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPACY = "spacy_sm_textacy"
DEFAULT = "whosaid_default"
RULES = "whosaid_rules_only"
LABELS = {SPACY: "spaCy sm + textacy", DEFAULT: "whosaid", RULES: "whosaid --rules-only"}


def children_cpu_s():
    """CPU seconds (user + system) of the finished child processes so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def fields(text):
    """Every key=value pair in the text (later ones win)."""
    return dict(word.split("=", 1) for word in text.split() if "=" in word)


def environment(threads):
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = "1"
    env["RAYON_NUM_THREADS"] = str(threads)
    return env


def run_spacy(directory, threads):
    env = environment(threads)
    # this machine pins OpenBLAS to an old kernel, which slows a current numpy: not
    # for a benchmark (numpy's OpenBLAS only; spaCy's matrix products go through blis)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    command = [sys.executable, str(HERE / "spacy_textacy.py"), str(directory), "--processes", str(threads)]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return fields(out.stdout)


def run_whosaid(binary, directory, threads, rules_only):
    command = [str(binary), "--threads", str(threads), "--format", "jsonl", "--stats", str(directory)]
    if rules_only:
        command.append("--rules-only")
    out = subprocess.run(
        command, env=environment(threads), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    stats = [line for line in out.stderr.splitlines() if line.startswith("stats ")]
    if out.returncode != 0 or not stats:
        sys.exit(f"compare.py: {' '.join(command)} failed ({out.returncode}):\n{out.stderr}")
    s = fields(stats[-1])
    return {
        "articles": s["documents"],
        "chars": s["chars"],
        "load_s": s["load_s"],
        "run_s": s["analyze_s"],
        "articles_per_s": s["articles_per_s"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--whosaid", type=Path, required=True, help="the whosaid binary")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest is kept")
    args = parser.parse_args()

    best = {}  # (tool, threads) -> the fastest run's fields
    for attempt in range(1, args.repeat + 1):
        for threads in (1, 2):
            runs = {
                SPACY: lambda: run_spacy(args.directory, threads),
                DEFAULT: lambda: run_whosaid(args.whosaid, args.directory, threads, False),
                RULES: lambda: run_whosaid(args.whosaid, args.directory, threads, True),
            }
            for tool, run in runs.items():
                cpu = children_cpu_s()
                r = run()
                # the run's CPU time, the model load included: about (run_s + load_s) x threads
                # when it had the cores to itself, less when the machine was shared
                r["cpu_s"] = f"{children_cpu_s() - cpu:.3f}"
                # the 1-minute load average at its end, its own threads included: above the
                # run's threads, something else was running too
                r["load_avg"] = f"{os.getloadavg()[0]:.2f}"
                keys = ["articles", "chars", "load_s", "run_s", "articles_per_s"]
                keys += ["quotes", "bailed", "cpu_s", "load_avg"]
                line = " ".join(f"{k}={r[k]}" for k in keys if k in r)
                print(f"result tool={tool} threads={threads} try={attempt} {line}", flush=True)
                key = (tool, threads)
                if key not in best or float(r["run_s"]) < float(best[key]["run_s"]):
                    best[key] = r

    if len({(r["articles"], r["chars"]) for r in best.values()}) != 1:
        print("warning: the tools did not read the same articles (articles, chars differ)")
    rate = {key: float(r["articles_per_s"]) for key, r in best.items()}
    for threads in (1, 2):
        spacy = rate[(SPACY, threads)]
        print(
            f"ratio threads={threads} default_over_spacy={rate[(DEFAULT, threads)] / spacy:.3f}"
            f" rules_only_over_spacy={rate[(RULES, threads)] / spacy:.3f} target=1.0"
        )

    r = best[(SPACY, 1)]
    print(f"\n{r['articles']} articles, {r['chars']} characters; fastest of {args.repeat} run(s) each;")
    print("articles/s without the model load; ratio = articles/s over spaCy's at the same threads\n")
    print(f"{'':22} {'1 thread':>17}   {'2 threads (spaCy: 2 processes)':>30}   {'load s':>6}")
    print(f"{'':22} {'art/s':>8} {'ratio':>8}   {'art/s':>21} {'ratio':>8}")
    for tool in (SPACY, DEFAULT, RULES):
        cells = []
        for threads, width in ((1, 8), (2, 21)):
            per_s = rate[(tool, threads)]
            cells.append(f"{per_s:>{width}.2f} {per_s / rate[(SPACY, threads)]:>8.2f}")
        print(f"{LABELS[tool]:22} {cells[0]}   {cells[1]}   {float(best[(tool, 1)]['load_s']):>6.2f}")


if __name__ == "__main__":
    main()
