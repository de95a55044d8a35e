"""Masks personal data in free text that is kept for review (questions the FAQ could not answer).

People type their SNILS, phone or e-mail into a question; none of it is needed to improve the FAQ,
so it never reaches the database.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SNILS = re.compile(r"(?<!\d)\d{3}[- ]?\d{3}[- ]?\d{3}[- ]?\d{2}(?!\d)")
_PHONE = re.compile(r"(?<![\w])(?:\+7|8|7)?[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)")
_LONG_NUMBER = re.compile(r"\d(?:[\s-]?\d){4,}")

PLACEHOLDERS = {"email": "[email]", "snils": "[snils]", "phone": "[phone]", "number": "[number]"}


def redact_personal_data(text: str) -> str:
    """The text with e-mails, SNILS- and phone-shaped and other long numbers masked."""
    text = _EMAIL.sub(PLACEHOLDERS["email"], text)
    text = _SNILS.sub(PLACEHOLDERS["snils"], text)
    text = _PHONE.sub(PLACEHOLDERS["phone"], text)
    return _LONG_NUMBER.sub(PLACEHOLDERS["number"], text)
