"""Chain throughput, in process: ``finalize_block`` of pre-signed bank sends.

Txs are real: ``TxRaw`` with SIGN_MODE_DIRECT secp256k1 signatures of the dev accounts (signed
beforehand with coincurve, byte-identical to cosmpy's deterministic signatures). The figure is
committed txs per second through ``finalize_block`` + ``commit`` (decode, ante with signature
verification, fee, sequence, the send, events), with the app set up as the node sets it up: on a
machine with two cores the signatures are also verified ahead in a helper process
(``chain.server.verify_ahead``, started lazily, so its start-up is inside the timed block). The
reference, measured in the same run, is bare coincurve verification of the same signatures on one
core. Two blocks: 10,000 alike sends (1 uakt from the
dev accounts to account 0), where the memos of alike bodies, fees and events apply, and 10,000
distinct ones (each amount and recipient different, each recipient a new account), where they
do not.
"""

from __future__ import annotations

import hashlib
import time

import coincurve
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import (
    TxRaw,
)

from chain.app import App, clear_tx_caches
from chain.devnet import dev_accounts, devnet_genesis
from chain.sdk.address import decode_address, encode_address
from chain.sdk.context import NANOS
from chain.server import verify_ahead
from chain.signing import sign_direct
from chain.tx import sign_bytes


def signed_sends(
    app: App, count: int, distinct: bool = False
) -> tuple[list[bytes], list[tuple[bytes, bytes, bytes]]]:
    """``count`` sends from dev accounts 1..9 (in turn), signed for ``app``'s chain, and for each
    its (public key, signature, sign-doc digest): of 1 uakt to account 0, or with ``distinct``,
    of ``n + 1`` uakt to a new address for the ``n``-th (no two txs alike, each creates an
    account)."""
    accounts = dev_accounts()
    senders = accounts[1:]
    ctx = app.query_context()
    numbers = {}
    for sender in senders:
        account = app.auth.get_account(ctx, decode_address(sender.address))
        if account is None:
            raise RuntimeError(f"dev account {sender.address} is not in the genesis")
        numbers[sender.index] = account.account_number
    sequences = dict.fromkeys(numbers, 0)
    publics = {
        sender.index: coincurve.PrivateKey(sender.private_key).public_key.format(compressed=True)
        for sender in senders
    }
    txs: list[bytes] = []
    checks: list[tuple[bytes, bytes, bytes]] = []
    for number in range(count):
        sender = senders[number % len(senders)]
        recipient, amount = accounts[0].address, 1
        if distinct:
            recipient = encode_address(hashlib.sha256(number.to_bytes(8, "big")).digest()[:20])
            amount = number + 1
        send = MsgSend(
            from_address=sender.address,
            to_address=recipient,
            amount=[Coin(denom="uakt", amount=str(amount))],
        )
        tx = sign_direct(
            sender.private_key,
            [send],
            chain_id=app.chain_id,
            account_number=numbers[sender.index],
            sequence=sequences[sender.index],
            gas_limit=200_000,
            fee=[Coin(denom="uakt", amount="5000")],
        )
        sequences[sender.index] += 1
        raw = TxRaw.FromString(tx)
        doc = sign_bytes(raw.body_bytes, raw.auth_info_bytes, app.chain_id, numbers[sender.index])
        txs.append(tx)
        checks.append((publics[sender.index], raw.signatures[0], hashlib.sha256(doc).digest()))
    return txs, checks


def _block_seconds(app: App, txs: list[bytes]) -> float:
    """Seconds to finalize and commit one block of ``txs``, every one of which must succeed."""
    start = time.perf_counter()
    result = app.finalize_block(app.last_time_ns + NANOS, txs)
    app.commit()
    seconds = time.perf_counter() - start
    failed = [tx for tx in result.tx_results if not tx.ok]
    if failed:
        raise RuntimeError(f"{len(failed)} txs failed, first: {failed[0].log}")
    return seconds


def finalize_rate(count: int, genesis: dict[str, object] | None = None) -> float:
    """Committed tx/s of one block of ``count`` pre-signed sends in process, from a cold start
    (no tx decoded or signature verified beforehand): the reference the node figures use."""
    verify_ahead.install()
    app = App()
    app.init_chain(devnet_genesis() if genesis is None else genesis)
    txs, _ = signed_sends(app, count)
    clear_tx_caches()
    return count / _block_seconds(app, txs)


def bench_finalize(count: int = 10_000) -> list[dict[str, object]]:
    """Committed tx/s of one block of ``count`` pre-signed sends (alike ones, and distinct ones
    to new accounts), each against bare verification of the same signatures."""
    return [_finalize_figure(count, distinct) for distinct in (False, True)]


def _finalize_figure(count: int, distinct: bool) -> dict[str, object]:
    ahead = verify_ahead.install()
    app = App()
    app.init_chain(devnet_genesis())
    txs, checks = signed_sends(app, count, distinct)
    clear_tx_caches()
    start = time.perf_counter()
    for public, signature, digest in checks:
        coincurve.PublicKey(public).verify(
            coincurve.ecdsa.cdata_to_der(coincurve.ecdsa.deserialize_compact(signature)),
            digest,
            hasher=None,
        )
    verify_seconds = time.perf_counter() - start
    rate = count / _block_seconds(app, txs)
    reference = count / verify_seconds
    return {
        "figure": f"finalize_block_{'distinct' if distinct else 'bank'}_sends_tx_per_s",
        "value": round(rate),
        "unit": "tx/s",
        "txs": count,
        "target": 5000,
        "reference": "coincurve_verify_per_s",
        "reference_value": round(reference),
        "ratio": round(rate / reference, 3),
        "signatures_verified_ahead": ahead,
    }
