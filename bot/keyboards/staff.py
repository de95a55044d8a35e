"""Inline keyboards of the staff side: the broadcast's preview and its progress panel."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import BroadcastAction, BroadcastStep
from bot.i18n import Translator


def broadcast_preview_keyboard(source: int, t: Translator) -> InlineKeyboardMarkup:
    row = [
        InlineKeyboardButton(
            text=t(f"button-broadcast-{step.value}"),
            callback_data=BroadcastAction(action=step, source=source).pack(),
        )
        for step in (BroadcastStep.CONFIRM, BroadcastStep.CANCEL)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def broadcast_stop_keyboard(job_id: int, t: Translator) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        text=t("button-broadcast-stop"),
        callback_data=BroadcastAction(action=BroadcastStep.STOP, source=job_id).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])
