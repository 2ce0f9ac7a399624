"""Real signed txs of simulated accounts: ``TxRaw`` with a SIGN_MODE_DIRECT secp256k1 signature.

``sign_tx`` signs with ``chain.signing.sign_direct`` (as cosmpy does; RFC 6979, so the same
inputs give the same bytes). A ``tamper`` makes a tx the ante
handler must refuse: ``bad-signature`` (a flipped signature byte), ``wrong-sequence`` (one
ahead), ``wrong-chain-id`` (signed for another chain).

Fails when: ``tamper`` is not one of those names (``ValueError``).
"""

from __future__ import annotations

from collections.abc import Sequence

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import TxRaw
from google.protobuf.message import Message

from chain.signing import sign_direct
from incentivesd.simulation.genesis import DENOM, SimAccount

TAMPERS = ("bad-signature", "wrong-sequence", "wrong-chain-id")
GAS_LIMIT = 3_000_000


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
    signed = sign_direct(
        account.key.secret,
        msgs,
        chain_id=chain_id + ("-other" if tamper == "wrong-chain-id" else ""),
        account_number=account_number,
        sequence=sequence + (tamper == "wrong-sequence"),
        gas_limit=GAS_LIMIT,
        fee=[Coin(denom=DENOM, amount=str(fee))] if fee else [],
    )
    if tamper != "bad-signature":
        return signed
    raw = TxRaw.FromString(signed)
    signature = raw.signatures[0]
    raw.signatures[0] = bytes([signature[0] ^ 1]) + signature[1:]
    return bytes(raw.SerializeToString())
