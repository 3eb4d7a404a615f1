"""whosaid over an archive on Spark: one row per quote.

Reads articles (JSON Lines ``{"id": ..., "text": ...}`` or Parquet with columns
``id`` and ``text``, one article per row; or a directory of ``*.txt`` files), runs whosaid in ``mapPartitions``
through the Python package (one ``Pipeline`` per executor process, loaded on first
use and reused by every partition that process runs), and writes one row per
quote as Parquet or JSON Lines:

    doc_id, quote_index, speaker, speaker_role, speaker_kind, kind, cue,
    content, content_start, content_end, confidence

``content_start``/``content_end`` are character offsets into the article's text
(``text[content_start:content_end] == content``); ``speaker`` is the speaker's
canonical name, null when whosaid found none. A document whosaid fails on gives no
rows; the job counts and names such documents at the end.

    spark-submit examples/spark/job.py --input articles.jsonl --output quotes/
    python examples/spark/job.py --master 'local[2]' --input a.jsonl --output q/ --format jsonl
    python examples/spark/job.py --master 'local[2]' --input-format txt --input seeds/ --output q/

Every executor needs the ``whosaid`` package installed (``pip install ./python``).
"""

import argparse
import os
import sys
import time

from pyspark.sql import SparkSession
from pyspark.sql import types as T

QUOTE_SCHEMA = T.StructType(
    [
        T.StructField("doc_id", T.StringType(), False),
        T.StructField("quote_index", T.IntegerType(), False),
        T.StructField("speaker", T.StringType(), True),
        T.StructField("speaker_role", T.StringType(), True),
        T.StructField("speaker_kind", T.StringType(), True),
        T.StructField("kind", T.StringType(), False),
        T.StructField("cue", T.StringType(), True),
        T.StructField("content", T.StringType(), False),
        T.StructField("content_start", T.IntegerType(), False),
        T.StructField("content_end", T.IntegerType(), False),
        T.StructField("confidence", T.DoubleType(), False),
    ]
)


def quote_rows(doc_id, doc):
    """The quote rows of one analysed document (a dict of the JSON contract)."""
    for i, q in enumerate(doc["quotes"]):
        speaker = doc["speakers"][q["speaker"]] if q["speaker"] is not None else None
        yield (
            doc_id,
            i,
            speaker["name"] if speaker else None,
            speaker["role"] if speaker else None,
            speaker["kind"] if speaker else None,
            q["kind"],
            q["cue"]["text"] if q["cue"] else None,
            q["content"]["text"],
            q["content"]["start"],
            q["content"]["end"],
            float(q["confidence"]),
        )


def make_analyze_partition(rules_only, batch_size, failures):
    """The ``mapPartitions`` function: articles in, quote rows out."""

    def analyze_partition(rows):
        # Imported and loaded in the executor's Python process: the model is read
        # once per process (whosaid.shared_pipeline) and kept for later partitions.
        import whosaid

        pipeline = whosaid.shared_pipeline(rules_only=rules_only)
        batch = []

        def flush():
            docs = pipeline.analyze_batch([text for _, text in batch])
            for (doc_id, _), doc in zip(batch, docs):
                if "error" in doc:
                    failures.add([f"{doc_id}: {doc['error']}"])
                    continue
                yield from quote_rows(doc_id, doc)
            batch.clear()

        for row in rows:
            # (a null text is an empty article: no quotes)
            batch.append((str(row["id"]), row["text"] or ""))
            if len(batch) >= batch_size:
                yield from flush()
        if batch:
            yield from flush()

    return analyze_partition


def warm_up(spark, processes, rules_only):
    """Load the model in the executors' Python processes before the timed run
    (Python workers are reused, so the job's tasks find it loaded); returns
    (pid, seconds to load) per task."""

    def load(_):
        import whosaid

        start = time.perf_counter()
        whosaid.shared_pipeline(rules_only=rules_only)
        yield (os.getpid(), time.perf_counter() - start)

    rdd = spark.sparkContext.parallelize(range(processes), processes)
    # (a barrier stage runs its tasks at once, so each lands in its own process)
    return rdd.barrier().mapPartitions(load).collect()


class ListAccumulator:
    """An accumulator of strings (the failed documents)."""

    @staticmethod
    def make(sc):
        from pyspark.accumulators import AccumulatorParam

        class Param(AccumulatorParam):
            def zero(self, value):
                return []

            def addInPlace(self, a, b):
                return a + b

        return sc.accumulator([], Param())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True, help="JSON Lines file/dir or Parquet file/dir")
    ap.add_argument(
        "--input-format",
        choices=["jsonl", "parquet", "txt"],
        help="default: from the extension; txt: a directory of *.txt files, one article each (id: the file name)",
    )
    ap.add_argument("--output", required=True, help="output directory")
    ap.add_argument("--format", choices=["parquet", "jsonl"], default="parquet", help="output format")
    ap.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's)")
    ap.add_argument(
        "--partitions",
        type=int,
        help="repartition the articles into N partitions (default: 4 per core when the input has fewer than one per core)",
    )
    ap.add_argument("--batch-size", type=int, default=16, help="articles per analyze_batch call")
    ap.add_argument("--rules-only", action="store_true", help="quotes from the rules alone (faster)")
    ap.add_argument(
        "--threads-per-task",
        type=int,
        default=1,
        help="threads of whosaid's model per task (RAYON_NUM_THREADS; default 1: Spark runs "
        "one task per core, and more threads per task only compete; 0: all cores)",
    )
    ap.add_argument(
        "--warm-up",
        action="store_true",
        help="load the model in every executor process first and time the job without it",
    )
    args = ap.parse_args(argv)

    # (no progress bar: the summary line is the output)
    builder = SparkSession.builder.appName("whosaid").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    # the executors' Python is the driver's (the one whosaid is installed in)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if args.threads_per_task:
        # (the executors' Python workers get it, in local mode too)
        builder = builder.config("spark.executorEnv.RAYON_NUM_THREADS", str(args.threads_per_task))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    # (when this file is imported as a module, `job`, the executors import it too)
    spark.sparkContext.addPyFile(os.path.abspath(__file__))

    fmt = args.input_format or ("parquet" if args.input.rstrip("/").endswith(".parquet") else "jsonl")
    if fmt == "txt":
        files = spark.sparkContext.wholeTextFiles(os.path.join(args.input, "*.txt"))
        articles = files.map(lambda f: (os.path.basename(f[0])[: -len(".txt")], f[1])).toDF(["id", "text"])
    elif fmt == "parquet":
        articles = spark.read.parquet(args.input)
    else:
        articles = spark.read.json(args.input)
    articles = articles.select("id", "text")
    cores = spark.sparkContext.defaultParallelism
    if not args.partitions and articles.rdd.getNumPartitions() < cores:
        # (a small JSON Lines file is one partition: one core would do all the work)
        args.partitions = 4 * cores
    if args.partitions:
        articles = articles.repartition(args.partitions)
    n_articles = articles.count()

    if args.warm_up:
        loads = warm_up(spark, cores, args.rules_only)
        print(
            "whosaid-spark: model load per executor process: "
            + ", ".join(f"pid {pid} {s:.2f} s" for pid, s in loads),
            flush=True,
        )

    failures = ListAccumulator.make(spark.sparkContext)
    start = time.perf_counter()
    quotes = articles.rdd.mapPartitions(make_analyze_partition(args.rules_only, args.batch_size, failures))
    frame = spark.createDataFrame(quotes, QUOTE_SCHEMA)
    writer = frame.write.mode("overwrite")
    if args.format == "parquet":
        writer.parquet(args.output)
    else:
        # (every row with every key: null cue, null speaker)
        writer.option("ignoreNullFields", "false").json(args.output)
    seconds = time.perf_counter() - start
    n_quotes = spark.read.schema(QUOTE_SCHEMA).format(args.format.replace("jsonl", "json")).load(args.output).count()

    print(
        f"whosaid-spark: articles={n_articles} quotes={n_quotes} failed={len(failures.value)} "
        f"seconds={seconds:.2f} articles_per_s={n_articles / seconds:.2f}"
        + ("" if args.warm_up else " (model load included)"),
        flush=True,
    )
    for failure in failures.value:
        print(f"whosaid-spark: failed: {failure}", file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
