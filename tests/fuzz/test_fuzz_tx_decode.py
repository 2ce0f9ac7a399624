"""Tx decoding with arbitrary and mutated bytes, through ``decode_tx`` and ``App.check_tx``.

Seeds are real signed txs of the devnet app (a bank send and an incentives Msg). Mutations work
on the protobuf wire format at one of four layers (the ``TxRaw``, its body, its auth info, the
first message inside its ``Any``): bit flips, truncation, a field duplicated, dropped or moved,
bytes inserted, a length prefix made longer than needed. Whatever comes out, decoding either
succeeds or raises a registered error (never another exception, never a hang), and
``App.check_tx`` answers with code 0 or a registered (codespace, code) and leaves the check
state as it was when it refuses.
"""

from __future__ import annotations

from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import TxBody, TxRaw
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chain.sdk.errors import ErrTxDecode, SdkError
from chain.tx import decode_tx
from incentives.pb import tx_pb2
from tests.app.chain import Chain
from tests.fuzz.registered import assert_registered, assert_registered_error, no_hang
from tests.fuzz.txs import ACCOUNTS, TxSpec, build

LAYERS = ("raw", "body", "auth_info", "message")


def _seeds() -> list[bytes]:
    chain = Chain()
    send = MsgSend(
        from_address=ACCOUNTS[0].address,
        to_address=ACCOUNTS[1].address,
        amount=[CoinPb(denom="uakt", amount="10")],
    )
    claim = tx_pb2.MsgClaimRewards(provider=ACCOUNTS[2].address, pool_id=1)
    return [
        build(chain.app, TxSpec(0, (send,), memo="seed")),
        build(chain.app, TxSpec(2, (claim, claim))),
    ]


SEEDS = _seeds()


def wire_fields(data: bytes) -> list[bytes] | None:
    """The top-level protobuf fields of ``data`` as raw segments (tag and payload), or None if
    ``data`` does not split into fields."""
    fields = []
    pos = 0
    try:
        while pos < len(data):
            start = pos
            tag, pos = _varint(data, pos)
            wire_type = tag & 7
            if wire_type == 0:
                _, pos = _varint(data, pos)
            elif wire_type == 1:
                pos += 8
            elif wire_type == 2:
                length, pos = _varint(data, pos)
                pos += length
            elif wire_type == 5:
                pos += 4
            else:
                return None
            if pos > len(data):
                return None
            fields.append(data[start:pos])
    except IndexError:
        return None
    return fields


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


Mutation = tuple[str, int, int]  # (kind, position, value)

MUTATION = st.tuples(
    st.sampled_from(["flip", "truncate", "duplicate", "drop", "move", "insert", "long_length"]),
    st.integers(0, 2**16),
    st.integers(0, 255),
)


def mutate(data: bytes, mutation: Mutation) -> bytes:
    kind, position, value = mutation
    if not data:
        return bytes([value])
    if kind == "flip":
        bit = position % (len(data) * 8)
        out = bytearray(data)
        out[bit // 8] ^= 1 << (bit % 8)
        return bytes(out)
    if kind == "truncate":
        return data[: position % len(data)]
    if kind == "insert":
        at = position % (len(data) + 1)
        return data[:at] + bytes([value]) + data[at:]
    fields = wire_fields(data)
    if not fields:
        return data[::-1]
    index = position % len(fields)
    if kind == "duplicate":
        fields.insert(value % (len(fields) + 1), fields[index])
    elif kind == "drop":
        del fields[index]
    elif kind == "move":
        fields.insert(value % len(fields), fields.pop(index))
    else:  # long_length: an over-long varint for the field's length (or tag) prefix
        field = fields[index]
        _, after_tag = _varint(field, 0)
        fields[index] = (
            field[:after_tag] + bytes([field[after_tag] | 0x80, 0x00]) + field[after_tag + 1 :]
        )
    return b"".join(fields)


def mutate_layer(seed: bytes, layer: str, mutations: list[Mutation]) -> bytes:
    """``seed`` with ``mutations`` applied to one layer and the layers around it rebuilt."""
    if layer == "raw":
        return mutate_all(seed, mutations)
    raw = TxRaw.FromString(seed)
    if layer == "body":
        raw.body_bytes = mutate_all(raw.body_bytes, mutations)
    elif layer == "auth_info":
        raw.auth_info_bytes = mutate_all(raw.auth_info_bytes, mutations)
    else:
        body = TxBody.FromString(raw.body_bytes)
        body.messages[0].value = mutate_all(body.messages[0].value, mutations)
        raw.body_bytes = body.SerializeToString()
    data: bytes = raw.SerializeToString()
    return data


def mutate_all(data: bytes, mutations: list[Mutation]) -> bytes:
    for mutation in mutations:
        data = mutate(data, mutation)
    return data


def decodes_or_is_refused(data: bytes) -> None:
    """``decode_tx`` succeeds or raises a registered error; ``App.check_tx`` on a fresh devnet
    app answers 0 or a registered code and, when it refuses, changes no check or committed
    state."""
    with no_hang():
        refusal = None
        try:
            decode_tx(data)
        except SdkError as error:
            refusal = error
        if refusal is not None:
            assert_registered_error(refusal)
            assert refusal.is_(ErrTxDecode), refusal.log
        app = Chain().app
        committed = app.store.items()
        checking = app._check_store.changes()
        result = app.check_tx(data)
    if result.code:
        assert_registered(result.codespace, result.code)
        assert app._check_store.changes() == checking
    assert app.store.items() == committed


def test_the_seeds_are_accepted() -> None:
    for seed in SEEDS:
        assert Chain().app.check_tx(seed).ok


@settings(max_examples=150)
@given(st.binary(max_size=400))
@example(b"\x0a\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01")  # a length varint of 11 bytes
@example(b"\x0a\xff\xff\xff\xff\x0f")  # a length of 2^32 - 1 with no payload
def test_arbitrary_bytes(data: bytes) -> None:
    decodes_or_is_refused(data)


@settings(max_examples=200)
@given(
    seed=st.sampled_from(SEEDS),
    layer=st.sampled_from(LAYERS),
    mutations=st.lists(MUTATION, min_size=1, max_size=4),
)
@example(seed=SEEDS[0], layer="raw", mutations=[("duplicate", 0, 0)])
@example(seed=SEEDS[0], layer="body", mutations=[("duplicate", 0, 255)])
@example(seed=SEEDS[1], layer="auth_info", mutations=[("long_length", 1, 0)])
@example(seed=SEEDS[1], layer="message", mutations=[("truncate", 5, 0)])
def test_mutated_valid_txs(seed: bytes, layer: str, mutations: list[Mutation]) -> None:
    decodes_or_is_refused(mutate_layer(seed, layer, mutations))


@settings(max_examples=50)
@given(
    amount=st.one_of(
        st.integers(-(2**300), 2**300).map(str),
        st.sampled_from(["9" * 5_000, "", "+5", "-0", "٣", "1e3", " 5"]),
    ),
    denom=st.sampled_from(["uakt", "uatom", "", "U", "x" * 200, "ñ"]),
)
@example(amount="9" * 5_000, denom="uakt")  # was a ValueError from int(): 4300-digit limit
def test_any_fee_coin(amount: str, denom: str) -> None:
    send = MsgSend(
        from_address=ACCOUNTS[0].address,
        to_address=ACCOUNTS[1].address,
        amount=[CoinPb(denom="uakt", amount="10")],
    )
    decodes_or_is_refused(build(Chain().app, TxSpec(0, (send,), fee=((denom, amount),))))
