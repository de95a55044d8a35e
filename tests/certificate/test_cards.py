"""render_card: a PNG whose QR code decodes to exactly the payload, with readable Cyrillic."""

from __future__ import annotations

import io
from datetime import date

import pytest
import zxingcpp
from PIL import Image, ImageChops

from bot import cards
from bot.cards import CardLabels, render_card
from bot.certificate_view import card_labels
from bot.i18n import I18n

DEEP_LINK = "https://t.me/antibody_test_bot?start=c_AbCdEfGhIjKlMnOpQrStUv"
OFFICIAL = (
    "https://www.gosuslugi.ru/covid-cert/verify/9160000012345678"
    "?lang=ru&ck=0123456789abcdef0123456789abcdef"
)
STARTS, EXPIRES = date(2026, 10, 1), date(2027, 4, 1)


@pytest.fixture(scope="module")
def labels() -> CardLabels:
    return card_labels(I18n(strict=True).get("ru"), official=False)


def decode(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("payload", [DEEP_LINK, OFFICIAL])
def test_qr_decodes_to_exactly_the_payload(payload: str, labels: CardLabels) -> None:
    png = render_card("Анна Петрова", STARTS, EXPIRES, date(2026, 11, 28), payload, labels)
    assert decode(png) == [payload]


@pytest.mark.parametrize("today", [date(2026, 9, 1), date(2026, 11, 28), date(2027, 4, 1)])
def test_every_status_renders_a_scannable_card(today: date, labels: CardLabels) -> None:
    png = render_card("Анна Петрова", STARTS, EXPIRES, today, DEEP_LINK, labels)
    assert decode(png) == [DEEP_LINK]


def test_long_names_and_markup_are_drawn_as_text(labels: CardLabels) -> None:
    for name in ("Я" * 64, "<b>Константинопольская</b> & Co " * 2, "W" * 64):
        png = render_card(name[:64], STARTS, EXPIRES, date(2026, 11, 28), DEEP_LINK, labels)
        assert decode(png) == [DEEP_LINK]


def _name_band(name: str, labels: CardLabels) -> Image.Image:
    png = render_card(name, STARTS, EXPIRES, date(2026, 11, 28), DEEP_LINK, labels)
    image = Image.open(io.BytesIO(png)).convert("L")
    return image.crop((0, 100, image.width, 220))  # below the header, where the name is


def test_cyrillic_name_renders_real_glyphs(labels: CardLabels) -> None:
    assert cards.find_font_path() is not None, "DejaVuSans expected on this system"
    blank = _name_band("", labels)
    zhe, shcha = _name_band("Ж", labels), _name_band("Щ", labels)
    assert ImageChops.difference(blank, zhe).getbbox() is not None  # something was drawn
    # Missing glyphs ("tofu") would all look the same box; real glyphs differ.
    assert ImageChops.difference(zhe, shcha).getbbox() is not None


def test_labels_come_from_the_locale(labels: CardLabels) -> None:
    assert labels.days_left(1) == "Остался 1 день"
    assert labels.days_left(3) == "Осталось 3 дня"
    assert labels.days_left(125) == "Осталось 125 дней"
    english = card_labels(I18n(strict=True).get("en"), official=True)
    assert english.days_left(1) == "1 day left"
    assert english.valid_until == "Valid until"


def test_without_dejavu_the_default_font_still_gives_a_card(
    monkeypatch: pytest.MonkeyPatch, labels: CardLabels
) -> None:
    monkeypatch.setattr(cards, "find_font_path", lambda weight="regular": None)
    cards._font.cache_clear()
    try:
        png = render_card("John Smith", STARTS, EXPIRES, date(2026, 11, 28), DEEP_LINK, labels)
        assert decode(png) == [DEEP_LINK]
    finally:
        cards._font.cache_clear()
