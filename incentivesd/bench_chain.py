"""Chain throughput, in process: ``finalize_block`` of pre-signed bank sends.

Txs are real: ``TxRaw`` with SIGN_MODE_DIRECT secp256k1 signatures of the dev accounts (signed
beforehand with coincurve, byte-identical to cosmpy's deterministic signatures). The figure is
committed txs per second through ``finalize_block`` + ``commit`` (decode, ante with signature
verification, fee, sequence, the send, events); the reference, measured in the same run, is bare
coincurve verification of the same signatures.
"""

from __future__ import annotations

import hashlib
import time

import coincurve
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
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
from google.protobuf.any_pb2 import Any

from chain.app import App, clear_tx_caches
from chain.devnet import dev_accounts, devnet_genesis
from chain.sdk.address import decode_address
from chain.sdk.context import NANOS


def _signed_sends(app: App, count: int) -> tuple[list[bytes], list[tuple[bytes, bytes, bytes]]]:
    accounts = dev_accounts()
    senders = accounts[1:]
    txs: list[bytes] = []
    checks: list[tuple[bytes, bytes, bytes]] = []
    ctx = app.query_context()
    state = {
        account.index: app.auth.get_account(ctx, decode_address(account.address))
        for account in senders
    }
    sequences = dict.fromkeys(state, 0)
    for number in range(count):
        sender = senders[number % len(senders)]
        key = coincurve.PrivateKey(sender.private_key)
        public = key.public_key.format(compressed=True)
        body = TxBody()
        packed = Any()
        packed.Pack(
            MsgSend(
                from_address=sender.address,
                to_address=accounts[0].address,
                amount=[Coin(denom="uakt", amount="1")],
            ),
            type_url_prefix="/",
        )
        body.messages.append(packed)
        pub = Any()
        pub.Pack(PubKey(key=public), type_url_prefix="/")
        info = AuthInfo(
            signer_infos=[
                SignerInfo(
                    public_key=pub,
                    mode_info=ModeInfo(single=ModeInfo.Single(mode=SIGN_MODE_DIRECT)),
                    sequence=sequences[sender.index],
                )
            ],
            fee=Fee(amount=[Coin(denom="uakt", amount="5000")], gas_limit=200_000),
        )
        sequences[sender.index] += 1
        body_bytes, info_bytes = body.SerializeToString(), info.SerializeToString()
        account = state[sender.index]
        assert account is not None
        doc = SignDoc(
            body_bytes=body_bytes,
            auth_info_bytes=info_bytes,
            chain_id=app.chain_id,
            account_number=account.account_number,
        ).SerializeToString()
        signature = key.sign_recoverable(doc, hasher=lambda data: hashlib.sha256(data).digest())[
            :64
        ]
        txs.append(
            TxRaw(
                body_bytes=body_bytes, auth_info_bytes=info_bytes, signatures=[signature]
            ).SerializeToString()
        )
        checks.append((public, signature, hashlib.sha256(doc).digest()))
    return txs, checks


def finalize_rate(count: int, genesis: dict[str, object] | None = None) -> float:
    """Committed tx/s of one block of ``count`` pre-signed sends in process, from a cold start
    (no tx decoded or signature verified beforehand): the reference the node figures use."""
    app = App()
    app.init_chain(devnet_genesis() if genesis is None else genesis)
    txs, _ = _signed_sends(app, count)
    clear_tx_caches()
    begin = time.perf_counter()
    app.finalize_block(app.last_time_ns + NANOS, txs)
    app.commit()
    return count / (time.perf_counter() - begin)


def bench_finalize(count: int = 10_000) -> list[dict[str, object]]:
    """Committed tx/s of one block of ``count`` pre-signed sends, and bare verification."""
    app = App()
    app.init_chain(devnet_genesis())
    txs, checks = _signed_sends(app, count)
    clear_tx_caches()
    start = time.perf_counter()
    for public, signature, digest in checks:
        coincurve.PublicKey(public).verify(
            coincurve.ecdsa.cdata_to_der(coincurve.ecdsa.deserialize_compact(signature)),
            digest,
            hasher=None,
        )
    verify_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = app.finalize_block(app.last_time_ns + 5 * NANOS, txs)
    app.commit()
    seconds = time.perf_counter() - start
    failed = [tx for tx in result.tx_results if not tx.ok]
    if failed:
        raise RuntimeError(f"{len(failed)} txs failed, first: {failed[0].log}")
    rate = count / seconds
    reference = count / verify_seconds
    return [
        {
            "figure": "finalize_block_bank_sends_tx_per_s",
            "value": round(rate),
            "unit": "tx/s",
            "txs": count,
            "target": 5000,
            "reference": "coincurve_verify_per_s",
            "reference_value": round(reference),
            "ratio": round(rate / reference, 3),
        }
    ]
