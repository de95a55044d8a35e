"""Callback data of every inline button (aiogram CallbackData: typed, prefixed, ≤ 64 bytes)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MenuAction(CallbackData, prefix="menu"):
    """A main-menu button: home, faq, check, cert, support, language."""

    action: str


class LanguageChoice(CallbackData, prefix="lang"):
    code: str


class CheckAnswer(CallbackData, prefix="ck"):
    """An answer button of the /check conversation: `step` is a CheckFlow state name."""

    step: str
    value: str


class CheckNav(CallbackData, prefix="ckn"):
    """/check navigation: back (from `step`), cancel, again (restart)."""

    action: str
    step: str = ""


class GuideAction(CallbackData, prefix="gd"):
    """The Госуслуги guide: done / missing ("I don't see this") / back / show / cancel at `step`."""

    action: str
    step: int
