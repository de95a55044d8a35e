"""Keyboards of the Госуслуги guide."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import GuideAction, MenuAction
from bot.i18n import Translator

#: The memo's steps 2–6, one message each (keys guide-step-N / guide-missing-N).
GUIDE_STEPS = 5


def _button(text: str, data: GuideAction | MenuAction) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def step_keyboard(t: Translator, step: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("guide-button-done"), GuideAction(action="done", step=step))],
            [_button(t("guide-button-missing"), GuideAction(action="missing", step=step))],
            [
                _button(t("button-back"), GuideAction(action="back", step=step)),
                _button(t("button-cancel"), GuideAction(action="cancel", step=step)),
            ],
        ]
    )


def missing_keyboard(t: Translator, step: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("guide-button-support"), MenuAction(action="support"))],
            [
                _button(t("button-back"), GuideAction(action="show", step=step)),
                _button(t("button-menu"), MenuAction(action="home")),
            ],
        ]
    )


def finish_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t("guide-button-save"), MenuAction(action="cert_new"))],
            [_button(t("button-menu"), MenuAction(action="home"))],
        ]
    )
