from __future__ import annotations

import time

import pytest

from bot.faq import FaqBook, FaqMatcher, MatchKind, MultiLanguageMatcher, detect_language
from bot.faq.evaluation import evaluate, load_cases
from bot.faq.matcher import get_morph, tokenize

from .conftest import LABELLED


def test_labelled_set_is_big_enough_and_distinct_from_phrasings(books: dict[str, FaqBook]) -> None:
    cases = load_cases(LABELLED)
    in_scope = [c for c in cases if c.id != "none"]
    unrelated = [c for c in cases if c.id == "none" and c.strict]
    assert len(cases) >= 100 and len(unrelated) >= 25
    assert {c.lang for c in in_scope} == {"ru", "en"}
    assert {c.id for c in in_scope} == set(books["ru"].ids)  # every entry is exercised
    known = {
        " ".join(tokenize(t))
        for book in books.values()
        for e in book
        for t in (e.title, *e.phrasings, *e.keywords)
    }
    copied = [c.q for c in cases if " ".join(tokenize(c.q)) in known]
    assert not copied, f"labelled questions copied from the content: {copied}"


def test_accuracy_floor(matcher: MultiLanguageMatcher) -> None:
    report = evaluate(matcher, load_cases(LABELLED))
    summary = report.summary()
    assert report.top1_accuracy >= 0.90, summary
    assert report.none_rate >= 0.90, summary
    assert report.borderline_ok == report.borderline, summary
    assert report.wrong_answer <= 2, summary  # confident wrong answers are the worst outcome


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # slang for "QR"
        ("кьюар по антителам сколько действует", "validity"),
        ("куар сколько действует", "validity"),
        ("кюар код срок действия", "validity"),
        ("кр код на сколько месяцев", "validity"),
        ("Q R код продлить", "extend_qr"),
        # госуслуги in all its spellings
        ("нет кнопки на госуслугах", "no_button"),
        ("нет кнопки в гос услугах", "no_button"),
        ("нет кнопки на епгу", "no_button"),
        ("нет кнопки на госуслуги", "no_button"),
        # antibodies / IgG / PCR slang and word forms
        ("антителам igm подходят", "only_igg"),
        ("игм подойдет", "only_igg"),
        ("иджи эм считается", "only_igg"),
        ("продлевать пцр или антитела", "extend_qr"),
        ("продлить pcr", "extend_qr"),
        # typos
        ("сертефикат по антитилам сколько дейсвует", "validity"),
        ("прадлить куар", "extend_qr"),
        ("пасспорт и снилз", "what_to_bring"),
        ("количесвенный тест", "qualitative_quantitative"),
        ("акредитованая лоборатория", "which_lab"),
        # case, ё, punctuation, Latin lookalikes inside Cyrillic words
        ("ПРОДЛИТЬ QR-КОД!!!", "extend_qr"),
        ("подойдёт качественный???", "qualitative_quantitative"),
        ("пpoдлить сepтификaт", "extend_qr"),  # Latin p, o, e, a inside
        ("cрок дeйствия", "validity"),
        # English
        ("how long is it valid", "validity"),
        ("renew with pcr", "extend_qr"),
        ("is passport needed", "what_to_bring"),
    ],
)
def test_slang_typos_and_forms(matcher: MultiLanguageMatcher, query: str, expected: str) -> None:
    result = matcher.match(query, "ru")
    assert result.kind is MatchKind.ANSWER, (query, result)
    assert result.entry_id == expected, (query, result)


@pytest.mark.parametrize(
    "query",
    [
        "какая погода",
        "tell me a joke",
        "сколько стоит анализ на ВИЧ",
        "",
        "   ",
        "!!!",
        "и в на с по",  # stopwords only
        "the of and to",
        "who are you",
        "вы кто",
    ],
)
def test_unrelated_is_none(matcher: MultiLanguageMatcher, query: str) -> None:
    assert matcher.match(query, "ru").kind is MatchKind.NONE


@pytest.mark.parametrize(
    "query", ["сколько стоит тест на антитела", "цена анализа на антитела igg", "price of the test"]
)
def test_price_is_never_a_confident_answer(matcher: MultiLanguageMatcher, query: str) -> None:
    assert matcher.match(query, "ru").kind is not MatchKind.ANSWER


def test_stopwords_do_not_drive_a_match(books: dict[str, FaqBook]) -> None:
    m = FaqMatcher(books["ru"])
    assert m.query_terms("а как же мне это у вас") == ["вы"]
    base = m.scores("продлить qr")
    assert [c.entry_id for c in m.scores("а как же мне продлить этот qr")] == [
        c.entry_id for c in base
    ]


def test_vague_query_suggests(matcher: MultiLanguageMatcher) -> None:
    result = matcher.match("qr код антитела", "ru")
    assert result.kind is MatchKind.SUGGEST
    assert 2 <= len(result.suggestions) <= 3
    assert result.entry_id is None
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("как получить qr код", "ru"),
        ("how to get a QR code", "en"),
        ("qr igg", None),
        ("123", None),
        ("", None),
        ("пpoдлить", "ru"),
        ("renew мой qr", "en"),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_routing_by_script(matcher: MultiLanguageMatcher) -> None:
    en = matcher.match("how do I extend my certificate", "ru")
    assert en.language == "en" and en.entry_id == "extend_qr"
    ru = matcher.match("как продлить сертификат", "en")
    assert ru.language == "ru" and ru.entry_id == "extend_qr"
    assert matcher.match("igm", "en").language == "en"
    assert matcher.match("igm", "ru").language == "ru"


def test_morph_is_shared() -> None:
    assert get_morph() is get_morph()


def test_fast_after_warmup(matcher: MultiLanguageMatcher) -> None:
    queries = [c.q for c in load_cases(LABELLED)]
    for q in queries:
        matcher.match(q, "ru")
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for q in queries:
            matcher.match(q, "ru")
    per_query = (time.perf_counter() - start) / (rounds * len(queries))
    assert per_query < 1e-3, f"{per_query * 1e6:.0f} µs per query"
