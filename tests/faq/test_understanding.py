"""How the bot understands a typed message: FaqLibrary.understand (menu word, small talk, the
lab's contacts, an entry's answer with close runners-up, suggestions, or not found)."""

from __future__ import annotations

import hashlib

import pytest

from bot.faq import FaqBook, detect_language, load_all
from bot.faq.evaluation import content_texts, evaluate, load_cases, normal_form
from bot.faq.intents import MenuSection, SmallTalk
from bot.faq.library import FaqLibrary, ReplyKind
from bot.faq.matcher import get_morph, tokenize

from .conftest import DEV, DEV2, HELDOUT, HELDOUT2, LABELLED, LOCALES

# ---------------------------------------------------------------- the evaluation sets


@pytest.mark.parametrize("path", [HELDOUT, HELDOUT2], ids=lambda p: p.stem)
def test_heldout_sets_are_frozen(path) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == path.with_suffix(".toml.sha256").read_text().strip()


@pytest.mark.parametrize("path", [DEV, HELDOUT, HELDOUT2], ids=lambda p: p.stem)
def test_sets_are_big_enough_and_cover_every_entry(books: dict[str, FaqBook], path) -> None:
    cases = load_cases(path)
    ids = set(books["ru"].ids)
    in_scope = [c for c in cases if c.in_scope]
    assert sum(c.lang == "ru" for c in in_scope) >= 140
    assert sum(c.lang == "en" for c in in_scope) >= 60
    assert sum(not c.in_scope for c in cases) >= 40
    assert {c.id for c in in_scope} == ids
    assert all(set(c.also) <= ids for c in cases)


# Held-out questions that are, word for word, a wording the content has: written independently
# on both sides (the obvious way to ask; the `other` topics' wordings came from the development
# set's misses), found when this test was written. The benchmark reports the held-out figures
# without them too. Any other overlap fails: it would be a copy.
COINCIDENCES = {
    HELDOUT: {
        "как продлить сертификат о вакцинации",
        "how old can the test result be",
        "сколько стоит анализ на антитела",
        "как записаться на прививку через госуслуги",
        "как поменять паспорт через госуслуги",
        "как восстановить пароль от госуслуг",
        "are you a bot?",
    },
    HELDOUT2: {
        "сколько действует куар по антителам",
        "срок действия сертификата по антителам?",
        "сколько раз можно получить куар по антителам",
        "результат не пришел на госуслуги",
        "can i do the antibody test at your lab?",
        "кому положен сертификат по антителам",
        "сколько стоит анализ на антитела",
        "во сколько вы открываетесь",
        "где вы находитесь",
        "сколько дней делается анализ на антитела",
        "какая погода завтра в пензе",
        "как записаться к терапевту через госуслуги",
        "привет как дела",
        "можно ли пить алкоголь после прививки",
        "как восстановить пароль от госуслуг",
        "what are your opening hours",
        "where is your lab located",
        "tell me a joke",
    },
}


@pytest.mark.parametrize("path", [HELDOUT, HELDOUT2], ids=lambda p: p.stem)
def test_no_heldout_question_was_copied_into_the_content(path) -> None:
    """The held-out set is never tuned on: none of its questions is a wording the bot knows."""
    known = content_texts(LOCALES)
    # the titles were given to the set's writer; a word or two ("срок?") is no copy
    titles = {normal_form(e.title) for book in load_all(LOCALES).values() for e in book}
    copied = [
        c.q
        for c in load_cases(path)
        if normal_form(c.q) in known and normal_form(c.q) not in titles and len(tokenize(c.q)) >= 3
    ]
    assert set(copied) <= COINCIDENCES[path], set(copied) - COINCIDENCES[path]


# Floors, measured with `python -m benchmarks.faq_matcher`: a regression guard, not a target
# (the figures and the targets are in the closing notes and docs/faq.md).
FLOORS = {
    # set: (direct+correct ru, direct+correct en, direct+wrong at most, unrelated declined)
    LABELLED: (0.85, 0.85, 0.08, 0.90),
    DEV: (0.92, 0.92, 0.02, 0.95),
    DEV2: (0.94, 0.97, 0.025, 0.94),
    HELDOUT: (0.87, 0.96, 0.025, 0.97),
    HELDOUT2: (0.92, 0.95, 0.035, 0.92),
}


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: p.stem)
def test_figures_do_not_fall(library: FaqLibrary, path) -> None:
    ru, en, wrong, declined = FLOORS[path]
    figures = evaluate(library.outcome, load_cases(path))
    assert figures["ru"].direct_correct_rate >= ru
    assert figures["en"].direct_correct_rate >= en
    assert figures["all"].direct_wrong_rate <= wrong
    assert figures["all"].declined_rate >= declined


# ---------------------------------------------------------------- answering


def test_no_two_entries_share_a_wording(library: FaqLibrary, books: dict[str, FaqBook]) -> None:
    """Two wordings of different entries with the same words (in any order and form) could not
    both be answered: the content must tell them apart."""
    for lang, book in books.items():
        matcher = library.matcher.matchers[lang]
        extra = library.words[lang].wordings
        seen: dict[frozenset[str], str] = {}
        clashes = []
        for entry in book:
            for text in (entry.title, *entry.phrasings, *extra.get(entry.id, ())):
                key = frozenset(matcher.query_terms(text))
                if seen.setdefault(key, entry.id) != entry.id:
                    clashes.append((text, entry.id, seen[key]))
        assert not clashes, clashes


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_title_and_phrasing_is_answered_directly(
    library: FaqLibrary, books: dict[str, FaqBook], lang: str
) -> None:
    wrong = []
    for entry in books[lang]:
        for text in (entry.title, *entry.phrasings):
            for variant in (text, text.upper(), text.lower().rstrip("?!. ") + "!!"):
                u = library.understand(variant, lang)
                if u.kind is not ReplyKind.ANSWER or u.entry_id != entry.id:
                    wrong.append((variant, entry.id, u.kind, u.entry_id, u.offered))
    assert not wrong


# From issue #11 ("What was measured"): each answered directly and correctly.
ISSUE_QUESTIONS = [
    ("Как получить QR-код по антителам?", "ru", "how_to_get_qr"),
    ("Сколько раз можно получить QR-код по антителам?", "ru", "how_many_times"),
    ("У меня уже есть QR-код. Дадут ли по антителам?", "ru", "existing_qr"),
    ("How do I get a QR code for antibodies?", "en", "how_to_get_qr"),
    ("What should I bring to the test?", "en", "what_to_bring"),
    ("как получить куар по антителам", "ru", "how_to_get_qr"),
    ("можно ли если болел", "ru", "had_covid"),
    ("где сдать", "ru", "which_lab"),
    ("какие антитела нужны для qr кода", "ru", "only_igg"),
    ("сертификат истек что делать", "ru", "expired_cert"),
    ("как сделать сертификат на госуслугах", "ru", "how_to_get_qr"),
    ("госуслуги не показывает антитела", "ru", "result_not_on_portal"),
    (
        "Добрый день! Сдала кровь на антитела, igg положительный, когда появится на госуслугах?",
        "ru",
        "result_not_on_portal",
    ),
    ("мне 70 лет, можно мне сертификат?", "ru", "who_can_get"),
    ("What antibodies does the QR code cover?", "en", "only_igg"),
    ("I had covid last year, can I get it?", "en", "had_covid"),
    ("how to get antibody qr code", "en", "how_to_get_qr"),
]


@pytest.mark.parametrize(("text", "lang", "entry_id"), ISSUE_QUESTIONS)
def test_questions_people_asked_are_answered(
    library: FaqLibrary, text: str, lang: str, entry_id: str
) -> None:
    u = library.understand(text, lang)
    assert (u.kind, u.entry_id) == (ReplyKind.ANSWER, entry_id), u


@pytest.mark.parametrize(
    ("text", "lang", "entry_id"),
    [
        ("кьюар по антителам сколько действует", "ru", "validity"),
        ("нет кнопки в гос услугах", "ru", "no_button"),
        ("игм подойдет", "ru", "only_igg"),
        ("сертефикат по антитилам сколько дейсвует", "ru", "validity"),  # typos
        ("прадлить куар", "ru", "extend_qr"),
        ("пасспорт и снилз", "ru", "what_to_bring"),
        ("ПРОДЛИТЬ QR-КОД!!!", "ru", "extend_qr"),
        ("пpoдлить сepтификaт", "ru", "extend_qr"),  # Latin p, o, e, a inside
        ("how long is it valid", "en", "validity"),
        ("renew with pcr", "en", "extend_qr"),
    ],
)
def test_slang_typos_and_forms(library: FaqLibrary, text: str, lang: str, entry_id: str) -> None:
    u = library.understand(text, lang)
    assert (u.kind, u.entry_id) == (ReplyKind.ANSWER, entry_id), u


def test_a_close_second_is_offered_beneath_the_answer(library: FaqLibrary) -> None:
    u = library.understand("сколько действует сертификат и сколько раз его можно получить", "ru")
    assert u.kind is ReplyKind.ANSWER
    assert {u.entry_id, *u.offered} >= {"validity", "how_many_times"}


def test_answer_comes_in_the_texts_language(library: FaqLibrary) -> None:
    en = library.understand("how do I extend my certificate", "ru")
    assert (en.language, en.entry_id) == ("en", "extend_qr")
    ru = library.understand("как продлить сертификат", "en")
    assert (ru.language, ru.entry_id) == ("ru", "extend_qr")


# ---------------------------------------------------------------- not the FAQ


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("привет", SmallTalk.GREETING),
        ("Добрый день!", SmallTalk.GREETING),
        ("спасибо", SmallTalk.THANKS),
        ("Спасибо большое!!!", SmallTalk.THANKS),
        ("hi", SmallTalk.GREETING),
        ("thanks", SmallTalk.THANKS),
        ("ок", SmallTalk.ACK),
        ("👍", SmallTalk.ACK),
        ("пока", SmallTalk.BYE),
        ("ты бот?", SmallTalk.WHO),
    ],
)
def test_small_talk(library: FaqLibrary, text: str, kind: SmallTalk) -> None:
    u = library.understand(text, "ru")
    assert (u.kind, u.small_talk) == (ReplyKind.SMALL_TALK, kind)


def test_a_greeting_around_a_question_is_a_question(library: FaqLibrary) -> None:
    u = library.understand("Здравствуйте! Сколько действует сертификат? Спасибо", "ru")
    assert (u.kind, u.entry_id) == (ReplyKind.ANSWER, "validity")


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("меню", MenuSection.MENU),
        ("Меню!", MenuSection.MENU),
        ("проверить", MenuSection.CHECK),
        ("мой сертификат", MenuSection.CERT),
        ("menu", MenuSection.MENU),
        ("my certificate", MenuSection.CERT),
    ],
)
def test_menu_words(library: FaqLibrary, text: str, section: MenuSection) -> None:
    u = library.understand(text, "ru")
    assert (u.kind, u.section) == (ReplyKind.MENU, section)


@pytest.mark.parametrize(
    "text",
    [
        "сколько стоит анализ?",
        "сколько стоит тест на антитела",
        "цена анализа на антитела igg",
        "во сколько вы открываетесь",
        "где вы находитесь",
        "price of the test",
        "what are your opening hours",
    ],
)
def test_lab_questions_get_the_contacts(library: FaqLibrary, text: str) -> None:
    assert library.understand(text, "ru").kind is ReplyKind.LAB_INFO


@pytest.mark.parametrize(
    "text",
    [
        "какая погода",
        "tell me a joke",
        "",
        "!!!",
        "и в на с по",  # stopwords only
        "the of and to",
        "какие побочки у прививки",
        "как восстановить пароль от госуслуг",
    ],
)
def test_unrelated_is_not_found(library: FaqLibrary, text: str) -> None:
    u = library.understand(text, "ru")
    assert u.kind in (ReplyKind.NOT_FOUND, ReplyKind.SMALL_TALK)
    assert u.entry_id is None and not u.offered


def test_stopwords_do_not_drive_a_match(library: FaqLibrary) -> None:
    matcher = library.matcher.matchers["ru"]
    assert matcher.query_terms("а как же мне это у вас") == ["вы"]
    assert matcher.query_terms("а как же мне продлить этот qr") == matcher.query_terms(
        "продлить qr"
    )
    # (the classifier reads every letter, so only the winner is compared)
    base = matcher.scores("продлить qr")[0].entry_id
    assert matcher.scores("а как же мне продлить этот qr")[0].entry_id == base == "extend_qr"


def test_a_long_message_is_read_from_its_end(library: FaqLibrary) -> None:
    story = "Ну вот такая история у меня была вчера, и сегодня тоже, и соседка говорит. " * 50
    text = story + "Сколько действует сертификат по антителам?"
    assert len(text) > 3000
    u = library.understand(text, "ru")
    assert (u.kind, u.entry_id) == (ReplyKind.ANSWER, "validity")


# ---------------------------------------------------------------- staff-taught wordings


def test_a_taught_wording_is_answered_at_once_and_can_be_forgotten() -> None:
    library = FaqLibrary.load(LOCALES, ["ru", "en"])
    text = "чё там с бумажкой для кафешек"
    assert library.understand(text, "ru").entry_id != "how_to_get_qr"
    assert library.learn([("ru", "how_to_get_qr", text)]) == 1
    assert library.learn([("ru", "how_to_get_qr", text)]) == 0  # once
    assert library.understand(text, "ru").entry_id == "how_to_get_qr"
    assert library.understand("а чё там с бумажкой для кафешек?", "ru").entry_id == "how_to_get_qr"
    library.forget_wording("ru", "how_to_get_qr", text)
    assert library.understand(text, "ru").entry_id != "how_to_get_qr"


def test_unknown_entries_and_languages_are_not_learned() -> None:
    library = FaqLibrary.load(LOCALES, ["ru", "en"])
    assert library.learn([("ru", "no_such_entry", "x"), ("de", "validity", "y")]) == 0


# ---------------------------------------------------------------- pieces


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


def test_morph_is_shared() -> None:
    assert get_morph() is get_morph()
