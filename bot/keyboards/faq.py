"""FAQ keyboards: the paged question list, the buttons under an answer, suggestions.

The ones that depend only on the language (and page) are built once and shared: never mutate them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import FaqAskStaff, FaqList, FaqShow
from bot.faq.content import FaqEntry
from bot.faq.library import FaqLibrary
from bot.i18n import Translator
from bot.keyboards.menu import home_button

PAGE_SIZE = 8


def page_count(total: int) -> int:
    return max(1, math.ceil(total / PAGE_SIZE))


def clamp_page(page: int, total: int) -> int:
    return min(max(page, 0), page_count(total) - 1)


def page_of(position: int) -> int:
    return position // PAGE_SIZE


def _question_button(faq: FaqLibrary, entry: FaqEntry) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=entry.title, callback_data=FaqShow(key=faq.key_of(entry.id)).pack()
    )


def _list_button(t: Translator, key: str, page: int, *, edit: bool) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t(key), callback_data=FaqList(page=page, edit=edit).pack())


def _ask_staff_button(t: Translator, ticket: int | None) -> InlineKeyboardButton:
    """Sends the question just typed to a staff member: a new request, or the open one."""
    if ticket:
        text = t("faq-button-add-to-ticket", ticket=str(ticket))
    else:
        text = t("faq-button-support")
    return InlineKeyboardButton(text=text, callback_data=FaqAskStaff(ticket=ticket or 0).pack())


def questions_page(
    t: Translator, faq: FaqLibrary, entries: Sequence[FaqEntry], page: int
) -> InlineKeyboardMarkup:
    """One button per question of ``page``, then ◀️/▶️ when there are more pages, then menu."""
    page = clamp_page(page, len(entries))
    pages = page_count(len(entries))
    chunk = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [[_question_button(faq, entry)] for entry in chunk]
    nav = []
    if page > 0:
        nav.append(_list_button(t, "faq-button-prev", page - 1, edit=True))
    if page < pages - 1:
        nav.append(_list_button(t, "faq-button-next", page + 1, edit=True))
    if nav:
        rows.append(nav)
    rows.append([home_button(t)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@lru_cache(maxsize=256)
def answer_from_list(t: Translator, page: int) -> InlineKeyboardMarkup:
    """Under an answer opened from the list: back to that page of questions, or the menu."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_list_button(t, "faq-button-back", page, edit=True)],
            [home_button(t)],
        ]
    )


def answer_to_free_text(
    t: Translator, faq: FaqLibrary, related: Sequence[FaqEntry], ticket: int | None
) -> InlineKeyboardMarkup:
    """Under an answer found for a typed question: close runners-up ("see also"), "not it?" → the
    list (a new message, so the answer stays), or the question to a staff member."""
    rows = [[_question_button(faq, entry)] for entry in related]
    rows.append([_list_button(t, "faq-button-not-it", 0, edit=False)])
    rows.append([_ask_staff_button(t, ticket)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def suggestions(
    t: Translator, faq: FaqLibrary, entries: Sequence[FaqEntry], ticket: int | None
) -> InlineKeyboardMarkup:
    rows = [[_question_button(faq, entry)] for entry in entries]
    rows.append([_list_button(t, "faq-button-all", 0, edit=False)])
    rows.append([_ask_staff_button(t, ticket)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@lru_cache(maxsize=256)
def not_found(t: Translator, ticket: int | None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_list_button(t, "faq-button-all", 0, edit=False)],
            [_ask_staff_button(t, ticket)],
            [home_button(t)],
        ]
    )


@lru_cache(maxsize=256)
def lab_info(t: Translator, ticket: int | None) -> InlineKeyboardMarkup:
    """Under the lab's contacts (price, hours, address): a staff member, or the menu."""
    return InlineKeyboardMarkup(inline_keyboard=[[_ask_staff_button(t, ticket)], [home_button(t)]])
