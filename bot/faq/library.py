"""The FAQ as the running bot uses it: every language's book and the matcher, built once at start.

Entry ids are shared by all books, so a question matched in one language can be shown in another.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from bot.faq.classifier import WordingClassifier, trained
from bot.faq.content import FaqBook, FaqContentError, FaqEntry, load_all
from bot.faq.evaluation import Outcome
from bot.faq.intents import (
    INTENTS_FILE_NAME,
    LAB_INFO_ID,
    OTHER_TOPIC_ID,
    Intents,
    MenuSection,
    SmallTalk,
    load_intents,
)
from bot.faq.matcher import (
    Document,
    FaqMatcher,
    MatchKind,
    MatchResult,
    MultiLanguageMatcher,
    detect_language,
    en_stem,
    normalize_text,
    ru_lemma,
    tokenize,
)
from bot.faq.vocabulary import VOCABULARY_FILE_NAME, Vocabulary, load_vocabulary
from bot.faq.wordings import WORDINGS_FILE_NAME, load_wordings, split_subclasses
from bot.i18n import LOCALES_DIR

_NOT_ENTRIES = frozenset({LAB_INFO_ID, OTHER_TOPIC_ID})

__all__ = [
    "FaqLibrary",
    "LanguageWords",
    "ReplyKind",
    "Understanding",
    "load_words",
    "plain_text",
]

MAX_CALLBACK_KEY_BYTES = 24  # longer ids get a short hash key (callback_data is <= 64 bytes)
MAX_NORMALIZED_CHARS = 500

_TAG_RE = re.compile(r"<[^<>]*>")
_SPACE_RE = re.compile(r"\s+")
_CYR_RE = re.compile(r"[а-яё]")


def _language_file(locales_dir: Path | str, lang: str, name: str) -> Path:
    """``<locales_dir>/<lang>/<name>``, else the bundled one (tests point the content elsewhere
    but keep the words)."""
    for folder in (Path(locales_dir), LOCALES_DIR):
        path = folder / lang / name
        if path.is_file():
            return path
    raise FaqContentError(Path(locales_dir) / lang / name, None, "missing")


@dataclass(frozen=True, slots=True)
class LanguageWords:
    """Everything of one language besides its book: the matcher's vocabulary, the intents, and
    the extra wordings per document id."""

    vocabulary: Vocabulary
    intents: Intents
    wordings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # wording → the classifier's label for it, when a subclass of its document
    subclasses: Mapping[str, str] = field(default_factory=dict)


def load_words(locales_dir: Path | str, books: Mapping[str, FaqBook]) -> dict[str, LanguageWords]:
    """The words of every language of ``books`` (``faq_wordings.toml`` is optional)."""
    words: dict[str, LanguageWords] = {}
    for lang, book in books.items():
        vocabulary = load_vocabulary(_language_file(locales_dir, lang, VOCABULARY_FILE_NAME))
        intents = load_intents(_language_file(locales_dir, lang, INTENTS_FILE_NAME))
        wordings: dict[str, tuple[str, ...]] = {}
        subclasses: dict[str, str] = {}
        path = Path(locales_dir) / lang / WORDINGS_FILE_NAME
        if path.is_file():
            wordings, subclasses = split_subclasses(
                load_wordings(path, {*book.ids, LAB_INFO_ID, OTHER_TOPIC_ID})
            )
        words[lang] = LanguageWords(vocabulary, intents, wordings, subclasses)
    return words


def plain_text(answer_html: str) -> str:
    """Telegram HTML → plain text (tags dropped, entities decoded)."""
    return html.unescape(_TAG_RE.sub("", answer_html))


class ReplyKind(StrEnum):
    ANSWER = "answer"  # an entry's answer (and close runners-up as buttons beneath it)
    SUGGEST = "suggest"  # nothing stands out: 2–3 entries as buttons
    NOT_FOUND = "not_found"  # about the memo's subject, maybe, but no entry answers it
    SMALL_TALK = "small_talk"  # hello, thanks: a short friendly reply and the menu
    LAB_INFO = "lab_info"  # price, hours, address: the lab's contacts and a staff member
    MENU = "menu"  # a menu word: open that section


@dataclass(frozen=True, slots=True)
class Understanding:
    """What the bot makes of a typed message."""

    kind: ReplyKind
    language: str  # the language the text was understood in
    entry_id: str | None = None  # ANSWER
    offered: tuple[str, ...] = ()  # SUGGEST: the suggestions; ANSWER: related entries
    small_talk: SmallTalk | None = None
    section: MenuSection | None = None
    match: MatchResult | None = field(default=None, repr=False)


@dataclass(frozen=True)
class FaqLibrary:
    """Books, the words and the matchers. Staff-taught wordings (``learn``) rebuild the matcher of
    their language at once; every other part is fixed at start."""

    books: Mapping[str, FaqBook]
    words: Mapping[str, LanguageWords]
    matcher: MultiLanguageMatcher
    default: str
    _keys: dict[str, str] = field(default_factory=dict, repr=False)  # entry id → callback key
    _ids: dict[str, str] = field(default_factory=dict, repr=False)  # callback key → entry id
    # language → entry id → wordings staff attached (from the database)
    _learned: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)
    _classifiers: dict[str, WordingClassifier] = field(default_factory=dict, repr=False)
    # learn/forget rebuild an index (~0.2 s): callers run them in a thread, one at a time;
    # readers keep using the previous index until the new one replaces it
    _teaching: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(
        cls, locales_dir: Path | str, languages: Iterable[str], *, default: str = "ru"
    ) -> FaqLibrary:
        """Read and validate every ``faq.toml`` and the words; raises ``FaqContentError``."""
        books = load_all(locales_dir, tuple(languages))
        return cls.from_books(books, default=default, words=load_words(locales_dir, books))

    @classmethod
    def from_books(
        cls,
        books: Mapping[str, FaqBook],
        *,
        default: str = "ru",
        words: Mapping[str, LanguageWords] | None = None,
    ) -> FaqLibrary:
        """``words`` default to the bundled ones (vocabulary and intents only: the bundled
        wordings belong to the bundled books)."""
        if default not in books:
            default = next(iter(books))
        if words is None:
            words = {
                lang: LanguageWords(
                    load_vocabulary(_language_file(LOCALES_DIR, lang, VOCABULARY_FILE_NAME)),
                    load_intents(_language_file(LOCALES_DIR, lang, INTENTS_FILE_NAME)),
                )
                for lang in books
            }
        library = cls(dict(books), dict(words), MultiLanguageMatcher({}), default)
        for lang in books:
            library._rebuild(lang)
        for entry_id in books[default].ids:
            key = entry_id
            if len(key.encode()) > MAX_CALLBACK_KEY_BYTES:
                key = "~" + hashlib.sha1(entry_id.encode()).hexdigest()[:12]
            library._keys[entry_id] = key
            library._ids[key] = entry_id
        return library

    def _rebuild(self, language: str) -> None:
        learned = self._learned.get(language, {})
        words = self.words[language]
        extra = words.wordings
        documents = [
            Document.of_entry(e, (*extra.get(e.id, ()), *learned.get(e.id, ())))
            for e in self.books[language]
        ]
        for topic in (words.intents.lab_info, words.intents.other_topic):
            documents.append(replace(topic, phrasings=(*topic.phrasings, *extra.get(topic.id, ()))))
        classifier = self._classifiers.get(language)
        matcher = FaqMatcher(
            documents,
            words.vocabulary,
            classifier=classifier,
            subject=words.intents.subject,
            off_subject=(OTHER_TOPIC_ID,),
        )
        if classifier is None:
            # trained once, on the shipped content (staff-taught wordings reach the word index
            # at once; retraining on every one would take seconds)
            samples = tuple(
                (tuple(terms), tuple(tokens), doc_id)
                for terms, tokens, doc_id in matcher.training_samples(documents, words.subclasses)
            )
            classifier = _trained_classifier(samples)
            self._classifiers[language] = classifier
            matcher.classifier = classifier
        self.matcher.matchers[language] = matcher

    # ------------------------------------------------------------------ staff-taught wordings
    def learn(self, wordings: Iterable[tuple[str, str, str]]) -> int:
        """Add (language, entry id, text) wordings to the matchers; returns how many were new.

        Unknown languages and entries are skipped (content may have changed since they were kept).
        """
        with self._teaching:
            return self._learn(list(wordings))

    def _learn(self, wordings: list[tuple[str, str, str]]) -> int:
        changed: set[str] = set()
        added = 0
        for language, entry_id, text in wordings:
            if language not in self.books or entry_id not in self.books[language]:
                continue
            known = self._learned.setdefault(language, {}).setdefault(entry_id, [])
            if text not in known:
                known.append(text)
                changed.add(language)
                added += 1
        for language in changed:
            self._rebuild(language)
        return added

    def forget_wording(self, language: str, entry_id: str, text: str) -> None:
        with self._teaching:
            known = self._learned.get(language, {}).get(entry_id, [])
            if text in known:
                known.remove(text)
                self._rebuild(language)

    # ------------------------------------------------------------------ content
    def language(self, language: str | None) -> str:
        return language if language is not None and language in self.books else self.default

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

    def menu_section(self, text: str, user_language: str | None) -> MenuSection | None:
        """The section a message names when it is nothing else (a menu word)."""
        language = self.matcher.language_of(text, self.language(user_language))
        return self.words[language].intents.menu_section(text)

    def understand(self, text: str, user_language: str | None) -> Understanding:
        """Menu word, small talk, the lab's contacts, an entry, suggestions, or not found."""
        language = self.matcher.language_of(text, self.language(user_language))
        intents = self.words[language].intents
        section = intents.menu_section(text)
        if section is not None:
            return Understanding(ReplyKind.MENU, language, section=section)
        small_talk = intents.small_talk_kind(text)
        if small_talk is not None:
            return Understanding(ReplyKind.SMALL_TALK, language, small_talk=small_talk)
        result = self.matcher.matchers[language].match(text)
        top = result.candidates[0].entry_id if result.candidates else None
        if result.kind is not MatchKind.NONE and top == LAB_INFO_ID:
            return Understanding(ReplyKind.LAB_INFO, language, match=result)
        if top == OTHER_TOPIC_ID:
            return Understanding(ReplyKind.NOT_FOUND, language, match=result)
        if result.kind is MatchKind.ANSWER and result.entry_id is not None:
            related = tuple(i for i in result.related if i not in _NOT_ENTRIES)
            return Understanding(ReplyKind.ANSWER, language, result.entry_id, related, match=result)
        offered = tuple(i for i in result.suggestions if i not in _NOT_ENTRIES)
        if result.kind is MatchKind.SUGGEST and offered == (top,):
            # the runners-up are not entries: nothing to choose between, answer the one
            return Understanding(ReplyKind.ANSWER, language, top, match=result)
        if result.kind is MatchKind.SUGGEST and offered:
            return Understanding(ReplyKind.SUGGEST, language, offered=offered, match=result)
        return Understanding(ReplyKind.NOT_FOUND, language, match=result)

    def outcome(self, text: str, language: str) -> Outcome:
        """What :meth:`understand` gives, as the evaluation counts it (``bot.faq.evaluation``)."""
        u = self.understand(text, language)
        if u.kind is ReplyKind.ANSWER:
            return Outcome(u.entry_id, u.offered)
        if u.kind is ReplyKind.SUGGEST:
            return Outcome(None, u.offered)
        return Outcome(None)

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


@lru_cache(maxsize=4)
def _trained_classifier(
    samples: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...],
) -> WordingClassifier:
    """One training per content per process (tests and restarts of the app load it again)."""
    return trained(samples)
