"""Subclasses of a document ("other_topic:certificates"): one document in the word index, classes
of their own in the wording classifier, their probabilities summed back into the document's."""

from __future__ import annotations

import math
from array import array
from pathlib import Path

import pytest

from bot.faq import FaqContentError
from bot.faq.classifier import WordingClassifier
from bot.faq.library import FaqLibrary, ReplyKind
from bot.faq.wordings import load_wordings, split_subclasses


def test_split_subclasses_merges_and_labels() -> None:
    merged, labels = split_subclasses(
        {"other_topic": ("погода",), "other_topic:certificates": ("пцр", "куар о прививке")}
    )
    assert merged == {"other_topic": ("погода", "пцр", "куар о прививке")}
    assert labels == {
        "пцр": "other_topic:certificates",
        "куар о прививке": "other_topic:certificates",
    }


def test_subclass_of_an_unknown_document_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "faq_wordings.toml"
    path.write_text('[wordings]\n"nope:sub" = ["x"]\n', encoding="utf-8")
    with pytest.raises(FaqContentError):
        load_wordings(path, {"other_topic"})


def test_proba_sums_subclasses_into_their_document() -> None:
    classifier = WordingClassifier(
        labels=("a", "b:x", "b:y"),
        bias=(0.0, 0.0, 0.0),
        term_idf={"t": 1.0},
        char_idf={},
        rows={"w:t": array("f", [0.0, 1.0, 1.0])},
    )
    proba = classifier.proba(["t"], [])
    assert set(proba) == {"a", "b"}
    assert proba["b"] == pytest.approx(2 * math.e * proba["a"])
    assert sum(proba.values()) == pytest.approx(1.0)


def test_the_library_never_answers_a_subclass(library: FaqLibrary) -> None:
    ids = {c.entry_id for c in library.match("сколько действует пцр для поездки", "ru").candidates}
    assert not any(":" in i for i in ids)
    labels = {label for lang in library.books for label in library._classifiers[lang].labels}
    assert any(label.startswith("other_topic:") for label in labels)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("антитела", "ru"), ("куар", "ru"), ("госуслуги", "ru"), ("antibodies", "en")],
)
def test_the_subjects_bare_words_are_never_another_topic(
    library: FaqLibrary, text: str, lang: str
) -> None:
    """The subclasses' wordings name the subject too («антитела»): a message of the subject's
    words alone still offers entries."""
    understanding = library.understand(text, lang)
    assert understanding.kind in {ReplyKind.SUGGEST, ReplyKind.ANSWER}
