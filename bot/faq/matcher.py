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

import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.faq.content import FaqBook

if TYPE_CHECKING:
    import pymorphy3

__all__ = [
    "Candidate",
    "FaqMatcher",
    "MatchKind",
    "MatchResult",
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
    {"qr", "igg", "igm", "ig", "pcr", "covid", "covid19", "sars", "cov", "snils", "epgu", "lgg",
     "ok", "id", "sms", "pdf", "gosuslugi", "code", "kod"}
)


def normalize_text(text: str) -> str:
    """NFKC, lower case, ``ё → е``; punctuation is kept (the tokenizer drops it)."""
    return unicodedata.normalize("NFKC", text).lower().replace("ё", "е")


def _fix_mixed(token: str) -> str:
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
    cyr = lat = 0
    for tok in _TOKEN_RE.findall(normalize_text(text)):
        if tok in _SCRIPT_NEUTRAL:
            continue
        cyr += len(_CYR_RE.findall(tok))
        lat += len(_LAT_RE.findall(tok))
    if cyr > lat:
        return "ru"
    if lat > cyr:
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
    """(normal form, POS, is a dictionary word) of a lower-case Russian word."""
    morph = get_morph()
    parse = morph.parse(word)[0]
    return parse.normal_form.replace("ё", "е"), parse.tag.POS, morph.word_is_known(word)


_EN_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def en_stem(word: str) -> str:
    return str(_EN_STEMMER.stemWord(word))


# --------------------------------------------------------------------------- language tables

# Kept even though a generic list would drop them: they discriminate between entries.
_RU_KEEP = frozenset({"вы", "ваш", "нет", "уже", "сколько", "раз", "почему", "где", "когда",
                      "снова", "еще", "повторно", "раньше", "ранее", "назад", "давно", "какой"})

_RU_STOP = frozenset(
    """
    а и или но да же ли бы то это этот эта эти тот та те там тут здесь вот ну вообще вдруг
    в во на с со к ко у о об обо от до по за из изо под над при про для без через между
    я мы он она оно они меня мне мной нас нам нами его ее ей им ими их него нее ним ней них
    ты тебя тебе тобой себя себе мой моя мое мои свой своя свое свои твой
    что чтобы как каков который кто чей зачем куда откуда
    если тогда так также тоже потом ещё очень просто можно нужно надо нельзя должный
    быть есть был была было были будет будут является мочь хотеть хотеться делать сделать
    подсказать сказать пожалуйста здравствуйте здравствовать привет добрый день вечер утро
    спасибо благодарить вопрос интересовать интересно узнать знать подскажите скажите
    ли разве неужели пусть ка то-то либо нибудь весь всё все всего свой сам самый
    мочь ли это такой такая такое такие данный ваще плиз плз
    """.split()
) - _RU_KEEP

_EN_KEEP = frozenset({"you", "your", "yours", "no", "not", "only", "again", "already", "why",
                      "how", "many", "long", "once", "before", "where", "when", "which", "what"})

# Terms that help to rank but are no evidence on their own: a query made only of them
# ("who are you", "почему нет") is never answered.
_WEAK = frozenset({"вы", "нет", "уже", "сколько", "раз", "почему", "где", "когда", "какой",
                   "you", "no", "how", "mani", "long", "onli", "why", "where", "when", "which",
                   "what", "alreadi", "already"})

_EN_STOP = frozenset(
    """
    a an the and or but if then so of to in on at by for with from about into over after as
    is are was were be been being am do does did done have has had having can could would
    should shall will may might must i me my mine we us our he him his she her it its they
    them their this that these those what which who whom whose there here please hi hello
    thanks thank tell know want wanted like would just also any some get got getting
    question ask need needed dear sir madam ok okay yes
    """.split()
) - _EN_KEEP

# surface token / lemma → canonical term(s); values are tuples of canonical terms.
_RU_SYN_GROUPS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("qr", "кьюар", "куар", "кюар", "кьюр", "кр", "куаркод", "кьюаркод", "кюаркод", "qrкод",
     "qrcode", "кьюарка", "куарка", "кюарка", "qrка", "кукод", "кркод", "qrкода"): ("qr",),
    ("госуслуги", "госуслуга", "госуслугах", "госуслуг", "госуслугам", "епгу", "гу", "егпу",
     "gosuslugi", "epgu", "портал", "госпортал", "госа", "гос"): ("епгу",),
    ("igg", "игг", "иджи", "иджиджи", "игджи", "джи", "lgg", "ig", "иг", "игж"): ("igg",),
    ("igm", "игм", "иджиэм", "эм"): ("igm",),
    ("пцр", "pcr", "пцрка", "пцртест"): ("пцр",),
    ("антитело", "антитела", "ат", "антиген"): ("антитело",),
    ("сертификат", "серт", "сертик", "сертификатик", "сертификация"): ("сертификат",),
    ("прививка", "вакцина", "вакцинация", "привиться", "привитый", "привить", "вакцинироваться",
     "вакцинировать", "вакцинированный", "уколоться", "укол", "вакцинирование",
     "прививаться", "прививочный", "привиться"): ("прививка",),
    ("ревакцинация", "ревакцинироваться", "бустер"): ("ревакцинация", "прививка"),
    ("переболеть", "переболевший", "выздоровление", "выздороветь", "выздоровевший", "болеть",
     "болезнь", "переболевание", "заболевание", "перенести", "перенесенный", "болевший",
     "переболеваний"): ("переболеть",),
    ("анализ", "тест", "исследование", "тестирование", "анализы", "проба", "кровь",
     "тестик", "анализик"): ("анализ",),
    ("лаборатория", "лаба", "лабора", "клиника", "медцентр", "лабораторный", "лабораторие",
     "лабораторию"): ("лаборатория",),
    ("продлить", "продление", "продлевать", "продлять", "продлеваться", "продлиться", "обновить",
     "обновление", "продлевание", "пролонгировать"): ("продлить",),
    ("действовать", "действие", "действительный", "годный", "годен", "валидный", "срок"):
        ("срок",),
    ("дата", "число", "день"): ("дата",),
    ("отсчитываться", "отсчитывать", "отсчет", "исчисляться", "начинаться"): ("отсчет",),
    ("подойти", "подходить", "подходящий", "годиться", "засчитать", "засчитывать",
     "засчитываться", "учитываться", "учесть", "учитывать", "считаться", "принимать",
     "приниматься", "принять"): ("подойти",),
    ("полгода", "полугода", "полгодика"): ("6", "месяц"),
    ("шесть", "шести"): ("6",),
    ("ковид", "covid", "covid19", "коронавирус", "корона", "коронавирусный", "ковидный",
     "коронавирусный", "sars", "cov"): ("ковид",),
    ("снова", "опять", "заново", "повторный", "повторно", "повтор", "еще", "второй", "вторично",
     "новый"): ("повторно",),
    ("однократно", "единоразово", "единожды", "однократный", "единоразовый"): ("однократно",),
    ("количество", "количественный", "колличественный", "кол", "количественно"):
        ("количественный",),
    ("качественный", "качественно", "качество"): ("качественный",),
    ("титр", "титры", "уровень", "концентрация", "значение"): ("титр",),
    ("старый", "давно", "ранее", "раньше", "прошлый", "давний", "давность", "назад",
     "предыдущий", "прежний", "старше"): ("раньше",),
    ("сформировать", "оформить", "сгенерировать", "создать", "формировать", "формирование",
     "генерировать", "оформление", "оформлять", "выдать", "выдавать", "дать", "давать",
     "выдача", "получение", "получить", "получать"): ("получить",),
    ("документ", "документы", "бумага", "док"): ("документ",),
    ("взять", "брать", "прихватить", "принести", "приносить", "собой", "нести"): ("взять",),
    ("аккредитовать", "аккредитованный", "аккредитация", "аккредитовывать"): ("аккредитация",),
    ("роспотребнадзор", "рпн", "роспотреб", "потребнадзор"): ("роспотребнадзор",),
    ("вы", "ваш"): ("вы",),
    ("сколько", "скока", "скоко", "сколко", "скольки"): ("сколько",),
    ("какой", "какие", "какая", "какое", "каких", "каким"): ("какой",),
    ("записаться", "запись", "записать", "записываться"): ("записаться",),
    ("почему", "отчего", "зачем"): ("почему",),
    ("появиться", "появляться", "отображаться", "отобразиться", "показываться", "показать",
     "видно", "видный", "виден", "видеть", "высвечиваться", "прийти", "приходить",
     "отображение"): ("появиться",),
    ("кнопка", "кнопочка", "кнопк", "баттон", "button"): ("кнопка",),
    ("снилс", "страховой", "snils"): ("снилс",),
    ("паспорт", "паспорта"): ("паспорт",),
    ("согласие", "соглашение", "разрешение"): ("согласие",),
    ("месяц", "мес", "месяца"): ("месяц",),
    ("вкладка", "раздел", "вкладочка"): ("вкладка",),
    ("учетный", "учетка", "аккаунт", "кабинет", "лк", "авторизоваться", "авторизация",
     "зайти", "войти", "вход"): ("учетка",),
    ("одновременно", "сразу", "параллельно"): ("одновременно",),
    ("истекать", "истечь", "заканчиваться", "закончиться", "кончаться", "кончиться",
     "окончание", "истечение", "окончиться"): ("истекать",),
}

_EN_SYN_GROUPS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("qr", "qrcode", "kuar", "qrs", "cuar"): ("qr",),
    ("gosuslugi", "gosuslugy", "gosuslugi.ru", "epgu", "portal", "госуслуги", "gos", "egpu"):
        ("epgu",),
    ("igg", "ig", "lgg"): ("igg",),
    ("igm",): ("igm",),
    ("pcr",): ("pcr",),
    ("antibody", "antibodies", "antibodys", "antibodie", "antibod", "abs", "antibodi"):
        ("antibodi",),
    ("certificate", "cert", "certs", "certificates", "certif", "certific"): ("certif",),
    ("vaccine", "vaccinated", "vaccination", "vaccin", "jab", "jabbed", "shot", "vax", "vaxxed",
     "vaccinations", "inoculation"): ("vaccin",),
    ("revaccination", "booster", "revaccin"): ("revaccin", "vaccin"),
    ("recovered", "recovery", "recover", "ill", "illness", "sick", "survivor", "disease",
     "post", "covid-recovered"): ("recov",),
    ("test", "tests", "testing", "analysis", "bloodtest", "exam", "blood", "tested"): ("test",),
    ("lab", "laboratory", "laboratories", "labs", "clinic", "laboratori"): ("lab",),
    ("extend", "renew", "prolong", "extension", "renewal", "prolongation", "extended"):
        ("extend",),
    ("valid", "validity", "lasts", "last", "duration", "period", "valid"): ("valid",),
    ("expire", "expiry", "expires", "expiring", "expiration", "runs", "ends", "end", "finish"):
        ("expir",),
    ("button", "btn", "buttons"): ("button",),
    ("6", "six", "half"): ("6",),
    ("covid", "coronavirus", "corona", "sars", "cov", "covid19"): ("covid",),
    ("you", "your", "yours"): ("you",),
    ("again", "repeat", "repeated", "second", "another", "new", "twice", "anew"): ("again",),
    ("once", "single", "one-time", "onetime"): ("once",),
    ("quantitative", "quantity", "amount", "quantit"): ("quantit",),
    ("qualitative", "qualit"): ("qualit",),
    ("titer", "titre", "level", "concentration", "value", "titr"): ("titer",),
    ("old", "older", "earlier", "ago", "previous", "past", "before", "prior", "recent"):
        ("earlier",),
    ("generate", "obtain", "create", "issue", "issued", "make", "receive", "generat", "obtain",
     "gener", "get"): ("generat",),
    ("document", "documents", "papers", "paper", "docs", "id"): ("document",),
    ("bring", "take", "carry"): ("bring",),
    ("accredited", "accreditation", "accredit", "certified"): ("accredit",),
    ("rospotrebnadzor", "rpn"): ("rospotrebnadzor",),
    ("book", "booking", "appointment", "appoint", "schedule", "sign"): ("book",),
    ("why",): ("why",),
    ("appear", "appeared", "appears", "show", "shows", "showing", "see", "visible", "display",
     "displayed", "reached", "arrived", "came"): ("appear",),
    ("passport",): ("passport",),
    ("snils",): ("snils",),
    ("consent", "agreement", "permission"): ("consent",),
    ("month", "months"): ("month",),
    ("tab", "section"): ("tab",),
    ("account", "log", "login", "cabinet", "profile"): ("account",),
    ("no", "not", "missing", "cannot", "can't", "cant", "don't", "dont", "doesn't", "isn't"):
        ("no",),
    ("already", "existing", "exist"): ("already",),
}


def _flatten(groups: Mapping[tuple[str, ...], tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for keys, value in groups.items():
        for key in keys:
            out[normalize_text(key)] = value
    return out


@dataclass(frozen=True, slots=True)
class _Lang:
    code: str
    stop: frozenset[str]
    syn: dict[str, tuple[str, ...]]


_LANGS: dict[str, _Lang] = {
    "ru": _Lang("ru", _RU_STOP, _flatten(_RU_SYN_GROUPS)),
    "en": _Lang("en", _EN_STOP, _flatten(_EN_SYN_GROUPS)),
}

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

    @property
    def entry_id(self) -> str | None:
        """The answered entry id (only for ANSWER)."""
        return self.suggestions[0] if self.kind is MatchKind.ANSWER else None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


# --------------------------------------------------------------------------- matcher

_OOV = "\x00oov"  # marker term for unknown (non-stopword) tokens

_FIELD_WEIGHTS = {"title": 2.0, "keywords": 1.5, "phrasings": 1.0}


class FaqMatcher:
    """Matches free text against one :class:`FaqBook`. Build once at start-up; thread-safe reads."""

    def __init__(
        self,
        book: FaqBook,
        language: str | None = None,
        *,
        answer_threshold: float = 0.42,
        suggest_threshold: float = 0.3,
        margin: float = 0.12,
        min_evidence: float = 1.0,
        saturation: float = 0.6,
        cache_size: int = 20000,
    ) -> None:
        self.book = book
        self.language = language or book.language
        if self.language not in _LANGS:
            raise ValueError(f"unsupported language {self.language!r}")
        self._lang = _LANGS[self.language]
        self.answer_threshold = answer_threshold
        self.suggest_threshold = suggest_threshold
        self.margin = margin
        self.min_evidence = min_evidence
        self._cache_size = cache_size
        self._token_cache: dict[str, tuple[str, ...]] = {}
        self._ids = tuple(e.id for e in book.entries)

        # term frequencies per entry (field-weighted, each term counted once per field item)
        tfs: list[dict[str, float]] = []
        surfaces: dict[str, str] = {}  # surface token seen in the index → itself (fuzzy targets)
        for entry in book.entries:
            tf: dict[str, float] = {}
            items: list[tuple[str, float]] = [(entry.title, _FIELD_WEIGHTS["title"])]
            items += [(k, _FIELD_WEIGHTS["keywords"]) for k in entry.keywords]
            items += [(p, _FIELD_WEIGHTS["phrasings"]) for p in entry.phrasings]
            for text, weight in items:
                tokens = self._glue(tokenize(text))
                for tok in tokens:
                    surfaces.setdefault(tok, tok)
                for term in set(self._terms_of_tokens(tokens, fuzzy=False)):
                    if term != _OOV:
                        tf[term] = tf.get(term, 0.0) + weight
            tfs.append(tf)
        self.vocabulary: frozenset[str] = frozenset(t for tf in tfs for t in tf)

        n = len(tfs)
        df: dict[str, int] = {}
        for tf in tfs:
            for term in tf:
                df[term] = df.get(term, 0) + 1
        self.idf: dict[str, float] = {
            t: math.log(1.0 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()
        }
        self.oov_weight = math.log(1.0 + (n + 0.5) / 0.5)
        # postings: term → ((entry index, idf * saturated tf), ...)
        self._postings: dict[str, tuple[tuple[int, float], ...]] = {}
        for term in self.vocabulary:
            posting = []
            for i, tf in enumerate(tfs):
                if term in tf:
                    x = tf[term]
                    posting.append((i, self.idf[term] * x / (x + saturation)))
            self._postings[term] = tuple(posting)

        # fuzzy-correction targets: index surface forms + synonym keys, grouped by script
        targets = set(surfaces) | set(self._lang.syn)
        targets = {t for t in targets if len(t) >= 3 and not t.isdigit()}
        targets = {t for t in targets if set(self._token_terms(t, fuzzy=False)) & self.vocabulary}
        self._fuzzy_cyr = sorted(t for t in targets if _CYR_RE.search(t))
        self._fuzzy_lat = sorted(t for t in targets if not _CYR_RE.search(t))
        self._glue_words = frozenset(self._lang.syn) | frozenset(surfaces)
        self._token_cache.clear()

    # ------------------------------------------------------------------ normalisation

    def _glue(self, tokens: list[str]) -> list[str]:
        """Join adjacent tokens whose concatenation is a known word (``гос услуги``)."""
        if len(tokens) < 2:
            return tokens
        known = getattr(self, "_glue_words", None) or frozenset(self._lang.syn)
        out: list[str] = []
        i = 0
        while i < len(tokens):
            if i + 1 < len(tokens):
                joined = tokens[i] + tokens[i + 1]
                if joined in known and (len(tokens[i]) <= 4 or len(tokens[i + 1]) <= 4):
                    out.append(joined)
                    i += 2
                    continue
            out.append(tokens[i])
            i += 1
        return out

    def _base_terms(self, token: str) -> tuple[str, ...]:
        """Terms of a token without fuzzy correction; () = stopword."""
        lang = self._lang
        syn = lang.syn
        if token in syn:
            return syn[token]
        if token in lang.stop:
            return ()
        if lang.code == "ru":
            if _CYR_RE.search(token):
                lemma, pos, _known = ru_lemma(token)
                if lemma in syn:
                    return syn[lemma]
                if lemma in lang.stop or (pos in _DROP_POS and lemma not in _RU_KEEP):
                    return ()
                return (lemma,)
            if token.isdigit():
                return (token,)
            if set(token) <= _LOOKALIKE_LAT:  # "cpok" typed in Latin lookalikes
                return self._base_terms(token.translate(_LAT2CYR))
            return (token,)
        # English
        if _CYR_RE.search(token):
            return (token,)
        stem = en_stem(token)
        if stem in syn:
            return syn[stem]
        if stem in lang.stop:
            return ()
        return (stem,)

    def _token_terms(self, token: str, *, fuzzy: bool = True) -> tuple[str, ...]:
        terms = self._base_terms(token)
        if not fuzzy or not terms or any(t in self.vocabulary for t in terms):
            return terms
        if len(token) < 4 or token.isdigit():
            return (_OOV,)
        if self._lang.code == "ru" and _CYR_RE.search(token) and ru_lemma(token)[2]:
            return (_OOV,)  # a real Russian word that the FAQ simply doesn't use
        choices = self._fuzzy_cyr if _CYR_RE.search(token) else self._fuzzy_lat
        max_edits = 1 if len(token) <= 8 else 2
        hit = process.extractOne(token, choices, scorer=OSA.distance, score_cutoff=max_edits)
        if hit is None:
            return (_OOV,)
        fixed = self._base_terms(hit[0])
        return fixed if fixed else (_OOV,)

    def _cached_token_terms(self, token: str) -> tuple[str, ...]:
        terms = self._token_cache.get(token)
        if terms is None:
            terms = self._token_terms(token, fuzzy=True)
            if len(self._token_cache) >= self._cache_size:
                self._token_cache.clear()
            self._token_cache[token] = terms
        return terms

    def _terms_of_tokens(self, tokens: Iterable[str], *, fuzzy: bool) -> list[str]:
        out: list[str] = []
        for tok in tokens:
            if fuzzy:
                out.extend(self._cached_token_terms(tok))
            else:
                out.extend(self._base_terms(tok))
        return out

    def query_terms(self, query: str) -> list[str]:
        """Normalised terms of a query (unknown words appear as ``"?word"``)."""
        tokens = self._glue(tokenize(query))
        out: list[str] = []
        for tok in tokens:
            for term in self._cached_token_terms(tok):
                out.append("?" + tok if term == _OOV else term)
        return out

    # ------------------------------------------------------------------ matching

    def scores(self, query: str) -> list[Candidate]:
        """All entries with a positive score, best first."""
        return list(self._score(query)[0])

    def _score(self, query: str) -> tuple[tuple[Candidate, ...], float, tuple[str, ...]]:
        tokens = self._glue(tokenize(query))
        terms: dict[str, None] = {}
        oov = 0
        for tok in tokens:
            for term in self._cached_token_terms(tok):
                if term == _OOV:
                    oov += 1
                else:
                    terms[term] = None
        total = oov * self.oov_weight
        acc = [0.0] * len(self._ids)
        evidence = 0.0
        known = []
        for term in terms:
            posting = self._postings.get(term)
            if posting is None:
                total += self.oov_weight
                continue
            known.append(term)
            total += self.idf[term]
            if term not in _WEAK:
                evidence += self.idf[term]
            for i, w in posting:
                acc[i] += w
        if total <= 0.0:
            return (), 0.0, tuple(known)
        ranked = sorted(
            (Candidate(self._ids[i], s / total) for i, s in enumerate(acc) if s > 0.0),
            key=lambda c: -c.score,
        )
        return tuple(ranked), evidence, tuple(known)

    def match(self, query: str) -> MatchResult:
        ranked, evidence, terms = self._score(query)
        top = ranked[:5]
        if not top or top[0].score < self.suggest_threshold or evidence <= 0.0:
            return MatchResult(MatchKind.NONE, top, (), self.language, terms)
        best = top[0].score
        second = top[1].score if len(top) > 1 else 0.0
        if (
            best >= self.answer_threshold
            and evidence >= self.min_evidence
            and best - second >= self.margin
        ):
            return MatchResult(MatchKind.ANSWER, top, (top[0].entry_id,), self.language, terms)
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

    def __init__(self, matchers: Mapping[str, FaqMatcher]) -> None:
        if not matchers:
            raise ValueError("no matchers")
        self.matchers = dict(matchers)

    @classmethod
    def from_books(cls, books: Mapping[str, FaqBook], **kwargs: Any) -> MultiLanguageMatcher:
        return cls({lang: FaqMatcher(book, lang, **kwargs) for lang, book in books.items()})

    def match(self, query: str, user_language: str = "ru") -> MatchResult:
        lang = detect_language(query)
        if lang not in self.matchers:
            lang = user_language if user_language in self.matchers else next(iter(self.matchers))
        return self.matchers[lang].match(query)
