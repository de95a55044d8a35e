"""Free-text question → FAQ entry matcher (Russian and English).

Method (everything that depends only on the book is precomputed in ``FaqMatcher.__init__``):

1. Normalise: NFKC, lower case, ``ё → е``, Latin/Cyrillic lookalikes inside mixed-script tokens
   are mapped to the token's majority script; tokens are runs of letters/digits (punctuation is
   ignored, so ``QR-код`` is ``qr`` + ``код``). Adjacent tokens are glued when the glued form is a
   known word (``гос услуги`` → ``госуслуги``, ``кью ар`` → ``кьюар``).
2. Token → term: slang/synonym table (``кьюар``/``куар``/``кр`` → ``qr``, ``госуслугах`` → ``епгу``,
   ``иджи`` → ``igg`` …), then the Russian lemma (pymorphy3, one shared lazily created analyser,
   ``lru_cache``d) or the English Snowball stem, then the synonym table again on the lemma/stem.
   Stopwords (lists + pymorphy POS: prepositions, conjunctions, particles, interjections,
   pronouns) are dropped, so they can never drive a match.
3. Typos: a token whose term is not in the index vocabulary, has length ≥ 4 and (Russian) is not a
   dictionary word is corrected to the nearest index surface form / synonym key by OSA edit
   distance (rapidfuzz; ≤ 1 edit for length 4–6, ≤ 2 for longer).
4. Score: every entry is one document made of its title (weight 2), keywords (1.5) and phrasings
   (1 each). BM25 idf over the entries; an entry's score is the idf-weighted share of the query's
   terms it contains, each saturated by its in-entry frequency ``tf / (tf + K)``. Terms unknown to
   the index count in the denominator with the weight of a term no entry has, so "сколько стоит
   анализ на ВИЧ" is mostly unexplained and scores low.
5. Decide: ANSWER when the best score ≥ ``answer_threshold``, the matched idf mass is enough and
   the best beats the second by ``margin``; SUGGEST (2–3 ids) when the best is ≥
   ``suggest_threshold``; NONE otherwise.

Language: :func:`detect_language` decides by script (ignoring script-neutral tokens like ``qr``,
``igg``, ``pcr``). :class:`MultiLanguageMatcher` matches a query only against the book of the
detected language (falling back to the user's language when the text has no decisive letters);
entry ids are the same in every language, so the caller shows the entry in the user's language.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.faq.classifier import WordingClassifier
from bot.faq.content import FaqEntry
from bot.faq.vocabulary import Vocabulary

if TYPE_CHECKING:
    import pymorphy3

__all__ = [
    "Candidate",
    "Document",
    "FaqMatcher",
    "MatchKind",
    "MatchResult",
    "MatcherParams",
    "MultiLanguageMatcher",
    "detect_language",
    "normalize_text",
    "tokenize",
]

# --------------------------------------------------------------------------- text normalisation

_CYR = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
_CYR_RE = re.compile(r"[а-яё]")
_LAT_RE = re.compile(r"[a-z]")
_TOKEN_RE = re.compile(r"[a-zа-я0-9]+")
# lower-case lookalikes (Latin ↔ Cyrillic)
_LAT_LOOK = "aceopxykmtbh"
_CYR_LOOK = "асеорхукмтвн"
_LAT2CYR = str.maketrans(_LAT_LOOK, _CYR_LOOK)
_CYR2LAT = str.maketrans(_CYR_LOOK, _LAT_LOOK)
_LOOKALIKE_LAT = frozenset(_LAT_LOOK)

# tokens written in Latin by Russian speakers too: they do not vote in language detection
_SCRIPT_NEUTRAL = frozenset(
    {
        "qr",
        "igg",
        "igm",
        "ig",
        "pcr",
        "covid",
        "covid19",
        "sars",
        "cov",
        "snils",
        "epgu",
        "lgg",
        "ok",
        "id",
        "sms",
        "pdf",
        "gosuslugi",
        "code",
        "kod",
    }
)


def normalize_text(text: str) -> str:
    """NFKC, lower case, ``ё → е``; punctuation is kept (the tokenizer drops it)."""
    return unicodedata.normalize("NFKC", text).lower().replace("ё", "е")


def _fix_mixed(token: str) -> str:
    if token.isascii():  # the common cases first: no Cyrillic at all, or no Latin letter
        return token
    if not _LAT_RE.search(token):
        return token
    cyr = len(_CYR_RE.findall(token))
    lat = len(_LAT_RE.findall(token))
    if cyr and lat:
        return token.translate(_LAT2CYR) if cyr >= lat else token.translate(_CYR2LAT)
    return token


def tokenize(text: str) -> list[str]:
    """Normalised tokens (letters/digits runs) with mixed-script lookalikes fixed."""
    return [_fix_mixed(t) for t in _TOKEN_RE.findall(normalize_text(text))]


def detect_language(text: str) -> str | None:
    """``"ru"`` or ``"en"`` by the script of the letters; ``None`` when undecided.

    Script-neutral tokens (``qr``, ``igg``, ``pcr``, ``covid`` …) don't vote, so
    "как получить qr код" is ``"ru"`` and "qr igg" is ``None``.
    """
    text = normalize_text(text[-_DETECT_CHARS:])  # the end: where the question is
    # words, not stray letters ("<b>x</b>"), and not script-neutral ones ("qr", "igg") vote
    words = [t for t in _TOKEN_RE.findall(text) if len(t) > 1 and t not in _SCRIPT_NEUTRAL]
    cyr = sum(len(_CYR_RE.findall(t)) for t in words)
    lat = sum(len(_LAT_RE.findall(t)) for t in words)
    # a letter or two ("ok") tell nothing either: the person's own language then
    if cyr > lat and cyr >= _MIN_LETTERS:
        return "ru"
    if lat > cyr and lat >= _MIN_LETTERS:
        return "en"
    return None


# --------------------------------------------------------------------------- Russian morphology

_morph: pymorphy3.MorphAnalyzer | None = None
_morph_lock = threading.Lock()


def get_morph() -> pymorphy3.MorphAnalyzer:
    """The one shared pymorphy3 analyser (slow to build: created lazily, once)."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


_DROP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})


@lru_cache(maxsize=65536)
def ru_lemma(word: str) -> tuple[str, str | None, bool]:
    """(normal form, POS, is a dictionary word) of a lower-case Russian word.

    A word the dictionary does not know is returned as it is: guessing its form costs pymorphy
    ~150 µs a word (a made-up or misspelt word is corrected against the FAQ's own words instead).
    """
    morph = get_morph()
    if not morph.word_is_known(word):
        return word, None, False
    parse = morph.parse(word)[0]
    return parse.normal_form.replace("ё", "е"), parse.tag.POS, True


_EN_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def en_stem(word: str) -> str:
    return str(_EN_STEMMER.stemWord(word))


# --------------------------------------------------------------------------- results


class MatchKind(StrEnum):
    ANSWER = "answer"  # confident: show this entry's answer
    SUGGEST = "suggest"  # close call: offer ``suggestions`` as buttons
    NONE = "none"  # nothing relevant


@dataclass(frozen=True, slots=True)
class Candidate:
    entry_id: str
    score: float  # 0..1: idf-weighted share of the query explained by the entry


@dataclass(frozen=True, slots=True)
class MatchResult:
    kind: MatchKind
    candidates: tuple[Candidate, ...]  # best first, score > 0, at most 5
    suggestions: tuple[str, ...] = ()  # ANSWER: (id,), SUGGEST: 2–3 ids, NONE: ()
    language: str = ""  # book the query was matched against
    terms: tuple[str, ...] = field(default=(), repr=False)  # normalised query terms (debugging)
    related: tuple[str, ...] = ()  # ANSWER: close runners-up, offered beneath the answer

    @property
    def entry_id(self) -> str | None:
        """The answered entry id (only for ANSWER)."""
        return self.suggestions[0] if self.kind is MatchKind.ANSWER else None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class Document:
    """What the matcher knows of one answer: its title, keywords and the ways people ask it.

    FAQ entries are documents; so are the bot's own replies that compete with them (the lab's
    contacts for prices and hours), and the wordings staff attached from ``/unanswered``.
    """

    id: str
    title: str
    phrasings: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @classmethod
    def of_entry(cls, entry: FaqEntry, learned: Iterable[str] = ()) -> Document:
        return cls(entry.id, entry.title, (*entry.phrasings, *learned), entry.keywords)


@dataclass(frozen=True, slots=True)
class MatcherParams:
    """Decision and scoring constants (tuned on the development set, never on the held-out)."""

    answer_threshold: float = 0.38
    suggest_threshold: float = 0.3
    answer_margin: float = 0.03  # a best this close to the second is only suggested
    related_share: float = 0.65  # runners-up with this share of the best's score are offered

    min_evidence: float = 0.8  # idf mass of non-weak matched terms an answer needs …
    sure_threshold: float = 0.75  # … unless its score is this high (one rare, telling word)
    saturation: float = 0.6
    oov_weight: float = 0.6  # weight of an unknown word, as a share of the largest idf
    phrasing_weight: float = 0.5  # share of the nearest-phrasing similarity in the score
    pair_weight: float = 0.5  # a neighbour pair's idf, as a share of a word's
    max_tokens: int = 40  # a message of more words is read in windows of its last sentences
    window_tokens: int = 16  # the longest such window (people end with the question)
    classifier_weight: float = 0.5  # share of the wording classifier's probability in the score


_FIELD_WEIGHTS = {"title": 2.0, "keywords": 1.5, "phrasings": 1.0}
_OOV = "\x00oov"  # marker term for unknown (non-stopword) tokens
_PAIR = "+"  # joins the two terms of a pair term
_SENTENCE_END = re.compile(r"(?<=[.!?…\n])\s+")
_MAX_READ_CHARS = 500  # of a long message, only its end is read
_MAX_WINDOWS = 2
_NEAREST_DOCS = 5
_NEAREST_MIN_IDF = 0.1  # words nearly every document has add ~nothing to a cosine, and cost most
# new words (not in the index) looked up in full per message: morphology and typo correction
# cost ~0.1-0.3 ms each; past these, such words count as unknown (see _cached_token_terms)
_LOOKUPS_SHORT = 6
_LOOKUPS_LONG = 2
_SHORT_CHARS = 300  # a question; longer messages are stories, read by windows
_DETECT_CHARS = 300  # the language is told by the script of a message's last characters
_MIN_LETTERS = 3


def _with_pairs(sequence: Sequence[str]) -> list[str]:
    """The terms of an ordered sequence, then a term for each pair of neighbours (in either
    order: Russian word order is free), so "код переболевшего" and "сколько раз" weigh more
    than their words apart. Unknown words break the chain; stopwords were already dropped."""
    out = [t for t in sequence if t != _OOV]
    for a, b in itertools.pairwise(sequence):
        if a != b and _OOV not in (a, b):
            out.append(_PAIR.join(sorted((a, b))))
    return out


@dataclass(frozen=True, slots=True)
class _Scored:
    ranked: tuple[Candidate, ...]  # best first (word index and classifier blended)
    evidence: float  # idf mass of the non-weak matched terms
    known: tuple[str, ...]  # the query's terms the documents have
    exact: bool  # the query is one wording's terms exactly
    words: dict[str, float]  # document → word-index score alone


class FaqMatcher:
    """Matches free text against documents of one language. Built once; thread-safe reads.

    Two signals per document, mixed by ``phrasing_weight``: the idf-weighted share of the
    query's terms that the document has anywhere (title, keywords, phrasings: a bag of words),
    and the cosine similarity of the query to the document's nearest single wording (title or
    phrasing), which rewards asking the way one of them asks.
    """

    def __init__(
        self,
        documents: Sequence[Document],
        vocabulary: Vocabulary,
        *,
        params: MatcherParams | None = None,
        cache_size: int = 20000,
        classifier: WordingClassifier | None = None,
        subject: Iterable[str] = (),
        off_subject: Iterable[str] = (),
    ) -> None:
        if not documents:
            raise ValueError("no documents")
        self.language = vocabulary.language
        self.vocab = vocabulary
        self.params = params or MatcherParams()
        self._cache_size = cache_size
        self._token_cache: dict[str, tuple[str, ...]] = {}
        self._ids = tuple(d.id for d in documents)
        self._glue_words: frozenset[str] = frozenset(vocabulary.synonyms)
        saturation = self.params.saturation

        # term frequencies per document (field-weighted, a term counted once per item)
        tfs: list[dict[str, float]] = []
        items: list[tuple[int, tuple[str, ...]]] = []  # (document index, terms) per wording
        titles: list[tuple[int, tuple[str, ...]]] = []
        surfaces: set[str] = set()
        for index, doc in enumerate(documents):
            tf: dict[str, float] = {}
            fields = [(doc.title, _FIELD_WEIGHTS["title"], True)]
            fields += [(k, _FIELD_WEIGHTS["keywords"], False) for k in doc.keywords]
            fields += [(p, _FIELD_WEIGHTS["phrasings"], True) for p in doc.phrasings]
            for text, weight, is_wording in fields:
                tokens = self._glue(tokenize(text))
                surfaces.update(tokens)
                terms = tuple(dict.fromkeys(_with_pairs(self._terms_of(tokens, fuzzy=False))))
                for term in terms:
                    tf[term] = tf.get(term, 0.0) + weight
                if is_wording and terms:
                    items.append((index, terms))
                    if text is doc.title:
                        titles.append((index, terms))
            tfs.append(tf)
        self.vocabulary: frozenset[str] = frozenset(t for tf in tfs for t in tf)

        n = len(tfs)
        df: dict[str, int] = {}
        for tf in tfs:
            for term in tf:
                df[term] = df.get(term, 0) + 1
        pair = self.params.pair_weight
        self.idf: dict[str, float] = {
            t: math.log(1.0 + (n - d + 0.5) / (d + 0.5)) * (pair if _PAIR in t else 1.0)
            for t, d in df.items()
        }
        self.max_idf = math.log(1.0 + (n + 0.5) / 0.5)
        self._oov = self.params.oov_weight * self.max_idf
        self._postings: dict[str, tuple[tuple[int, float], ...]] = {
            term: tuple(
                (i, self.idf[term] * tf[term] / (tf[term] + saturation))
                for i, tf in enumerate(tfs)
                if term in tf
            )
            for term in self.vocabulary
        }
        # wordings: term → ((wording index, idf²), ...); norms; owner document; exact forms
        self._item_doc = tuple(i for i, _ in items)
        self._item_norm = tuple(
            math.sqrt(sum(self.idf[t] ** 2 for t in terms)) for _, terms in items
        )
        item_postings: dict[str, dict[int, list[int]]] = {}  # term → document → wordings
        for k, (doc_index, terms) in enumerate(items):
            for term in terms:
                item_postings.setdefault(term, {}).setdefault(doc_index, []).append(k)
        # a wording asked exactly (any case, punctuation, word forms) is answered; titles first
        # (a form that wordings of two documents share is no answer: the scores decide)
        exact: dict[frozenset[str], int] = {}
        for doc_index, terms in titles:
            exact.setdefault(frozenset(terms), doc_index)
        owners: dict[frozenset[str], set[int]] = {}
        for doc_index, terms in items:
            owners.setdefault(frozenset(terms), set()).add(doc_index)
        for form, docs in owners.items():
            if len(docs) == 1:
                exact.setdefault(form, next(iter(docs)))
        self._item_postings = {
            t: {doc: tuple(ks) for doc, ks in by_doc.items()} for t, by_doc in item_postings.items()
        }
        self._exact = exact

        # fuzzy-correction targets: index surface forms + synonym keys, grouped by script
        targets = {
            t for t in surfaces | set(vocabulary.synonyms) if len(t) >= 3 and not t.isdigit()
        }
        targets = {t for t in targets if set(self._base_terms(t)) & self.vocabulary}
        # by script and length: a correction within 2 edits differs in length by 2 at most
        self._fuzzy: dict[tuple[bool, int], list[str]] = {}
        for target in sorted(targets):
            self._fuzzy.setdefault((bool(_CYR_RE.search(target)), len(target)), []).append(target)
        self._glue_words = frozenset(vocabulary.synonyms) | frozenset(surfaces)
        self._fuzzy_windows: dict[tuple[bool, int, int], list[str]] = {}
        # every word form the documents use, with its terms: looked up without morphology
        self._known_tokens: dict[str, tuple[str, ...]] = {t: self._base_terms(t) for t in surfaces}
        self.classifier = classifier
        # a message of the subject's bare words only ("антитела", "куар") is about the entries,
        # no one in particular: the off-subject documents (other topics) are not candidates
        self._subject = frozenset(
            t for text in subject for t in self._terms_of(tokenize(text), fuzzy=False)
        )
        self._off_subject = frozenset(off_subject)

    def training_samples(
        self, documents: Sequence[Document], subclasses: Mapping[str, str] | None = None
    ) -> list[tuple[list[str], list[str], str]]:
        """(terms, tokens, label) of every title and wording, to train a classifier: the
        document's id, or the wording's subclass of it (``"other_topic:certificates"``)."""
        subclasses = subclasses or {}
        samples = []
        for doc in documents:
            for text in (doc.title, *doc.phrasings):
                tokens = self._glue(tokenize(text))
                if tokens:
                    label = subclasses.get(text, doc.id)
                    samples.append((self._terms_of(tokens, fuzzy=False), tokens, label))
        return samples

    # ------------------------------------------------------------------ normalisation

    def _glue(self, tokens: list[str]) -> list[str]:
        """Join adjacent tokens whose concatenation is a known word (``гос услуги``)."""
        if len(tokens) < 2:
            return tokens
        out: list[str] = []
        i = 0
        while i < len(tokens):
            if i + 1 < len(tokens):
                joined = tokens[i] + tokens[i + 1]
                if joined in self._glue_words and (len(tokens[i]) <= 4 or len(tokens[i + 1]) <= 4):
                    out.append(joined)
                    i += 2
                    continue
            out.append(tokens[i])
            i += 1
        return out

    def _base_terms(self, token: str) -> tuple[str, ...]:
        """Terms of a token without fuzzy correction; () = stopword."""
        vocab = self.vocab
        syn = vocab.synonyms
        if token in syn:
            return syn[token]
        if token in vocab.stop:
            return ()
        if self.language == "ru":
            if _CYR_RE.search(token):
                lemma, pos, _known = ru_lemma(token)
                if lemma in syn:
                    return syn[lemma]
                if lemma in vocab.stop or (pos in _DROP_POS and lemma not in vocab.keep):
                    return ()
                return (lemma,)
            if token.isdigit():
                return (token,)
            if set(token) <= _LOOKALIKE_LAT:  # "cpok" typed in Latin lookalikes
                return self._base_terms(token.translate(_LAT2CYR))
            return (token,)
        if _CYR_RE.search(token):
            return (token,)
        stem = en_stem(token)
        if stem in syn:
            return syn[stem]
        if stem in vocab.stop:
            return ()
        return (stem,)

    def _token_terms(self, token: str) -> tuple[str, ...]:
        terms = self._base_terms(token)
        if not terms or any(t in self.vocabulary for t in terms):
            return terms
        if len(token) < 4 or token.isdigit():
            return (_OOV,)
        if self.language == "ru" and _CYR_RE.search(token) and ru_lemma(token)[2]:
            return (_OOV,)  # a real Russian word that the FAQ simply doesn't use
        max_edits = 1 if len(token) <= 8 else 2
        choices = self._fuzzy_choices(bool(_CYR_RE.search(token)), len(token), max_edits)
        hit = process.extractOne(token, choices, scorer=OSA.distance, score_cutoff=max_edits)
        if hit is None:
            return (_OOV,)
        fixed = self._base_terms(hit[0])
        return fixed if fixed else (_OOV,)

    def _quick_terms(self, token: str) -> tuple[str, ...]:
        """Terms of a token from the tables alone (no morphology, no correction)."""
        syn = self.vocab.synonyms
        if token in syn:
            return syn[token]
        if token in self.vocab.stop:
            return ()
        return (token,) if token in self.vocabulary else (_OOV,)

    def _fuzzy_choices(self, cyrillic: bool, length: int, max_edits: int) -> list[str]:
        """Correction targets whose length is within ``max_edits`` of a token's (memoised)."""
        key = (cyrillic, length, max_edits)
        choices = self._fuzzy_windows.get(key)
        if choices is None:
            choices = [
                target
                for size in range(length - max_edits, length + max_edits + 1)
                for target in self._fuzzy.get((cyrillic, size), ())
            ]
            self._fuzzy_windows[key] = choices
        return choices

    def _cached_token_terms(self, token: str, budget: list[int] | None = None) -> tuple[str, ...]:
        """``budget``: new words a long message may still look up (morphology, typo correction);
        past it they count as unknown, so that time stays bounded on any text."""
        terms = self._known_tokens.get(token)
        if terms is None:
            terms = self._token_cache.get(token)
        if terms is None:
            if budget is not None:
                if budget[0] <= 0:
                    return self._quick_terms(token)
                budget[0] -= 1
            terms = self._token_terms(token)
            if len(self._token_cache) >= self._cache_size:
                self._token_cache.clear()
            self._token_cache[token] = terms
        return terms

    def _terms_of(self, tokens: Iterable[str], *, fuzzy: bool) -> list[str]:
        out: list[str] = []
        for tok in tokens:
            out.extend(self._cached_token_terms(tok) if fuzzy else self._base_terms(tok))
        return out

    def _windows(self, query: str) -> list[list[str]]:
        """The token windows a query is read in: the whole of a short one; of a long one (people
        tell their story first and ask last) its last sentence, its last two, and so on up to
        ``window_tokens``: the window that explains best is kept. Bounded time on any length."""
        short = tokenize(query) if len(query) <= _MAX_READ_CHARS else None
        if short is not None and len(short) <= self.params.max_tokens:
            return [self._glue(short)]
        limit = self.params.window_tokens
        windows: list[list[str]] = []
        tokens: list[str] = []
        for sentence in reversed(_SENTENCE_END.split(query[-_MAX_READ_CHARS:])):
            words = tokenize(sentence)
            if not words:
                continue
            if tokens and len(tokens) + len(words) > limit:
                break
            tokens = words + tokens
            windows.append(self._glue(tokens[-limit:]))
            if len(windows) == _MAX_WINDOWS:
                break
        return windows or [[]]

    def _query_tokens(self, query: str) -> list[str]:
        return self._windows(query)[-1]

    def query_terms(self, query: str) -> list[str]:
        """Normalised terms of a query (unknown words appear as ``"?word"``)."""
        out: list[str] = []
        for tok in self._query_tokens(query):
            for term in self._cached_token_terms(tok):
                out.append("?" + tok if term == _OOV else term)
        return out

    # ------------------------------------------------------------------ matching

    def scores(self, query: str) -> list[Candidate]:
        """All documents with a positive score, best first."""
        return list(self._score(query).ranked)

    def _score(self, query: str) -> _Scored:
        windows = self._windows(query)
        if len(windows) == 1 and len(query) <= _SHORT_CHARS:
            return self._score_tokens(windows[0], [_LOOKUPS_SHORT])
        # a long message: the window whose words the documents explain best is read in full
        budget = [_LOOKUPS_LONG]
        best = max(windows, key=lambda w: self._bag_share(w, budget))
        return self._score_tokens(best, budget)

    def _sequence(self, tokens: list[str], budget: list[int] | None) -> list[str]:
        sequence: list[str] = []
        for tok in tokens:
            sequence.extend(self._cached_token_terms(tok, budget))
        return sequence

    def _bag_share(self, tokens: list[str], budget: list[int]) -> float:
        """The best document's idf-weighted share of the words (a cheap first look)."""
        sequence = self._sequence(tokens, budget)
        known = [t for t in dict.fromkeys(sequence) if t in self._postings]
        unknown = len(set(sequence)) - len(known)
        total = unknown * self._oov + sum(self.idf[t] for t in known)
        if not known or total <= 0.0:
            return 0.0
        bag = [0.0] * len(self._ids)
        for term in known:
            for i, w in self._postings[term]:
                bag[i] += w
        return max(bag) / total

    def _score_tokens(self, tokens: list[str], budget: list[int] | None = None) -> _Scored:
        sequence = self._sequence(tokens, budget)
        terms = dict.fromkeys(_with_pairs(sequence))
        known = tuple(t for t in terms if t in self._postings)
        # unknown words count against every document; unknown pairs of known words do not
        unknown = sum(1 for t in terms if t not in self._postings and _PAIR not in t)
        unknown += sequence.count(_OOV)
        total = unknown * self._oov + sum(self.idf[t] for t in known)
        if not known or total <= 0.0:
            return _Scored((), 0.0, known, False, {})
        n = len(self._ids)
        bag = [0.0] * n
        evidence = 0.0
        for term in known:
            if _PAIR in term or term not in self.vocab.weak:
                evidence += self.idf[term]
            for i, w in self._postings[term]:
                bag[i] += w
        # the nearest wording is looked for in the documents the words point to most
        # (all wordings of all documents would cost a millisecond on long messages)
        near = set(sorted(range(n), key=bag.__getitem__)[-_NEAREST_DOCS:])
        dots: dict[int, float] = {}
        floor = _NEAREST_MIN_IDF * self.max_idf
        for term in known:
            if self.idf[term] < floor:
                continue
            w = self.idf[term] ** 2
            for doc, ks in self._item_postings.get(term, {}).items():
                if doc in near:
                    for k in ks:
                        dots[k] = dots.get(k, 0.0) + w
        q_norm = math.sqrt(sum(self.idf[t] ** 2 for t in known) + unknown * self._oov**2)
        nearest = [0.0] * n
        for k, dot in dots.items():
            sim = dot / (q_norm * self._item_norm[k])
            doc = self._item_doc[k]
            if sim > nearest[doc]:
                nearest[doc] = sim
        mix = self.params.phrasing_weight
        vague = (
            bool(self._subject)
            and not unknown
            and all(t in self._subject or _PAIR in t for t in known)
        )
        scores = {
            self._ids[i]: (1.0 - mix) * bag[i] / total + mix * nearest[i]
            for i in range(n)
            if bag[i] > 0.0
        }
        words = scores
        if self.classifier is not None:
            share = self.params.classifier_weight
            proba = self.classifier.proba(sequence, tokens)
            if vague:
                proba = {d: p for d, p in proba.items() if d not in self._off_subject}
                total_p = sum(proba.values()) or 1.0
                proba = {d: p / total_p for d, p in proba.items()}
            scores = {
                doc: (1.0 - share) * scores.get(doc, 0.0) + share * proba.get(doc, 0.0)
                for doc in scores.keys() | proba.keys()
            }
        if vague:
            scores = {d: v for d, v in scores.items() if d not in self._off_subject}
        ranked = sorted(
            (Candidate(doc, score) for doc, score in scores.items() if score > 0.0),
            key=lambda c: (-c.score, c.entry_id),
        )
        exact = unknown == 0 and frozenset(known) in self._exact
        if exact:
            ranked.sort(key=lambda c: c.entry_id != self._ids[self._exact[frozenset(known)]])
        return _Scored(tuple(ranked), evidence, known, exact, words)

    def match(self, query: str) -> MatchResult:
        scored = self._score(query)
        ranked, evidence, terms, exact = scored.ranked, scored.evidence, scored.known, scored.exact
        top = ranked[:5]
        p = self.params
        if exact:
            return MatchResult(MatchKind.ANSWER, top, (top[0].entry_id,), self.language, terms)
        if not top or top[0].score < p.suggest_threshold or evidence <= 0.0:
            return MatchResult(MatchKind.NONE, top, (), self.language, terms)
        best = top[0].score
        second = top[1].score if len(top) > 1 else 0.0
        if (
            best >= p.answer_threshold
            and (evidence >= p.min_evidence or best >= p.sure_threshold)
            and best - second >= p.answer_margin
        ):
            # a second question in the message shows in the words, not in the classifier's
            # probabilities (they are shared out among the documents)
            words = scored.words
            floor = p.related_share * words.get(top[0].entry_id, 0.0)
            related = tuple(
                c.entry_id for c in top[1:3] if floor > 0.0 and words.get(c.entry_id, 0.0) >= floor
            )
            return MatchResult(
                MatchKind.ANSWER, top, (top[0].entry_id,), self.language, terms, related
            )
        close = [c.entry_id for c in top[:3] if c.score >= 0.5 * best]
        if len(close) < 2 and len(top) > 1:
            close = [c.entry_id for c in top[:2]]
        if len(close) < 2:  # a lone weak candidate: nothing to choose between
            return MatchResult(MatchKind.NONE, top, (), self.language, terms)
        return MatchResult(MatchKind.SUGGEST, top, tuple(close), self.language, terms)


class MultiLanguageMatcher:
    """Routes a query to the matcher of its script's language (see :func:`detect_language`).

    When the script is undecided (``"qr igg"``, digits only) the user's language is used.
    The returned ``MatchResult.language`` says which book matched; ids are shared by all books.
    """

    def __init__(self, matchers: Mapping[str, FaqMatcher] | None = None) -> None:
        self.matchers = dict(matchers or {})

    def language_of(self, query: str, user_language: str) -> str:
        lang = detect_language(query)
        if lang not in self.matchers:
            lang = user_language if user_language in self.matchers else next(iter(self.matchers))
        return lang

    def match(self, query: str, user_language: str = "ru") -> MatchResult:
        return self.matchers[self.language_of(query, user_language)].match(query)
