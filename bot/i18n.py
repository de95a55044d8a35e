"""Fluent translations: every text a user sees comes from `locales/<lang>/*.ftl`.

Messages are sent with HTML parse mode, so every string argument is HTML-escaped here, once,
centrally: a handler can pass what a user typed straight in. Arguments that already are safe HTML
are wrapped in `Markup`.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax.ast import Junk

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
SUPPORTED_LANGUAGES = ("ru", "en")


class Markup(str):
    """A string that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


class MissingTranslation(KeyError):
    pass


@dataclass(frozen=True, slots=True)
class Translator:
    """All messages of one language. `t("key", name=value)` formats one."""

    language: str
    bundle: FluentBundle
    strict: bool = False

    def __call__(self, key: str, /, **args: object) -> str:
        if not self.bundle.has_message(key):
            if self.strict:
                raise MissingTranslation(f"{self.language}: {key}")
            log.error("missing translation %s:%s", self.language, key)
            return key
        message = self.bundle.get_message(key)
        if message.value is None:
            raise MissingTranslation(f"{self.language}: {key} has no value")
        text, errors = self.bundle.format_pattern(message.value, _escape_args(args))
        if errors:
            if self.strict:
                raise MissingTranslation(f"{self.language}: {key}: {errors}")
            log.error("translation %s:%s: %s", self.language, key, errors)
        return str(text)

    def has(self, key: str) -> bool:
        return self.bundle.has_message(key)


def _escape_args(args: Mapping[str, object]) -> dict[str, object]:
    escaped: dict[str, object] = {}
    for name, value in args.items():
        if isinstance(value, Markup):
            escaped[name] = str(value)
        elif isinstance(value, str):
            escaped[name] = html.escape(value, quote=False)
        else:
            escaped[name] = value
    return escaped


class I18n:
    """Loads every language once, at start; picks the one a user sees."""

    def __init__(
        self,
        locales_dir: Path = LOCALES_DIR,
        *,
        default: str = "ru",
        languages: Iterable[str] = SUPPORTED_LANGUAGES,
        strict: bool = False,
    ) -> None:
        self.default = default
        self.translators: dict[str, Translator] = {}
        for language in languages:
            bundle = FluentBundle([language], use_isolating=False)
            files = sorted((locales_dir / language).glob("*.ftl"))
            if not files:
                raise FileNotFoundError(f"no .ftl files in {locales_dir / language}")
            for path in files:
                resource = FluentResource(path.read_text(encoding="utf-8"))
                junk = [entry for entry in resource.body if isinstance(entry, Junk)]
                if junk:
                    raise ValueError(f"{path}: cannot parse: {str(junk[0].content)[:80]!r}")
                bundle.add_resource(resource)
            self.translators[language] = Translator(language, bundle, strict)
        if default not in self.translators:
            raise ValueError(f"default language {default!r} has no locale")

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.translators)

    def get(self, language: str | None) -> Translator:
        return self.translators.get(language or self.default, self.translators[self.default])

    def pick(self, chosen: str | None, telegram_language_code: str | None) -> str:
        """An explicit choice wins; else Telegram's language (English when it starts with en)."""
        if chosen in self.translators:
            return chosen
        code = (telegram_language_code or "").lower()
        for language in self.translators:
            if code.startswith(language):
                return language
        return self.default

    def all(self, key: str, /, **args: object) -> dict[str, str]:
        return {language: t(key, **args) for language, t in self.translators.items()}
