"""The main menu and the language picker.

Keyboards that depend only on the language are built once per translator and shared (building
one through ``InlineKeyboardBuilder`` deep-copies every button: it cost as much CPU as sending the
message). Callers pass them to aiogram as they are and never mutate them.
"""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import LanguageChoice, MenuAction
from bot.i18n import I18n, Translator


@lru_cache(maxsize=64)
def main_menu(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action in ("faq", "check", "cert", "support", "language"):
        builder.button(text=t(f"menu-{action}"), callback_data=MenuAction(action=action))
    builder.adjust(1, 1, 2, 1)
    return builder.as_markup()


def home_button(t: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t("button-menu"), callback_data=MenuAction(action="home").pack()
    )


@lru_cache(maxsize=64)
def home_only(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[home_button(t)]])


@lru_cache(maxsize=4)
def language_picker(i18n: I18n) -> InlineKeyboardMarkup:
    """Each language named in itself ("language-name" of its own locale)."""
    builder = InlineKeyboardBuilder()
    for code in i18n.languages:
        name = i18n.get(code)("language-name")
        builder.button(text=name, callback_data=LanguageChoice(code=code))
    return builder.as_markup()
