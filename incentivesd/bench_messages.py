"""Per-message cost of the incentives module, in process: register, join, attest, claim.

Each figure runs N fresh messages of one kind through ``SimApp.deliver`` (validation, handler,
store branch and write, events), and reports microseconds per message. The reference, measured in
the same run, is a bank transfer through the same context and store (the SDK's simplest state
change); ``ratio`` is the message's cost over it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.sdk.address import encode_address
from chain.sdk.math import Coins
from chain.simapp import SimApp
from incentives.pb import tx_pb2, types_pb2
from incentives.types import keys
from incentives.types.params import DEFAULT_PARAMS

DAY = 86_400
DENOM = "uakt"


def _account(index: int) -> bytes:
    return index.to_bytes(20, "big")


def _setup(providers: int) -> tuple[SimApp, list[str], str]:
    app = SimApp()
    ctx = app.context()
    texts = []
    for index in range(1, providers + 2):
        app.bank.mint_coins(ctx, "distribution", Coins.of(DENOM, 10**12))
        app.bank.send_coins_from_module_to_account(
            ctx, "distribution", _account(index), Coins.of(DENOM, 10**12)
        )
        texts.append(encode_address(_account(index)))
    attester = texts.pop()
    keys.PARAMS.set(ctx, dataclasses.replace(DEFAULT_PARAMS, max_reports_per_attestation=10_000))
    app.epochs.add_epoch(ctx, "day", DAY, app.header.time)
    app.begin_block(app.header.time)
    _ok(
        app,
        tx_pb2.MsgCreatePool(
            authority=keys.GOV_AUTHORITY,
            name="bench",
            rule="ALLOCATION_RULE_PRO_RATA",
            admin=attester,
            attesters=[attester],
            attestation_quorum=1,
            start_epoch=1,
            end_epoch=100,
            pro_rata=types_pb2.ProRataConfig(emission_per_epoch="1000000000"),
        ),
    )
    _ok(
        app,
        tx_pb2.MsgFundPool(
            depositor=attester, pool_id=1, amount=[Coin(denom=DENOM, amount=str(10**11))]
        ),
    )
    return app, texts, attester


def _ok(app: SimApp, msg: object) -> None:
    result = app.deliver(msg)  # type: ignore[arg-type]
    if result.error is not None:
        raise RuntimeError(result.error.log)


def _timed(run: Callable[[int], None], count: int) -> float:
    start = time.perf_counter()
    for index in range(count):
        run(index)
    return (time.perf_counter() - start) / count * 1e6


def bench_messages(count: int = 2000) -> list[dict[str, object]]:
    """Microseconds per message for register, join, attest and claim; bank send as reference."""
    app, providers, attester = _setup(count)
    ctx = app.context()
    reference = _timed(
        lambda i: app.bank.send_coins(ctx, _account(i + 1), _account(i + 2), Coins.of(DENOM, 1)),
        count,
    )
    figures: dict[str, float] = {}
    figures["register"] = _timed(
        lambda i: _ok(
            app,
            tx_pb2.MsgRegisterNode(
                owner=providers[i],
                node_id=f"node-{i}",
                gpu_model="rtx4090",
                gpu_count=1,
                benchmark_score=1000,
            ),
        ),
        count,
    )
    figures["join"] = _timed(
        lambda i: _ok(app, tx_pb2.MsgJoinPool(owner=providers[i], pool_id=1, node_id=f"node-{i}")),
        count,
    )
    figures["attest"] = _timed(
        lambda i: _ok(
            app,
            tx_pb2.MsgSubmitAttestation(
                attester=attester,
                pool_id=1,
                epoch=1,
                reports=[
                    types_pb2.NodeReport(
                        node_id=f"node-{i}", online_seconds=DAY, idle_seconds=DAY // 2
                    )
                ],
            ),
        ),
        count,
    )
    app.begin_block(app.header.time + DAY)
    app.begin_block(app.header.time + DAY)
    figures["claim"] = _timed(
        lambda i: _ok(app, tx_pb2.MsgClaimRewards(provider=providers[i])), count
    )
    broken = app.invariants()
    if broken:
        raise RuntimeError(f"invariants broken after the benchmark: {broken}")
    return [
        {
            "figure": f"msg_{name}_us",
            "value": round(micros, 1),
            "unit": "us/msg",
            "messages": count,
            "reference": "bank_send_us",
            "reference_value": round(reference, 1),
            "ratio": round(micros / reference, 2),
        }
        for name, micros in figures.items()
    ]
