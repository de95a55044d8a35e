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
    ``2026-03-05``, surrounding spaces, and the words ``сегодня``/``вчера``/``позавчера``/
    ``today``/``yesterday`` (any case; relative to ``today``). ``max_year`` defaults to
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
    if len(raw_year) not in (2, 4) or not min_year <= year <= top:
        raise DateParseError(
            DateParseErrorCode.YEAR_OUT_OF_RANGE, text, min_year=min_year, max_year=top, **parts
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError(DateParseErrorCode.IMPOSSIBLE_DATE, text, **parts) from None


def format_date(d: date) -> str:
    """``DD.MM.YYYY`` — the one display format, in every language."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"
