"""Masks personal data in free text that is kept for review (questions the FAQ could not answer).

People type their SNILS, phone or e-mail into a question; none of it is needed to improve the FAQ,
so it never reaches the database. Any notation counts: digits in groups separated by spaces,
hyphens and dashes, dots, slashes or underscores; fullwidth digits and ``＠`` (the text is
NFKC-normalised first); e-mails written with ``(at)``, ``[at]``, `` at `` or «собака».
"""

from __future__ import annotations

import re
import unicodedata

# what people put between groups of digits: spaces, hyphens and dashes, dots, slashes, underscores
_SEP = r"[\s\-\u2010-\u2015\u2212._/\\]{0,3}"
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|собака)\s*[)\]}>]\s*|\s+(?:at|собака)\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[{<]\s*(?:dot|точка)\s*[)\]}>]\s*|\s+(?:dot|точка)\s+)"
_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+", re.IGNORECASE)
_SNILS = re.compile(rf"(?<!\d)\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{2}}(?!\d)")
_PHONE = re.compile(
    rf"(?<![\w])(?:\+?\s*7|8)?{_SEP}\(?{_SEP}\d{{3}}{_SEP}\)?{_SEP}\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{2}}(?!\d)"
)
_LONG_NUMBER = re.compile(r"\d(?:[\s\-\u2010-\u2015\u2212._/\\]?\d){4,}")
_DATE = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)")

PLACEHOLDERS = {"email": "[email]", "snils": "[snils]", "phone": "[phone]", "number": "[number]"}


def mask_snils(text: str) -> str:
    """Only the SNILS masked (support posts: a phone stays, people leave it to be called back)."""
    return _SNILS.sub(PLACEHOLDERS["snils"], unicodedata.normalize("NFKC", text))


def mask_emails(text: str) -> str:
    """Only e-mails masked (logs: ids and numbers stay readable)."""
    return _EMAIL.sub(PLACEHOLDERS["email"], unicodedata.normalize("NFKC", text))


def has_snils(text: str) -> bool:
    return _SNILS.search(unicodedata.normalize("NFKC", text)) is not None


def redact_personal_data(text: str) -> str:
    """The text with e-mails, SNILS- and phone-shaped and other long numbers masked (dates
    such as 05.03.2026 are kept: they are the test's date, not a person's number)."""
    text = unicodedata.normalize("NFKC", text)
    text = _EMAIL.sub(PLACEHOLDERS["email"], text)
    text = _SNILS.sub(PLACEHOLDERS["snils"], text)
    text = _PHONE.sub(PLACEHOLDERS["phone"], text)
    dates: list[str] = []

    def keep_date(match: re.Match[str]) -> str:
        dates.append(match.group(0))
        return f"\x00{len(dates) - 1}\x00"

    text = _DATE.sub(keep_date, text)
    text = _LONG_NUMBER.sub(PLACEHOLDERS["number"], text)
    return re.sub("\x00(\\d+)\x00", lambda m: dates[int(m.group(1))], text)
