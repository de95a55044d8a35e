"""The /check verdict and every text of /check and the guide, without Telegram (strict Fluent)."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest
from fluent.syntax import FluentParser, ast

from bot.callbacks import CheckAnswer, CheckNav, GuideAction
from bot.i18n import LOCALES_DIR, I18n, Translator
from bot.keyboards.check import STEP_OPTIONS, STEP_ORDER, question_keyboard, verdict_keyboard
from bot.keyboards.guide import GUIDE_STEPS, finish_keyboard, missing_keyboard, step_keyboard
from bot.routers.check import _date_error, answers_to_domain
from bot.text_limits import MAX_TEXT as MAX_MESSAGE_LENGTH
from bot.verdict import (
    outcome_key,
    reason_key,
    reason_text,
    render_verdict,
    step_key,
)
from domain import (
    NEXT_STEPS,
    DateParseError,
    DateParseErrorCode,
    NextStep,
    Outcome,
    Reason,
    Validity,
    Verdict,
    check_eligibility,
    parse_user_date,
)

TODAY = date(2026, 3, 10)
LANGUAGES = ("ru", "en")


@pytest.fixture(scope="module")
def hub() -> I18n:
    return I18n(strict=True)


@pytest.fixture(params=LANGUAGES)
def t(request: pytest.FixtureRequest, hub: I18n) -> Translator:
    return hub.get(request.param)


def _verdict_alone(reason: Reason, result_date: date) -> Verdict:
    """A verdict with exactly one reason (as check_eligibility would build it)."""
    return Verdict(
        outcome=Outcome.UNCERTAIN if reason.is_soft else Outcome.NOT_ELIGIBLE,
        reasons=(reason,),
        next_steps=NEXT_STEPS[reason],
        validity=Validity.from_test_date(result_date) if reason.is_soft else None,
    )


@pytest.mark.parametrize("reason", list(Reason))
def test_each_reason_alone_has_text_and_next_steps(t: Translator, reason: Reason) -> None:
    result_date = TODAY - timedelta(days=10)
    text = render_verdict(t, _verdict_alone(reason, result_date), result_date, TODAY)
    assert t(outcome_key(Outcome.UNCERTAIN if reason.is_soft else Outcome.NOT_ELIGIBLE)) in text
    assert f"1. {reason_text(t, reason, result_date)}" in text
    for step in NEXT_STEPS[reason]:
        assert t(step_key(step)) in text
    assert "check-" not in text  # no key leaked as text
    valid_if = t("check-valid-until-if", expires="28.08.2026", days=171)
    assert (valid_if in text) is reason.is_soft  # "if confirmed, valid until" only when soft


def test_reason_texts_name_the_dates(t: Translator) -> None:
    old = date(2025, 1, 15)
    text = render_verdict(t, _verdict_alone(Reason.RESULT_TOO_OLD, old), old, TODAY)
    assert "15.01.2025" in text and "15.07.2025" in text
    future = date(2026, 4, 1)
    text = render_verdict(t, _verdict_alone(Reason.RESULT_IN_FUTURE, future), future, TODAY)
    assert "01.04.2026" in text


def test_eligible_has_next_step_and_validity(hub: I18n) -> None:
    data = _answers()
    test, history = answers_to_domain(data)
    verdict = check_eligibility(test, history, TODAY)
    assert verdict.eligible
    ru = render_verdict(hub.get("ru"), verdict, test.result_date, TODAY)
    en = render_verdict(hub.get("en"), verdict, test.result_date, TODAY)
    assert ru.startswith("<b>✅")
    assert "до 01.09.2026, осталось 175 дней" in ru
    assert "until 01.09.2026, 175 days left" in en
    assert "Сформировать сертификат" in ru


@pytest.mark.parametrize(
    ("days", "ru", "en"),
    [
        (1, "остался 1 день", "1 day left"),
        (2, "осталось 2 дня", "2 days left"),
        (5, "осталось 5 дней", "5 days left"),
        (21, "остался 21 день", "21 days left"),
        (22, "осталось 22 дня", "22 days left"),
        (111, "осталось 111 дней", "111 days left"),
    ],
)
def test_days_left_plurals(hub: I18n, days: int, ru: str, en: str) -> None:
    assert ru in hub.get("ru")("check-valid-until", expires="01.01.2026", days=days)
    assert en in hub.get("en")("check-valid-until", expires="01.01.2026", days=days)


def test_several_reasons_at_once_each_with_its_step(t: Translator) -> None:
    data = _answers(test="igm", result="negative", date="2025-01-01", accredited="no", epgu="no")
    test, history = answers_to_domain(data)
    verdict = check_eligibility(test, history, TODAY)
    assert set(verdict.reasons) == {
        Reason.NOT_IGG,
        Reason.NOT_POSITIVE,
        Reason.RESULT_TOO_OLD,
        Reason.LAB_NOT_ACCREDITED,
        Reason.LAB_NOT_SENDING_TO_EPGU,
    }
    text = render_verdict(t, verdict, test.result_date, TODAY)
    for number in range(1, 6):
        assert f"\n{number}. " in text
    # the same advice for several reasons is given once
    assert text.count(t(step_key(NextStep.RETEST_IGG_IN_ACCREDITED_LAB))) == 1
    assert t(step_key(NextStep.POSITIVE_RESULT_NEEDED)) in text
    # no QR code was answered: no advice about extending one (issue 15)
    assert t(step_key(NextStep.VACCINATE_OR_PCR)) not in text


def test_personal_reasons_silence_test_steps(t: Translator) -> None:
    data = _answers(test="igm", vaccination="yes", recovery="yes", issued="yes")
    test, history = answers_to_domain(data)
    verdict = check_eligibility(test, history, TODAY)
    text = render_verdict(t, verdict, test.result_date, TODAY)
    assert t(step_key(NextStep.RETEST_IGG_IN_ACCREDITED_LAB)) not in text
    assert text.count(t(step_key(NextStep.VACCINATE_OR_PCR))) == 1
    assert t("check-personal-note") in text
    for reason in verdict.reasons:
        assert reason_text(t, reason, test.result_date) in text


def _answers(**overrides: str) -> dict[str, str]:
    data = {
        "test": "igg",
        "measure": "quantitative",
        "result": "positive",
        "date": "2026-03-01",
        "accredited": "yes",
        "epgu": "yes",
        "vaccination": "no",
        "recovery": "no",
        "issued": "no",
    }
    data.update(overrides)
    return data


def test_every_answer_combination_renders_within_telegram_limit(hub: I18n) -> None:
    """All 2 × 3^... combinations of answers: every reason shown, never over 4096 chars."""
    dates = ("2026-03-01", "2026-05-01", "2025-01-01")
    choices = [
        [o for o in STEP_OPTIONS[step] if o != "pcr"] if step != "date" else list(dates)
        for step in STEP_ORDER
    ]
    longest = 0
    for combo in itertools.product(*choices):
        test, history = answers_to_domain(dict(zip(STEP_ORDER, combo, strict=True)))
        verdict = check_eligibility(test, history, TODAY)
        for language in LANGUAGES:
            t = hub.get(language)
            text = render_verdict(t, verdict, test.result_date, TODAY)
            longest = max(longest, len(text))
            assert len(text) <= MAX_MESSAGE_LENGTH
            for reason in verdict.reasons:
                assert reason_text(t, reason, test.result_date) in text
    assert longest > 500


@pytest.mark.parametrize(
    ("typed", "code", "ru_fragment", "en_fragment"),
    [
        (
            "31.02.2026",
            DateParseErrorCode.IMPOSSIBLE_DATE,
            "«31.02.2026»: в феврале 2026 года 28 дней.",
            "“31.02.2026”: February 2026 has 28 days.",
        ),
        (
            "29.02.2025",
            DateParseErrorCode.IMPOSSIBLE_DATE,
            "в феврале 2025 года 28 дней",
            "February 2025 has 28 days",
        ),
        (
            "31.04.2026",
            DateParseErrorCode.IMPOSSIBLE_DATE,
            "в апреле 2026 года 30 дней",
            "April 2026 has 30 days",
        ),
        ("abc", DateParseErrorCode.UNRECOGNIZED, "«abc» — не похоже на дату", "doesn't look like"),
        ("   ", DateParseErrorCode.EMPTY, "не написали дату", "didn't type a date"),
        ("05.03", DateParseErrorCode.MISSING_YEAR, "не хватает года", "year is missing"),
        ("05.13.2026", DateParseErrorCode.MONTH_OUT_OF_RANGE, "месяца 13 не бывает", "no month 13"),
        ("32.03.2026", DateParseErrorCode.DAY_OUT_OF_RANGE, "дня 32 не бывает", "no day 32"),
        ("05.03.2019", DateParseErrorCode.YEAR_OUT_OF_RANGE, "от 2020 до 2027", "2020 to 2027"),
        ("5.3.202", DateParseErrorCode.YEAR_OUT_OF_RANGE, "от 2020 до 2027", "2020 to 2027"),
        ("<b>1.1</b>", DateParseErrorCode.UNRECOGNIZED, "«&lt;b&gt;1.1&lt;/b&gt;»", "&lt;b&gt;"),
    ],
)
def test_every_date_error_has_its_own_message(
    hub: I18n, typed: str, code: DateParseErrorCode, ru_fragment: str, en_fragment: str
) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_user_date(typed, TODAY)
    assert caught.value.code is code
    assert ru_fragment in _date_error(hub.get("ru"), caught.value)
    assert en_fragment in _date_error(hub.get("en"), caught.value)


def test_every_date_error_code_is_translated(hub: I18n) -> None:
    for language in LANGUAGES:
        for code in DateParseErrorCode:
            assert hub.get(language).has(f"check-date-error-{code.value.replace('_', '-')}")


def test_every_key_the_code_uses_exists(hub: I18n) -> None:
    for language in LANGUAGES:
        t = hub.get(language)
        for step in STEP_ORDER:
            t(f"check-q-{step}")
            question_keyboard(t, step)
        for outcome in Outcome:
            t(outcome_key(outcome))
        for step in NextStep:
            t(step_key(step))
        for reason in Reason:
            t(reason_key(reason), date="01.01.2026", expires="01.07.2026")
        for eligible in (True, False):
            verdict_keyboard(t, eligible=eligible)
        for n in range(1, GUIDE_STEPS + 1):
            t(f"guide-step-{n}")
            t(f"guide-missing-{n}")
            step_keyboard(t, n)
            missing_keyboard(t, n)
        finish_keyboard(t)
        for key in (
            "check-intro",
            "check-pcr",
            "check-stale",
            "check-cancelled",
            "check-lost",
            "check-use-buttons",
            "check-date-need-text",
            "guide-intro",
            "guide-cancelled",
            "guide-finish",
        ):
            t(key)
        t("check-issued-hint", date="01.09.2026")


def _keys(path: str) -> set[str]:
    resource = FluentParser().parse((LOCALES_DIR / path).read_text(encoding="utf-8"))
    return {entry.id.name for entry in resource.body if isinstance(entry, ast.Message)}


@pytest.mark.parametrize("name", ["check.ftl", "guide.ftl"])
def test_russian_and_english_have_the_same_keys(name: str) -> None:
    assert _keys(f"ru/{name}") == _keys(f"en/{name}")


def test_callback_data_fits_telegram_limit() -> None:
    longest = [
        CheckAnswer(step=max(STEP_ORDER, key=len), value="quantitative").pack(),
        CheckNav(action="cancel", step=max(STEP_ORDER, key=len)).pack(),
        GuideAction(action="missing", step=GUIDE_STEPS).pack(),
    ]
    for data in longest:
        assert len(data.encode()) <= 64


def test_dates_are_day_first_in_both_languages(hub: I18n) -> None:
    for language in LANGUAGES:
        text = hub.get(language)("check-date-accepted", date="05.03.2026")
        assert re.search(r"05\.03\.2026", text)
