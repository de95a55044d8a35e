"""СНИЛС: parsing, the official checksum, safe display and a slow keyed fingerprint for storage.

Why slow: there are only 10⁹ SNILS numbers. A fast keyed hash (HMAC) is reversed in minutes by
whoever holds the database and the key: try every number. The fingerprint kept is scrypt (memory
hard) over that HMAC, with the key as salt: ~95 ms and 24 MiB per try on one core, so trying
all numbers costs more than two CPU-years (`python -m benchmarks.snils_fingerprint` prints it), and
no digit of the number is kept beside it to narrow the search."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "MIN_DIGEST_KEY_BYTES",
    "Snils",
    "SnilsError",
    "SnilsErrorCode",
    "fingerprint_of_digest",
    "is_fingerprint",
    "is_valid_snils",
    "parse_snils",
    "snils_checksum",
    "snils_digest",
    "snils_fingerprint",
]

#: Numbers up to 001-001-998 were issued before the checksum existed: not checked.
_UNCHECKED_MAX = 1_001_998
_SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212./_")  # as people type it
_ASCII_DIGITS = frozenset("0123456789")
MIN_DIGEST_KEY_BYTES = 16


class SnilsErrorCode(StrEnum):
    EMPTY = "empty"
    BAD_CHARACTERS = "bad_characters"  # anything but digits, spaces and dashes
    WRONG_LENGTH = "wrong_length"  # not 11 digits
    BAD_CHECKSUM = "bad_checksum"


class SnilsError(ValueError):
    """Why the text is not a valid СНИЛС. Never carries the number itself (personal data)."""

    def __init__(
        self,
        code: SnilsErrorCode,
        *,
        bad_characters: str = "",
        length: int | None = None,
    ) -> None:
        super().__init__(code.value)
        self.code = code
        self.bad_characters = bad_characters  # distinct offending characters, in order
        self.length = length  # number of digits found (WRONG_LENGTH)


def snils_checksum(first9: str) -> int:
    """Official control number (0..99) for the first 9 digits."""
    if len(first9) != 9 or not set(first9) <= _ASCII_DIGITS:
        raise ValueError("expected exactly 9 ASCII digits")
    total = sum(int(ch) * weight for ch, weight in zip(first9, range(9, 0, -1), strict=True))
    if total > 101:
        total %= 101
    return 0 if total in (100, 101) else total


def _check(digits: str) -> None:
    if len(digits) != 11 or not set(digits) <= _ASCII_DIGITS:
        raise SnilsError(SnilsErrorCode.WRONG_LENGTH, length=len(digits))
    number = digits[:9]
    if int(number) <= _UNCHECKED_MAX:
        return
    if snils_checksum(number) != int(digits[9:]):
        raise SnilsError(SnilsErrorCode.BAD_CHECKSUM)


@dataclass(frozen=True, slots=True)
class Snils:
    """A valid СНИЛС. ``repr``/``str`` are masked so it does not leak into logs."""

    digits: str  # 11 ASCII digits

    def __post_init__(self) -> None:
        _check(self.digits)

    @property
    def formatted(self) -> str:
        """``112-233-445 95``."""
        d = self.digits
        return f"{d[0:3]}-{d[3:6]}-{d[6:9]} {d[9:11]}"

    @property
    def masked(self) -> str:
        """``***-***-445 95`` — safe to show back to the user or staff."""
        d = self.digits
        return f"***-***-{d[6:9]} {d[9:11]}"

    def __repr__(self) -> str:
        return f"Snils({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


def parse_snils(text: str) -> Snils:
    """Parse ``112-233-445 95``, ``11223344595``, ``１１２-２３３-４４５ ９５``, with spaces and
    dashes anywhere.

    Raises :class:`SnilsError` (EMPTY, BAD_CHARACTERS, WRONG_LENGTH, BAD_CHECKSUM).
    """
    digits: list[str] = []
    bad: dict[str, None] = {}
    for ch in unicodedata.normalize("NFKC", text):  # fullwidth digits, odd spaces
        if ch in _ASCII_DIGITS:
            digits.append(ch)
        elif ch.isspace() or ch in _SEPARATORS:
            continue
        else:
            bad[ch] = None
    if not digits and not bad:
        raise SnilsError(SnilsErrorCode.EMPTY)
    if bad:
        raise SnilsError(SnilsErrorCode.BAD_CHARACTERS, bad_characters="".join(bad))
    return Snils("".join(digits))


def is_valid_snils(text: str) -> bool:
    try:
        parse_snils(text)
    except SnilsError:
        return False
    return True


def snils_digest(snils: Snils, secret_key: bytes) -> str:
    """HMAC-SHA256 hex of the 11 digits — a stable lookup key that is not the number.

    The key must be at least 16 bytes: there are only 10⁹ СНИЛС numbers, so an unkeyed or
    weakly keyed hash is trivially reversible.
    """
    if len(secret_key) < MIN_DIGEST_KEY_BYTES:
        raise ValueError(f"secret_key must be at least {MIN_DIGEST_KEY_BYTES} bytes")
    return hmac.new(secret_key, snils.digits.encode("ascii"), hashlib.sha256).hexdigest()


#: scrypt cost: N = 2**14, r = 12 → 24 MiB and ~95 ms per fingerprint on this project's 2-core
#: machine. Changing them changes every fingerprint (the registry would stop matching): never do
#: it without a migration.
SCRYPT_N = 2**14
SCRYPT_R = 12
SCRYPT_P = 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024
#: fingerprints carry this prefix; a bare 64-hex digest is an HMAC kept by an older version
FINGERPRINT_PREFIX = "s1:"


def fingerprint_of_digest(digest: str, secret_key: bytes) -> str:
    """The slow fingerprint of an HMAC digest from :func:`snils_digest`. Registries written before
    fingerprints existed are upgraded with it without knowing the numbers."""
    if len(secret_key) < MIN_DIGEST_KEY_BYTES:
        raise ValueError(f"secret_key must be at least {MIN_DIGEST_KEY_BYTES} bytes")
    slow = hashlib.scrypt(
        bytes.fromhex(digest),
        salt=secret_key,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=_SCRYPT_MAXMEM,
        dklen=32,
    )
    return FINGERPRINT_PREFIX + slow.hex()


def snils_fingerprint(snils: Snils, secret_key: bytes) -> str:
    """What is kept of a SNILS: a stable lookup key that costs ~95 ms of CPU and 24 MiB to make
    (run it off the event loop). Equal numbers give equal fingerprints under the same key."""
    return fingerprint_of_digest(snils_digest(snils, secret_key), secret_key)


def is_fingerprint(value: str) -> bool:
    return value.startswith(FINGERPRINT_PREFIX)
