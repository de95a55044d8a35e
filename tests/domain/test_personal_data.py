import pytest

from domain.personal_data import redact_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("мой снилс 112-233-445 95 подойдет?", "мой снилс [snils] подойдет?"),
        ("снилс 11223344595", "снилс [snils]"),
        ("звоните +7 (927) 123-45-67", "звоните [phone]"),
        ("пишите anna.petrova@mail.ru", "пишите [email]"),
        ("номер полиса 1234 5678 9012", "номер полиса [number]"),
        ("антитела igg 6 месяцев с 2025 года", "антитела igg 6 месяцев с 2025 года"),
        ("результат от 05.03.2026", "результат от 05.03.2026"),
    ],
)
def test_personal_data_is_masked_and_the_question_kept(text: str, expected: str) -> None:
    assert redact_personal_data(text) == expected


def test_an_eleven_digit_number_is_masked_whatever_it_is() -> None:
    # 8 927 123 45 67 is a phone and SNILS-shaped at once: masked either way.
    assert redact_personal_data("тел 89271234567") in {"тел [phone]", "тел [snils]"}


# issue 12, point 2: each of these was kept verbatim before
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("снилс 112.233.445.95", "[snils]"),
        ("снилс 112/233/445/95", "[snils]"),
        ("снилс 112_233_445_95", "[snils]"),
        ("снилс 112 — 233 — 445 — 95", "[snils]"),
        ("снилс １１２-２３３-４４５ ９５", "[snils]"),
        ("снилс 112‐233‐445–95", "[snils]"),
        ("телефон 912.345.67.89", "[phone]"),
        ("телефон +7.912.345.67.89", "[phone]"),
        ("телефон 8/912/345/67/89", "[phone]"),
        ("почта ivan.petrov＠mail.ru", "[email]"),
        ("почта ivan.petrov (at) mail.ru", "[email]"),
        ("почта ivan.petrov [at] mail [dot] ru", "[email]"),
        ("почта ivan.petrov собака mail точка ru", "[email]"),
    ],
)
def test_every_notation_is_masked(text: str, kind: str) -> None:
    masked = redact_personal_data(text)
    assert kind in masked
    assert not any(ch.isdigit() for ch in masked.split(" ", 1)[1].replace(kind, ""))
    assert "ivan" not in masked and "petrov" not in masked
