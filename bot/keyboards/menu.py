"""The main menu and the language picker."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import LanguageChoice, MenuAction
from bot.i18n import Translator

LANGUAGE_NAMES = {"ru": "🇷🇺 Русский", "en": "🇬🇧 English"}


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


def home_only(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[home_button(t)]])


def language_picker(languages: tuple[str, ...]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code in languages:
        builder.button(text=LANGUAGE_NAMES.get(code, code), callback_data=LanguageChoice(code=code))
    return builder.as_markup()
