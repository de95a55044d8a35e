import hashlib
import hmac

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain import (
    MIN_DIGEST_KEY_BYTES,
    Snils,
    SnilsError,
    SnilsErrorCode,
    is_valid_snils,
    parse_snils,
    snils_checksum,
    snils_digest,
)

E = SnilsErrorCode
KEY = b"0123456789abcdef-test-key"


def reference_checksum(first9: str) -> int:
    """The official rule, restated literally."""
    total = sum(int(d) * w for d, w in zip(first9, [9, 8, 7, 6, 5, 4, 3, 2, 1], strict=True))
    while True:
        if total < 100:
            return total
        if total in (100, 101):
            return 0
        total %= 101


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("112-233-445 95", "11223344595"),  # the textbook example: sum 95
        ("11223344595", "11223344595"),
        ("  112 233 445 95  ", "11223344595"),
        ("112-233-445-95", "11223344595"),
        ("1-1-2-2-3-3-4-4-5-9-5", "11223344595"),
        ("112–233–445 95", "11223344595"),  # en dash
        ("112\u00a0233\u00a0445\u00a095", "11223344595"),  # no-break spaces
        ("920-000-010 99", "92000001099"),  # sum 99 → 99
        ("920-000-100 00", "92000010000"),  # sum 100 → 00
        ("920-000-101 00", "92000010100"),  # sum 101 → 00
        ("920-000-102 01", "92000010201"),  # sum 102 → 102 mod 101 = 01
        ("996-100-000 00", "99610000000"),  # sum 201 → mod 101 = 100 → 00
        ("999-999-999 01", "99999999901"),  # sum 405 → mod 101 = 01
        ("001-001-999 65", "00100199965"),  # first checked number
        ("001-001-998 77", "00100199877"),  # ≤ 001-001-998: not checked
        ("000-000-000 00", "00000000000"),
    ],
)
def test_parse_valid(text: str, digits: str) -> None:
    snils = parse_snils(text)
    assert snils.digits == digits
    assert is_valid_snils(text)


@pytest.mark.parametrize(
    ("text", "code", "bad", "length"),
    [
        ("", E.EMPTY, "", None),
        ("   ", E.EMPTY, "", None),
        (" - - ", E.EMPTY, "", None),
        ("112-233-445 9a", E.BAD_CHARACTERS, "a", None),
        ("112,233,445 95", E.BAD_CHARACTERS, ",", None),
        ("СНИЛС 112-233-445 95", E.BAD_CHARACTERS, "СНИЛ", None),
        ("abc", E.BAD_CHARACTERS, "abc", None),
        ("1122334459", E.WRONG_LENGTH, "", 10),
        ("112233445950", E.WRONG_LENGTH, "", 12),
        ("1", E.WRONG_LENGTH, "", 1),
        ("112-233-445 96", E.BAD_CHECKSUM, "", None),
        ("112-233-445 59", E.BAD_CHECKSUM, "", None),
        ("211-233-445 95", E.BAD_CHECKSUM, "", None),
        ("001-001-999 64", E.BAD_CHECKSUM, "", None),
        ("920-000-100 10", E.BAD_CHECKSUM, "", None),  # sum 100 needs 00
        ("999-999-999 05", E.BAD_CHECKSUM, "", None),
    ],
)
def test_parse_errors(text: str, code: SnilsErrorCode, bad: str, length: int | None) -> None:
    with pytest.raises(SnilsError) as info:
        parse_snils(text)
    assert info.value.code is code
    assert info.value.bad_characters == bad
    assert info.value.length == length
    assert isinstance(info.value, ValueError)
    assert not is_valid_snils(text)


def test_constructor_validates() -> None:
    assert Snils("11223344595").digits == "11223344595"
    with pytest.raises(SnilsError) as info:
        Snils("11223344596")
    assert info.value.code is E.BAD_CHECKSUM
    with pytest.raises(SnilsError) as info:
        Snils("112-233-445 95")
    assert info.value.code is E.WRONG_LENGTH


def test_display() -> None:
    snils = parse_snils("11223344595")
    assert snils.formatted == "112-233-445 95"
    assert snils.masked == "***-***-445 95"
    assert str(snils) == "***-***-445 95"
    assert "112" not in repr(snils)
    assert "233" not in repr(snils)


def test_error_message_does_not_leak_the_number() -> None:
    with pytest.raises(SnilsError) as info:
        parse_snils("112-233-445 96")
    assert "112" not in str(info.value)
    assert "445" not in str(info.value)


def test_frozen_and_equal() -> None:
    a = parse_snils("112-233-445 95")
    b = parse_snils("11223344595")
    assert a == b
    assert hash(a) == hash(b)
    with pytest.raises(AttributeError):
        a.digits = "00000000000"  # type: ignore[misc]


def test_digest() -> None:
    snils = parse_snils("112-233-445 95")
    digest = snils_digest(snils, KEY)
    assert digest == hmac.new(KEY, b"11223344595", hashlib.sha256).hexdigest()
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert snils_digest(parse_snils("11223344595"), KEY) == digest
    assert snils_digest(snils, KEY + b"x") != digest
    assert snils_digest(parse_snils("920-000-010 99"), KEY) != digest
    assert "11223344595" not in digest


@pytest.mark.parametrize("key", [b"", b"short", b"x" * (MIN_DIGEST_KEY_BYTES - 1)])
def test_digest_rejects_weak_keys(key: bytes) -> None:
    with pytest.raises(ValueError):
        snils_digest(parse_snils("11223344595"), key)


@pytest.mark.parametrize("bad", ["12345678", "1234567890", "12345678a", "１２３４５６７８９"])
def test_checksum_input(bad: str) -> None:
    with pytest.raises(ValueError):
        snils_checksum(bad)


# --- properties ---------------------------------------------------------------------------

first9s = st.integers(min_value=0, max_value=999_999_999).map(lambda n: f"{n:09d}")
checked_first9s = st.integers(min_value=1_001_999, max_value=999_999_999).map(lambda n: f"{n:09d}")


def make_valid(first9: str) -> str:
    return first9 + f"{snils_checksum(first9):02d}"


@given(first9s)
def test_checksum_matches_reference(first9: str) -> None:
    value = snils_checksum(first9)
    assert value == reference_checksum(first9)
    assert 0 <= value <= 99


@given(checked_first9s)
def test_valid_round_trip(first9: str) -> None:
    digits = make_valid(first9)
    snils = parse_snils(digits)
    assert snils.digits == digits
    assert parse_snils(snils.formatted) == snils
    assert snils.masked.endswith(snils.formatted[-6:])


@given(first9s, st.integers(min_value=0, max_value=10), st.integers(min_value=1, max_value=9))
def test_single_digit_change(first9: str, position: int, delta: int) -> None:
    digits = make_valid(first9)
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    new9, new_check = changed[:9], int(changed[9:])
    expected_ok = int(new9) <= 1_001_998 or snils_checksum(new9) == new_check
    assert is_valid_snils(changed) is expected_ok
    if not expected_ok:
        with pytest.raises(SnilsError) as info:
            parse_snils(changed)
        assert info.value.code is E.BAD_CHECKSUM


@given(checked_first9s, st.integers(min_value=0, max_value=10), st.integers(1, 9))
def test_single_digit_change_almost_always_detected(first9: str, position: int, delta: int) -> None:
    # Weights 1..9 × a change of 1..9 never wrap mod 101, so only the 100/101 → 00 collision
    # (a ±1 change of the last number digit) can slip through.
    digits = make_valid(first9)
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    assume(int(changed[:9]) > 1_001_998)
    if is_valid_snils(changed):
        assert position == 8
        assert changed[9:] == "00"


@given(st.text(max_size=30))
def test_parse_only_raises_snils_error(text: str) -> None:
    try:
        snils = parse_snils(text)
    except SnilsError as err:
        assert err.code in set(SnilsErrorCode)
    else:
        assert len(snils.digits) == 11


def test_the_kept_fingerprint_is_scrypt_over_the_hmac_keyed_and_memory_hard() -> None:
    """What is kept is the slow form: scrypt (N=2^14, r=12: 24 MiB per try) over the HMAC, with
    the key as salt. Its cost per try is printed by `python -m benchmarks.snils_fingerprint`."""
    from domain.snils import SCRYPT_N, SCRYPT_R, fingerprint_of_digest, snils_fingerprint

    snils = parse_snils("112-233-445 95")
    fingerprint = snils_fingerprint(snils, KEY)
    hmac_hex = snils_digest(snils, KEY)
    slow = hashlib.scrypt(
        bytes.fromhex(hmac_hex), salt=KEY, n=2**14, r=12, p=1, dklen=32, maxmem=64 * 2**20
    )
    assert fingerprint == "s1:" + slow.hex()
    assert fingerprint == fingerprint_of_digest(hmac_hex, KEY)  # how old rows are upgraded
    assert 128 * SCRYPT_N * SCRYPT_R >= 24 * 2**20
    assert snils_fingerprint(parse_snils("11223344595"), KEY) == fingerprint
    assert snils_fingerprint(snils, KEY + b"x") != fingerprint
    assert hmac_hex not in fingerprint and "445" not in fingerprint.removeprefix("s1:")[:3]
    with pytest.raises(ValueError):
        snils_fingerprint(snils, b"short")


def test_fullwidth_digits_are_the_same_number() -> None:
    assert parse_snils("１１２-２３３-４４５ ９５") == parse_snils("112-233-445 95")


@pytest.mark.parametrize("text", ["112.233.445.95", "112/233/445/95", "112_233_445_95"])
def test_dots_slashes_and_underscores_separate_groups_too(text: str) -> None:
    assert parse_snils(text) == parse_snils("112-233-445 95")
