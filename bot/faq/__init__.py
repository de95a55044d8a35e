"""FAQ engine: content (TOML → pydantic) and a free-text question matcher. No Telegram glue."""

from bot.faq.content import (
    FaqBook,
    FaqContentError,
    FaqEntry,
    load_all,
    load_faq,
    telegram_html_problems,
)
from bot.faq.matcher import (
    Candidate,
    FaqMatcher,
    MatchKind,
    MatchResult,
    MultiLanguageMatcher,
    detect_language,
)

__all__ = [
    "Candidate",
    "FaqBook",
    "FaqContentError",
    "FaqEntry",
    "FaqMatcher",
    "MatchKind",
    "MatchResult",
    "MultiLanguageMatcher",
    "detect_language",
    "load_all",
    "load_faq",
    "telegram_html_problems",
]
