"""The matcher's words per language: ``locales/<lang>/faq_vocabulary.toml``.

Kept next to ``faq.toml`` so that whoever edits the content edits the words that find it, and
validated at start like the content (a broken file stops the start naming the file).

    language = "ru"
    stopwords = \"\"\"а и но …\"\"\"     # whitespace-separated; never evidence of anything
    keep = ["где", "уже", …]            # stopwords that still tell entries apart
    weak = ["где", …]                   # help to rank, never enough for an answer on their own
    [[synonyms]]
    means = ["qr"]                      # canonical term(s)
    words = ["кьюар", "куар", …]        # surface forms, lemmas or stems that mean them
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.faq.content import FaqContentError, load_toml_model

__all__ = ["VOCABULARY_FILE_NAME", "Vocabulary", "load_vocabulary"]

VOCABULARY_FILE_NAME = "faq_vocabulary.toml"


def _norm(word: str) -> str:
    return unicodedata.normalize("NFKC", word).lower().replace("ё", "е").strip()


class _SynonymGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    means: tuple[str, ...] = Field(min_length=1)
    words: tuple[str, ...] = Field(min_length=1)


class _VocabularyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str
    stopwords: str = ""
    keep: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    synonyms: tuple[_SynonymGroup, ...] = ()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    language: str
    stop: frozenset[str]  # stopwords minus ``keep``
    keep: frozenset[str]
    weak: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]  # word → canonical terms


def load_vocabulary(path: Path | str) -> Vocabulary:
    path = Path(path)
    data = load_toml_model(path, _VocabularyFile)
    keep = frozenset(_norm(w) for w in data.keep)
    synonyms: dict[str, tuple[str, ...]] = {}
    for group in data.synonyms:
        means = tuple(_norm(m) for m in group.means)
        for word in group.words:
            key = _norm(word)
            if key in synonyms and synonyms[key] != means:
                raise FaqContentError(
                    path, None, f"{word!r} means both {synonyms[key]} and {means}"
                )
            synonyms[key] = means
    return Vocabulary(
        language=data.language,
        stop=frozenset(_norm(w) for w in data.stopwords.split()) - keep,
        keep=keep,
        weak=frozenset(_norm(w) for w in data.weak),
        synonyms=synonyms,
    )
