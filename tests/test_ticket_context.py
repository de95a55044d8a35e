"""The context staff see in a ticket: the citizen's last interaction in words, never raw codes."""

from __future__ import annotations

from bot.i18n import I18n
from bot.tickets import readable_code


def test_several_reasons_are_each_translated() -> None:
    t = I18n(strict=True).get("en")
    text = readable_code("check:not_eligible:has_vaccination_qr,not_igg,result_too_old", t)
    assert text == (
        "eligibility check → not eligible → has a vaccination QR, not an IgG test, result too old"
    )


def test_a_pcr_answer_is_translated() -> None:
    t = I18n(strict=True).get("ru")
    assert readable_code("check:pcr", t).endswith("ПЦР-тест, не антитела")
