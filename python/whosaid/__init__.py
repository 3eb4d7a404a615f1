"""whosaid: who said what in English news.

>>> import whosaid
>>> p = whosaid.Pipeline()            # loads the model (~1 s): make one per process
>>> doc = p.analyze('"We are ready," Li Keqiang said.')
>>> [(doc["speakers"][q["speaker"]]["name"], q["content"]["text"]) for q in doc["quotes"]]
[('Li Keqiang', 'We are ready')]

Every result is a dict with the JSON contract of the Rust crate and the ``whosaid``
binary (``whosaid::json::DocumentJson``): ``entities``, ``speakers`` and ``quotes``,
with ``start``/``end`` as character offsets, so ``text[start:end]`` is the span's
``text``. Fields are only ever added.

The GIL is released while Rust works, so threads analyse in parallel; a
``Pipeline`` may be shared by threads.
"""

import json
import os
import threading
from typing import List, Optional, Sequence, Union

from . import _whosaid
from ._whosaid import WhosaidError, __version__

__all__ = ["Pipeline", "WhosaidError", "model_dir", "shared_pipeline", "__version__"]

_MODEL_FILES = ("config.json", "tokenizer.json", "model.safetensors")


def model_dir() -> str:
    """The model directory ``Pipeline()`` loads: the one installed with the package
    (``whosaid/models``), else the source tree's ``models/`` the extension was
    compiled from."""
    packaged = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
    if os.path.isfile(os.path.join(packaged, "config.json")):
        return packaged
    return _whosaid.compiled_model_dir


class Pipeline:
    """The whosaid pipeline: the model, loaded once, and the rule stages.

    Loading reads the model (~67 MB) and takes about a second: create one
    ``Pipeline`` per process and reuse it (in Spark, one per executor process).

    :param model_dir: a model directory (``config.json``, ``tokenizer.json``,
        ``model.safetensors``, optionally ``attribution.safetensors``); default: the
        model installed with the package.
    :param rules_only: quotes from the rules alone, without the attribution tagger
        (about twice as fast). ``learned_attribution`` says which is in use.
    :param precision: ``"f32"`` (the model as trained) or ``"int8"``; default ``None``:
        int8 where the CPU has VNNI, about twice as fast with the same figures.
        ``precision`` then says what runs (a CPU without VNNI always runs ``"f32"``).
    :raises WhosaidError: a model file is missing or bad (the message names it).
    :raises ValueError: ``precision`` is neither ``"f32"`` nor ``"int8"``.
    """

    def __init__(
        self,
        model_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
        rules_only: bool = False,
        precision: Optional[str] = None,
    ):
        if model_dir is None:
            model_dir = globals()["model_dir"]()
        self.model_dir = os.fspath(model_dir)
        self.rules_only = bool(rules_only)
        # the model is read once, here; the two functions share it
        self._analyze_json, self._analyze_batch_json, self.learned_attribution, self.precision = _whosaid.load(
            self.model_dir, self.rules_only, precision
        )

    def analyze(self, text: str) -> dict:
        """Analyse one text: a dict with ``entities``, ``speakers``, ``quotes``.

        :raises WhosaidError: the analysis failed (a model runtime error, or a caught
            internal error, which is a bug: please report the text).
        """
        return json.loads(self._analyze_json(text))

    def analyze_batch(self, texts: Sequence[str]) -> List[dict]:
        """Analyse many texts in shared model batches (faster than one ``analyze``
        per short text): one dict per text, in order.

        A document that fails does not fail the call: its dict is
        ``{"error": "<message>", "entities": [], "speakers": [], "quotes": []}``,
        so check ``d.get("error")``; a successful document has no ``error`` key.
        A text that is not a ``str`` raises ``TypeError``.
        """
        return json.loads(self._analyze_batch_json(list(texts)))

    def __repr__(self) -> str:
        return (
            f"whosaid.Pipeline(model_dir={self.model_dir!r}, rules_only={self.rules_only}, "
            f"precision={self.precision!r})"
        )


_shared = {}
_shared_lock = threading.Lock()


def shared_pipeline(model_dir: Optional[Union[str, "os.PathLike[str]"]] = None, rules_only: bool = False) -> Pipeline:
    """The process's one ``Pipeline`` for these arguments, loaded on the first call
    and reused after: for code that runs many times in one process without a place
    to keep a ``Pipeline`` (a Spark ``mapPartitions`` function, a multiprocessing
    worker). A forked child loads its own (the model's threads do not survive a
    fork)."""
    key = (os.getpid(), None if model_dir is None else os.fspath(model_dir), bool(rules_only))
    with _shared_lock:
        pipeline = _shared.get(key)
        if pipeline is None:
            pipeline = _shared[key] = Pipeline(model_dir, rules_only)
        return pipeline
