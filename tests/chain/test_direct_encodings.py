"""Encodings written by hand for speed, pinned to the references they stand in for.

- ``_base_account_any`` (auth keeper) against ``Account.to_any()`` serialized deterministically
  by protobuf, for every account the keeper writes that way;
- ``bech32_encode`` / ``bech32_decode`` (``chain.sdk.address``) against the ``bech32`` package
  (BIP-173), for valid and corrupted strings.
"""

from __future__ import annotations

import bech32 as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.modules.auth import Account, PubKey
from chain.modules.auth.keeper import _AccountValue, _base_account_any, _decodes_to_itself
from chain.sdk.address import bech32_decode, bech32_encode
from chain.sdk.errors import SdkError

U64 = st.integers(min_value=0, max_value=(1 << 64) - 1)
PUB_KEYS = st.none() | st.builds(
    PubKey,
    st.sampled_from(["/cosmos.crypto.secp256k1.PubKey", "/cosmos.crypto.ed25519.PubKey", "/x"]),
    st.binary(min_size=1, max_size=200),
)
ACCOUNTS = st.builds(
    Account,
    st.binary(min_size=20, max_size=20) | st.binary(min_size=32, max_size=32),
    U64,
    U64,
    PUB_KEYS,
)


@settings(max_examples=500)
@given(ACCOUNTS)
def test_a_base_account_is_written_as_protobuf_writes_it(account: Account) -> None:
    assert _decodes_to_itself(account)
    expected = account.to_any().SerializeToString(deterministic=True)
    assert _base_account_any(account) == expected
    assert _AccountValue().encode(account) == expected
    assert _AccountValue().decode(expected) == account


def test_numbers_beyond_u64_and_module_accounts_keep_the_protobuf_path() -> None:
    module = Account(b"\x01" * 20, 3, name="gov", permissions=("burner",))
    assert _AccountValue().encode(module) == module.to_any().SerializeToString(deterministic=True)
    with pytest.raises(ValueError, match="out of range"):  # protobuf refuses it, as before
        _AccountValue().encode(Account(b"\x01" * 20, 1 << 64))


HRPS = st.sampled_from(["akash", "akashvaloper", "cosmos", "a", "x" * 20])


@settings(max_examples=500)
@given(HRPS, st.binary(min_size=1, max_size=40))
def test_bech32_encodes_as_bip173_and_decodes_back(hrp: str, data: bytes) -> None:
    words = reference.convertbits(data, 8, 5)
    assert words is not None
    text = bech32_encode(hrp, data)
    assert text == reference.bech32_encode(hrp, words)
    assert bech32_decode(text) == (hrp, data)


@settings(max_examples=1000)
@given(HRPS, st.binary(min_size=1, max_size=40), st.data())
def test_bech32_decode_accepts_exactly_what_bip173_accepts(
    hrp: str, data: bytes, draw: st.DataObject
) -> None:
    text = bech32_encode(hrp, data)
    at = draw.draw(st.integers(min_value=0, max_value=len(text) - 1))
    char = draw.draw(st.sampled_from("qpzry9x8gf2tvdw0s3jn54khce6mua7l1bio"))
    corrupted = text[:at] + char + text[at + 1 :]
    expected_hrp, words = reference.bech32_decode(corrupted)
    decoded = None if words is None else reference.convertbits(words, 5, 8, False)
    try:
        got: tuple[str, bytes] | None = bech32_decode(corrupted)
    except SdkError:
        got = None
    if decoded is None:
        assert got is None
    else:
        assert got == (expected_hrp, bytes(decoded))
