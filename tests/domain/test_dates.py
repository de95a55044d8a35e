from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import MIN_YEAR, DateParseError, DateParseErrorCode, format_date, parse_user_date

E = DateParseErrorCode
TODAY = date(2026, 3, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.03.2026", date(2026, 3, 5)),
        ("5.3.26", date(2026, 3, 5)),
        ("5/3/2026", date(2026, 3, 5)),
        ("05-03-2026", date(2026, 3, 5)),
        ("2026-03-05", date(2026, 3, 5)),
        (" 5.3.2026 ", date(2026, 3, 5)),
        ("\t05.03.2026\n", date(2026, 3, 5)),
        ("5 . 3 . 2026", date(2026, 3, 5)),
        ("05.03.2026г.", date(2026, 3, 5)),
        ("05.03.2026 г", date(2026, 3, 5)),
        ("05.03.2026 года", date(2026, 3, 5)),
        ("05–03–2026", date(2026, 3, 5)),  # en dash from phone keyboards
        ("2026/3/5", date(2026, 3, 5)),
        ("2026.03.05", date(2026, 3, 5)),
        ("12.05.2025", date(2025, 5, 12)),  # day-first, never May 12th → December 5th
        ("01/02/25", date(2025, 2, 1)),
        ("29.02.2024", date(2024, 2, 29)),
        ("31.12.2020", date(2020, 12, 31)),
        ("1.1.27", date(2027, 1, 1)),  # max_year defaults to today.year + 1
        ("10.03.2026", date(2026, 3, 10)),  # future dates are the caller's business
        ("сегодня", TODAY),
        ("Сегодня", TODAY),
        ("СЕГОДНЯ ", TODAY),
        ("вчера", date(2026, 3, 4)),
        ("ВЧЕРА", date(2026, 3, 4)),
        ("позавчера", date(2026, 3, 3)),
        ("today", TODAY),
        ("TODAY", TODAY),
        ("yesterday", date(2026, 3, 4)),
        ("Yesterday", date(2026, 3, 4)),
        ("day before yesterday", date(2026, 3, 3)),
    ],
)
def test_parse_accepts(text: str, expected: date) -> None:
    assert parse_user_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("today", "word", "expected"),
    [
        (date(2026, 3, 1), "вчера", date(2026, 2, 28)),
        (date(2024, 3, 1), "вчера", date(2024, 2, 29)),
        (date(2026, 1, 1), "yesterday", date(2025, 12, 31)),
        (date(2026, 1, 2), "позавчера", date(2025, 12, 31)),
    ],
)
def test_relative_words_cross_boundaries(today: date, word: str, expected: date) -> None:
    assert parse_user_date(word, today) == expected


@pytest.mark.parametrize(
    ("text", "code", "day", "month", "year"),
    [
        ("", E.EMPTY, None, None, None),
        ("   ", E.EMPTY, None, None, None),
        ("abc", E.UNRECOGNIZED, None, None, None),
        ("завтра", E.UNRECOGNIZED, None, None, None),
        ("5 мартышек 2026", E.UNRECOGNIZED, None, None, None),  # month words: issue 15
        ("05.03-2026", E.UNRECOGNIZED, None, None, None),  # mixed separators
        ("05032026", E.UNRECOGNIZED, None, None, None),
        ("05.03.2026.", E.UNRECOGNIZED, None, None, None),
        ("١٢.٠٣.٢٠٢٦", E.UNRECOGNIZED, None, None, None),  # non-ASCII digits
        ("05.03", E.MISSING_YEAR, None, None, None),
        ("5/3", E.MISSING_YEAR, None, None, None),
        ("31.02.2026", E.IMPOSSIBLE_DATE, 31, 2, 2026),
        ("29.02.2025", E.IMPOSSIBLE_DATE, 29, 2, 2025),
        ("31.04.2026", E.IMPOSSIBLE_DATE, 31, 4, 2026),
        ("2026-02-30", E.IMPOSSIBLE_DATE, 30, 2, 2026),
        ("05.13.2026", E.MONTH_OUT_OF_RANGE, 5, 13, 2026),
        ("03/25/2026", E.MONTH_OUT_OF_RANGE, 3, 25, 2026),  # US month-first
        ("05.00.2026", E.MONTH_OUT_OF_RANGE, 5, 0, 2026),
        ("32.03.2026", E.DAY_OUT_OF_RANGE, 32, 3, 2026),
        ("00.03.2026", E.DAY_OUT_OF_RANGE, 0, 3, 2026),
        ("05.03.2019", E.YEAR_OUT_OF_RANGE, 5, 3, 2019),
        ("05.03.1986", E.YEAR_OUT_OF_RANGE, 5, 3, 1986),
        ("05.03.2028", E.YEAR_OUT_OF_RANGE, 5, 3, 2028),
        ("05.03.99", E.YEAR_OUT_OF_RANGE, 5, 3, 2099),  # two digits are always 20xx
        ("05.03.202", E.YEAR_OUT_OF_RANGE, 5, 3, 202),  # truncated year
        ("05.03.6", E.YEAR_OUT_OF_RANGE, 5, 3, 6),
    ],
)
def test_parse_errors(
    text: str, code: DateParseErrorCode, day: int | None, month: int | None, year: int | None
) -> None:
    with pytest.raises(DateParseError) as info:
        parse_user_date(text, TODAY)
    err = info.value
    assert err.code is code
    assert err.text == text
    assert (err.day, err.month, err.year) == (day, month, year)
    assert isinstance(err, ValueError)


def test_year_out_of_range_reports_bounds() -> None:
    with pytest.raises(DateParseError) as info:
        parse_user_date("05.03.2019", TODAY)
    assert (info.value.min_year, info.value.max_year) == (MIN_YEAR, 2027)


def test_impossible_date_reports_days_in_month() -> None:
    with pytest.raises(DateParseError) as info:
        parse_user_date("30.02.2024", TODAY)
    assert info.value.days_in_month == 29


def test_custom_year_range() -> None:
    assert parse_user_date("01.01.1990", TODAY, min_year=1900) == date(1990, 1, 1)
    with pytest.raises(DateParseError) as info:
        parse_user_date("01.01.2026", TODAY, max_year=2025)
    assert info.value.code is E.YEAR_OUT_OF_RANGE
    assert info.value.max_year == 2025


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2026, 3, 5), "05.03.2026"),
        (date(2026, 12, 31), "31.12.2026"),
        (date(2020, 1, 1), "01.01.2020"),
        (date(999, 1, 2), "02.01.0999"),
    ],
)
def test_format_date(d: date, text: str) -> None:
    assert format_date(d) == text


in_range = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(TODAY.year + 1, 12, 31))


@given(in_range)
def test_parse_format_round_trip(d: date) -> None:
    assert parse_user_date(format_date(d), TODAY) == d


@given(
    in_range,
    st.sampled_from([".", "/", "-"]),
    st.booleans(),
    st.booleans(),
    st.text(alphabet=" ", max_size=3),
)
def test_parse_variants(d: date, sep: str, pad: bool, short_year: bool, spaces: str) -> None:
    day = f"{d.day:02d}" if pad else str(d.day)
    month = f"{d.month:02d}" if pad else str(d.month)
    year = f"{d.year % 100:02d}" if short_year else str(d.year)
    assert parse_user_date(f"{spaces}{day}{sep}{month}{sep}{year}{spaces}", TODAY) == d
    assert parse_user_date(f"{d.year}{sep}{month}{sep}{day}", TODAY) == d


@given(st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31)))
def test_words_are_relative_to_today(today: date) -> None:
    assert parse_user_date("сегодня", today) == today
    assert (today - parse_user_date("вчера", today)).days == 1
    assert (today - parse_user_date("позавчера", today)).days == 2


@given(st.text(max_size=30))
def test_parse_only_raises_date_parse_error(text: str) -> None:
    try:
        result = parse_user_date(text, TODAY)
    except DateParseError as err:
        assert err.code in set(DateParseErrorCode)
    else:
        assert MIN_YEAR <= result.year <= TODAY.year + 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("20 ноября", date(2026, 11, 20)),
        ("20 нояб. 2026", date(2026, 11, 20)),
        ("20-го ноября 2026 г.", date(2026, 11, 20)),
        ("3 Марта 2026 года", date(2026, 3, 3)),
        ("20 November 2026", date(2026, 11, 20)),
        ("November 20, 2026", date(2026, 11, 20)),
        ("20 nov", date(2026, 11, 20)),
        ("1 мая", date(2026, 5, 1)),
        ("5 декабря", date(2025, 12, 5)),  # no year: the latest such day not after today
        ("29 февраля", date(2024, 2, 29)),
        ("28 ноября", date(2026, 11, 28)),
    ],
)
def test_month_in_words(typed: str, expected: date) -> None:
    """Issue 15: people write dates this way."""
    assert parse_user_date(typed, date(2026, 11, 28)) == expected


@pytest.mark.parametrize("typed", ["20 мартышек", "ноября", "32 ноября", "31 ноября 2026"])
def test_month_in_words_still_refuses_what_is_no_date(typed: str) -> None:
    with pytest.raises(DateParseError):
        parse_user_date(typed, date(2026, 11, 28))
