"""Slow high-precision reference of the AVAILABILITY rule, for tests and benchmarks only.

It evaluates RNP-015 as written, with ``decimal`` at 60 significant digits: real natural
logarithms ``ln`` (the base cancels in each ratio), real divisions by ``L(avg)``, and a real
penalty ``exp(-decay * (k - free))`` when ``penalty_decay`` is given (else ``(c / SCALE)**(k -
free)`` with the rule's factor ``c``). It shares only the definitions with ``availability``: the
clamp ``L(x) = 0`` for ``x <= 1``, averages ``floor(sum / n)`` of the fixed-point inputs, dropping
a term whose average is ``<= 1``, wallet count or in-wallet rank (ties by node_id) as ``k``.
Amounts are ``floor(emission * score_i / sum(score))`` after snapping to 30 decimals, so that a
share that is exactly an integer is not floored one unit low by a rounding in the 60th digit.

Never used by the module: it reads a ``decimal`` context (a local one, prec 60) and is slow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal, localcontext

from incentives.logic.availability import AvailabilityNode, AvailabilityRule, PenaltyMode
from incentives.logic.fixed_point import SCALE
from incentives.logic.split import Split

PRECISION = 60
_SNAP = Decimal("1e-30")


def _log(value: int) -> Decimal:
    """Natural log of ``value / SCALE`` clamped to 0 for values ``<= 1``."""
    return (Decimal(value) / SCALE).ln() if value > SCALE else Decimal(0)


def _unpenalized(nodes: Sequence[AvailabilityNode], rule: AvailabilityRule) -> list[Decimal]:
    count = len(nodes)
    columns = [
        [node.benchmark for node in nodes],
        [node.vram for node in nodes],
        [node.age for node in nodes],
    ]
    term_weights = (rule.weight_benchmark, rule.weight_vram, rule.weight_age)
    scores = [Decimal(0)] * count
    for column, term_weight in zip(columns, term_weights, strict=True):
        average_log = _log(sum(column) // count)
        if average_log == 0:
            continue
        scores = [
            score + term_weight * _log(value) / average_log
            for score, value in zip(scores, column, strict=True)
        ]
    return [node.idle * score for node, score in zip(nodes, scores, strict=True)]


def _penalty_ks(
    nodes: Sequence[AvailabilityNode], rule: AvailabilityRule, unpenalized: list[Decimal]
) -> list[int]:
    if rule.penalty_mode is PenaltyMode.WALLET_COUNT:
        sizes = Counter(node.wallet for node in nodes)
        return [sizes[node.wallet] for node in nodes]
    order = sorted(
        range(len(nodes)),
        key=lambda i: (nodes[i].wallet, -unpenalized[i], nodes[i].node_id),
    )
    ks = [0] * len(nodes)
    previous = None
    rank = 0
    for i in order:
        rank = rank + 1 if nodes[i].wallet == previous else 1
        previous = nodes[i].wallet
        ks[i] = rank
    return ks


def reference_scores(
    nodes: Sequence[AvailabilityNode],
    rule: AvailabilityRule,
    *,
    penalty_decay: Decimal | None = None,
) -> list[Decimal]:
    """RNP-015 scores (penalized), in input order, at 60 digits."""
    with localcontext(prec=PRECISION):
        if not nodes:
            return []
        unpenalized = _unpenalized(nodes, rule)
        factor = Decimal(rule.penalty_factor) / SCALE
        scores = []
        for score, k in zip(unpenalized, _penalty_ks(nodes, rule, unpenalized), strict=True):
            excess = max(k - rule.penalty_free_nodes, 0)
            if penalty_decay is None:
                scores.append(score * factor**excess)
            else:
                scores.append(score * (-penalty_decay * excess).exp())
        return scores


def reference_unpenalized_scores(
    nodes: Sequence[AvailabilityNode], rule: AvailabilityRule
) -> list[Decimal]:
    """RNP-015 scores without the penalty, in input order, at 60 digits."""
    with localcontext(prec=PRECISION):
        return _unpenalized(nodes, rule) if nodes else []


def reference_availability(
    emission: int,
    nodes: Sequence[AvailabilityNode],
    rule: AvailabilityRule,
    *,
    penalty_decay: Decimal | None = None,
) -> Split:
    """Amounts ``floor(emission * score_i / sum(score))`` in input order, and the dust."""
    scores = reference_scores(nodes, rule, penalty_decay=penalty_decay)
    with localcontext(prec=PRECISION):
        total = sum(scores, Decimal(0))
        if total == 0:
            return Split(amounts=(0,) * len(nodes), dust=emission)
        amounts = tuple(
            int((emission * score / total).quantize(_SNAP).to_integral_value(ROUND_FLOOR))
            for score in scores
        )
    return Split(amounts=amounts, dust=emission - sum(amounts))
