"""What a reminder looks like, and the on/off button (also used by /reminders)."""

from __future__ import annotations

from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from domain.dates import format_date
from domain.reminders import days_left


class RemindersSwitch(CallbackData, prefix="remind"):
    """Turn the user's reminders on (``on=True``) or off."""

    on: bool


def switch_keyboard(
    t: Translator, *, turn_on: bool, from_reminder: bool = False
) -> InlineKeyboardMarkup:
    """One button: "turn reminders on" / "off" (``from_reminder``: the label under a reminder)."""
    if from_reminder:
        key = "reminder-button-off"
    else:
        key = "reminders-button-on" if turn_on else "reminders-button-off"
    button = InlineKeyboardButton(text=t(key), callback_data=RemindersSwitch(on=turn_on).pack())
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def reminder_message(
    t: Translator, expires_on: date, today: date
) -> tuple[str, InlineKeyboardMarkup]:
    """Text (expiry date, days left, next steps) and the "turn reminders off" button."""
    text = t("reminder-text", date=format_date(expires_on), days=days_left(expires_on, today))
    return text, switch_keyboard(t, turn_on=False, from_reminder=True)
