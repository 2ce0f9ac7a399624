"""Signing txs the way cosmpy and the SDK's CLI do: ``TxRaw`` bytes in SIGN_MODE_DIRECT.

Owns ``sign_direct``: one signer, a ``/cosmos.crypto.secp256k1.PubKey`` in its signer info, the
messages packed with type URL ``/`` + full name, and a 64-byte compact secp256k1 signature (RFC
6979 with coincurve, so low-S and deterministic: the same inputs give the same bytes) over the
``SignDoc`` of ``chain.tx.sign_bytes``. For benchmarks, load and simulation, which sign many txs
without a wallet round trip.

Fails when: ``private_key`` is not a valid secp256k1 secret (coincurve's ``ValueError``).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

import coincurve
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.crypto.secp256k1.keys_pb2 import PubKey
from cosmpy.protos.cosmos.tx.signing.v1beta1.signing_pb2 import SIGN_MODE_DIRECT
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

from chain.tx import sign_bytes

_DIRECT = ModeInfo(single=ModeInfo.Single(mode=SIGN_MODE_DIRECT))


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@functools.lru_cache(maxsize=1024)
def _signer(private_key: bytes) -> tuple[coincurve.PrivateKey, AnyPb]:
    """The key of ``private_key`` and its packed public key (deriving the public key costs as
    much as signing; the same secret always gives the same pair)."""
    key = coincurve.PrivateKey(private_key)
    public = AnyPb()
    public.Pack(PubKey(key=key.public_key.format(compressed=True)), type_url_prefix="/")
    return key, public


def sign_direct(
    private_key: bytes,
    msgs: Sequence[Message],
    *,
    chain_id: str,
    account_number: int,
    sequence: int,
    gas_limit: int,
    fee: Sequence[Coin] = (),
    memo: str = "",
) -> bytes:
    """The ``TxRaw`` bytes of ``msgs`` signed by ``private_key`` for ``chain_id``, the signer's
    ``account_number`` and ``sequence``, paying ``fee`` for ``gas_limit``."""
    key, public = _signer(private_key)
    body = TxBody(memo=memo)
    for msg in msgs:
        body.messages.add().Pack(msg, type_url_prefix="/")
    info = AuthInfo(
        signer_infos=[SignerInfo(public_key=public, mode_info=_DIRECT, sequence=sequence)],
        fee=Fee(amount=list(fee), gas_limit=gas_limit),
    )
    body_bytes, info_bytes = body.SerializeToString(), info.SerializeToString()
    doc = sign_bytes(body_bytes, info_bytes, chain_id, account_number)
    signature = key.sign_recoverable(doc, hasher=_sha256)[:64]
    raw = TxRaw(body_bytes=body_bytes, auth_info_bytes=info_bytes, signatures=[signature])
    return bytes(raw.SerializeToString())
