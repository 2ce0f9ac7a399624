"""AVAILABILITY rule (Render RNP-015), exact integer path.

RNP-015 scores node i in an epoch as

    score_i = idle_i * (wb * L(OB_i) / L(avgOB) + wv * L(VRAM_i) / L(avgVRAM)
                        + wa * L(AGE_i) / L(avgAGE)) * P_i

and pays ``emission * score_i / sum(score)``. Here ``L`` is ``log2_fixed`` (the base of the log
cancels in each ratio) clamped to ``L(x) = 0`` for ``x <= 1``; benchmark (OB score), VRAM (GB) and
age (days) are 18-decimal fixed-point ints; ``idle_i`` is any non-negative int proportional to
idle time (a common denominator cancels). Multiplying every score by the common denominator
``prod L(avg_k)`` gives exact integer weights

    w_i = idle_i * P_i * sum_j wt_j * L(x_ij) * prod_{k != j, k kept} L(avg_k)

which ``split.split_by_weight`` turns into amounts (floors; the remainder is dust). Averages are
``floor(sum / n)`` over the nodes given (the epoch's active nodes).

Centralization penalty, with ``free`` = ``penalty_free_nodes`` (3) and ``c`` = ``penalty_factor``
(``exp(-0.65)`` in fixed point by default): ``P(k) = SCALE`` for ``k <= free``, else ``c**(k -
free)`` by iterated truncating multiplication (``fixed_point.pow_fixed``). Penalty modes:

- ``WALLET_COUNT`` (default): k is the number of the wallet's nodes in the input, and every node of
  the wallet gets ``P(k)`` (RNP-015: the formula "applies to all nodes under a given user's
  wallet address").
- ``NODE_RANK``: k is the node's 1-based rank within its wallet, ordered by unpenalized weight
  (``w_i / P_i``) descending, then ``node_id`` ascending; only nodes past the ``free`` best decay.

Edge cases (each tested):

- No nodes: no weights; the whole emission is dust.
- One node: it is the average, so each kept ratio is 1; it gets everything unless its weight is 0.
- Every idle value 0: every weight is 0, everything is dust.
- An average ``<= 1`` (``L(avg) == 0``): that term is dropped for every node (its ratio is
  undefined) and its ``L(avg)`` leaves the common denominator.
- A node value ``<= 1`` (including 0): its ``L`` is clamped to 0, so that term adds nothing.
- All terms dropped, all weights (``wb, wv, wa``) zero, or every penalty truncated to 0 (a wallet so
  large that ``c**m < 1e-18``): every weight is 0 and everything is dust.
- Wallets with one to any number of nodes, in both penalty modes.
- Input order only decides output order: the averages, counts, ranks (ties broken by node_id) and
  weights do not depend on it.

Determinism: logarithms are cached per distinct value within one call in a dict that is built from
sorted values and only looked up, never iterated for the result.

What can fail: ``ValueError`` for negative node fields, invalid rule parameters, duplicate node ids
or a negative emission.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import add, attrgetter, mul, neg

from incentives.logic.fixed_point import SCALE, exp_neg_fixed, log2_fixed, mul_fixed
from incentives.logic.split import Split, split_by_weight

DEFAULT_PENALTY_DECAY = 650_000_000_000_000_000
"""RNP-015 decay rate 0.65, fixed point."""

DEFAULT_PENALTY_FACTOR = exp_neg_fixed(DEFAULT_PENALTY_DECAY)
"""``c = exp(-0.65)`` in fixed point (floored): the penalty ratio between consecutive ranks."""


class PenaltyMode(enum.IntEnum):
    """What ``k`` in the penalty ``P(k)`` counts; numbers match the proto enum ``PenaltyMode``."""

    WALLET_COUNT = 1
    NODE_RANK = 2


@dataclass(frozen=True, slots=True)
class AvailabilityNode:
    """One active node in an epoch.

    ``idle`` is any non-negative int proportional to idle time; ``benchmark`` (OB score),
    ``vram`` (GB) and ``age`` (days) are fixed-point ints (``SCALE`` = one).
    """

    node_id: str
    wallet: str
    idle: int
    benchmark: int
    vram: int
    age: int

    def __post_init__(self) -> None:
        if min(self.idle, self.benchmark, self.vram, self.age) < 0:
            raise ValueError(f"node {self.node_id!r}: idle, benchmark, vram and age must be >= 0")


@dataclass(frozen=True, slots=True)
class AvailabilityRule:
    """Parameters of the rule; the defaults are RNP-015's."""

    weight_benchmark: int = 3
    weight_vram: int = 3
    weight_age: int = 1
    penalty_free_nodes: int = 3
    penalty_factor: int = DEFAULT_PENALTY_FACTOR
    penalty_mode: PenaltyMode = PenaltyMode.WALLET_COUNT

    def __post_init__(self) -> None:
        if min(self.weight_benchmark, self.weight_vram, self.weight_age) < 0:
            raise ValueError("availability term weights must be >= 0")
        if self.penalty_free_nodes < 0:
            raise ValueError("penalty_free_nodes must be >= 0")
        if not 0 <= self.penalty_factor <= SCALE:
            raise ValueError("penalty_factor must be between 0 and 1")
        if not isinstance(self.penalty_mode, PenaltyMode):
            raise ValueError(f"unknown penalty mode {self.penalty_mode!r}")


def clamped_log2(x: int) -> int:
    """``L(x)``: ``log2_fixed(x)`` for ``x > 1`` (i.e. ``x > SCALE``), else 0."""
    return log2_fixed(x) if x > SCALE else 0


def penalty(k: int, rule: AvailabilityRule) -> int:
    """``P(k)``: one (``SCALE``) for ``k <= free``, else ``c**(k - free)`` truncating.

    Raises ``ValueError`` when ``k < 0``.
    """
    if k < 0:
        raise ValueError(f"penalty: k must be >= 0, got {k}")
    return _penalty_table(rule, k)[k]


def _penalty_table(rule: AvailabilityRule, max_k: int) -> list[int]:
    """``[P(0), ..., P(max_k)]``, each power one truncating multiplication after the previous."""
    table = [SCALE] * (min(max_k, rule.penalty_free_nodes) + 1)
    for _ in range(rule.penalty_free_nodes + 1, max_k + 1):
        table.append(mul_fixed(table[-1], rule.penalty_factor))
    return table


def _scaled_logs(values: list[int], coefficient: int) -> list[int]:
    """``coefficient * L(v)`` for each value, computing ``L`` once per distinct value."""
    cache = {value: coefficient * clamped_log2(value) for value in sorted(set(values))}
    return list(map(cache.__getitem__, values))


def _check_unique_ids(node_ids: list[str]) -> None:
    if len(set(node_ids)) != len(node_ids):
        counts = Counter(node_ids)
        duplicates = sorted(node_id for node_id in set(node_ids) if counts[node_id] > 1)
        raise ValueError(f"duplicate node ids: {duplicates}")


def availability_weights(
    nodes: Sequence[AvailabilityNode], rule: AvailabilityRule
) -> tuple[int, ...]:
    """Exact integer weights ``w_i`` (see the module docstring), in the order of ``nodes``."""
    count = len(nodes)
    if count == 0:
        return ()
    node_ids = list(map(attrgetter("node_id"), nodes))
    _check_unique_ids(node_ids)
    columns = [list(map(attrgetter(name), nodes)) for name in ("benchmark", "vram", "age")]
    term_weights = (rule.weight_benchmark, rule.weight_vram, rule.weight_age)
    average_logs = [clamped_log2(sum(column) // count) for column in columns]
    # Cross-multiplied denominators: term j is scaled by the L(avg) of every other kept term.
    terms: list[list[int]] = []
    for j, column in enumerate(columns):
        if average_logs[j] == 0 or term_weights[j] == 0:
            continue
        coefficient = term_weights[j]
        for k, average_log in enumerate(average_logs):
            if k != j and average_log:
                coefficient *= average_log
        terms.append(_scaled_logs(column, coefficient))
    if not terms:
        return (0,) * count
    sums = terms[0]
    for term in terms[1:]:
        sums = list(map(add, sums, term))
    unpenalized = list(map(mul, map(attrgetter("idle"), nodes), sums))
    wallets = list(map(attrgetter("wallet"), nodes))
    if rule.penalty_mode is PenaltyMode.WALLET_COUNT:
        wallet_sizes = Counter(wallets)
        ks = list(map(wallet_sizes.__getitem__, wallets))
    else:
        ks = _ranks_in_wallet(wallets, unpenalized, node_ids)
    penalties = _penalty_table(rule, max(ks))
    return tuple(map(mul, unpenalized, map(penalties.__getitem__, ks)))


def _ranks_in_wallet(wallets: list[str], weights: list[int], node_ids: list[str]) -> list[int]:
    """1-based rank of each node in its wallet by weight descending, then node_id ascending."""
    order = sorted(zip(wallets, map(neg, weights), node_ids, range(len(wallets)), strict=True))
    ranks = [0] * len(wallets)
    previous_wallet = None
    rank = 0
    for wallet, _, _, index in order:
        rank = rank + 1 if wallet == previous_wallet else 1
        previous_wallet = wallet
        ranks[index] = rank
    return ranks


def allocate_availability(
    emission: int, nodes: Sequence[AvailabilityNode], rule: AvailabilityRule
) -> Split:
    """Split ``emission`` among ``nodes`` by their availability weights, in input order."""
    return split_by_weight(emission, availability_weights(nodes, rule))
