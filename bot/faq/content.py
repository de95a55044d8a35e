"""FAQ content: pydantic models and TOML loading.

File layout (``locales/<lang>/faq.toml``)::

    language = "ru"            # optional; defaults to the folder name

    [[entry]]
    id = "validity"            # stable slug, same ids in every language
    order = 40                 # optional; display order (defaults to position * 10)
    group = "certificate"      # optional; free-form grouping key
    title = "Сколько действует сертификат?"     # <= 60 chars (fits a button)
    answer = \"\"\"Telegram HTML: <b>, <i>, <a href="..."> only\"\"\"   # <= 3500 chars
    phrasings = ["другие формулировки вопроса", ...]
    keywords = ["срок", "действует", ...]

Every validation problem is reported as :class:`FaqContentError` whose message starts with
``<file>:<line>:`` so the broken spot can be found at once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

_Model = TypeVar("_Model", bound=BaseModel)

__all__ = [
    "MAX_ANSWER_CHARS",
    "MAX_TITLE_CHARS",
    "FaqBook",
    "FaqContentError",
    "FaqEntry",
    "load_all",
    "load_faq",
    "load_toml_model",
    "telegram_html_problems",
]

MAX_TITLE_CHARS = 60
MAX_ANSWER_CHARS = 3500
FAQ_FILE_NAME = "faq.toml"

_ID_RE = r"^[a-z][a-z0-9_]{1,63}$"

# --------------------------------------------------------------------------- Telegram HTML subset

_HTML_TOKEN_RE = re.compile(r"<[^<>]*>|&[^&<>\s;]*;?|[<>]")
_OPEN_TAG_RE = re.compile(r'^<(b|i)>$|^<a href="([^"<>]+)">$')
_CLOSE_TAG_RE = re.compile(r"^</(b|i|a)>$")
_ENTITY_RE = re.compile(r"^&(?:amp|lt|gt|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});$")


def telegram_html_problems(text: str) -> list[str]:
    """Problems of ``text`` as the Telegram HTML subset used by the bot (empty list = valid).

    Allowed: ``<b>``, ``<i>``, ``<a href="...">`` (properly nested and closed) and the entities
    ``&amp; &lt; &gt; &quot; &#NN; &#xHH;``. A bare ``&``, ``<`` or ``>`` is a problem.
    """
    problems: list[str] = []
    stack: list[str] = []
    for m in _HTML_TOKEN_RE.finditer(text):
        tok = m.group(0)
        pos = m.start()
        if tok.startswith("&"):
            if not _ENTITY_RE.match(tok):
                problems.append(f"unescaped '&' at {pos} (use &amp;)")
        elif tok in ("<", ">"):
            problems.append(f"unescaped {tok!r} at {pos} (use &lt; / &gt;)")
        elif close := _CLOSE_TAG_RE.match(tok):
            name = close.group(1)
            if not stack or stack[-1] != name:
                problems.append(f"unexpected closing tag {tok} at {pos}")
            else:
                stack.pop()
        elif opened := _OPEN_TAG_RE.match(tok):
            name = opened.group(1) or "a"
            if name in stack:
                problems.append(f"nested <{name}> at {pos}")
            stack.append(name)
        else:
            problems.append(f"tag not allowed: {tok} at {pos}")
    problems.extend(f"unclosed tag <{name}>" for name in stack)
    return problems


# --------------------------------------------------------------------------- models

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class FaqEntry(BaseModel):
    """One question and answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, StringConstraints(pattern=_ID_RE)]
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=MAX_TITLE_CHARS)
    ]
    answer: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ANSWER_CHARS)
    ]
    phrasings: tuple[NonEmpty, ...] = Field(min_length=1)
    keywords: tuple[NonEmpty, ...] = Field(min_length=1)
    order: int | None = None
    group: str | None = None

    @field_validator("title")
    @classmethod
    def _title_plain(cls, v: str) -> str:
        if "<" in v or ">" in v or "\n" in v:
            raise ValueError("title must be plain one-line text (it is used as a button label)")
        return v

    @field_validator("answer")
    @classmethod
    def _answer_html(cls, v: str) -> str:
        problems = telegram_html_problems(v)
        if problems:
            raise ValueError("answer is not valid Telegram HTML: " + "; ".join(problems[:3]))
        return v


class FaqBook(BaseModel):
    """All entries of one language, in display order, with lookup by id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    entries: tuple[FaqEntry, ...] = Field(min_length=1)
    _index: dict[str, FaqEntry] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> FaqBook:
        seen: set[str] = set()
        for e in self.entries:
            if e.id in seen:
                raise ValueError(f"duplicate entry id {e.id!r}")
            seen.add(e.id)
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)

    def get(self, entry_id: str) -> FaqEntry | None:
        return self._by_id().get(entry_id)

    def __getitem__(self, entry_id: str) -> FaqEntry:
        entry = self.get(entry_id)
        if entry is None:
            raise KeyError(entry_id)
        return entry

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id()

    def __iter__(self) -> Iterator[FaqEntry]:  # type: ignore[override]
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def model_post_init(self, context: Any, /) -> None:
        self._index = {e.id: e for e in self.entries}

    def _by_id(self) -> dict[str, FaqEntry]:
        return self._index


class FaqContentError(ValueError):
    """A FAQ file is missing, not valid TOML, or its content does not validate."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.detail = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------- loading

_TOML_LINE_RE = re.compile(r"\(at line (\d+), column \d+\)")
_ENTRY_HEADER_RE = re.compile(r"^\s*\[\[\s*entry\s*\]\]")


def _entry_header_lines(text: str) -> list[int]:
    """1-based line numbers of the ``[[entry]]`` headers, skipping multi-line strings."""
    lines: list[int] = []
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is None and _ENTRY_HEADER_RE.match(line):
            lines.append(number)
        # track multi-line basic/literal strings so a header-looking line inside one is ignored
        i = 0
        while i < len(line):
            if in_string is None:
                if line.startswith(('"""', "'''"), i):
                    in_string = line[i : i + 3]
                    i += 3
                    continue
                if line[i] == "#":
                    break
            elif line.startswith(in_string, i):
                in_string = None
                i += 3
                continue
            i += 1
    return lines


def _key_line(text: str, start: int, end: int | None, key: str) -> int | None:
    """Line of ``key = ...`` inside the block of lines [start, end) (1-based)."""
    key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
    lines = text.splitlines()
    stop = len(lines) if end is None else end - 1
    for number in range(start, stop + 1):
        if number - 1 < len(lines) and key_re.match(lines[number - 1]):
            return number
    return None


def _locate(text: str, index: int, field: str | None) -> int | None:
    headers = _entry_header_lines(text)
    if index >= len(headers):
        return None
    start = headers[index]
    if field:
        end = headers[index + 1] if index + 1 < len(headers) else None
        line = _key_line(text, start, end, field)
        if line is not None:
            return line
    return start


def _format_validation(err: ValidationError) -> tuple[str | None, str]:
    first = err.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else None
    loc = ".".join(str(p) for p in first["loc"])
    msg = first["msg"]
    more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return field, f"{loc}: {msg}{more}" if loc else f"{msg}{more}"


def load_toml_model(path: Path, model: type[_Model]) -> _Model:
    """A locale data file read into ``model``; any problem is a :class:`FaqContentError`."""
    try:
        return model.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise FaqContentError(path, None, f"cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FaqContentError(path, None, f"TOML syntax error: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise FaqContentError(path, None, f"{loc}: {first['msg']}") from exc


def load_faq(path: Path | str, language: str | None = None) -> FaqBook:
    """Read and validate one ``faq.toml``; raise :class:`FaqContentError` naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FaqContentError(path, None, f"cannot read: {exc}") from exc
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE_RE.search(str(exc))
        line = int(m.group(1)) if m else None
        raise FaqContentError(path, line, f"TOML syntax error: {exc}") from exc

    unknown = set(data) - {"language", "entry"}
    if unknown:
        raise FaqContentError(path, None, f"unknown top-level keys: {sorted(unknown)}")
    lang = data.get("language") or language or path.parent.name
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise FaqContentError(path, None, "no [[entry]] tables")

    entries: list[FaqEntry] = []
    first_line_of: dict[str, int] = {}
    for index, raw in enumerate(raw_entries):
        if not isinstance(raw, dict):
            line = _locate(text, index, None)
            raise FaqContentError(path, line, f"entry #{index + 1}: not a table")
        try:
            entry = FaqEntry.model_validate(raw)
        except ValidationError as exc:
            field, msg = _format_validation(exc)
            entry_id = raw.get("id", "?")
            raise FaqContentError(
                path, _locate(text, index, field), f"entry #{index + 1} (id={entry_id!r}): {msg}"
            ) from exc
        if entry.id in first_line_of:
            raise FaqContentError(
                path,
                _locate(text, index, "id"),
                f"duplicate entry id {entry.id!r} (first at line {first_line_of[entry.id]})",
            )
        first_line_of[entry.id] = _locate(text, index, "id") or 0
        if entry.order is None:
            entry = entry.model_copy(update={"order": (index + 1) * 10})
        entries.append(entry)

    entries.sort(key=lambda e: e.order or 0)
    try:
        return FaqBook(language=lang, entries=tuple(entries))
    except ValidationError as exc:
        raise FaqContentError(path, None, _format_validation(exc)[1]) from exc


def load_all(
    locales_dir: Path | str, languages: tuple[str, ...] | None = None
) -> dict[str, FaqBook]:
    """Load ``<locales_dir>/<lang>/faq.toml`` for every language folder and check id parity.

    Raises :class:`FaqContentError` if a file is broken or the languages' id sets differ.
    """
    locales_dir = Path(locales_dir)
    if languages is None:
        languages = tuple(
            sorted(p.name for p in locales_dir.iterdir() if (p / FAQ_FILE_NAME).is_file())
        )
    if not languages:
        raise FaqContentError(locales_dir, None, f"no */{FAQ_FILE_NAME} found")
    books = {lang: load_faq(locales_dir / lang / FAQ_FILE_NAME, lang) for lang in languages}
    check_same_ids(books, locales_dir)
    return books


def check_same_ids(books: Mapping[str, FaqBook], where: Path | str = "<books>") -> None:
    """Raise :class:`FaqContentError` unless every book has exactly the same set of ids."""
    langs = sorted(books)
    reference = langs[0]
    ref_ids = set(books[reference].ids)
    for lang in langs[1:]:
        ids = set(books[lang].ids)
        if ids != ref_ids:
            missing = sorted(ref_ids - ids)
            extra = sorted(ids - ref_ids)
            raise FaqContentError(
                where,
                None,
                f"languages {reference!r} and {lang!r} differ: "
                f"missing in {lang}: {missing}; only in {lang}: {extra}",
            )
