"""Tx decoding as the SDK's decoder does it, on real cosmpy-signed txs and on broken ones."""

from __future__ import annotations

import functools
import hashlib

import pytest
from coincurve import PublicKey
from coincurve.ecdsa import cdata_to_der, deserialize_compact
from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.mnemonic import derive_child_key_from_mnemonic
from cosmpy.protos.cosmos.bank.v1beta1.bank_pb2 import Input, Output
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgMultiSend, MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2 import (
    MsgWithdrawDelegatorReward,
    MsgWithdrawValidatorCommission,
)
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import AuthInfo, Tx, TxBody, TxRaw
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from chain.sdk.address import encode_address
from chain.sdk.errors import ErrTxDecode, SdkError
from chain.tx import decode_tx, reject_non_adr027, sign_bytes, signers_of, tx_hash, unpack_any

MNEMONIC = "test test test test test test test test test test test junk"
CHAIN_ID = "akash-localnet-1"


@functools.cache
def wallet(index: int) -> LocalWallet:
    key = derive_child_key_from_mnemonic(MNEMONIC, path=f"m/44'/118'/0'/0/{index}")
    return LocalWallet(PrivateKey(key), prefix="akash")


def text(index: int) -> str:
    return str(wallet(index).address())


def coins(amount: str = "5", denom: str = "uakt") -> list[CoinPb]:
    return [CoinPb(denom=denom, amount=amount)]


def send(sender: int, recipient: int) -> MsgSend:
    return MsgSend(from_address=text(sender), to_address=text(recipient), amount=coins())


def signed(
    msgs: list[Message], signers: list[int], fee: str | None = "100uakt", memo: str = "memo"
) -> Tx:
    tx = Transaction()
    for msg in msgs:
        tx.add_message(msg)
    tx.seal(
        [SigningCfg.direct(wallet(i).public_key(), 7) for i in signers],
        fee=TxFee(amount=fee, gas_limit=150_000),
        memo=memo,
    )
    for number, i in enumerate(signers):
        tx.sign(wallet(i).signer(), CHAIN_ID, number + 3, deterministic=True)
    tx.complete()
    result: Tx = tx.tx
    return result


def raw_of(tx: Tx) -> TxRaw:
    return TxRaw(
        body_bytes=tx.body.SerializeToString(),
        auth_info_bytes=tx.auth_info.SerializeToString(),
        signatures=list(tx.signatures),
    )


def rejects(data: bytes, log_start: str) -> SdkError:
    with pytest.raises(SdkError) as raised:
        decode_tx(data)
    assert raised.value.is_(ErrTxDecode)
    assert raised.value.log.startswith(log_start), raised.value.log
    assert raised.value.log.endswith(": tx parse error")
    return raised.value


# A valid tx


def test_decodes_a_cosmpy_tx() -> None:
    tx = signed([send(0, 1)], [0])
    data = tx.SerializeToString()
    decoded = decode_tx(data)
    assert decoded.raw == data
    assert decoded.size == len(data)
    assert decoded.hash == hashlib.sha256(data).hexdigest().upper() == tx_hash(data)
    assert decoded.msgs == (send(0, 1),)
    assert decoded.type_urls == ("/cosmos.bank.v1beta1.MsgSend",)
    assert decoded.signers == (bytes(wallet(0).address()),)
    assert decoded.fee_payer == bytes(wallet(0).address())
    assert decoded.fee == (("uakt", 100),)
    assert decoded.gas_limit == 150_000
    assert decoded.memo == "memo"
    assert decoded.signatures == tuple(tx.signatures)
    assert not decoded.body_has_unknown_non_criticals


def test_sign_bytes_are_what_cosmpy_signs() -> None:
    tx = signed([send(0, 1)], [0])
    doc = sign_bytes(tx.body.SerializeToString(), tx.auth_info.SerializeToString(), CHAIN_ID, 3)
    key = PublicKey(wallet(0).public_key().public_key_bytes)
    der = cdata_to_der(deserialize_compact(tx.signatures[0]))
    assert key.verify(der, doc)
    assert not key.verify(der, sign_bytes(doc[:0], b"", CHAIN_ID, 3))


def test_signers_are_unique_in_first_seen_order() -> None:
    multi = MsgMultiSend(
        inputs=[Input(address=text(2), coins=coins())],
        outputs=[Output(address=text(0), coins=coins())],
    )
    tx = signed([send(1, 0), multi, send(0, 1), send(1, 2)], [1, 2, 0])
    decoded = decode_tx(tx.SerializeToString())
    assert decoded.signers == tuple(bytes(wallet(i).address()) for i in (1, 2, 0))
    assert decoded.fee_payer == bytes(wallet(1).address())


def test_fee_payer_is_appended_to_the_signers() -> None:
    tx = signed([send(0, 1)], [0])
    tx.auth_info.fee.payer = text(1)
    decoded = decode_tx(tx.SerializeToString())
    assert decoded.signers == (bytes(wallet(0).address()), bytes(wallet(1).address()))
    assert decoded.fee_payer == bytes(wallet(1).address())


def test_signers_of() -> None:
    assert signers_of(send(0, 1)) == [text(0)]
    multi = MsgMultiSend(
        inputs=[Input(address=text(2)), Input(address=text(1))], outputs=[Output(address=text(0))]
    )
    assert signers_of(multi) == [text(2), text(1)]
    assert signers_of(MsgWithdrawDelegatorReward(delegator_address=text(1))) == [text(1)]
    with pytest.raises(SdkError, match=r"no cosmos\.msg\.v1\.signer option found for message"):
        signers_of(CoinPb())


def test_validator_address_signers_use_the_valoper_prefix() -> None:
    valoper = encode_address(bytes(wallet(0).address()), "akashvaloper")
    msg = MsgWithdrawValidatorCommission(validator_address=valoper)
    tx = signed([msg], [0])
    assert decode_tx(tx.SerializeToString()).signers == (bytes(wallet(0).address()),)
    msg.validator_address = text(0)
    rejects(signed([msg], [0]).SerializeToString(), "invalid Bech32 prefix; expected akashvaloper")


def test_unknown_non_critical_body_fields_are_allowed() -> None:
    tx = signed([send(0, 1)], [0])
    raw = raw_of(tx)
    raw.body_bytes += bytes([0xA2, 0x40, 0x01, 0x41])  # field 1028, bytes
    decoded = decode_tx(raw.SerializeToString())
    assert decoded.body_has_unknown_non_criticals


def test_unpack_any() -> None:
    packed = AnyPb()
    packed.Pack(send(0, 1), type_url_prefix="/")
    assert unpack_any(packed) == send(0, 1)
    with pytest.raises(SdkError, match=r"unable to resolve type URL /no\.Such"):
        unpack_any(AnyPb(type_url="/no.Such", value=b""))


# Rejections


def test_rejects_garbage() -> None:
    rejects(b"\x0f", "expected 2 wire type, got 7")
    rejects(b"\xff\xff\xff", "invalid length; unexpected end of input")
    rejects(b"\x0a\x05ab", "invalid length; unexpected end of input")
    rejects(b"\x0a", "invalid length; unexpected end of input")
    rejects(b"\x02\x00", "invalid field number")


def test_rejects_trailing_garbage() -> None:
    data = signed([send(0, 1)], [0]).SerializeToString()
    rejects(data + b"\x00", "invalid field number")
    rejects(data + b"\x08\x01", "expected 2 wire type, got 0")
    rejects(data + b"\x22\x00", "unknown field in cosmos.tx.v1beta1.TxRaw: {TagNum: 4")


def test_rejects_fields_out_of_order() -> None:
    raw = raw_of(signed([send(0, 1)], [0]))
    body = TxRaw(body_bytes=raw.body_bytes).SerializeToString()
    rest = TxRaw(auth_info_bytes=raw.auth_info_bytes).SerializeToString()
    rejects(rest + body, "txRaw must follow ADR-027, got tagNum 1 after tagNum 2")


def test_rejects_long_length_prefix() -> None:
    rejects(
        b"\x0a\x80\x00", "length prefix varint for tagNum 1 is not as short as possible, read 2"
    )
    reject_non_adr027(b"\x0a\x00")


def test_rejects_unknown_critical_body_field() -> None:
    raw = raw_of(signed([send(0, 1)], [0]))
    raw.body_bytes += bytes([0x32, 0x01, 0x41])  # field 6, bytes
    rejects(raw.SerializeToString(), "unknown field in cosmos.tx.v1beta1.TxBody: {TagNum: 6")


def test_rejects_unknown_field_inside_a_message() -> None:
    tx = signed([send(0, 1)], [0])
    tx.body.messages[0].value += bytes([0xA2, 0x40, 0x01, 0x41])  # non-critical but nested
    raw = raw_of(tx)
    assert decode_tx(raw.SerializeToString()).body_has_unknown_non_criticals
    tx.body.messages[0].value += bytes([0x22, 0x01, 0x41])  # field 4: critical
    rejects(raw_of(tx).SerializeToString(), "unknown field in cosmos.bank.v1beta1.MsgSend")


def test_rejects_unknown_auth_info_field() -> None:
    raw = raw_of(signed([send(0, 1)], [0]))
    raw.auth_info_bytes += bytes([0xA2, 0x40, 0x01, 0x41])  # even non-critical numbers
    rejects(raw.SerializeToString(), "unknown field in cosmos.tx.v1beta1.AuthInfo")


def test_rejects_malformed_body() -> None:
    raw = raw_of(signed([send(0, 1)], [0]))
    raw.body_bytes = raw.body_bytes[:-3]
    rejects(raw.SerializeToString(), "tx body: Error parsing message")


def test_rejects_malformed_auth_info() -> None:
    raw = raw_of(signed([send(0, 1)], [0]))
    raw.auth_info_bytes = b"\x0a\x05"
    rejects(raw.SerializeToString(), "auth info: Error parsing message")


def test_rejects_unknown_message_type() -> None:
    tx = signed([send(0, 1)], [0])
    tx.body.messages[0].type_url = "/cosmos.bank.v1beta1.MsgNoSuch"
    rejects(tx.SerializeToString(), "unable to resolve type URL /cosmos.bank.v1beta1.MsgNoSuch")


def test_rejects_unknown_pubkey_type() -> None:
    tx = signed([send(0, 1)], [0])
    tx.auth_info.signer_infos[0].public_key.type_url = "/cosmos.crypto.nosuch.PubKey"
    rejects(tx.SerializeToString(), "unable to resolve type URL /cosmos.crypto.nosuch.PubKey")


def test_rejects_a_message_without_signers() -> None:
    tx = signed([send(0, 1)], [0])
    tx.body.messages[0].Pack(CoinPb(denom="uakt", amount="1"), type_url_prefix="/")
    rejects(
        tx.SerializeToString(),
        "no cosmos.msg.v1.signer option found for message cosmos.base.v1beta1.Coin",
    )


def test_rejects_a_signer_with_another_prefix() -> None:
    msg = send(0, 1)
    msg.from_address = encode_address(bytes(wallet(0).address()), "cosmos")
    rejects(
        signed([msg], [0]).SerializeToString(), "invalid Bech32 prefix; expected akash, got cosmos"
    )


def test_rejects_an_empty_signer() -> None:
    msg = send(0, 1)
    msg.from_address = ""
    rejects(signed([msg], [0]).SerializeToString(), "empty address string is not allowed")


def test_rejects_bad_fee_coins() -> None:
    for amount, log in (
        ("1.5", "invalid fee coin amount at index 0: 1.5"),
        ("", "invalid fee coin amount at index 0: "),
        (str(2**256), "invalid fee coin amount at index 0"),
    ):
        tx = signed([send(0, 1)], [0])
        tx.auth_info.fee.amount[0].amount = amount
        rejects(tx.SerializeToString(), log)
    tx = signed([send(0, 1)], [0])
    tx.auth_info.fee.amount[0].denom = "1bad"
    rejects(tx.SerializeToString(), "invalid fee coin denom at index 0")
    tx = signed([send(0, 1)], [0], fee="5uatom,5uakt")
    tx.auth_info.fee.amount[0].denom, tx.auth_info.fee.amount[1].denom = "uatom", "uakt"
    rejects(tx.SerializeToString(), "invalid not sorted tx fees: 5uatom,5uakt")
    tx.auth_info.fee.amount[0].amount = "-5"
    tx.auth_info.fee.amount[0].denom = "uakt"
    tx.auth_info.fee.amount[1].denom = "uatom"
    assert decode_tx(tx.SerializeToString()).fee == (("uakt", -5), ("uatom", 5))


def test_rejects_deeply_nested_anys() -> None:
    tx = signed([send(0, 1)], [0])
    packed = AnyPb(type_url="/cosmos.bank.v1beta1.MsgSend", value=send(0, 1).SerializeToString())
    for _ in range(120):
        outer = AnyPb()
        outer.Pack(packed, type_url_prefix="/")
        packed = outer
    tx.body.extension_options.append(packed)
    rejects(tx.SerializeToString(), "max protobuf nesting depth exceeded")


def test_body_and_auth_info_round_trip() -> None:
    tx = signed([send(0, 1)], [0])
    decoded = decode_tx(tx.SerializeToString())
    assert decoded.body == TxBody.FromString(tx.body.SerializeToString())
    assert decoded.auth_info == AuthInfo.FromString(tx.auth_info.SerializeToString())
