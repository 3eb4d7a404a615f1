"""The Python package on real text with the installed model (no mocks)."""

import os
import pathlib
import threading

import pytest

import whosaid

REPO = pathlib.Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
LI_KHAN = (SEEDS / "xinhua-2021-07-17-li-khan.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pipeline():
    return whosaid.Pipeline()


def speaker_name(doc, quote):
    return None if quote["speaker"] is None else doc["speakers"][quote["speaker"]]["name"]


def check_offsets(text, doc, allow_empty=False):
    """Every span's character offsets cut its own text out of the input."""
    spans = [(e["start"], e["end"], e["text"]) for e in doc["entities"]]
    for s in doc["speakers"]:
        spans += [(m["start"], m["end"], m["text"]) for m in s["mentions"]]
    for q in doc["quotes"]:
        for key in ("content", "cue", "speaker_mention"):
            if q[key] is not None:
                spans.append((q[key]["start"], q[key]["end"], q[key]["text"]))
    assert spans or allow_empty
    for start, end, covered in spans:
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == covered


def test_installed_package_loads_its_own_model():
    # the wheel ships models/ inside the package, so nothing points back at the source tree
    pkg = pathlib.Path(whosaid.__file__).resolve().parent
    assert pathlib.Path(whosaid.model_dir()).resolve() == (pkg / "models").resolve()
    assert (pkg / "models" / "model.safetensors").is_file()


def test_seed_article_li_keqiang_is_the_speaker(pipeline):
    doc = pipeline.analyze(LI_KHAN)
    assert set(doc) >= {"entities", "speakers", "quotes"}
    assert "file" not in doc and "error" not in doc
    check_offsets(LI_KHAN, doc)
    by_li = [q for q in doc["quotes"] if speaker_name(doc, q) == "Li Keqiang"]
    by_khan = [q for q in doc["quotes"] if speaker_name(doc, q) == "Imran Khan"]
    # the Rust integration test's expectations: 11 of the 16 quotes are Li's, 4 Khan's
    assert len(by_li) >= 11, [q["content"]["text"][:40] for q in doc["quotes"]]
    assert len(by_khan) >= 4
    first = next(q for q in by_li if q["content"]["text"].startswith("The Pakistani side should take"))
    assert first["cue"]["text"] == "said"
    assert first["kind"] == "indirect"
    assert 0.0 <= first["confidence"] <= 1.0
    li = next(s for s in doc["speakers"] if s["name"] == "Li Keqiang")
    assert "Premier" in li["role"] and li["kind"] == "person"
    assert any(e["text"] == "Li Keqiang" and e["label"] == "PER" for e in doc["entities"])


def test_offsets_are_characters_not_bytes(pipeline):
    # non-ASCII before the quote shifts byte offsets but not character offsets
    text = "Zürich — “Wir sind bereit,” said Ms. Müller, the café’s owner. “Très bien.”"
    doc = pipeline.analyze(text)
    check_offsets(text, doc)
    quote = next(q for q in doc["quotes"] if q["content"]["text"].startswith("Wir sind bereit"))
    assert speaker_name(doc, quote) == "Ms. Müller"  # a surname alone keeps its honorific
    assert text[quote["content"]["start"] - 1] == "“"


def test_batch_gives_one_dict_per_text_in_order(pipeline):
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts.insert(1, "")
    batch = pipeline.analyze_batch(texts)
    assert len(batch) == len(texts)
    for text, doc in zip(texts, batch):
        assert "error" not in doc
        check_offsets(text, doc, allow_empty=True)
        # the batch gives what one call per text gives
        assert doc == pipeline.analyze(text)
    assert batch[1] == {"entities": [], "speakers": [], "quotes": []}
    li_khan = texts.index(LI_KHAN)
    assert any(speaker_name(batch[li_khan], q) == "Li Keqiang" for q in batch[li_khan]["quotes"])
    assert pipeline.analyze_batch([]) == []


def test_batch_error_record_for_a_bad_string(pipeline):
    # a lone surrogate cannot reach Rust: that text alone becomes an error record
    batch = pipeline.analyze_batch(['"Yes," he said.', "bad \ud800 text", '"No," she said.'])
    assert [("error" in d) for d in batch] == [False, True, False]
    assert "surrogate" in batch[1]["error"]
    assert batch[1]["quotes"] == []
    assert batch[2]["quotes"][0]["content"]["text"] == "No"
    with pytest.raises(TypeError):
        pipeline.analyze_batch(["ok", None])


def test_empty_and_quoteless_text_give_no_quotes(pipeline):
    assert pipeline.analyze("") == {"entities": [], "speakers": [], "quotes": []}
    doc = pipeline.analyze("The river rose two metres overnight in Dresden.")
    assert doc["quotes"] == []
    assert [e["text"] for e in doc["entities"]] == ["Dresden"]


def test_rules_only(pipeline):
    rules = whosaid.Pipeline(rules_only=True)
    assert rules.rules_only and not rules.learned_attribution
    assert pipeline.learned_attribution
    doc = rules.analyze(LI_KHAN)
    check_offsets(LI_KHAN, doc)
    assert sum(speaker_name(doc, q) == "Li Keqiang" for q in doc["quotes"]) >= 11


def test_precision_f32_gives_the_seed_speakers_as_the_default(pipeline):
    f32 = whosaid.Pipeline(precision="f32")
    assert f32.precision == "f32" and pipeline.precision in ("f32", "int8")
    names = lambda doc: [speaker_name(doc, q) for q in doc["quotes"]]
    assert names(f32.analyze(LI_KHAN)) == names(pipeline.analyze(LI_KHAN))
    with pytest.raises(ValueError):
        whosaid.Pipeline(precision="f16")


def test_bad_model_dir_raises_whosaid_error_naming_the_file(tmp_path):
    assert issubclass(whosaid.WhosaidError, Exception)
    with pytest.raises(whosaid.WhosaidError) as info:
        whosaid.Pipeline(model_dir=tmp_path)
    message = str(info.value)
    assert str(tmp_path / "config.json") in message, message
    # a model directory with a corrupt file names that file
    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((pathlib.Path(whosaid.model_dir()) / name).read_bytes())
    (tmp_path / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(whosaid.WhosaidError, match="model.safetensors"):
        whosaid.Pipeline(model_dir=str(tmp_path))


def test_threads_share_one_pipeline(pipeline):
    # the GIL is released in Rust: threads run at once and agree with a serial call
    expected = pipeline.analyze(LI_KHAN)
    results = [None] * 4

    def work(i):
        results[i] = pipeline.analyze(LI_KHAN)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_gil_is_released_while_rust_works(pipeline):
    # a Python thread keeps counting while another thread is inside analyze()
    stop = threading.Event()
    ticks = [0]

    def count():
        while not stop.is_set():
            ticks[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        before = ticks[0]
        pipeline.analyze(LI_KHAN * 3)
        during = ticks[0] - before
    finally:
        stop.set()
        counter.join()
    assert during > 1000, during


def test_shared_pipeline_is_loaded_once_per_process():
    a = whosaid.shared_pipeline()
    assert whosaid.shared_pipeline() is a
    assert whosaid.shared_pipeline(rules_only=True) is not a
    assert whosaid.shared_pipeline(rules_only=True).rules_only


def test_docstring_example_runs():
    import doctest

    assert doctest.testmod(whosaid).failed == 0
