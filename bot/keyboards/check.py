"""Keyboards of the /check conversation: answers + back/cancel, the verdict, the PCR answer.

The markups are built once per (translator, step) and shared: never mutate them.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CheckAnswer, CheckNav, MenuAction
from bot.i18n import Translator

#: The questions in the order they are asked (CheckFlow state names).
STEP_ORDER: tuple[str, ...] = (
    "test",
    "measure",
    "result",
    "date",
    "accredited",
    "epgu",
    "vaccination",
    "recovery",
    "issued",
)

#: Answer buttons per step; the date step is typed, so it has none.
STEP_OPTIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "test": ("igg", "igm", "total", "unknown", "pcr"),
        "measure": ("qualitative", "quantitative", "unknown"),
        "result": ("positive", "negative", "unknown"),
        "date": (),
        "accredited": ("yes", "no", "unknown"),
        "epgu": ("yes", "no", "unknown"),
        "vaccination": ("yes", "no"),
        "recovery": ("yes", "no"),
        "issued": ("yes", "no"),
    }
)

#: How many answer buttons share a row, per step.
_ROW_WIDTH = MappingProxyType({"test": 3, "measure": 2, "result": 2})


def _button(text: str, data: CheckAnswer | CheckNav | MenuAction) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def nav_row(t: Translator, step: str) -> list[InlineKeyboardButton]:
    return [
        _button(t("button-back"), CheckNav(action="back", step=step)),
        _button(t("button-cancel"), CheckNav(action="cancel", step=step)),
    ]


@lru_cache(maxsize=256)
def question_keyboard(t: Translator, step: str) -> InlineKeyboardMarkup:
    options = STEP_OPTIONS[step]
    width = _ROW_WIDTH.get(step, 3)
    rows: list[list[InlineKeyboardButton]] = []
    for value in options:
        button = _button(t(f"check-{step}-{value}"), CheckAnswer(step=step, value=value))
        if rows and len(rows[-1]) < width and value not in ("unknown", "pcr"):
            rows[-1].append(button)
        else:
            rows.append([button])
    rows.append(nav_row(t, step))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def again_and_menu(t: Translator) -> list[list[InlineKeyboardButton]]:
    return [
        [_button(t("check-button-again"), CheckNav(action="again"))],
        [_button(t("button-menu"), MenuAction(action="home"))],
    ]


@lru_cache(maxsize=256)
def verdict_keyboard(t: Translator, *, eligible: bool) -> InlineKeyboardMarkup:
    rows = again_and_menu(t)
    if eligible:
        rows.insert(0, [_button(t("check-button-guide"), MenuAction(action="guide"))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@lru_cache(maxsize=256)
def restart_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=again_and_menu(t))
