"""A linear classifier of wordings: which document a question is most like, as a probability.

Softmax regression over two feature families of a text, each TF-IDF weighted (sublinear tf)
and scaled to unit length: the matcher's normalised terms (lemmas after the synonym table) and
the character 3–4-grams of its words, which carry typos, unknown word forms and shared roots
(«переболел», «переболевшим») that the terms miss.

Training (full-batch gradient descent with momentum, numpy) runs in a short-lived child
process: it takes a second or two, and the bot process never imports numpy nor keeps what the
allocator holds on to after it (~20 MB). Scoring is plain Python over the ~100 features of a
question (well under a millisecond). scikit-learn would do the same with ~110 MB more memory.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import subprocess
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Sample",
    "WordingClassifier",
    "cache_dir",
    "char_ngrams",
    "train",
    "train_in_child",
    "trained",
]

Sample = tuple[Sequence[str], Sequence[str], str]  # (terms, tokens, label) of one wording

_NGRAMS = (3, 4)
SUBCLASS_SEPARATOR = ":"  # "other_topic:certificates" is a subclass of other_topic
SUBCLASS_POWER = 0.75  # see _fit


def char_ngrams(tokens: Sequence[str]) -> list[str]:
    """Character 3–4-grams of each token padded with spaces (short tokens: the whole token)."""
    out: list[str] = []
    for token in tokens:
        padded = f" {token} "
        if len(padded) <= _NGRAMS[0]:
            out.append(padded)
            continue
        for n in _NGRAMS:
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


def _tfidf(features: Sequence[str], idf: dict[str, float]) -> dict[str, float]:
    """Unit-length sublinear TF-IDF of the known features."""
    counts: dict[str, int] = {}
    for f in features:
        if f in idf:
            counts[f] = counts.get(f, 0) + 1
    weights = {f: (1.0 + math.log(c)) * idf[f] for f, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {f: w / norm for f, w in weights.items()} if norm else {}


def _idf(docs: Sequence[Sequence[str]], min_df: int) -> dict[str, float]:
    df: dict[str, int] = {}
    for feats in docs:
        for f in set(feats):
            df[f] = df.get(f, 0) + 1
    n = len(docs)
    return {f: math.log((1 + n) / (1 + d)) + 1.0 for f, d in df.items() if d >= min_df}


@dataclass(frozen=True, slots=True)
class WordingClassifier:
    """``proba(terms, tokens)`` → probability per label (the documents' ids)."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]  # per label
    term_idf: dict[str, float]
    char_idf: dict[str, float]
    # feature → idf × weight per label; term features are prefixed "w:". A feature's TF-IDF
    # value is tf × idf / norm: with the idf folded in, the rows of a question's features are
    # summed as they are (zip + sum run in C) and divided by the norm once per family.
    rows: dict[str, array[float]]  # float32: a third of the memory of tuples of floats

    def _features(self, terms: Sequence[str], tokens: Sequence[str]) -> dict[str, float]:
        """Feature → TF-IDF value (what the model was trained on)."""
        features = {"w:" + t: v for t, v in _tfidf(terms, self.term_idf).items()}
        features.update(_tfidf(char_ngrams(tokens), self.char_idf))
        return features

    def proba(self, terms: Sequence[str], tokens: Sequence[str]) -> dict[str, float]:
        z = list(self.bias)
        for features, idf, prefix in (
            (terms, self.term_idf, "w:"),
            (char_ngrams(tokens), self.char_idf, ""),
        ):
            counts: dict[str, int] = {}
            for f in features:
                if f in idf:
                    counts[f] = counts.get(f, 0) + 1
            if not counts:
                continue
            rows: list[Sequence[float]] = []
            square = 0.0
            for f, c in counts.items():
                tf = 1.0 if c == 1 else 1.0 + math.log(c)
                square += (tf * idf[f]) ** 2
                row = self.rows[prefix + f]
                rows.append(row if c == 1 else tuple(tf * x for x in row))
            scale = 1.0 / math.sqrt(square)
            z = [s + scale * t for s, t in zip(z, map(sum, zip(*rows, strict=True)), strict=True)]
        top = max(z)
        exp = [math.exp(s - top) for s in z]
        total = sum(exp)
        out: dict[str, float] = {}
        for label, e in zip(self.labels, exp, strict=True):
            # a subclass ("other_topic:certificates") counts for its document
            document = label.partition(SUBCLASS_SEPARATOR)[0]
            out[document] = out.get(document, 0.0) + e / total
        return out


def train(
    samples: Sequence[Sample],
    *,
    epochs: int = 100,
    learning_rate: float = 4.0,
    l2: float = 1e-4,
    min_df: int = 2,
) -> WordingClassifier:
    """Fit on (terms, tokens, label) samples. Needs numpy (imported here, not by the bot)."""
    import numpy as np

    samples = [s for s in samples if s[1]]
    if not samples:
        raise ValueError("no samples")
    labels = tuple(sorted({label for *_, label in samples}))
    shell = WordingClassifier(
        labels,
        (),
        _idf([s[0] for s in samples], 1),
        _idf([char_ngrams(s[1]) for s in samples], min_df),
        {},
    )
    names = ["w:" + t for t in shell.term_idf] + list(shell.char_idf)
    column = {name: i for i, name in enumerate(names)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, (terms, tokens, _label) in enumerate(samples):
        for feature, value in shell._features(terms, tokens).items():
            rows.append(r)
            cols.append(column[feature])
            vals.append(value)
    label_index = {label: i for i, label in enumerate(labels)}
    w, b = _fit(
        np.array(rows),
        np.array(cols),
        np.array(vals, dtype=np.float32),
        np.array([label_index[s[2]] for s in samples]),
        n_features=len(names),
        n_classes=len(labels),
        epochs=epochs,
        learning_rate=learning_rate,
        l2=l2,
        document_of=_documents_of(labels),
    )
    idf = {"w:" + t: v for t, v in shell.term_idf.items()} | shell.char_idf
    weights = {name: array("f", (idf[name] * w[i]).tolist()) for i, name in enumerate(names)}
    return WordingClassifier(labels, tuple(b.tolist()), shell.term_idf, shell.char_idf, weights)


def _documents_of(labels: Sequence[str]) -> list[int]:
    """The index of each label's document (a subclass's document is the part before ":")."""
    documents: dict[str, int] = {}
    return [
        documents.setdefault(label.partition(SUBCLASS_SEPARATOR)[0], len(documents))
        for label in labels
    ]


def cache_dir() -> Path:
    """Where trained classifiers are kept between starts (``$XDG_CACHE_HOME/antibody-bot``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "antibody-bot"


def trained(samples: Sequence[Sample], directory: Path | None = None) -> WordingClassifier:
    """The classifier of these samples: from the cache when this code trained it before,
    otherwise trained in a child process (seconds) and cached. A cache that cannot be read or
    written is only slower: it is never an error."""
    frozen = [(tuple(s[0]), tuple(s[1]), s[2]) for s in samples]
    digest = hashlib.sha256(Path(__file__).read_bytes())  # new code, new model
    digest.update(pickle.dumps(frozen))
    path = (directory or cache_dir()) / f"faq-classifier-{digest.hexdigest()[:32]}.pickle"
    try:
        cached = pickle.loads(path.read_bytes())  # our own file, in the user's cache folder
        if isinstance(cached, WordingClassifier):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    classifier = train_in_child(frozen)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(classifier))
        partial.replace(path)  # atomic: another process may be writing the same file
    except OSError:
        pass
    return classifier


def train_in_child(samples: Sequence[Sample]) -> WordingClassifier:
    """:func:`train` in a fresh ``python -m bot.faq.classifier`` (pickles through its pipes;
    a fresh interpreter, not a fork: safe beside threads and event loops, and it does not
    re-run the caller's ``__main__`` as multiprocessing's spawn would)."""
    payload = pickle.dumps([(tuple(s[0]), tuple(s[1]), s[2]) for s in samples])
    done = subprocess.run(
        [sys.executable, "-m", "bot.faq.classifier"],
        input=payload,
        capture_output=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(
            "training the FAQ classifier failed: " + done.stderr.decode(errors="replace")[-2000:]
        )
    classifier = pickle.loads(done.stdout)  # our own child's output
    if not isinstance(classifier, WordingClassifier):
        raise RuntimeError("training the FAQ classifier returned no classifier")
    return classifier


_CHUNK_ROWS = 32


def _fit(
    rows: Any,
    cols: Any,
    vals: Any,
    y: Any,
    *,
    n_features: int,
    n_classes: int,
    epochs: int,
    learning_rate: float,
    l2: float,
    document_of: Any,
) -> tuple[Any, Any]:  # numpy arrays: the bot process never imports numpy, so no numpy types
    """Mean cross-entropy + l2, full batch, Nesterov momentum; returns (weights, bias).

    Products go through BLAS on dense float32 blocks of ``_CHUNK_ROWS`` samples, refilled from
    the sparse features each time: ten times faster than numpy's sparse gathers, without the
    whole dense matrix."""
    import numpy as np

    n_rows = len(y)
    order = np.argsort(rows, kind="stable")
    rows, cols, vals = rows[order], cols[order], vals[order]
    bounds = np.searchsorted(rows, np.arange(0, n_rows + _CHUNK_ROWS, _CHUNK_ROWS))
    chunks = [
        (start, min(start + _CHUNK_ROWS, n_rows), bounds[k], bounds[k + 1])
        for k, start in enumerate(range(0, n_rows, _CHUNK_ROWS))
    ]
    block = np.zeros((_CHUNK_ROWS, n_features), dtype=np.float32)
    target = np.zeros((n_rows, n_classes), dtype=np.float32)
    target[np.arange(n_rows), y] = 1.0
    # documents weigh the same whatever their number of wordings: the "other topics" document has
    # the most of them (everything the memo does not answer), and must not win by numbers alone.
    # A document split into k subclasses ("other_topic:certificates") weighs k ** SUBCLASS_POWER
    # documents, shared equally by its subclasses: each is learnt, none wins by numbers.
    per_class = np.bincount(y, minlength=n_classes).astype(np.float64)
    document = np.asarray(document_of)
    subclasses = np.bincount(document)[document].astype(np.float64)  # per class
    class_weight = subclasses ** (SUBCLASS_POWER - 1.0) / per_class
    class_weight *= n_rows / class_weight[y].sum()  # mean sample weight 1, as before
    sample_weight = class_weight[y].astype(np.float32)
    w = np.zeros((n_features, n_classes), dtype=np.float32)
    b = np.zeros(n_classes, dtype=np.float32)
    vw = np.zeros_like(w)
    vb = np.zeros_like(b)
    momentum = np.float32(0.9)
    rate = np.float32(learning_rate)
    scale = np.float32(1.0 / n_rows)
    for _ in range(epochs):
        lw = w + momentum * vw
        lb = b + momentum * vb
        gw = np.float32(l2) * lw
        gb = np.zeros_like(b)
        for first, last, lo, hi in chunks:
            x = block[: last - first]
            x[rows[lo:hi] - first, cols[lo:hi]] = vals[lo:hi]
            z = x @ lw + lb
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            d = (p - target[first:last]) * (sample_weight[first:last, None] * scale)
            gw += x.T @ d
            gb += d.sum(axis=0)
            x[rows[lo:hi] - first, cols[lo:hi]] = 0.0
        vw = momentum * vw - rate * gw
        vb = momentum * vb - rate * gb
        w += vw
        b += vb
    return w, b


if __name__ == "__main__":  # the child of train_in_child: samples in, classifier out
    from bot.faq import classifier as _named  # pickled under its importable name, not __main__

    sys.stdout.buffer.write(pickle.dumps(_named.train(pickle.loads(sys.stdin.buffer.read()))))
