"""What a citizen types while saving a certificate: pure checks, no aiogram, no I/O.

- the holder's name as they want it on the card,
- the official certificate link from Госуслуги,
- the initials shown to whoever scans the card,
- the deep-link payload that opens a card's status.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "DEEP_LINK_PREFIX",
    "DEEP_LINK_RE",
    "MAX_LINK_LENGTH",
    "MAX_NAME_LENGTH",
    "HolderNameError",
    "HolderNameErrorCode",
    "LinkError",
    "LinkErrorCode",
    "clean_holder_name",
    "deep_link_payload",
    "initials",
    "validate_official_link",
]

MAX_NAME_LENGTH = 64
MAX_LINK_LENGTH = 512
GOSUSLUGI_HOSTS = frozenset({"www.gosuslugi.ru", "gosuslugi.ru"})
COVID_CERT_PREFIX = "/covid-cert/"
DEEP_LINK_PREFIX = "c_"
#: ``/start`` payloads Telegram allows: up to 64 of [A-Za-z0-9_-].
DEEP_LINK_RE = r"^c_[A-Za-z0-9_-]{1,62}$"
_PATH_RE = re.compile(r"/covid-cert/[A-Za-z0-9._~%-]+(?:/[A-Za-z0-9._~%-]+)*/?")
_QUERY_RE = re.compile(r"[A-Za-z0-9._~%=&+-]*")


class HolderNameErrorCode(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"
    NOT_A_NAME = "not_a_name"  # digits or an e-mail: a SNILS or a phone would be on the card


class HolderNameError(ValueError):
    def __init__(self, code: HolderNameErrorCode, *, length: int | None = None) -> None:
        super().__init__(code.value)
        self.code = code
        self.length = length


def _is_control(ch: str) -> bool:
    # Cc (newlines, tabs, NUL…), Cf (bidi overrides, zero-width…), Cs, Co, Cn.
    return unicodedata.category(ch).startswith("C")


def clean_holder_name(text: str) -> str:
    """The name trimmed, inner runs of spaces collapsed; 1..64 characters, no control chars,
    no digits and no ``@`` (a name has none; a SNILS, phone or e-mail must not reach the card)."""
    stripped = text.strip()
    if any(_is_control(ch) for ch in stripped):
        raise HolderNameError(HolderNameErrorCode.CONTROL_CHARACTERS)
    name = " ".join(stripped.split())
    if not name:
        raise HolderNameError(HolderNameErrorCode.EMPTY)
    if len(name) > MAX_NAME_LENGTH:
        raise HolderNameError(HolderNameErrorCode.TOO_LONG, length=len(name))
    if any(ch.isdigit() or ch in "@＠" for ch in name):
        raise HolderNameError(HolderNameErrorCode.NOT_A_NAME)
    return name


def initials(name: str) -> str:
    """``"Анна Петрова"`` → ``"А. П."``: the first letter of each word, nothing else."""
    letters = []
    for word in name.split():
        first = next((ch for ch in word if ch.isalpha()), None)
        if first is not None:
            letters.append(f"{first.upper()}.")
    return " ".join(letters)


class LinkErrorCode(StrEnum):
    NOT_A_LINK = "not_a_link"  # no scheme/host at all, spaces inside…
    TOO_LONG = "too_long"
    NOT_HTTPS = "not_https"
    NOT_GOSUSLUGI = "not_gosuslugi"  # another site (or credentials/port in the address)
    NOT_COVID_CERT = "not_covid_cert"  # gosuslugi.ru, but not a /covid-cert/… page


class LinkError(ValueError):
    def __init__(self, code: LinkErrorCode) -> None:
        super().__init__(code.value)
        self.code = code


def validate_official_link(text: str) -> str:
    """Accept only a Госуслуги COVID certificate link; return it with the host lower-cased.

    ``https://www.gosuslugi.ru/covid-cert/verify/9160000012345678?lang=ru&ck=…``,
    ``https://gosuslugi.ru/covid-cert/status/<uuid>?lang=ru``. No fragment, port or credentials.
    """
    link = text.strip()
    if not link or any(ch.isspace() or _is_control(ch) for ch in link):
        raise LinkError(LinkErrorCode.NOT_A_LINK)
    if len(link) > MAX_LINK_LENGTH:
        raise LinkError(LinkErrorCode.TOO_LONG)
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError:
        raise LinkError(LinkErrorCode.NOT_A_LINK) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        if "gosuslugi.ru" in link.lower():
            raise LinkError(LinkErrorCode.NOT_HTTPS)
        raise LinkError(LinkErrorCode.NOT_A_LINK)
    host = (parts.hostname or "").lower()
    if host not in GOSUSLUGI_HOSTS or parts.username or parts.password or port is not None:
        raise LinkError(LinkErrorCode.NOT_GOSUSLUGI)
    if scheme != "https":
        raise LinkError(LinkErrorCode.NOT_HTTPS)
    if (
        not parts.path.startswith(COVID_CERT_PREFIX)
        or not _PATH_RE.fullmatch(parts.path)
        or any(segment in (".", "..") for segment in parts.path.split("/"))
        or not _QUERY_RE.fullmatch(parts.query)
        or parts.fragment
        or link.endswith("#")
    ):
        raise LinkError(LinkErrorCode.NOT_COVID_CERT)
    return urlunsplit(("https", host, parts.path, parts.query, ""))


def deep_link_payload(token: str) -> str:
    """``c_<token>``; fits Telegram's ``/start`` payload (≤ 64 chars of [A-Za-z0-9_-])."""
    payload = f"{DEEP_LINK_PREFIX}{token}"
    if not re.fullmatch(DEEP_LINK_RE, payload):
        raise ValueError("token does not fit a /start payload")
    return payload
