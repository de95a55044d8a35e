"""The verdict of /check as one HTML message: headline, every reason with its next steps, validity.

Kept apart from the router so it can be tested without Telegram (tests/bot/test_verdict_text.py).
"""

from __future__ import annotations

from datetime import date

from bot.i18n import Translator
from domain import NextStep, Outcome, Reason, Verdict, format_date
from domain.validity import expiry_date


def reason_key(reason: Reason) -> str:
    return f"check-reason-{reason.value.replace('_', '-')}"


def step_key(step: NextStep) -> str:
    return f"check-step-{step.value.replace('_', '-')}"


def outcome_key(outcome: Outcome) -> str:
    return f"check-verdict-{outcome.value.replace('_', '-')}"


def reason_text(t: Translator, reason: Reason, result_date: date) -> str:
    """One reason in plain words (some name the test date or when it ran out)."""
    return t(
        reason_key(reason),
        date=format_date(result_date),
        expires=format_date(expiry_date(result_date)),
    )


def render_verdict(t: Translator, verdict: Verdict, result_date: date, today: date) -> str:
    """Every reason (in plain words, numbered) with what to do about it, then the validity."""
    parts = [f"<b>{t(outcome_key(verdict.outcome))}</b>"]

    if verdict.reasons:
        lines: list[str] = []
        shown: set[NextStep] = set()  # one piece of advice once, under the first reason needing it
        for number, (reason, steps) in enumerate(verdict.advice, start=1):
            lines.append(f"{number}. {reason_text(t, reason, result_date)}")
            lines.extend(f"   → {t(step_key(step))}" for step in steps if step not in shown)
            shown.update(steps)
        parts.append("\n".join(lines))
        if any(not steps for _, steps in verdict.advice):
            parts.append(t("check-personal-note"))

    if verdict.outcome is Outcome.ELIGIBLE:
        parts.append(t(step_key(NextStep.GENERATE_CERTIFICATE_ON_EPGU)))

    if verdict.validity is not None:
        key = "check-valid-until" if verdict.eligible else "check-valid-until-if"
        parts.append(
            t(
                key,
                expires=format_date(verdict.validity.expires_on),
                days=verdict.validity.days_left(today),
            )
        )
    return "\n\n".join(parts)
