"""More ways people ask each entry: ``locales/<lang>/faq_wordings.toml`` (optional).

The matcher learns them like an entry's phrasings; they are kept apart from ``faq.toml`` so that
the content people read stays short. Written from the memo only, never from an evaluation set
(see tests/faq/heldout/README.md)::

    [wordings]
    validity = ["сколько ходит код", …]
    lab_info = [...]        # also the lab's-contacts and other-topic documents (faq_intents.toml)
    "other_topic:certificates" = [...]   # a subclass: the document's wordings in the word index,
                                          # a class of its own for the wording classifier

A document whose wordings ask about several unlike things (``other_topic``: PCR validity,
vaccines, passwords, the weather) is hard for a linear classifier as one class; as subclasses,
each is learnt on its own and their probabilities are summed back into the document's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.faq.classifier import SUBCLASS_SEPARATOR
from bot.faq.content import FaqContentError, load_toml_model

__all__ = ["SUBCLASS_SEPARATOR", "WORDINGS_FILE_NAME", "load_wordings", "split_subclasses"]

WORDINGS_FILE_NAME = "faq_wordings.toml"


class _WordingsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    wordings: dict[str, tuple[str, ...]]


def load_wordings(path: Path | str, known_ids: set[str]) -> dict[str, tuple[str, ...]]:
    path = Path(path)
    data = load_toml_model(path, _WordingsFile)
    unknown = sorted({k.partition(SUBCLASS_SEPARATOR)[0] for k in data.wordings} - known_ids)
    if unknown:
        raise FaqContentError(path, None, f"wordings for unknown ids: {unknown}")
    return {
        key: tuple(t.strip() for t in texts if t.strip()) for key, texts in data.wordings.items()
    }


def split_subclasses(
    wordings: Mapping[str, tuple[str, ...]],
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(wordings per document, subclasses merged in; wording → subclass label, for the
    classifier)."""
    merged: dict[str, tuple[str, ...]] = {}
    labels: dict[str, str] = {}
    for key, texts in wordings.items():
        document = key.partition(SUBCLASS_SEPARATOR)[0]
        merged[document] = (*merged.get(document, ()), *texts)
        if document != key:
            labels.update(dict.fromkeys(texts, key))
    return merged, labels
