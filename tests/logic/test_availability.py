"""AVAILABILITY (RNP-015) exact path: seed numbers, documented edge cases, properties."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from incentives.logic.availability import (
    DEFAULT_PENALTY_FACTOR,
    AvailabilityNode,
    AvailabilityRule,
    PenaltyMode,
    allocate_availability,
    availability_weights,
    clamped_log2,
    penalty,
)
from incentives.logic.fixed_point import SCALE, log2_fixed, pow_fixed
from incentives.logic.split import Split
from tests.logic.strategies import benchmarks, budgets, epochs, idles, node_values, rules

WALLET_COUNT = AvailabilityRule(penalty_mode=PenaltyMode.WALLET_COUNT)
NODE_RANK = AvailabilityRule(penalty_mode=PenaltyMode.NODE_RANK)
BOTH_MODES = pytest.mark.parametrize("rule", [WALLET_COUNT, NODE_RANK], ids=["count", "rank"])


def node(
    node_id: str,
    wallet: str = "w",
    idle: int = SCALE,
    benchmark: int = 1000 * SCALE,
    vram: int = 24 * SCALE,
    age: int = 100 * SCALE,
) -> AvailabilityNode:
    return AvailabilityNode(node_id, wallet, idle, benchmark, vram, age)


def shares(weights: tuple[int, ...]) -> list[Fraction]:
    total = sum(weights)
    return [Fraction(w, total) if total else Fraction(0) for w in weights]


# The seed's numbers


def test_rnp015_penalty_values() -> None:
    """RNP-015 ``high_node_penalty``: 1 for 1..3 nodes, then exp(-0.65 * (x - 3)), i.e. 1, 1, 1,
    0.522..., 0.2725..., within 1e-15 relative for wallets of up to 10 nodes."""
    rule = AvailabilityRule()
    expected = [1.0, 1.0, 1.0, 0.522045776761016, 0.272531793034013, 0.142274071586514]
    for k, value in enumerate(expected, start=1):
        assert penalty(k, rule) / SCALE == pytest.approx(value, rel=1e-15)
    for k in range(1, 11):
        exact = Fraction(penalty(k, rule), SCALE)
        seed = math.exp(-0.65 * (k - 3)) if k > 3 else 1.0
        assert abs(float(exact) - seed) <= 1e-15 * seed
    assert penalty(0, rule) == SCALE
    with pytest.raises(ValueError, match=">= 0"):
        penalty(-1, rule)


def test_penalty_is_iterated_truncating_power() -> None:
    rule = AvailabilityRule(penalty_free_nodes=2)
    assert DEFAULT_PENALTY_FACTOR == 522_045_776_761_016_047  # floor(exp(-0.65) * 1e18)
    for k in range(80):
        assert penalty(k, rule) == pow_fixed(DEFAULT_PENALTY_FACTOR, max(k - 2, 0))
    assert penalty(70, rule) == 0  # c**68 < 1e-18: truncated away


def test_rnp015_formula_on_three_nodes() -> None:
    """The weights are the RNP-015 scores times the common factor prod L(avg)."""
    nodes = [
        node("a", "w1", idle=SCALE, benchmark=400 * SCALE, vram=8 * SCALE, age=10 * SCALE),
        node("b", "w2", idle=SCALE // 2, benchmark=1600 * SCALE, vram=24 * SCALE, age=300 * SCALE),
        node("c", "w3", idle=SCALE, benchmark=100 * SCALE, vram=80 * SCALE, age=2 * SCALE),
    ]
    weights = availability_weights(nodes, AvailabilityRule())
    lo, lv, la = (clamped_log2(total * SCALE // 3) for total in (2100, 112, 312))
    for n, w in zip(nodes, weights, strict=True):
        score = (
            3 * Fraction(log2_fixed(n.benchmark), lo)
            + 3 * Fraction(log2_fixed(n.vram), lv)
            + Fraction(log2_fixed(n.age), la)
        )
        assert Fraction(w, lo * lv * la) == n.idle * score * SCALE
    rnp = [
        idle
        * (
            3 * math.log(b) / math.log(700)
            + 3 * math.log(v) / math.log(112 / 3)
            + math.log(a) / math.log(104)
        )
        for idle, b, v, a in [(1, 400, 8, 10), (0.5, 1600, 24, 300), (1, 100, 80, 2)]
    ]
    for share, rnp_score in zip(shares(weights), rnp, strict=True):
        assert float(share) == pytest.approx(rnp_score / sum(rnp), rel=1e-12)


# Edge cases named in the module docstring


@BOTH_MODES
def test_no_nodes_is_all_dust(rule: AvailabilityRule) -> None:
    assert availability_weights([], rule) == ()
    assert allocate_availability(1000, [], rule) == Split(amounts=(), dust=1000)


@BOTH_MODES
def test_single_node_gets_everything(rule: AvailabilityRule) -> None:
    single = node("a", idle=SCALE // 3)
    (weight,) = availability_weights([single], rule)
    lo, lv, la = clamped_log2(single.benchmark), clamped_log2(single.vram), clamped_log2(single.age)
    assert weight == single.idle * SCALE * 7 * lo * lv * la  # each ratio is 1: 3 + 3 + 1
    assert allocate_availability(10**12 + 7, [single], rule) == Split(amounts=(10**12 + 7,), dust=0)


@BOTH_MODES
def test_single_node_without_weight_leaves_everything_as_dust(rule: AvailabilityRule) -> None:
    assert allocate_availability(99, [node("a", idle=0)], rule) == Split(amounts=(0,), dust=99)
    flat = node("a", benchmark=SCALE, vram=SCALE // 2, age=0)  # every value <= 1
    assert allocate_availability(99, [flat], rule) == Split(amounts=(0,), dust=99)


@BOTH_MODES
def test_all_idle_zero_is_all_dust(rule: AvailabilityRule) -> None:
    nodes = [node(f"n{i}", f"w{i % 2}", idle=0) for i in range(5)]
    assert availability_weights(nodes, rule) == (0,) * 5
    assert allocate_availability(12345, nodes, rule) == Split(amounts=(0,) * 5, dust=12345)


@BOTH_MODES
def test_average_at_most_one_drops_the_term(rule: AvailabilityRule) -> None:
    """VRAM averages 0.5 here (one node reports 2 GB, three report 0): the VRAM term is dropped
    for every node, including the one above 1, exactly as with weight_vram = 0."""
    nodes = [
        node("a", "w1", vram=0, benchmark=200 * SCALE),
        node("b", "w2", vram=0, benchmark=800 * SCALE),
        node("c", "w3", vram=0, age=3 * SCALE),
        node("d", "w4", vram=2 * SCALE),
    ]
    without_vram = [replace(n, vram=24 * SCALE) for n in nodes]
    assert allocate_availability(10**9, nodes, rule) == allocate_availability(
        10**9, without_vram, replace(rule, weight_vram=0)
    )
    assert clamped_log2(sum(n.vram for n in nodes) // 4) == 0


@BOTH_MODES
def test_every_term_dropped_is_all_dust(rule: AvailabilityRule) -> None:
    nodes = [node(f"n{i}", benchmark=SCALE, vram=SCALE, age=SCALE) for i in range(3)]
    assert allocate_availability(500, nodes, rule) == Split(amounts=(0, 0, 0), dust=500)


def test_values_at_most_one_are_clamped() -> None:
    assert clamped_log2(0) == 0
    assert clamped_log2(SCALE // 2) == 0
    assert clamped_log2(SCALE) == 0
    assert clamped_log2(SCALE + 1) == 1
    assert clamped_log2(2 * SCALE) == SCALE
    # A node whose values are all <= 1 earns nothing; the others share everything.
    nodes = [
        node("a"),
        node("b", benchmark=SCALE // 2, vram=SCALE, age=0),
        node("c", age=5 * SCALE),
    ]
    split = allocate_availability(10**6, nodes, AvailabilityRule())
    assert split.amounts[1] == 0
    assert split.amounts[0] + split.amounts[2] + split.dust == 10**6


@BOTH_MODES
def test_zero_term_weights_are_all_dust(rule: AvailabilityRule) -> None:
    zero = replace(rule, weight_benchmark=0, weight_vram=0, weight_age=0)
    nodes = [node("a"), node("b", "x")]
    assert availability_weights(nodes, zero) == (0, 0)
    assert allocate_availability(77, nodes, zero) == Split(amounts=(0, 0), dust=77)


def test_wallet_count_penalizes_every_node_of_a_wallet() -> None:
    """Wallets of 1..6 identical nodes: every node of a k-node wallet weighs P(k)."""
    nodes = [node(f"w{k}-{i}", f"w{k}") for k in range(1, 7) for i in range(k)]
    weights = availability_weights(nodes, WALLET_COUNT)
    base = weights[0]
    for n, w in zip(nodes, weights, strict=True):
        k = int(n.wallet[1:])
        assert w * SCALE == base * penalty(k, WALLET_COUNT)


def test_node_rank_penalizes_nodes_past_the_free_ones() -> None:
    """Wallets of 1..6 identical nodes: ranks follow node_id; rank r weighs P(r)."""
    nodes = [node(f"w{k}-{i}", f"w{k}") for k in range(1, 7) for i in range(k)]
    weights = availability_weights(nodes, NODE_RANK)
    base = weights[0]
    for n, w in zip(nodes, weights, strict=True):
        rank = int(n.node_id.split("-")[1]) + 1
        assert w * SCALE == base * penalty(rank, NODE_RANK)


def test_node_rank_orders_by_unpenalized_weight_then_node_id() -> None:
    idles = {"e": 5, "d": 9, "c": 1, "b": 9, "a": 3, "f": 7}
    nodes = [node(node_id, "w", idle=idle * SCALE) for node_id, idle in idles.items()]
    nodes.append(node("solo", "other", idle=SCALE))
    weights = dict(
        zip([n.node_id for n in nodes], availability_weights(nodes, NODE_RANK), strict=True)
    )
    unit = weights["solo"]  # rank 1 in its own wallet, idle 1
    expected_rank = {"b": 1, "d": 2, "f": 3, "e": 4, "a": 5, "c": 6}
    for node_id, rank in expected_rank.items():
        assert weights[node_id] * SCALE == unit * idles[node_id] * penalty(rank, NODE_RANK)


def test_duplicate_node_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"duplicate node ids: \['a'\]"):
        availability_weights([node("a"), node("b"), node("a", "x")], AvailabilityRule())


def test_invalid_values_are_rejected() -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        node("a", idle=-1)
    with pytest.raises(ValueError, match="weights"):
        AvailabilityRule(weight_age=-1)
    with pytest.raises(ValueError, match="penalty_free_nodes"):
        AvailabilityRule(penalty_free_nodes=-1)
    with pytest.raises(ValueError, match="penalty_factor"):
        AvailabilityRule(penalty_factor=SCALE + 1)
    with pytest.raises(ValueError, match="emission"):
        allocate_availability(-1, [node("a")], AvailabilityRule())


def test_raising_a_benchmark_can_lower_the_share() -> None:
    """Not a bug: RNP-015 divides by the average, so a top node raising its OB score also raises
    log(avgOB), which shrinks the OB ratio of its competitors less than its other terms... and here,
    where the competitor's score rests on VRAM and age, more than its own. Node a's share peaks
    near OB 64 and falls as it climbs to 256 and 5000 (its weight still grows, see the property)."""

    def share_of_a(benchmark: int) -> Fraction:
        nodes = [
            node("a", "wa", benchmark=benchmark * SCALE, vram=0, age=0),
            node("b", "wb", benchmark=2 * SCALE, vram=80 * SCALE, age=1000 * SCALE),
        ]
        return shares(availability_weights(nodes, AvailabilityRule()))[0]

    assert share_of_a(16) < share_of_a(64)
    assert share_of_a(64) > share_of_a(256) > share_of_a(5000)


# Properties


@given(epochs(), rules(), budgets)
def test_conservation(nodes: list[AvailabilityNode], rule: AvailabilityRule, budget: int) -> None:
    split = allocate_availability(budget, nodes, rule)
    assert sum(split.amounts) + split.dust == budget
    assert len(split.amounts) == len(nodes)
    positive = sum(1 for w in availability_weights(nodes, rule) if w)
    assert split.dust == budget if positive == 0 else 0 <= split.dust < positive


@given(epochs(), rules(), budgets, st.data())
def test_permutation_invariance(
    nodes: list[AvailabilityNode], rule: AvailabilityRule, budget: int, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(nodes))
    before = allocate_availability(budget, nodes, rule)
    after = allocate_availability(budget, shuffled, rule)
    assert after.dust == before.dust
    by_id = dict(zip([n.node_id for n in nodes], before.amounts, strict=True))
    assert list(after.amounts) == [by_id[n.node_id] for n in shuffled]


@given(epochs(min_nodes=1), rules(), st.data())
def test_more_idle_time_never_lowers_weight_or_share(
    nodes: list[AvailabilityNode], rule: AvailabilityRule, data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(nodes) - 1))
    more = data.draw(idles.filter(lambda v: v >= nodes[i].idle))
    raised = [*nodes[:i], replace(nodes[i], idle=more), *nodes[i + 1 :]]
    before, after = availability_weights(nodes, rule), availability_weights(raised, rule)
    assert after[i] >= before[i]
    assert shares(after)[i] >= shares(before)[i]


@given(epochs(min_nodes=1), rules(), st.data())
def test_higher_benchmark_never_lowers_weight(
    nodes: list[AvailabilityNode], rule: AvailabilityRule, data: st.DataObject
) -> None:
    """The exact integer weight of a node does not fall when its OB score rises, all else equal.

    Conditions, both inherent to RNP-015: the OB term keeps its status (the OB average stays on
    the same side of 1; the weights of different term sets carry different common factors), and
    in NODE_RANK mode the node's wallet has no more than the free nodes (otherwise the rise can
    reorder the wallet's ranks through the shared average). Its share can fall: see
    test_raising_a_benchmark_can_lower_the_share.
    """
    i = data.draw(st.integers(0, len(nodes) - 1))
    higher = data.draw(benchmarks.filter(lambda v: v >= nodes[i].benchmark))
    raised = [*nodes[:i], replace(nodes[i], benchmark=higher), *nodes[i + 1 :]]

    def ob_term_kept(epoch: list[AvailabilityNode]) -> bool:
        return clamped_log2(sum(n.benchmark for n in epoch) // len(epoch)) > 0

    assume(ob_term_kept(nodes) == ob_term_kept(raised))
    if rule.penalty_mode is PenaltyMode.NODE_RANK:
        wallet_size = sum(1 for n in nodes if n.wallet == nodes[i].wallet)
        assume(wallet_size <= rule.penalty_free_nodes)
    assert availability_weights(raised, rule)[i] >= availability_weights(nodes, rule)[i]


@given(
    epochs(min_nodes=1, max_wallets=4),
    node_values(),
    st.sampled_from(PenaltyMode),
    st.integers(3, 12),
    budgets,
)
def test_wallet_per_node_reward_never_rises_past_three_nodes(
    others: list[AvailabilityNode],
    values: tuple[int, int, int, int],
    mode: PenaltyMode,
    size: int,
    budget: int,
) -> None:
    """A wallet adds an identical node (k -> k + 1, k >= 3): its reward per node does not rise.

    To compare like with like the wallet's nodes sit exactly at the floor averages of the other
    nodes, so adding one changes no average (only the penalty and the count). Exact rational
    shares must not rise; integer amounts may rise by at most the 1 uakt of flooring.
    """
    rule = AvailabilityRule(penalty_mode=mode)
    idle = values[0]
    count = len(others)
    centre = [sum(getattr(n, f) for n in others) // count for f in ("benchmark", "vram", "age")]

    def epoch(k: int) -> list[AvailabilityNode]:
        mine = [AvailabilityNode(f"mine{i:02d}", "mine", idle, *centre) for i in range(k)]
        return others + mine

    def per_node(k: int) -> tuple[Fraction, Fraction]:
        nodes = epoch(k)
        assert [
            sum(getattr(n, f) for n in nodes) // len(nodes) for f in ("benchmark", "vram", "age")
        ] == centre
        weights = availability_weights(nodes, rule)
        split = allocate_availability(budget, nodes, rule)
        exact = Fraction(sum(weights[count:]), sum(weights) or 1) / k
        return exact, Fraction(sum(split.amounts[count:]), k)

    exact_k, amount_k = per_node(size)
    exact_next, amount_next = per_node(size + 1)
    assert exact_next <= exact_k
    assert amount_next <= amount_k + 1
