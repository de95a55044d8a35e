"""Issue 12, point 9: every status page of a card says it is the bot's card, not the official
certificate (the valid one did; the expired and not-yet-valid ones did not)."""

from __future__ import annotations

import pytest

from bot.i18n import I18n

DISCLAIMER = {
    "ru": "Официальный сертификат проверяется на Госуслугах",
    "en": "official certificate",
}


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("key", ["deeplink-valid", "deeplink-expired", "deeplink-not-yet"])
def test_every_card_status_says_it_is_not_the_official_certificate(key: str, language: str) -> None:
    text = I18n(strict=True).get(language)(
        key, initials="А. П.", starts="01.06.2026", expires="01.12.2026"
    )
    assert DISCLAIMER[language] in text
