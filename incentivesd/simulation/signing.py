"""Real signed txs of simulated accounts: ``TxRaw`` with a SIGN_MODE_DIRECT secp256k1 signature.

``sign_tx`` builds the body, auth info and sign doc exactly as cosmpy does and signs it with
coincurve (RFC 6979, so the same inputs give the same bytes). A ``tamper`` makes a tx the ante
handler must refuse: ``bad-signature`` (a flipped signature byte), ``wrong-sequence`` (one
ahead), ``wrong-chain-id`` (signed for another chain).

Fails when: ``tamper`` is not one of those names (``ValueError``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.crypto.secp256k1.keys_pb2 import PubKey
from cosmpy.protos.cosmos.tx.signing.v1beta1.signing_pb2 import SIGN_MODE_DIRECT
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import (
    AuthInfo,
    Fee,
    ModeInfo,
    SignDoc,
    SignerInfo,
    TxBody,
    TxRaw,
)
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from incentivesd.simulation.genesis import DENOM, SimAccount

TAMPERS = ("bad-signature", "wrong-sequence", "wrong-chain-id")
GAS_LIMIT = 3_000_000
_DIRECT = ModeInfo(single=ModeInfo.Single(mode=SIGN_MODE_DIRECT))


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def sign_tx(
    account: SimAccount,
    account_number: int,
    sequence: int,
    msgs: Sequence[Message],
    fee: int,
    chain_id: str,
    tamper: str | None = None,
) -> bytes:
    """The ``TxRaw`` bytes of ``msgs`` signed by ``account``."""
    if tamper is not None and tamper not in TAMPERS:
        raise ValueError(f"unknown tamper {tamper!r}")
    body = TxBody()
    for msg in msgs:
        body.messages.add().Pack(msg, type_url_prefix="/")
    public = AnyPb()
    public.Pack(PubKey(key=account.public_key), type_url_prefix="/")
    info = AuthInfo(
        signer_infos=[
            SignerInfo(
                public_key=public,
                mode_info=_DIRECT,
                sequence=sequence + (tamper == "wrong-sequence"),
            )
        ],
        fee=Fee(amount=[Coin(denom=DENOM, amount=str(fee))] if fee else [], gas_limit=GAS_LIMIT),
    )
    body_bytes, info_bytes = body.SerializeToString(), info.SerializeToString()
    doc = SignDoc(
        body_bytes=body_bytes,
        auth_info_bytes=info_bytes,
        chain_id=chain_id + ("-other" if tamper == "wrong-chain-id" else ""),
        account_number=account_number,
    ).SerializeToString()
    signature = account.key.sign_recoverable(doc, hasher=_sha256)[:64]
    if tamper == "bad-signature":
        signature = bytes([signature[0] ^ 1]) + signature[1:]
    raw = TxRaw(body_bytes=body_bytes, auth_info_bytes=info_bytes, signatures=[signature])
    return bytes(raw.SerializeToString())
