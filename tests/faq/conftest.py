from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq import FaqBook, load_all
from bot.faq.library import FaqLibrary

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
HERE = Path(__file__).parent
LABELLED = HERE / "labelled_questions.toml"
DEV = HERE / "dev" / "dev_2026-12-02.toml"
DEV2 = HERE / "dev" / "dev2_2026-12-02.toml"
HELDOUT = HERE / "heldout" / "heldout_2026-12-02.toml"
# a second one, written the same way after the first had been measured a few times
HELDOUT2 = HERE / "heldout" / "heldout2_2026-12-02.toml"


@pytest.fixture(scope="session")
def books() -> dict[str, FaqBook]:
    return load_all(LOCALES)


@pytest.fixture(scope="session")
def library() -> FaqLibrary:
    """Shared, never taught: tests that teach build their own."""
    return FaqLibrary.load(LOCALES, ["ru", "en"])
