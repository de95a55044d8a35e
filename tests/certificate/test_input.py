"""Pure checks of what a citizen types while saving a certificate."""

from __future__ import annotations

import re

import pytest

from domain.certificate_input import (
    DEEP_LINK_RE,
    HolderNameError,
    HolderNameErrorCode,
    LinkError,
    LinkErrorCode,
    clean_holder_name,
    deep_link_payload,
    initials,
    validate_official_link,
)
from storage.certificates import new_certificate_token

VERIFY = "https://www.gosuslugi.ru/covid-cert/verify/9160000012345678?lang=ru&ck=0a1b2c3d4e5f"
STATUS = "https://gosuslugi.ru/covid-cert/status/6f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8?lang=en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VERIFY, VERIFY),
        (STATUS, STATUS),
        (f"  {VERIFY}\n", VERIFY),
        (
            "https://WWW.GosUslugi.RU/covid-cert/verify/123",
            "https://www.gosuslugi.ru/covid-cert/verify/123",
        ),
        (
            "HTTPS://gosuslugi.ru/covid-cert/status/abc",
            "https://gosuslugi.ru/covid-cert/status/abc",
        ),
        (
            "https://www.gosuslugi.ru/covid-cert/verify/123/",
            "https://www.gosuslugi.ru/covid-cert/verify/123/",
        ),
    ],
)
def test_official_links_accepted(text: str, expected: str) -> None:
    assert validate_official_link(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", LinkErrorCode.NOT_A_LINK),
        ("привет", LinkErrorCode.NOT_A_LINK),
        ("www.gosuslugi.ru/covid-cert/verify/1", LinkErrorCode.NOT_HTTPS),
        ("gosuslugi.ru/covid-cert/verify/1", LinkErrorCode.NOT_HTTPS),
        ("https://www.gosuslugi.ru/covid-cert/verify/1 2", LinkErrorCode.NOT_A_LINK),
        ("http://www.gosuslugi.ru/covid-cert/verify/1", LinkErrorCode.NOT_HTTPS),
        ("ftp://www.gosuslugi.ru/covid-cert/verify/1", LinkErrorCode.NOT_HTTPS),
        ("javascript:alert(1)", LinkErrorCode.NOT_A_LINK),
        ("https://evil.example/covid-cert/verify/1", LinkErrorCode.NOT_GOSUSLUGI),
        ("https://gosuslugi.ru.evil.example/covid-cert/verify/1", LinkErrorCode.NOT_GOSUSLUGI),
        ("https://evilgosuslugi.ru/covid-cert/verify/1", LinkErrorCode.NOT_GOSUSLUGI),
        ("https://lk.gosuslugi.ru/covid-cert/verify/1", LinkErrorCode.NOT_GOSUSLUGI),
        ("https://www.gosuslugi.ru@evil.example/covid-cert/verify/1", LinkErrorCode.NOT_GOSUSLUGI),
        ("https://user:pw@www.gosuslugi.ru/covid-cert/verify/1", LinkErrorCode.NOT_GOSUSLUGI),
        ("https://www.gosuslugi.ru:8443/covid-cert/verify/1", LinkErrorCode.NOT_GOSUSLUGI),
        ("https://www.gosuslugi.ru:x/covid-cert/verify/1", LinkErrorCode.NOT_A_LINK),
        ("https://www.gosuslugi.ru/", LinkErrorCode.NOT_COVID_CERT),
        ("https://www.gosuslugi.ru/help/faq", LinkErrorCode.NOT_COVID_CERT),
        ("https://www.gosuslugi.ru/covid-cert/", LinkErrorCode.NOT_COVID_CERT),
        ("https://www.gosuslugi.ru/covid-cert", LinkErrorCode.NOT_COVID_CERT),
        ("https://www.gosuslugi.ru/covid-cert/../login", LinkErrorCode.NOT_COVID_CERT),
        ("https://www.gosuslugi.ru/covid-cert//x", LinkErrorCode.NOT_COVID_CERT),
        ("https://www.gosuslugi.ru/covid-cert/verify/1#frag", LinkErrorCode.NOT_COVID_CERT),
        ("https://www.gosuslugi.ru/covid-cert/verify/1?a=<b>", LinkErrorCode.NOT_COVID_CERT),
        ("https://www.gosuslugi.ru/covid-cert/verify/1\u202e", LinkErrorCode.NOT_A_LINK),
        ("https://www.gosuslugi.ru/covid-cert/verify/" + "1" * 600, LinkErrorCode.TOO_LONG),
    ],
)
def test_other_links_refused_with_a_reason(text: str, code: LinkErrorCode) -> None:
    with pytest.raises(LinkError) as caught:
        validate_official_link(text)
    assert caught.value.code is code


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Анна Петрова", "А. П."),
        ("анна петровна иванова", "А. П. И."),
        ("  John   Smith ", "J. S."),
        ("Анна-Мария Петрова", "А. П."),
        ("«Анна» Петрова", "А. П."),
        ("Ёлкин", "Ё."),
        ("<b>x</b> & y", "B. Y."),
        ("123", ""),
        ("", ""),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_holder_name_trimmed_and_collapsed() -> None:
    assert clean_holder_name("  Анна   Петрова ") == "Анна Петрова"
    assert clean_holder_name("<b>Ann</b> & Co") == "<b>Ann</b> & Co"  # escaped where shown
    assert clean_holder_name("Я" * 64) == "Я" * 64


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", HolderNameErrorCode.EMPTY),
        ("   ", HolderNameErrorCode.EMPTY),
        ("Я" * 65, HolderNameErrorCode.TOO_LONG),
        ("Анна\nПетрова", HolderNameErrorCode.CONTROL_CHARACTERS),
        ("Анна\tПетрова", HolderNameErrorCode.CONTROL_CHARACTERS),
        ("Анна\x00", HolderNameErrorCode.CONTROL_CHARACTERS),
        ("Анна\u202eавортеП", HolderNameErrorCode.CONTROL_CHARACTERS),
        ("Анна\u200b", HolderNameErrorCode.CONTROL_CHARACTERS),
        # issue 12, point 2: a SNILS, a phone or an e-mail would be printed on the card
        ("Иванов 112-233-445 95 +79123456789", HolderNameErrorCode.NOT_A_NAME),
        ("Иванов １１２", HolderNameErrorCode.NOT_A_NAME),
        ("ivan＠mail.ru", HolderNameErrorCode.NOT_A_NAME),
    ],
)
def test_bad_holder_names(text: str, code: HolderNameErrorCode) -> None:
    with pytest.raises(HolderNameError) as caught:
        clean_holder_name(text)
    assert caught.value.code is code


def test_tokens_make_valid_deep_links() -> None:
    tokens = {new_certificate_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        payload = deep_link_payload(token)
        assert len(payload) <= 64
        assert re.fullmatch(DEEP_LINK_RE, payload)
        assert re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    with pytest.raises(ValueError):
        deep_link_payload("not ok!")
