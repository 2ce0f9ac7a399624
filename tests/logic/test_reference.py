"""The exact integer path against the 60-digit ``decimal`` model of RNP-015."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given

from incentives.logic.availability import (
    AvailabilityNode,
    AvailabilityRule,
    PenaltyMode,
    allocate_availability,
)
from incentives.logic.fixed_point import SCALE
from incentives.logic.reference import (
    reference_availability,
    reference_scores,
    reference_unpenalized_scores,
)
from incentives.logic.split import Split
from tests.logic.strategies import budgets, epochs, rules

RNP015_DECAY = Decimal("0.65")


def rank_is_ambiguous(nodes: list[AvailabilityNode], rule: AvailabilityRule) -> bool:
    """True when two different nodes of a wallet have nearly (not exactly) equal scores.

    NODE_RANK orders a wallet by score; real-number ties between different values (e.g. log 9 =
    2 log 3) are broken by node_id in one model and by a last-digit rounding in the other.
    """
    if rule.penalty_mode is not PenaltyMode.NODE_RANK:
        return False
    scores = reference_unpenalized_scores(nodes, rule)
    for i, a in enumerate(nodes):
        for j in range(i + 1, len(nodes)):
            b = nodes[j]
            same_values = (a.idle, a.benchmark, a.vram, a.age) == (
                b.idle,
                b.benchmark,
                b.vram,
                b.age,
            )
            if a.wallet != b.wallet or same_values or scores[i] == scores[j] == 0:
                continue
            if abs(scores[i] - scores[j]) <= Decimal("1e-12") * max(scores[i], scores[j]):
                return True
    return False


@given(epochs(), rules(), budgets)
def test_exact_path_is_within_one_uakt_of_the_reference(
    nodes: list[AvailabilityNode], rule: AvailabilityRule, budget: int
) -> None:
    """Budgets up to 10**15 uakt, wallets of up to 10 nodes, real exp(-0.65 m) penalty."""
    assume(not rank_is_ambiguous(nodes, rule))
    exact = allocate_availability(budget, nodes, rule)
    reference = reference_availability(budget, nodes, rule, penalty_decay=RNP015_DECAY)
    for exact_amount, reference_amount in zip(exact.amounts, reference.amounts, strict=True):
        assert abs(exact_amount - reference_amount) <= 1
    assert sum(reference.amounts) + reference.dust == budget


def test_reference_examples() -> None:
    rule = AvailabilityRule()
    assert reference_availability(100, [], rule) == Split(amounts=(), dust=100)
    single = [AvailabilityNode("a", "w", SCALE, 500 * SCALE, 24 * SCALE, 30 * SCALE)]
    assert reference_availability(100, single, rule) == Split(amounts=(100,), dust=0)
    assert reference_scores(single, rule) == [7 * SCALE]  # idle 1 x (3 + 3 + 1) x P(1)
    twins = [
        AvailabilityNode(f"n{i}", "w", SCALE, 500 * SCALE, 24 * SCALE, 30 * SCALE) for i in range(4)
    ]
    # Four nodes in one wallet, each penalized by exp(-0.65): an even split, no floor trouble.
    assert reference_availability(1000, twins, rule, penalty_decay=RNP015_DECAY) == Split(
        amounts=(250, 250, 250, 250), dust=0
    )
