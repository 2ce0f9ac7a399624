"""Hypothesis strategies for the payout math: availability epochs on realistic value grids."""

from __future__ import annotations

from hypothesis import strategies as st

from incentives.logic.availability import AvailabilityNode, AvailabilityRule, PenaltyMode
from incentives.logic.fixed_point import SCALE

VRAM_GB = (0, 1, 8, 12, 16, 24, 32, 40, 48, 80, 141)

# OB scores: 0 (unbenchmarked) or 100..6000 with up to two decimals; integer days of age; VRAM
# from real GPU sizes; idle fractions with 4 decimals. These grids keep every average that is
# above 1 at least 1/n above it, where fixed point (1e-18 absolute) is well conditioned.
benchmarks = st.one_of(
    st.just(0),
    st.integers(100, 6000).map(lambda v: v * SCALE),
    st.integers(10_000, 600_000).map(lambda v: v * 10**16),
)
vrams = st.sampled_from(VRAM_GB).map(lambda v: v * SCALE)
ages = st.integers(0, 1500).map(lambda v: v * SCALE)
idles = st.integers(0, 10_000).map(lambda v: v * 10**14)
penalty_modes = st.sampled_from(PenaltyMode)


@st.composite
def node_values(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """(idle, benchmark, vram, age) of one node."""
    return (draw(idles), draw(benchmarks), draw(vrams), draw(ages))


@st.composite
def epochs(
    draw: st.DrawFn, max_wallets: int = 6, max_wallet_size: int = 10, min_nodes: int = 0
) -> list[AvailabilityNode]:
    """Nodes of an epoch grouped in wallets of 1..max_wallet_size nodes, in a drawn order."""
    sizes = draw(
        st.lists(st.integers(1, max_wallet_size), min_size=0, max_size=max_wallets).filter(
            lambda s: sum(s) >= min_nodes
        )
    )
    nodes: list[AvailabilityNode] = []
    for wallet_number, size in enumerate(sizes):
        for _ in range(size):
            idle, benchmark, vram, age = draw(node_values())
            nodes.append(
                AvailabilityNode(
                    node_id=f"node{len(nodes):03d}",
                    wallet=f"wallet{wallet_number}",
                    idle=idle,
                    benchmark=benchmark,
                    vram=vram,
                    age=age,
                )
            )
    return draw(st.permutations(nodes))


@st.composite
def rules(draw: st.DrawFn) -> AvailabilityRule:
    """RNP-015 rules with small term weights, 0..4 free nodes and either penalty mode."""
    return AvailabilityRule(
        weight_benchmark=draw(st.integers(0, 5)),
        weight_vram=draw(st.integers(0, 5)),
        weight_age=draw(st.integers(0, 5)),
        penalty_free_nodes=draw(st.integers(0, 4)),
        penalty_mode=draw(penalty_modes),
    )


budgets = st.integers(0, 10**15)
