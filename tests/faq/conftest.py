from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq import FaqBook, MultiLanguageMatcher, load_all

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
LABELLED = Path(__file__).with_name("labelled_questions.toml")


@pytest.fixture(scope="session")
def books() -> dict[str, FaqBook]:
    return load_all(LOCALES)


@pytest.fixture(scope="session")
def matcher(books: dict[str, FaqBook]) -> MultiLanguageMatcher:
    return MultiLanguageMatcher.from_books(books)
