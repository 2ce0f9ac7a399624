"""``incentivesd demo``: an AEP-26-style pilot run through the module in process.

Governance creates the pilot's three pools (committed FIXED_RATE, liquidity-mining PRO_RATA,
next-gen R&D AVAILABILITY) and funds them from the community pool; providers register nodes and
join; a price feeder posts AKT/USD and an attester posts uptime every epoch; epochs pass; providers
claim; pools close at the end of their term and return what is left to the community pool. Every
step is a real Msg through the module's handlers, with every invariant checked after every block.
Uptime and prices come from a seeded generator, so a run is reproducible.
"""

from __future__ import annotations

import dataclasses
import json
import random
from dataclasses import dataclass
from typing import Any

import click
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.sdk.address import encode_address
from chain.sdk.math import Coins
from chain.simapp import SimApp
from incentives.pb import tx_pb2, types_pb2
from incentives.types import keys
from incentives.types.params import DEFAULT_PARAMS
from incentivesd.tables import render_table

DAY = 86_400
DENOM = "uakt"
AKT = 10**6
GOV = keys.GOV_AUTHORITY

# (node id prefix, GPU model, GPUs per node, nodes, benchmark, pool)
FLEET = (
    ("h100", "h100", 8, 2, 2950, "committed"),
    ("a100", "a100-80gb", 8, 2, 2400, "committed"),
    ("rtx4090", "rtx4090", 1, 6, 1180, "liquidity"),
    ("a6000", "rtxa6000", 2, 3, 980, "liquidity"),
    ("h200", "h200", 8, 1, 3300, "rnd"),
    ("mi325x", "mi325x", 8, 1, 3100, "rnd"),
)


@dataclass
class Actors:
    providers: list[str]
    attester: str
    feeder: str


def _account(index: int) -> bytes:
    return (index + 1).to_bytes(20, "big")


def _deliver(app: SimApp, msg: object) -> None:
    result = app.deliver(msg)  # type: ignore[arg-type]
    if result.error is not None:
        raise click.ClickException(f"{type(msg).__name__}: {result.error.log}")


def _check(app: SimApp) -> None:
    broken = app.invariants()
    if broken:
        raise click.ClickException("invariant broken: " + "; ".join(broken))


def _genesis(app: SimApp, community_pool_akt: int) -> Actors:
    ctx = app.context()
    texts = []
    for index in range(len(FLEET) + 2):
        app.bank.mint_coins(ctx, "distribution", Coins.of(DENOM, 1_000 * AKT))
        app.bank.send_coins_from_module_to_account(
            ctx, "distribution", _account(index), Coins.of(DENOM, 1_000 * AKT)
        )
        texts.append(encode_address(_account(index)))
    treasury = _account(100)
    app.bank.mint_coins(ctx, "distribution", Coins.of(DENOM, community_pool_akt * AKT))
    app.bank.send_coins_from_module_to_account(
        ctx, "distribution", treasury, Coins.of(DENOM, community_pool_akt * AKT)
    )
    app.distribution.fund_community_pool(ctx, Coins.of(DENOM, community_pool_akt * AKT), treasury)
    feeder = texts.pop()
    attester = texts.pop()
    keys.PARAMS.set(ctx, dataclasses.replace(DEFAULT_PARAMS, price_feeders=(feeder,)))
    app.epochs.add_epoch(ctx, "day", DAY, app.header.time)
    return Actors(texts, attester, feeder)


def _create_pools(
    app: SimApp, actors: Actors, epochs: int, budget_akt: dict[str, int]
) -> dict[str, int]:
    common: dict[str, Any] = {
        "authority": GOV,
        "admin": actors.attester,
        "attesters": [actors.attester],
        "attestation_quorum": 1,
        "start_epoch": 1,
        "end_epoch": epochs,
    }
    pools = {
        "committed": tx_pb2.MsgCreatePool(
            name="committed",
            rule="ALLOCATION_RULE_FIXED_RATE",
            fixed_rate=types_pb2.FixedRateConfig(
                rates=[
                    types_pb2.ModelRate(
                        gpu_model="h100", usd_micros_per_gpu_hour=2_490_000, max_gpus=83
                    ),
                    types_pb2.ModelRate(
                        gpu_model="a100-80gb", usd_micros_per_gpu_hour=1_690_000, max_gpus=54
                    ),
                    types_pb2.ModelRate(
                        gpu_model="rtxa6000", usd_micros_per_gpu_hour=980_000, max_gpus=105
                    ),
                ],
                min_commitment_epochs=epochs,
            ),
            **common,
        ),
        "liquidity": tx_pb2.MsgCreatePool(
            name="liquidity mining",
            rule="ALLOCATION_RULE_PRO_RATA",
            eligibility=types_pb2.Eligibility(vendors=["VENDOR_NVIDIA"], min_vram_gb=24),
            pro_rata=types_pb2.ProRataConfig(
                emission_per_epoch=str(budget_akt["liquidity"] * AKT // epochs)
            ),
            **common,
        ),
        "rnd": tx_pb2.MsgCreatePool(
            name="next-gen R&D",
            rule="ALLOCATION_RULE_AVAILABILITY",
            eligibility=types_pb2.Eligibility(
                vendors=["VENDOR_NVIDIA", "VENDOR_AMD"], min_launch_year=2024
            ),
            availability=types_pb2.AvailabilityConfig(
                emission_per_epoch=str(budget_akt["rnd"] * AKT // epochs),
                weight_benchmark=3,
                weight_vram=3,
                weight_age=1,
                penalty_free_nodes=3,
                penalty_decay="0.65",
                penalty_mode="PENALTY_MODE_WALLET_COUNT",
            ),
            **common,
        ),
    }
    ids = {}
    for name, msg in pools.items():
        result = app.deliver(msg)
        if result.error is not None:
            raise click.ClickException(result.error.log)
        ids[name] = int(result.response.pool_id)  # type: ignore[union-attr]
        _deliver(
            app,
            tx_pb2.MsgFundPoolFromCommunityPool(
                authority=GOV,
                pool_id=ids[name],
                amount=[Coin(denom=DENOM, amount=str(budget_akt[name] * AKT))],
            ),
        )
    return ids


def run_demo(epochs: int, seed: int) -> dict[str, object]:
    """Run the pilot and return its summary (pools, providers, app hash)."""
    rng = random.Random(seed)
    app = SimApp()
    actors = _genesis(app, community_pool_akt=10_000_000)
    app.begin_block(app.header.time)
    # AKT per epoch: the committed pool's is about its fleet's cost at $2.50/AKT plus a margin.
    budget = {"committed": 900 * epochs, "liquidity": 500 * epochs, "rnd": 350 * epochs}
    pool_ids = _create_pools(app, actors, epochs, budget)
    nodes: dict[int, list[str]] = {pool_id: [] for pool_id in pool_ids.values()}
    for owner, (prefix, model, gpus, count, benchmark, pool) in zip(
        actors.providers, FLEET, strict=True
    ):
        for index in range(count):
            node_id = f"{prefix}-{index + 1}"
            _deliver(
                app,
                tx_pb2.MsgRegisterNode(
                    owner=owner,
                    node_id=node_id,
                    gpu_model=model,
                    gpu_count=gpus,
                    benchmark_score=benchmark,
                ),
            )
            join = tx_pb2.MsgJoinPool(owner=owner, pool_id=pool_ids[pool], node_id=node_id)
            if pool == "committed":
                join.commitment.until_epoch = epochs
            _deliver(app, join)
            nodes[pool_ids[pool]].append(node_id)
    price = 2.50
    start = app.header.time
    for epoch in range(1, epochs + 3):
        # The feeder and the attester post in a block shortly before the epoch ends.
        app.begin_block(start + epoch * DAY - 600)
        price = max(0.5, price * (1 + rng.uniform(-0.05, 0.05)))
        _deliver(app, tx_pb2.MsgPostPrice(feeder=actors.feeder, akt_usd=f"{price:.6f}"))
        if epoch <= epochs:
            for pool_id, node_ids in nodes.items():
                reports = []
                for node_id in node_ids:
                    online = DAY if rng.random() > 0.1 else rng.randrange(DAY // 2, DAY)
                    idle = rng.randrange(0, online // 2 + 1)
                    reports.append(
                        types_pb2.NodeReport(
                            node_id=node_id, online_seconds=online, idle_seconds=idle
                        )
                    )
                _deliver(
                    app,
                    tx_pb2.MsgSubmitAttestation(
                        attester=actors.attester, pool_id=pool_id, epoch=epoch, reports=reports
                    ),
                )
        app.begin_block(start + epoch * DAY)
        _check(app)
        for provider in actors.providers:
            if rng.random() < 0.3:
                app.deliver(tx_pb2.MsgClaimRewards(provider=provider))
        _check(app)
    for provider in actors.providers:
        app.deliver(tx_pb2.MsgClaimRewards(provider=provider))
    _check(app)
    ctx = app.context()
    keeper = app.incentives.keeper
    pools = []
    for name, pool_id in pool_ids.items():
        state = keeper.get_pool(ctx, pool_id)
        pools.append(
            {
                "pool": name,
                "id": pool_id,
                "rule": state.rule.name,
                "status": state.status.name,
                "funded_uakt": int(state.funded),
                "paid_uakt": int(state.paid),
                "accrued_uakt": int(state.accrued),
                "returned_uakt": int(state.returned),
            }
        )
    providers = [
        {
            "provider": owner,
            "fleet": f"{count} x {model} ({gpus} GPU)",
            "paid_uakt": sum(
                int(payment.amount)
                for payment in keys.PAYMENTS.values(ctx)
                if payment.provider == owner
            ),
        }
        for owner, (_, model, gpus, count, _, _) in zip(actors.providers, FLEET, strict=True)
    ]
    return {
        "epochs": epochs,
        "seed": seed,
        "pools": pools,
        "providers": providers,
        "community_pool_uakt": int(app.distribution.get_community_pool(ctx)[DENOM].truncate_int()),
        "app_hash": app.app_hash().hex(),
    }


epochs_option = click.option(
    "--epochs",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="Pilot length in daily epochs.",
)
seed_option = click.option(
    "--seed", default=1, show_default=True, type=int, help="Seed of uptime and price paths."
)
output_option = click.option(
    "-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.command("demo")
@epochs_option
@seed_option
@output_option
def demo_command(epochs: int, seed: int, output: str) -> None:
    """Run an AEP-26-style pilot through the module, in process, and summarize it."""
    summary = run_demo(epochs, seed)
    if output == "json":
        click.echo(json.dumps(summary, indent=2, sort_keys=True))
        return
    click.echo(f"AEP-26-style pilot, {epochs} daily epochs, seed {seed}; all invariants held.\n")
    click.echo(render_table(summary["pools"]))  # type: ignore[arg-type]
    click.echo("")
    click.echo(render_table(summary["providers"]))  # type: ignore[arg-type]
    click.echo(f"\ncommunity pool: {summary['community_pool_uakt']} {DENOM}")
    click.echo(f"app hash: {summary['app_hash']}")
