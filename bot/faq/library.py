"""The FAQ as the running bot uses it: every language's book and the matcher, built once at start.

Entry ids are shared by all books, so a question matched in one language can be shown in another.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.faq.content import FaqBook, FaqEntry, load_all
from bot.faq.matcher import (
    MatchResult,
    MultiLanguageMatcher,
    detect_language,
    en_stem,
    normalize_text,
    ru_lemma,
    tokenize,
)

__all__ = ["FaqLibrary", "plain_text"]

MAX_CALLBACK_KEY_BYTES = 24  # longer ids get a short hash key (callback_data is <= 64 bytes)
MAX_NORMALIZED_CHARS = 500

_TAG_RE = re.compile(r"<[^<>]*>")
_SPACE_RE = re.compile(r"\s+")
_CYR_RE = re.compile(r"[а-яё]")


def plain_text(answer_html: str) -> str:
    """Telegram HTML → plain text (tags dropped, entities decoded)."""
    return html.unescape(_TAG_RE.sub("", answer_html))


@dataclass(frozen=True)
class FaqLibrary:
    books: Mapping[str, FaqBook]
    matcher: MultiLanguageMatcher
    default: str
    _keys: dict[str, str] = field(default_factory=dict, repr=False)  # entry id → callback key
    _ids: dict[str, str] = field(default_factory=dict, repr=False)  # callback key → entry id

    @classmethod
    def load(
        cls, locales_dir: Path | str, languages: Iterable[str], *, default: str = "ru"
    ) -> FaqLibrary:
        """Read and validate every ``faq.toml``; raises ``FaqContentError`` (file:line: why)."""
        books = load_all(locales_dir, tuple(languages))
        return cls.from_books(books, default=default)

    @classmethod
    def from_books(cls, books: Mapping[str, FaqBook], *, default: str = "ru") -> FaqLibrary:
        if default not in books:
            default = next(iter(books))
        library = cls(dict(books), MultiLanguageMatcher.from_books(books), default)
        for entry_id in books[default].ids:
            key = entry_id
            if len(key.encode()) > MAX_CALLBACK_KEY_BYTES:
                key = "~" + hashlib.sha1(entry_id.encode()).hexdigest()[:12]
            library._keys[entry_id] = key
            library._ids[key] = entry_id
        return library

    # ------------------------------------------------------------------ content
    def language(self, language: str | None) -> str:
        return language if language in self.books else self.default

    def book(self, language: str | None) -> FaqBook:
        return self.books[self.language(language)]

    def entry(self, entry_id: str, language: str | None) -> FaqEntry | None:
        return self.book(language).get(entry_id)

    def position(self, entry_id: str) -> int:
        """Index of the entry in display order (the same in every book)."""
        ids = self.books[self.default].ids
        return ids.index(entry_id) if entry_id in ids else 0

    # ------------------------------------------------------------------ callback keys
    def key_of(self, entry_id: str) -> str:
        return self._keys[entry_id]

    def id_of(self, key: str) -> str | None:
        return self._ids.get(key)

    # ------------------------------------------------------------------ matching
    def match(self, text: str, user_language: str | None) -> MatchResult:
        """Matched against the book of the text's script (the user's language when undecided)."""
        return self.matcher.match(text, self.language(user_language))

    def normalized(self, text: str, language: str | None) -> str:
        """A grouping key for unanswered questions: the matcher's terms, lemmatised, sorted.

        "Какая погода?", "какая погода" and "Погоду какую?" share one key. Text with no word
        at all ("???", "👍") gives "" (nothing worth recording).
        """
        if not tokenize(text):
            return ""
        lang = self.language(language)
        matcher = self.matcher.matchers[lang]
        terms: set[str] = set()
        for term in matcher.query_terms(text):
            if term.startswith("?"):
                word = term[1:]
                if lang == "ru" and _CYR_RE.search(word):
                    term = ru_lemma(word)[0]
                elif lang == "en" and not _CYR_RE.search(word):
                    term = en_stem(word)
                else:
                    term = word
            terms.add(term)
        key = " ".join(sorted(terms))
        if not key:  # only stopwords / punctuation: fall back to the plain normalised text
            key = _SPACE_RE.sub(" ", normalize_text(text)).strip()
        return key[:MAX_NORMALIZED_CHARS]

    def search(
        self, query: str, user_language: str | None, limit: int = 50
    ) -> tuple[str, list[FaqEntry]]:
        """(language, entries) for an inline query. The language is the query's script, else the
        user's. Entries: ranked matches, then those whose title/keywords/phrasings contain the
        text (people type inline queries word by word). Empty query → every entry in book order.
        """
        language = self.language(detect_language(query) or user_language)
        book = self.books[language]
        text = _SPACE_RE.sub(" ", normalize_text(query)).strip()
        if not text:
            return language, list(book.entries)[:limit]
        found: dict[str, FaqEntry] = {}
        for candidate in self.matcher.matchers[language].scores(query):
            entry = book.get(candidate.entry_id)
            if entry is not None:
                found.setdefault(entry.id, entry)
        for entry in book.entries:
            haystack = [entry.title, *entry.keywords, *entry.phrasings]
            if any(text in normalize_text(item) for item in haystack):
                found.setdefault(entry.id, entry)
        return language, list(found.values())[:limit]
