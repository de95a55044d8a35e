from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.faq import FaqBook, FaqContentError, FaqEntry, load_all, load_faq, telegram_html_problems
from bot.faq.content import MAX_ANSWER_CHARS, MAX_TITLE_CHARS

from .conftest import LOCALES

MEMO_IDS = {
    "how_to_get_qr",
    "what_to_bring",
    "which_lab",
    "validity",
    "only_igg",
    "qualitative_quantitative",
    "how_many_times",
    "old_results",
    "existing_qr",
    "extend_qr",
    "no_button",
    "test_at_our_lab",
}
# What people ask about the memo's process that the memo answers only across several answers.
PROCESS_IDS = {"result_not_on_portal", "expired_cert", "had_covid", "who_can_get"}

GOOD_ENTRY = """
[[entry]]
id = "validity"
title = "Сколько действует?"
answer = "Шесть месяцев."
phrasings = ["срок действия"]
keywords = ["срок"]
"""


def test_both_languages_load_with_the_same_ids(books: dict[str, FaqBook]) -> None:
    assert set(books) == {"ru", "en"}
    assert set(books["ru"].ids) == set(books["en"].ids) == MEMO_IDS | PROCESS_IDS
    assert books["ru"].ids == books["en"].ids  # same display order


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_entries_fit_telegram(books: dict[str, FaqBook], lang: str) -> None:
    for entry in books[lang]:
        assert len(entry.title) <= MAX_TITLE_CHARS, entry.id
        assert len(entry.answer) <= MAX_ANSWER_CHARS, entry.id
        assert telegram_html_problems(entry.answer) == [], entry.id
        assert entry.phrasings and entry.keywords, entry.id


def test_lookup_by_id(books: dict[str, FaqBook]) -> None:
    ru = books["ru"]
    assert ru["validity"].id == "validity"
    assert ru.get("nope") is None
    assert "extend_qr" in ru
    with pytest.raises(KeyError):
        ru["nope"]


def test_memo_facts_present(books: dict[str, FaqBook]) -> None:
    ru = books["ru"]
    assert "6 месяцев" in ru["validity"].answer
    assert "IgG" in ru["only_igg"].answer
    assert "Роспотребнадзор" in ru["which_lab"].answer
    for word in ("паспорт", "СНИЛС", "согласие"):
        assert word in ru["what_to_bring"].answer
    assert "единоразово" in ru["how_many_times"].answer
    assert "ПЦР" in ru["extend_qr"].answer
    assert "2 варианта" in ru["test_at_our_lab"].answer
    assert "«Антитела»" in ru["how_to_get_qr"].answer
    # the process entries say only what the memo says
    assert "ПЦР" in ru["expired_cert"].answer and "один раз" in ru["expired_cert"].answer
    assert "переболевшего" in ru["had_covid"].answer and "IgG" in ru["had_covid"].answer
    assert "СНИЛС" in ru["result_not_on_portal"].answer
    for fact in ("IgG", "6 месяцев", "Роспотребнадзором", "один раз"):
        assert fact in ru["who_can_get"].answer, fact


@pytest.mark.parametrize(
    ("html", "ok"),
    [
        ('<b>bold</b> <i>it</i> <a href="https://gosuslugi.ru">link</a>', True),
        ("a &amp; b &lt;c&gt; &#123;", True),
        ("a & b", False),
        ("1 < 2", False),
        ("2 > 1", False),
        ("<u>no</u>", False),
        ("<b>unclosed", False),
        ("<b><i>x</b></i>", False),
        ("<a href='x'>single quotes</a>", False),
    ],
)
def test_html_subset(html: str, ok: bool) -> None:
    assert (telegram_html_problems(html) == []) is ok


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "faq.toml"
    text = 'language = "ru"\n' + GOOD_ENTRY + "title = \n"
    bad.write_text(text, encoding="utf-8")
    broken_line = text.splitlines().index("title = ") + 1
    with pytest.raises(FaqContentError) as info:
        load_faq(bad)
    assert info.value.line == broken_line
    assert f"{bad}:{broken_line}:" in str(info.value)


def test_invalid_entry_names_the_line(tmp_path: Path) -> None:
    long_title = "x" * (MAX_TITLE_CHARS + 1)
    text = GOOD_ENTRY + GOOD_ENTRY.replace('"validity"', '"other"').replace(
        "Сколько действует?", long_title
    )
    path = tmp_path / "faq.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FaqContentError) as info:
        load_faq(path, "ru")
    lines = text.splitlines()
    assert info.value.line is not None
    assert long_title in lines[info.value.line - 1]  # the offending `title =` line
    assert str(path) in str(info.value) and "title" in str(info.value)


@pytest.mark.parametrize(
    ("mutation", "field"),
    [
        (('answer = "Шесть месяцев."', 'answer = "a & b"'), "answer"),
        (('id = "other"', 'id = "Bad Id!"'), "id"),
        (('phrasings = ["срок действия"]', "phrasings = []"), "phrasings"),
        (('keywords = ["срок"]', 'keywords = ["срок"]\nextra = 1'), "extra"),
    ],
)
def test_invalid_second_entry_points_into_its_table(
    tmp_path: Path, mutation: tuple[str, str], field: str
) -> None:
    second = GOOD_ENTRY.replace('"validity"', '"other"').replace(*mutation)
    text = GOOD_ENTRY + second
    path = tmp_path / "faq.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FaqContentError) as info:
        load_faq(path, "ru")
    second_header = [i for i, ln in enumerate(text.splitlines(), 1) if ln == "[[entry]]"][1]
    assert info.value.line is not None and info.value.line >= second_header
    assert "entry #2" in str(info.value)


def test_duplicate_id_names_the_line(tmp_path: Path) -> None:
    text = GOOD_ENTRY + GOOD_ENTRY
    path = tmp_path / "faq.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FaqContentError, match="duplicate") as info:
        load_faq(path, "ru")
    id_lines = [i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("id =")]
    assert info.value.line == id_lines[1]


def test_header_inside_multiline_string_is_not_counted(tmp_path: Path) -> None:
    text = GOOD_ENTRY.replace('"Шесть месяцев."', '"""Шесть\n[[entry]]\nмесяцев."""') + (
        GOOD_ENTRY.replace('"validity"', '"other"').replace(
            'title = "Сколько действует?"', 'title = ""'
        )
    )
    path = tmp_path / "faq.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FaqContentError) as info:
        load_faq(path, "ru")
    assert info.value.line is not None
    assert text.splitlines()[info.value.line - 1] == 'title = ""'


def test_languages_must_have_same_ids(tmp_path: Path) -> None:
    for lang, entry in (("ru", GOOD_ENTRY), ("en", GOOD_ENTRY.replace('"validity"', '"other"'))):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "faq.toml").write_text(entry, encoding="utf-8")
    with pytest.raises(FaqContentError, match="differ"):
        load_all(tmp_path)


def test_model_rejects_bad_entry_directly() -> None:
    with pytest.raises(ValueError):
        FaqEntry(id="x1", title="t" * 61, answer="a", phrasings=("p",), keywords=("k",))


def test_real_files_are_plain_toml() -> None:
    for lang in ("ru", "en"):
        data = tomllib.loads((LOCALES / lang / "faq.toml").read_text(encoding="utf-8"))
        assert data["language"] == lang
