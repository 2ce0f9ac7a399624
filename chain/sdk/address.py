"""Account addresses: bech32 (BIP-173) text over 20-byte account ids, ``akash`` prefix.

Owns address encoding and the module-account derivation (``sha256(name)[:20]``, as
``authtypes.NewModuleAddress``). Encoding and decoding are pure, so their results are memoized
(an exception is not cached: a bad address is checked again each time).

Fails when: text is not valid bech32, has another human-readable prefix, or does not hold 1 to
255 bytes (``ErrInvalidAddress``).
"""

from __future__ import annotations

import functools
import hashlib

from chain.sdk.errors import ErrInvalidAddress, SdkError

BECH32_PREFIX = "akash"
_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHARSET_INDEX = {char: index for index, char in enumerate(_CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_MAX_LENGTH = 1023  # the SDK lifts BIP-173's 90-character limit (bech32.Decode(bech, 1023))


def _generator_table() -> tuple[int, ...]:
    table = []
    for top in range(32):
        mixed = 0
        for bit in range(5):
            if (top >> bit) & 1:
                mixed ^= _GENERATOR[bit]
        table.append(mixed)
    return tuple(table)


# The generator terms XOR-ed in for each value of the checksum's top five bits.
_GENERATOR_TABLE = _generator_table()


def _polymod(values: list[int], checksum: int = 1) -> int:
    table = _GENERATOR_TABLE
    for value in values:
        checksum = ((checksum & 0x1FFFFFF) << 5) ^ value ^ table[checksum >> 25]
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]


# Bech32 characters as the digits of their values in base 32, for ``int(text, 32)``.
_BASE32_DIGITS = str.maketrans(_CHARSET, "0123456789abcdefghijklmnopqrstuv")


def _words_to_bytes(body: str) -> bytes:
    """The bytes of bech32 data characters (already checked to be in the charset): one
    big-endian integer of 5 bits a character, whose spare low bits (fewer than 5, all zero) are
    the padding."""
    bits = 5 * len(body)
    spare = bits % 8
    accumulator = int(body.translate(_BASE32_DIGITS), 32) if body else 0
    if spare >= 5 or accumulator & ((1 << spare) - 1):
        raise ErrInvalidAddress.wrap("invalid padding")
    return (accumulator >> spare).to_bytes(bits // 8, "big")


@functools.lru_cache(maxsize=64)
def _hrp_state(hrp: str) -> int:
    """The checksum state after the expanded prefix."""
    return _polymod(_hrp_expand(hrp))


@functools.lru_cache(maxsize=64)
def _hrp_checksum(hrp: str) -> int:
    """``_hrp_state`` of a prefix to decode; fails on a character outside 33..126."""
    if any(ord(char) < 33 or ord(char) > 126 for char in hrp):
        raise ErrInvalidAddress.wrap(f"invalid bech32 prefix {hrp!r}")
    return _hrp_state(hrp)


def _bytes_to_words(data: bytes) -> list[int]:
    """The 5-bit groups of ``data`` as one big-endian integer, the last one padded with zero
    bits."""
    bits = 8 * len(data)
    count = -(-bits // 5)
    accumulator = int.from_bytes(data, "big") << (5 * count - bits)
    return [(accumulator >> shift) & 31 for shift in range(5 * count - 5, -1, -5)]


def bech32_encode(hrp: str, data: bytes) -> str:
    """Encode bytes under a human-readable prefix."""
    words = _bytes_to_words(bytes(data))
    polymod = _polymod([*words, 0, 0, 0, 0, 0, 0], _hrp_state(hrp)) ^ 1
    checksum = [(polymod >> 5 * (5 - index)) & 31 for index in range(6)]
    return hrp + "1" + "".join(_CHARSET[word] for word in words + checksum)


def bech32_decode(text: str) -> tuple[str, bytes]:
    """Decode bech32 text into (prefix, bytes)."""
    if len(text) > _MAX_LENGTH or (text.lower() != text and text.upper() != text):
        raise ErrInvalidAddress.wrap(f"invalid bech32 string {text!r}")
    text = text.lower()
    separator = text.rfind("1")
    if separator < 1 or separator + 7 > len(text):
        raise ErrInvalidAddress.wrap(f"invalid bech32 string {text!r}")
    hrp, body = text[:separator], text[separator + 1 :]
    checksum = _hrp_checksum(hrp)
    try:
        values = [_CHARSET_INDEX[char] for char in body]
    except KeyError:
        raise ErrInvalidAddress.wrap(f"invalid character in {text!r}") from None
    if _polymod(values, checksum) != 1:
        raise ErrInvalidAddress.wrap(f"invalid checksum in {text!r}")
    return hrp, _words_to_bytes(body[:-6])


@functools.lru_cache(maxsize=65_536)
def encode_address(account: bytes, prefix: str = BECH32_PREFIX) -> str:
    """The bech32 text of an account id."""
    if not 1 <= len(account) <= 255:
        raise ErrInvalidAddress.wrap(f"address length {len(account)} out of range")
    return bech32_encode(prefix, account)


@functools.lru_cache(maxsize=65_536)
def decode_address(text: str, prefix: str = BECH32_PREFIX) -> bytes:
    """The account id of bech32 text with the expected prefix."""
    if not text:
        raise ErrInvalidAddress.wrap("empty address string is not allowed")
    hrp, account = bech32_decode(text)
    if hrp != prefix:
        raise ErrInvalidAddress.wrap(f"invalid Bech32 prefix; expected {prefix}, got {hrp}")
    if not 1 <= len(account) <= 255:
        raise ErrInvalidAddress.wrap(f"address length {len(account)} out of range")
    return account


def decode_canonical_address(text: str, prefix: str = BECH32_PREFIX) -> bytes:
    """``decode_address`` that also refuses any spelling but the canonical lowercase one, for
    state keyed by address text (one account, one key)."""
    account = decode_address(text, prefix)
    if encode_address(account, prefix) != text:
        raise ErrInvalidAddress.wrap(f"address {text!r} must be lowercase bech32")
    return account


def is_valid_address(text: str, prefix: str = BECH32_PREFIX) -> bool:
    try:
        decode_address(text, prefix)
    except SdkError:
        return False
    return True


@functools.lru_cache(maxsize=256)
def module_address(name: str) -> bytes:
    """The account id of a module account, ``sha256(name)[:20]`` (memoized: module names are
    few and fees go to one on every tx)."""
    return hashlib.sha256(name.encode()).digest()[:20]


def module_address_text(name: str, prefix: str = BECH32_PREFIX) -> str:
    return encode_address(module_address(name), prefix)
