"""Dates typed by people (day-first, Russian habits) and how we show them."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "MIN_YEAR",
    "DateParseError",
    "DateParseErrorCode",
    "format_date",
    "parse_user_date",
]

#: Default lower bound for years (COVID-19 antibody tests do not predate 2020).
MIN_YEAR = 2020


class DateParseErrorCode(StrEnum):
    EMPTY = "empty"
    UNRECOGNIZED = "unrecognized"
    MISSING_YEAR = "missing_year"  # "05.03"
    MONTH_OUT_OF_RANGE = "month_out_of_range"  # "05.13.2026"
    DAY_OUT_OF_RANGE = "day_out_of_range"  # "32.03.2026", "00.03.2026"
    YEAR_OUT_OF_RANGE = "year_out_of_range"  # outside [min_year, max_year]; also "5.3.202"
    IMPOSSIBLE_DATE = "impossible_date"  # "31.02.2026", "29.02.2025"


class DateParseError(ValueError):
    """Why ``text`` is not a date. Parts that were recognised are kept for the message."""

    def __init__(
        self,
        code: DateParseErrorCode,
        text: str,
        *,
        day: int | None = None,
        month: int | None = None,
        year: int | None = None,
        min_year: int | None = None,
        max_year: int | None = None,
    ) -> None:
        super().__init__(f"{code.value}: {text!r}")
        self.code = code
        self.text = text
        self.day = day
        self.month = month
        self.year = year
        self.min_year = min_year
        self.max_year = max_year

    @property
    def days_in_month(self) -> int | None:
        """For IMPOSSIBLE_DATE: how many days that month has in that year."""
        if self.month is None or self.year is None or not 1 <= self.month <= 12:
            return None
        if not 1 <= self.year <= 9999:
            return None
        return calendar.monthrange(self.year, self.month)[1]


_WORDS: MappingProxyType[str, int] = MappingProxyType(
    {
        "сегодня": 0,
        "today": 0,
        "вчера": 1,
        "yesterday": 1,
        "позавчера": 2,
        "day before yesterday": 2,
    }
)

_SEP = r"\s*[./-]\s*"
# Day-first: D.M.YY or D.M.YYYY (same separator both times), optional "г." / "года".
_DMY = re.compile(
    r"(?P<d>[0-9]{1,2})\s*(?P<s>[./-])\s*(?P<m>[0-9]{1,2})\s*(?P=s)\s*(?P<y>[0-9]{1,4})"
    r"(?:\s*(?:г\.?|года))?",
    re.ASCII | re.IGNORECASE,
)
# ISO-like year-first: YYYY-MM-DD (also with "." or "/").
_YMD = re.compile(
    r"(?P<y>[0-9]{4})\s*(?P<s>[./-])\s*(?P<m>[0-9]{1,2})\s*(?P=s)\s*(?P<d>[0-9]{1,2})",
    re.ASCII,
)
_DM = re.compile(r"[0-9]{1,2}" + _SEP + r"[0-9]{1,2}\.?", re.ASCII)
# Month names and their usual short forms, Russian (any case ending) and English.
_MONTH_WORD = (
    r"(?:январ[ьяе]|янв|феврал[ьяе]|фев|марта?|мар|апрел[ьяе]|апр|ма[йяе]|июн[ьяе]|июн|"
    r"июл[ьяе]|июл|августа?|авг|сентябр[ьяе]|сент?|октябр[ьяе]|окт|ноябр[ьяе]|нояб?|"
    r"декабр[ьяе]|дек|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR_TAIL = r"(?:\s*,?\s*(?P<y>[0-9]{4}|[0-9]{2}))?(?:\s*(?:г\.?|года|year))?"
# "20 ноября", "20-го нояб. 2026 г.", "20 November 2026"
_D_MONTH = re.compile(
    r"(?P<d>[0-9]{1,2})(?:\s*-?\s*(?:го|е|ое|st|nd|rd|th))?\s+(?:of\s+)?(?P<mon>"
    + _MONTH_WORD
    + r")\.?"
    + _YEAR_TAIL,
    re.IGNORECASE,
)
# "November 20, 2026"
_MONTH_D = re.compile(
    r"(?P<mon>" + _MONTH_WORD + r")\.?\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?" + _YEAR_TAIL,
    re.IGNORECASE,
)
_MONTH_PREFIXES = (
    ("янв", 1),
    ("фев", 2),
    ("мар", 3),
    ("апр", 4),
    ("ма", 5),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("окт", 10),
    ("ноя", 11),
    ("дек", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
)


def _month_number(word: str) -> int:
    word = word.casefold()
    return next(number for prefix, number in _MONTH_PREFIXES if word.startswith(prefix))


_DASHES = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
)


def parse_user_date(
    text: str,
    today: date,
    *,
    min_year: int = MIN_YEAR,
    max_year: int | None = None,
) -> date:
    """Parse a date typed by a person; day-first always.

    Accepts ``05.03.2026``, ``5.3.26`` (→ 2026), ``5/3/2026``, ``05-03-2026``,
    ``2026-03-05``, surrounding spaces, the words ``сегодня``/``вчера``/``позавчера``/
    ``today``/``yesterday`` (any case; relative to ``today``), and the month in words:
    ``20 ноября 2026``, ``20 нояб.``, ``20 November 2026``, ``November 20, 2026`` (without a
    year: the latest such day not after ``today``). ``max_year`` defaults to
    ``today.year + 1``. Future dates inside the year range are returned as-is (checking
    them is the caller's business). Raises :class:`DateParseError`.
    """
    top = today.year + 1 if max_year is None else max_year
    cleaned = " ".join(text.translate(_DASHES).split())
    if not cleaned:
        raise DateParseError(DateParseErrorCode.EMPTY, text)

    offset = _WORDS.get(cleaned.casefold())
    if offset is not None:
        return today - timedelta(days=offset)

    named = _D_MONTH.fullmatch(cleaned) or _MONTH_D.fullmatch(cleaned)
    if named is not None:
        return _named_month_date(named, text, today, min_year, top)

    ymd = _YMD.fullmatch(cleaned)
    match = ymd or _DMY.fullmatch(cleaned)
    if match is None:
        code = (
            DateParseErrorCode.MISSING_YEAR
            if _DM.fullmatch(cleaned)
            else DateParseErrorCode.UNRECOGNIZED
        )
        raise DateParseError(code, text)

    day, month = int(match["d"]), int(match["m"])
    raw_year = match["y"]
    year = int(raw_year)
    if len(raw_year) == 2:
        year += 2000
    parts = {"day": day, "month": month, "year": year}

    if not 1 <= month <= 12:
        raise DateParseError(DateParseErrorCode.MONTH_OUT_OF_RANGE, text, **parts)
    if not 1 <= day <= 31:
        raise DateParseError(DateParseErrorCode.DAY_OUT_OF_RANGE, text, **parts)
    return _checked_date(day, month, year, text, min_year, top, year_ok=len(raw_year) in (2, 4))


def _checked_date(
    day: int, month: int, year: int, text: str, min_year: int, top: int, *, year_ok: bool = True
) -> date:
    """The date, or why not: a year outside [min_year, top], or a day the month lacks."""
    parts = {"day": day, "month": month, "year": year}
    if not year_ok or not min_year <= year <= top:
        raise DateParseError(
            DateParseErrorCode.YEAR_OUT_OF_RANGE, text, min_year=min_year, max_year=top, **parts
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError(DateParseErrorCode.IMPOSSIBLE_DATE, text, **parts) from None


def _named_month_date(
    match: re.Match[str], text: str, today: date, min_year: int, top: int
) -> date:
    """A date with the month in words; without a year, the latest such day not after today."""
    day, month = int(match["d"]), _month_number(match["mon"])
    if not 1 <= day <= 31:
        raise DateParseError(DateParseErrorCode.DAY_OUT_OF_RANGE, text, day=day, month=month)
    raw_year = match["y"]
    if raw_year is None:
        for year in (today.year, today.year - 1, today.year - 2, today.year - 3, today.year - 4):
            try:
                candidate = date(year, month, day)
            except ValueError:  # 29 February: the latest leap year
                continue
            if candidate <= today:
                return candidate
        raise DateParseError(
            DateParseErrorCode.IMPOSSIBLE_DATE, text, day=day, month=month, year=today.year
        )
    year = int(raw_year) + (2000 if len(raw_year) == 2 else 0)
    return _checked_date(day, month, year, text, min_year, top)


def format_date(d: date) -> str:
    """``DD.MM.YYYY`` — the one display format, in every language."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"
