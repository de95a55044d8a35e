"""More ways people ask each entry: ``locales/<lang>/faq_wordings.toml`` (optional).

The matcher learns them like an entry's phrasings; they are kept apart from ``faq.toml`` so that
the content people read stays short. Written from the memo only, never from an evaluation set
(see tests/faq/heldout/README.md)::

    [wordings]
    validity = ["сколько ходит код", …]
    lab_info = [...]        # also the lab's-contacts and other-topic documents (faq_intents.toml)
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.faq.content import FaqContentError, load_toml_model

__all__ = ["WORDINGS_FILE_NAME", "load_wordings"]

WORDINGS_FILE_NAME = "faq_wordings.toml"


class _WordingsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    wordings: dict[str, tuple[str, ...]]


def load_wordings(path: Path | str, known_ids: set[str]) -> dict[str, tuple[str, ...]]:
    path = Path(path)
    data = load_toml_model(path, _WordingsFile)
    unknown = sorted(set(data.wordings) - known_ids)
    if unknown:
        raise FaqContentError(path, None, f"wordings for unknown ids: {unknown}")
    return {
        key: tuple(t.strip() for t in texts if t.strip()) for key, texts in data.wordings.items()
    }
