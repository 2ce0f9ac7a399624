"""Real signed txs with every field the fuzz tests vary: fee coins as raw text, gas, sequence,
chain id, account number, memo, and the signature itself (kept, flipped, cut or replaced).

Built from the protobuf types directly (cosmpy's builder parses fees and would refuse the hostile
ones first) and signed with cosmpy's key over the real SIGN_MODE_DIRECT sign bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.crypto.secp256k1.keys_pb2 import PubKey as Secp256k1PubKey
from cosmpy.protos.cosmos.tx.signing.v1beta1.signing_pb2 import SignMode
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import (
    AuthInfo,
    Fee,
    ModeInfo,
    SignerInfo,
    TxBody,
    TxRaw,
)
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from chain.app import App
from chain.devnet import dev_accounts
from chain.sdk.address import decode_address
from chain.tx import sign_bytes

ACCOUNTS = dev_accounts()


def packed(msg: Message) -> AnyPb:
    value = AnyPb()
    value.Pack(msg, type_url_prefix="/")
    return value


@dataclass(frozen=True)
class TxSpec:
    """One tx of dev account ``signer``; ``None`` fields take the account's real values."""

    signer: int
    msgs: tuple[Message, ...]
    fee: tuple[tuple[str, str], ...] = (("uakt", "5000"),)
    gas: int = 200_000
    sequence: int | None = None
    account_number: int | None = None
    chain_id: str | None = None
    memo: str = ""
    signature: str = "valid"  # valid | flipped | short | empty | zeros | other_key
    with_pub_key: bool = True


def build(app: App, spec: TxSpec) -> bytes:
    """The TxRaw bytes of ``spec``, signed against the committed state of ``app``."""
    account = ACCOUNTS[spec.signer]
    key = PrivateKey(account.private_key)
    state = app.auth.get_account(app.query_context(), decode_address(account.address))
    assert state is not None
    body = TxBody(messages=[packed(msg) for msg in spec.msgs], memo=spec.memo)
    info = SignerInfo(
        mode_info=ModeInfo(single=ModeInfo.Single(mode=SignMode.SIGN_MODE_DIRECT)),
        sequence=state.sequence if spec.sequence is None else spec.sequence,
    )
    if spec.with_pub_key:
        info.public_key.CopyFrom(packed(Secp256k1PubKey(key=key.public_key.public_key_bytes)))
    auth_info = AuthInfo(
        signer_infos=[info],
        fee=Fee(
            amount=[CoinPb(denom=denom, amount=amount) for denom, amount in spec.fee],
            gas_limit=spec.gas,
        ),
    )
    body_bytes = body.SerializeToString()
    auth_info_bytes = auth_info.SerializeToString()
    number = state.account_number if spec.account_number is None else spec.account_number
    doc = sign_bytes(body_bytes, auth_info_bytes, spec.chain_id or app.chain_id, number)
    signer = key if spec.signature != "other_key" else PrivateKey(ACCOUNTS[9].private_key)
    signature = signer.sign(doc, deterministic=True)
    if spec.signature == "flipped":
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    elif spec.signature == "short":
        signature = signature[:-1]
    elif spec.signature == "empty":
        signature = b""
    elif spec.signature == "zeros":
        signature = bytes(64)
    raw = TxRaw(body_bytes=body_bytes, auth_info_bytes=auth_info_bytes, signatures=[signature])
    data: bytes = raw.SerializeToString()
    return data
