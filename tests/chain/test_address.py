"""Bech32 (BIP-173 test vectors), akash addresses and module-account derivation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chain.sdk.address import (
    bech32_decode,
    bech32_encode,
    decode_address,
    encode_address,
    is_valid_address,
    module_address,
    module_address_text,
)
from chain.sdk.errors import ErrInvalidAddress, SdkError

# BIP-173 "Test vectors": valid bech32 strings.
VALID = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11" + "q" * 82 + "c8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
]

# BIP-173 invalid vectors (reason as the BIP gives it).
INVALID = [
    ("\x201nwldj5", "HRP character out of range"),
    ("\x7f1axkwrx", "HRP character out of range"),
    ("\x801eym55h", "HRP character out of range"),
    ("pzry9x0s0muk", "no separator character"),
    ("1pzry9x0s0muk", "empty HRP"),
    ("x1b4n0q5v", "invalid data character"),
    ("li1dgmt3", "too short checksum"),
    ("de1lg7wt\xff", "invalid character in checksum"),
    ("A1G7SGD8", "checksum calculated with uppercase form of HRP"),
    ("10a06t8", "empty HRP"),
    ("1qzzfhek", "empty HRP"),
    ("a12UEL5L", "mixed case"),
]

GOV = "akash10d07y265gmmuvt4z0w9aw880jnsr700jhe7z0f"


@pytest.mark.parametrize("text", VALID)
def test_bip173_valid(text: str) -> None:
    hrp, data = bech32_decode(text)
    assert hrp == text.lower()[: text.lower().rfind("1")]
    assert bech32_encode(hrp, data) == text.lower()


@pytest.mark.parametrize(("text", "reason"), INVALID)
def test_bip173_invalid(text: str, reason: str) -> None:
    with pytest.raises(SdkError) as raised:
        bech32_decode(text)
    assert raised.value.is_(ErrInvalidAddress), reason


def test_length_limit_is_lifted_as_in_the_sdk() -> None:
    # BIP-173 caps strings at 90 characters; the SDK decodes longer ones (long addresses).
    text = (
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1"
        "569pvx"
    )
    assert len(text) == 91
    assert bech32_decode(text)[1] == b""
    too_long = bech32_encode("akash", bytes(640))
    assert len(too_long) > 1023
    with pytest.raises(SdkError):
        bech32_decode(too_long)


def test_gov_module_address() -> None:
    assert module_address_text("gov") == GOV
    assert encode_address(module_address("gov"), "cosmos") == (
        "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn"
    )
    assert decode_address(GOV) == module_address("gov")
    assert len(module_address("distribution")) == 20


def test_decode_address_checks_prefix() -> None:
    cosmos = encode_address(module_address("gov"), "cosmos")
    with pytest.raises(SdkError) as raised:
        decode_address(cosmos)
    assert raised.value.log == (
        "invalid Bech32 prefix; expected akash, got cosmos: invalid address"
    )
    assert not is_valid_address(cosmos)
    assert is_valid_address(GOV)


def test_decode_address_rejects_empty_and_bad_lengths() -> None:
    with pytest.raises(SdkError) as raised:
        decode_address("")
    assert raised.value.log == "empty address string is not allowed: invalid address"
    with pytest.raises(SdkError):
        decode_address(bech32_encode("akash", b""))
    with pytest.raises(SdkError):
        encode_address(b"")
    with pytest.raises(SdkError):
        encode_address(bytes(256))


def test_uppercase_address_decodes() -> None:
    assert decode_address(GOV.upper()) == module_address("gov")


@given(st.binary(min_size=1, max_size=255))
def test_round_trip(account: bytes) -> None:
    text = encode_address(account)
    assert text.startswith("akash1")
    assert decode_address(text) == account


@given(st.binary(min_size=20, max_size=20), st.integers(min_value=6, max_value=38))
def test_single_character_change_is_detected(account: bytes, position: int) -> None:
    text = encode_address(account)
    position = min(position, len(text) - 1)
    replacement = "q" if text[position] != "q" else "p"
    changed = text[:position] + replacement + text[position + 1 :]
    assert not is_valid_address(changed)
