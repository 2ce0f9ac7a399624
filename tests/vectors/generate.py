"""Generate the golden vectors: fixed scenarios run through a ``World``, recorded as JSON.

Usage: ``python -m tests.vectors.generate [--check] [--out DIR]``. Without ``--check`` it writes
``<name>.json`` for every scenario into ``DIR`` (default: this directory); with ``--check`` it
writes nothing and exits 1 if any file in ``DIR`` differs from what the code produces now.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from incentives.pb import params_pb2, tx_pb2, types_pb2
from incentives.types import codec, errors
from incentives.types.params import DEFAULT_PARAMS
from tests.incentives.world import ATTESTER, DAY, FEEDER, GOV, addr, coins
from tests.vectors.harness import JsonDict, RecordingWorld, dumps

HERE = Path(__file__).resolve().parent

NVIDIA = params_pb2.VENDOR_NVIDIA
AMD = params_pb2.VENDOR_AMD


def _pool(world: RecordingWorld, **fields: Any) -> int:
    base: dict[str, Any] = {
        "authority": GOV,
        "admin": addr(0),
        "attesters": [addr(ATTESTER)],
        "attestation_quorum": 1,
    }
    base.update(fields)
    response = world.ok(tx_pb2.MsgCreatePool(**base)).response
    return int(response.pool_id)  # type: ignore[union-attr]


def _availability(emission: int, penalty_mode: int) -> types_pb2.AvailabilityConfig:
    return types_pb2.AvailabilityConfig(
        emission_per_epoch=str(emission),
        weight_benchmark=3,
        weight_vram=3,
        weight_age=1,
        penalty_free_nodes=3,
        penalty_decay="0.65",
        penalty_mode=penalty_mode,  # type: ignore[arg-type]
    )


def _join(owner: int, node_id: str, pool_id: int, until: int = 0) -> tx_pb2.MsgJoinPool:
    msg = tx_pb2.MsgJoinPool(owner=addr(owner), pool_id=pool_id, node_id=node_id)
    if until:
        msg.commitment.until_epoch = until
    return msg


def _price(world: RecordingWorld, price: str) -> None:
    world.ok(tx_pb2.MsgPostPrice(feeder=addr(FEEDER), akt_usd=price))


def aep26_committed_pool(world: RecordingWorld) -> str:
    """AEP-26 committed pool: USD per GPU-hour at the posted AKT price (H100 $2.49 x 83 GPUs,
    A100-80GB $1.69 x 54), a one-year (365-epoch) commitment, GPU caps, a model without a rate,
    an epoch deferred for want of a fresh price and paid once one is posted, and claims."""
    pool = _pool(
        world,
        name="AEP-26 committed pool",
        rule=types_pb2.ALLOCATION_RULE_FIXED_RATE,
        fixed_rate=types_pb2.FixedRateConfig(
            rates=[
                types_pb2.ModelRate(
                    gpu_model="h100", usd_micros_per_gpu_hour=2_490_000, max_gpus=83
                ),
                types_pb2.ModelRate(
                    gpu_model="a100-80gb", usd_micros_per_gpu_hour=1_690_000, max_gpus=54
                ),
            ],
            min_commitment_epochs=365,
        ),
        start_epoch=1,
        end_epoch=120,
    )
    world.fund(pool, 50_000_000_000)
    world.register(1, "p1-h100-a", "h100", 8, benchmark=4200)
    world.register(1, "p1-h100-b", "h100", 72, benchmark=4100)
    world.register(2, "p2-h100", "h100", 8, benchmark=4000)
    world.register(2, "p2-a100", "a100-80gb", 54, benchmark=3100)
    world.register(3, "p3-a6000", "rtxa6000", 4, benchmark=1500)
    world.ok(_join(1, "p1-h100-a", pool, until=365))
    world.ok(_join(1, "p1-h100-b", pool, until=400))
    world.fails(_join(2, "p2-h100", pool, until=365), errors.ErrCapacityExceeded)
    world.fails(_join(2, "p2-a100", pool), errors.ErrInvalidCommitment)
    world.fails(_join(2, "p2-a100", pool, until=364), errors.ErrInvalidCommitment)
    world.ok(_join(2, "p2-a100", pool, until=365))
    world.fails(_join(3, "p3-a6000", pool, until=365), errors.ErrNotEligible)
    world.fails(tx_pb2.MsgPostPrice(feeder=addr(1), akt_usd="2.5"), errors.ErrNotPriceFeeder)
    _price(world, "2.5")

    def attest(epoch: int) -> None:
        world.ok(
            tx_pb2.MsgSubmitAttestation(
                attester=addr(ATTESTER),
                pool_id=pool,
                epoch=epoch,
                reports=[
                    types_pb2.NodeReport(node_id="p1-h100-a", online_seconds=DAY),
                    types_pb2.NodeReport(
                        node_id="p1-h100-b", online_seconds=72_000, idle_seconds=3600
                    ),
                    types_pb2.NodeReport(
                        node_id="p2-a100", online_seconds=DAY - 1, idle_seconds=DAY - 1
                    ),
                ],
            )
        )

    attest(1)
    world.next_epoch()
    attest(2)
    # Epoch 1 ends its settlement lag now, but the only price is a day old: deferred.
    world.next_epoch()
    attest(3)
    world.before_epoch_end()
    _price(world, "2.75")
    world.next_epoch()  # epochs 1 and 2 are paid at $2.75 per AKT
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(2), pool_id=pool))
    world.fails(tx_pb2.MsgClaimRewards(provider=addr(3)), errors.ErrNoRewards)
    world.before_epoch_end()
    _price(world, "2.6")
    world.next_epoch()  # epoch 3
    return "aep26-committed-pool"


def liquidity_mining_pro_rata(world: RecordingWorld) -> str:
    """AEP-26 liquidity-mining pool: a fixed emission per epoch shared pro rata by GPU-seconds
    among NVIDIA GPUs with at least 24 GB; an underfunded last epoch, the end of the term closing
    the pool (remainder to the community pool) and claims after the close."""
    pool = _pool(
        world,
        name="AEP-26 liquidity mining",
        rule=types_pb2.ALLOCATION_RULE_PRO_RATA,
        pro_rata=types_pb2.ProRataConfig(emission_per_epoch="1000000000"),
        eligibility=types_pb2.Eligibility(vendors=[NVIDIA], min_vram_gb=24),
        start_epoch=1,
        end_epoch=3,
    )
    world.fund(pool, 2_000_000_000)
    world.ok(tx_pb2.MsgFundPool(depositor=addr(6), pool_id=pool, amount=coins(500_000_007)))
    world.register(1, "lm-4090", "rtx4090", 2)
    world.register(2, "lm-h100", "h100", 8)
    world.register(3, "lm-t4", "t4", 4)
    world.register(3, "lm-mi300x", "mi300x", 8)
    world.register(4, "lm-3090", "rtx3090", 1)
    for owner, node_id in ((1, "lm-4090"), (2, "lm-h100"), (4, "lm-3090")):
        world.ok(_join(owner, node_id, pool))
    world.fails(_join(3, "lm-t4", pool), errors.ErrNotEligible)
    world.fails(_join(3, "lm-mi300x", pool), errors.ErrNotEligible)
    world.fails(_join(2, "lm-h100", pool), errors.ErrAlreadyMember)
    world.fails(_join(1, "lm-h100", pool), errors.ErrNotNodeOwner)
    uptimes = {1: (DAY, 43_200, 28_800), 2: (DAY, DAY, 1), 3: (7, DAY - 7, 0)}
    for epoch in (1, 2, 3):
        h4090, h100, h3090 = uptimes[epoch]
        world.attest([("lm-3090", h3090, 0), ("lm-4090", h4090, h4090), ("lm-h100", h100, 0)], pool)
        world.next_epoch()
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(2), pool_id=pool))
    world.next_epoch()  # epoch 3 is final: the term is over and the pool closes
    world.fails(
        tx_pb2.MsgFundPool(depositor=addr(6), pool_id=pool, amount=coins(1)),
        errors.ErrPoolClosed,
    )
    world.fails(
        tx_pb2.MsgSubmitAttestation(
            attester=addr(ATTESTER),
            pool_id=pool,
            epoch=world.epoch,
            reports=[types_pb2.NodeReport(node_id="lm-4090", online_seconds=1)],
        ),
        errors.ErrPoolClosed,
    )
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(4)))
    return "liquidity-mining-pro-rata"


def availability_wallet_penalty(world: RecordingWorld) -> str:
    """Render RNP-015 availability rewards in both penalty modes: a wallet of 5 nodes (penalized
    past 3), a single-node wallet and a two-node AMD/NVIDIA wallet, nodes of different ages, a
    measured benchmark overriding the registered one, and zero idle time."""
    world.register(1, "w1-h100", "h100", 8, benchmark=4200)
    world.register(2, "w2-h100", "h100", 8, benchmark=4200)
    world.next_epoch(3)
    world.register(1, "w1-a100", "a100-80gb", 4, benchmark=3100)
    world.register(1, "w1-l40s", "l40s", 2, benchmark=2200)
    world.register(1, "w1-4090", "rtx4090", 1, benchmark=900)
    world.register(1, "w1-a6000", "rtxa6000", 2, benchmark=1500)
    world.register(3, "w3-mi300x", "mi300x", 8, benchmark=3900)
    world.register(3, "w3-4090", "rtx4090", 1, benchmark=950)
    start = world.epoch
    by_wallet = _pool(
        world,
        name="availability, wallet-count penalty",
        rule=types_pb2.ALLOCATION_RULE_AVAILABILITY,
        availability=_availability(1_000_000_000, types_pb2.PENALTY_MODE_WALLET_COUNT),
        start_epoch=start,
        end_epoch=start + 9,
    )
    by_rank = _pool(
        world,
        name="availability, node-rank penalty",
        rule=types_pb2.ALLOCATION_RULE_AVAILABILITY,
        availability=_availability(1_000_000_000, types_pb2.PENALTY_MODE_NODE_RANK),
        start_epoch=start,
        end_epoch=start + 9,
    )
    nodes = [
        (1, "w1-h100"),
        (1, "w1-a100"),
        (1, "w1-l40s"),
        (1, "w1-4090"),
        (1, "w1-a6000"),
        (2, "w2-h100"),
        (3, "w3-mi300x"),
        (3, "w3-4090"),
    ]
    for pool in (by_wallet, by_rank):
        world.fund(pool, 5_000_000_000)
        for owner, node_id in nodes:
            world.ok(_join(owner, node_id, pool))
    world.fails(_join(1, "w1-h100", by_wallet, until=start + 5), errors.ErrAlreadyMember)
    reports = [
        types_pb2.NodeReport(node_id="w1-h100", online_seconds=DAY, idle_seconds=60_000),
        types_pb2.NodeReport(node_id="w1-a100", online_seconds=DAY, idle_seconds=DAY),
        types_pb2.NodeReport(node_id="w1-l40s", online_seconds=DAY, idle_seconds=40_000),
        types_pb2.NodeReport(node_id="w1-4090", online_seconds=50_000, idle_seconds=50_000),
        types_pb2.NodeReport(node_id="w1-a6000", online_seconds=DAY, idle_seconds=0),
        types_pb2.NodeReport(
            node_id="w2-h100", online_seconds=DAY, idle_seconds=60_000, benchmark_score=4650
        ),
        types_pb2.NodeReport(node_id="w3-mi300x", online_seconds=DAY, idle_seconds=80_000),
        types_pb2.NodeReport(node_id="w3-4090", online_seconds=DAY, idle_seconds=DAY),
    ]
    for epoch in (start, start + 1):
        for pool in (by_wallet, by_rank):
            world.ok(
                tx_pb2.MsgSubmitAttestation(
                    attester=addr(ATTESTER), pool_id=pool, epoch=epoch, reports=reports
                )
            )
        world.next_epoch()
    world.fails(
        tx_pb2.MsgSubmitAttestation(
            attester=addr(ATTESTER),
            pool_id=by_wallet,
            epoch=world.epoch,
            reports=[types_pb2.NodeReport(node_id="w1-h100", online_seconds=5, idle_seconds=6)],
        ),
        errors.ErrInvalidReport,
    )
    world.fails(
        tx_pb2.MsgSubmitAttestation(
            attester=addr(1),
            pool_id=by_wallet,
            epoch=world.epoch,
            reports=[types_pb2.NodeReport(node_id="w1-h100", online_seconds=5)],
        ),
        errors.ErrNotAttester,
    )
    world.next_epoch()
    for provider in (1, 2, 3):
        world.ok(tx_pb2.MsgClaimRewards(provider=addr(provider)))
    return "availability-wallet-penalty"


def rnd_next_gen(world: RecordingWorld) -> str:
    """AEP-26 next-gen R&D pool: availability rewards for NVIDIA and AMD GPUs launched in 2024 or
    later; governance shortens the claim window, so an unclaimed accrual expires back to the open
    pool and, after the term ends and the pool closes, another to the community pool."""
    params = codec.params_to_pb(DEFAULT_PARAMS)
    params.price_feeders.append(addr(FEEDER))
    params.claim_window_epochs = 2
    world.fails(
        tx_pb2.MsgUpdateParams(authority=addr(0), params=params), errors.ErrInvalidAuthority
    )
    world.ok(tx_pb2.MsgUpdateParams(authority=GOV, params=params))
    pool = _pool(
        world,
        name="AEP-26 next-gen R&D",
        rule=types_pb2.ALLOCATION_RULE_AVAILABILITY,
        availability=_availability(500_000_000, types_pb2.PENALTY_MODE_WALLET_COUNT),
        eligibility=types_pb2.Eligibility(vendors=[NVIDIA, AMD], min_launch_year=2024),
        start_epoch=1,
        end_epoch=3,
    )
    world.fund(pool, 3_000_000_000)
    world.register(1, "rd-b200", "b200", 8, benchmark=9000)
    world.register(1, "rd-mi325x", "mi325x", 8, benchmark=7000)
    world.register(2, "rd-h200", "h200", 4, benchmark=6000)
    world.register(2, "rd-mi350x", "mi350x", 8, benchmark=9500)
    world.register(3, "rd-5090", "rtx5090", 1, benchmark=1200)
    world.register(3, "rd-h100", "h100", 8, benchmark=4200)
    world.register(3, "rd-mi300x", "mi300x", 8, benchmark=3900)
    for owner, node_id in (
        (1, "rd-b200"),
        (1, "rd-mi325x"),
        (2, "rd-h200"),
        (2, "rd-mi350x"),
        (3, "rd-5090"),
    ):
        world.ok(_join(owner, node_id, pool))
    world.fails(_join(3, "rd-h100", pool), errors.ErrNotEligible)
    world.fails(_join(3, "rd-mi300x", pool), errors.ErrNotEligible)
    for epoch in (1, 2, 3):
        world.attest(
            [
                ("rd-5090", DAY, DAY // 3),
                ("rd-b200", DAY, 70_000 - epoch),
                ("rd-h200", DAY // 2, DAY // 2),
                ("rd-mi325x", DAY, 50_000),
                ("rd-mi350x", DAY - epoch, 20_000),
            ],
            pool,
        )
        world.next_epoch()
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    # Epoch 1's accruals expire at the end of epoch 4 (back to the pool, still open), then the
    # pool closes; epoch 2's expire at the end of 5 (the pool is closed: community pool).
    world.next_epoch()
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(3)))
    world.next_epoch()
    world.next_epoch()
    world.fails(tx_pb2.MsgClaimRewards(provider=addr(2)), errors.ErrNoRewards)
    return "rnd-next-gen"


def venice_redirect(world: RecordingWorld) -> str:
    """Venice-style opt-in: delegators redirect shares of their staking rewards into
    capacity-expansion pools (floor of reward x bps / 10000 each), at most 10000 bps in all, opt
    out with 0 bps; redirected funds pay providers; a closed pool is skipped."""
    expansion = _pool(
        world,
        name="Venice capacity expansion",
        rule=types_pb2.ALLOCATION_RULE_PRO_RATA,
        pro_rata=types_pb2.ProRataConfig(emission_per_epoch="100000"),
        start_epoch=1,
        end_epoch=30,
    )
    research = _pool(
        world,
        name="Venice research GPUs",
        rule=types_pb2.ALLOCATION_RULE_AVAILABILITY,
        availability=_availability(50_000, types_pb2.PENALTY_MODE_WALLET_COUNT),
        start_epoch=1,
        end_epoch=30,
    )
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(6), pool_id=expansion, bps=2500))
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(6), pool_id=research, bps=5000))
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(6), pool_id=expansion, bps=5000))
    world.fails(
        tx_pb2.MsgSetRewardRedirect(delegator=addr(6), pool_id=research, bps=5001),
        errors.ErrInvalidRedirect,
    )
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(7), pool_id=expansion, bps=10_000))
    world.withdraw_rewards(6, 1_000_003)
    world.withdraw_rewards(7, 999)
    world.withdraw_rewards(5, 500)  # no redirect: nothing moves
    world.withdraw_rewards(6, 1)  # every share rounds down to zero
    world.register(1, "v-h100", "h100", 8)
    world.register(2, "v-4090", "rtx4090", 1)
    for owner, node_id in ((1, "v-h100"), (2, "v-4090")):
        world.ok(_join(owner, node_id, expansion))
        world.ok(_join(owner, node_id, research))
    world.attest([("v-4090", DAY, DAY), ("v-h100", 30_000, 10_000)], expansion)
    world.attest([("v-4090", DAY, DAY), ("v-h100", 30_000, 10_000)], research)
    world.next_epoch()
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(6), pool_id=research, bps=0))
    world.fails(
        tx_pb2.MsgSetRewardRedirect(delegator=addr(6), pool_id=research, bps=0),
        errors.ErrInvalidRedirect,
    )
    world.withdraw_rewards(6, 2_000_000)
    world.next_epoch()
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=expansion))
    world.withdraw_rewards(7, 10_000)  # the only target is closed: skipped
    world.fails(
        tx_pb2.MsgSetRewardRedirect(delegator=addr(5), pool_id=expansion, bps=100),
        errors.ErrPoolClosed,
    )
    world.next_epoch()
    return "venice-redirect"


SCENARIOS: tuple[Callable[[RecordingWorld], str], ...] = (
    aep26_committed_pool,
    liquidity_mining_pro_rata,
    availability_wallet_penalty,
    rnd_next_gen,
    venice_redirect,
)


def generate() -> dict[str, str]:
    """File name -> canonical text of every vector."""
    files = {}
    for scenario in SCENARIOS:
        world = RecordingWorld()
        name = scenario(world)
        description = " ".join((scenario.__doc__ or "").split())
        vector: JsonDict = world.vector(name, description)
        files[f"{name}.json"] = dumps(vector)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.vectors.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=HERE, help="vector directory")
    args = parser.parse_args(argv)
    files = generate()
    if args.check:
        stale = sorted(
            name
            for name, text in files.items()
            if not (args.out / name).is_file()
            or (args.out / name).read_text(encoding="utf-8") != text
        )
        extra = sorted(path.name for path in args.out.glob("*.json") if path.name not in files)
        for name in stale:
            print(f"stale: {name}", file=sys.stderr)
        for name in extra:
            print(f"not generated: {name}", file=sys.stderr)
        return 1 if stale or extra else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
