"""Buttons of the certificate flow, /mycert and /forget."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CertAction, ForgetChoice, MenuAction
from bot.i18n import Translator
from bot.keyboards.menu import home_button


def _button(text: str, action: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=CertAction(action=action).pack())


def _nav_row(t: Translator, *, back: bool) -> list[InlineKeyboardButton]:
    row = [_button(t("button-back"), "back")] if back else []
    row.append(_button(t("button-cancel"), "cancel"))
    return row


def step_keyboard(
    t: Translator, *, back: bool = True, skip: bool = False, suggested: str | None = None
) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if suggested is not None:
        rows.append([_button(t("cert-button-use-date", date=suggested), "suggested")])
    if skip:
        rows.append([_button(t("cert-button-skip"), "skip")])
    rows.append(_nav_row(t, back=back))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def offer_keyboard(t: Translator) -> InlineKeyboardMarkup:
    """No certificate yet: save one, or check first."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("cert-button-save"), callback_data=MenuAction(action="cert_new").pack()
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("cert-button-check"), callback_data=MenuAction(action="check").pack()
                )
            ],
            [home_button(t)],
        ]
    )


def card_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("cert-button-again"), callback_data=MenuAction(action="cert_new").pack()
                )
            ],
            [home_button(t)],
        ]
    )


def forget_keyboard(t: Translator, asked: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("forget-button-yes"),
                    callback_data=ForgetChoice(answer="yes", asked=asked).pack(),
                ),
                InlineKeyboardButton(
                    text=t("forget-button-no"),
                    callback_data=ForgetChoice(answer="no", asked=asked).pack(),
                ),
            ]
        ]
    )
