"""The Spark job on Spark in local mode over the seed articles (scripts/spark-test.sh)."""

import json
import pathlib
import sys

import pytest
from pyspark.sql import SparkSession

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
import job  # noqa: E402

SEEDS = {p.stem: p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))}


@pytest.fixture(scope="module")
def articles_jsonl(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "articles.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for doc_id, text in SEEDS.items():
            f.write(json.dumps({"id": doc_id, "text": text, "source": "seed"}) + "\n")
        # an article without quotes and a null text give no rows and no failure
        f.write(json.dumps({"id": "empty", "text": ""}) + "\n")
        f.write(json.dumps({"id": "null", "text": None}) + "\n")
    return path


def read(path, fmt):
    spark = SparkSession.builder.master("local[1]").getOrCreate()
    try:
        frame = spark.read.format(fmt).schema(job.QUOTE_SCHEMA).load(str(path))
        return [r.asDict() for r in frame.collect()]
    finally:
        spark.stop()


def check_rows(rows):
    assert {r["doc_id"] for r in rows} == set(SEEDS)
    for r in rows:
        # character offsets into the article: Python slicing gives the content
        text = SEEDS[r["doc_id"]]
        assert text[r["content_start"] : r["content_end"]] == r["content"]
        assert r["kind"] in ("direct", "indirect", "mixed")
        assert 0.0 <= r["confidence"] <= 1.0
    # one row per quote, each document's quotes numbered in text order
    for doc_id in SEEDS:
        mine = sorted((r for r in rows if r["doc_id"] == doc_id), key=lambda r: r["quote_index"])
        assert [r["quote_index"] for r in mine] == list(range(len(mine)))
        assert [r["content_start"] for r in mine] == sorted(r["content_start"] for r in mine)
    li = [r for r in rows if r["doc_id"] == "xinhua-2021-07-17-li-khan" and r["speaker"] == "Li Keqiang"]
    assert len(li) >= 11
    first = next(r for r in li if r["content"].startswith("The Pakistani side should take solid"))
    assert first["cue"] == "said" and first["kind"] == "indirect"
    assert "Premier" in first["speaker_role"] and first["speaker_kind"] == "person"


def test_jsonl_in_parquet_out(articles_jsonl, tmp_path, capsys):
    out = tmp_path / "quotes"
    assert job.main(["--master", "local[2]", "--input", str(articles_jsonl), "--output", str(out)]) == 0
    summary = capsys.readouterr().out
    assert "articles=6 " in summary and "failed=0 " in summary, summary
    rows = read(out, "parquet")
    check_rows(rows)
    assert f"quotes={len(rows)} " in summary


def test_parquet_in_jsonl_out(articles_jsonl, tmp_path, capsys):
    spark = SparkSession.builder.master("local[1]").getOrCreate()
    parquet = tmp_path / "articles.parquet"
    spark.read.json(str(articles_jsonl)).write.parquet(str(parquet))
    spark.stop()
    out = tmp_path / "quotes"
    argv = ["--master", "local[2]", "--input", str(parquet), "--output", str(out), "--format", "jsonl"]
    assert job.main(argv + ["--warm-up", "--batch-size", "2", "--threads-per-task", "1"]) == 0
    summary = capsys.readouterr().out
    assert "model load per executor process" in summary and "failed=0 " in summary, summary
    check_rows(read(out, "json"))


def test_txt_directory_in(tmp_path, capsys):
    out = tmp_path / "quotes"
    argv = ["--master", "local[2]", "--input-format", "txt", "--input", str(REPO / "seeds"), "--output", str(out)]
    assert job.main(argv + ["--format", "jsonl"]) == 0
    assert "articles=4 " in capsys.readouterr().out
    lines = [json.loads(line) for p in sorted(out.glob("part-*.json")) for line in p.open(encoding="utf-8")]
    assert all(set(r) == set(job.QUOTE_SCHEMA.fieldNames()) for r in lines)
    check_rows(lines)
