"""Showing a saved certificate: the card PNG (rendered off the event loop, cached), its caption,
and the status text a scanned QR code opens. Shared by the certificate and deep-link routers."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from datetime import date

from aiogram import Bot
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup

from bot.cards import CardLabels, render_card
from bot.i18n import Translator
from bot.text_limits import MAX_CAPTION, visible_len
from domain import Validity, ValidityStatus, format_date
from domain.certificate_input import deep_link_payload, initials
from storage import Certificate

log = logging.getLogger(__name__)

CACHE_SIZE = 256

CacheKey = tuple[int, str, date, str]


class CardCache:
    """Rendered PNGs by (certificate id, token, today, language); small LRU.

    The token is part of the key because SQLite may reuse the id of a deleted certificate.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[CacheKey, bytes] = OrderedDict()

    def get(self, key: CacheKey) -> bytes | None:
        png = self._items.get(key)
        if png is not None:
            self._items.move_to_end(key)
        return png

    def put(self, key: CacheKey, png: bytes) -> None:
        self._items[key] = png
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def forget(self, certificate_ids: set[int]) -> None:
        for key in [key for key in self._items if key[0] in certificate_ids]:
            del self._items[key]

    def __len__(self) -> int:
        return len(self._items)


card_cache = CardCache()


def card_labels(t: Translator, *, official: bool) -> CardLabels:
    return CardLabels(
        title=t("card-title"),
        valid_from=t("card-valid-from"),
        valid_until=t("card-valid-until"),
        expired=t("card-expired"),
        not_yet=t("card-not-yet"),
        days_left=lambda days: t("card-days-left", days=days),
        footer=t("card-footer-official" if official else "card-footer-bot"),
    )


async def qr_payload(bot: Bot, certificate: Certificate) -> str:
    """The official Госуслуги link when given, else the bot's deep link to the status."""
    if certificate.official_url:
        return certificate.official_url
    me = await bot.me()
    return f"https://t.me/{me.username}?start={deep_link_payload(certificate.token)}"


def validity_of(certificate: Certificate) -> Validity:
    return Validity(starts_on=certificate.test_date, expires_on=certificate.expires_on)


def caption(t: Translator, certificate: Certificate, today: date) -> str:
    validity = validity_of(certificate)
    status = validity.status(today)
    expires = format_date(certificate.expires_on)
    if status is ValidityStatus.VALID:
        status_line = t("cert-caption-valid", days=validity.days_left(today))
    elif status is ValidityStatus.EXPIRED:
        status_line = t("cert-caption-expired", expires=expires)
    else:
        status_line = t("cert-caption-not-yet")
    lines = [
        t("cert-caption-title"),
        t("cert-caption-holder", name=certificate.holder_name),
        t("cert-caption-dates", starts=format_date(certificate.test_date), expires=expires),
        status_line,
    ]
    if certificate.snils_given:
        lines.append(t("cert-caption-snils"))
    lines.append(t("cert-caption-official" if certificate.official_url else "cert-caption-bot"))
    text = "\n".join(lines)
    if visible_len(text) > MAX_CAPTION:  # cannot happen with our texts; never cut inside a tag
        text = "\n".join(lines[:4])
    return text


async def card_png(bot: Bot, certificate: Certificate, today: date, t: Translator) -> bytes:
    key = (certificate.id, certificate.token, today, t.language)
    png = card_cache.get(key)
    if png is None:
        payload = await qr_payload(bot, certificate)
        png = await asyncio.to_thread(
            render_card,
            certificate.holder_name,
            certificate.test_date,
            certificate.expires_on,
            today,
            payload,
            card_labels(t, official=bool(certificate.official_url)),
        )
        card_cache.put(key, png)
    return png


async def send_card(
    bot: Bot,
    chat_id: int,
    certificate: Certificate,
    today: date,
    t: Translator,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    png = await card_png(bot, certificate, today, t)
    await bot.send_photo(
        chat_id,
        BufferedInputFile(png, filename="certificate.png"),
        caption=caption(t, certificate, today),
        reply_markup=reply_markup,
    )


def public_status(t: Translator, certificate: Certificate | None, today: date) -> str:
    """What whoever scans the QR code sees: the status, initials and dates, nothing else."""
    if certificate is None:
        return t("deeplink-not-found")
    status = validity_of(certificate).status(today)
    key = {
        ValidityStatus.VALID: "deeplink-valid",
        ValidityStatus.EXPIRED: "deeplink-expired",
        ValidityStatus.NOT_YET: "deeplink-not-yet",
    }[status]
    return t(
        key,
        initials=initials(certificate.holder_name),
        starts=format_date(certificate.test_date),
        expires=format_date(certificate.expires_on),
    )
