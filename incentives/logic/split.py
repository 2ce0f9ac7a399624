"""Splitting an emission among weights, with every remainder named.

This module owns the one rounding rule shared by every allocation rule: node ``i`` gets
``floor(emission * w_i / W)`` with ``W = sum(w)``, and ``dust = emission - sum(amounts)`` is what
the floors left over (fewer units than there are positive weights). ``sum(amounts) + dust ==
emission`` always holds. With no weight at all (``W == 0``, including no weights) everything is
dust. Only ratios of weights matter, so a common factor in the weights never changes the result.

What can fail: ``ValueError`` for a negative emission or a negative weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Split:
    """Amounts in the order of the weights, and the undistributed remainder."""

    amounts: tuple[int, ...]
    dust: int


def split_by_weight(emission: int, weights: Sequence[int]) -> Split:
    """Split ``emission`` proportionally to ``weights``, rounding every share down."""
    if emission < 0:
        raise ValueError(f"emission must be >= 0, got {emission}")
    if weights and min(weights) < 0:
        raise ValueError(f"weights must be >= 0, got {min(weights)}")
    total = sum(weights)
    if total == 0:
        return Split(amounts=(0,) * len(weights), dust=emission)
    amounts = tuple([emission * weight // total for weight in weights])
    return Split(amounts=amounts, dust=emission - sum(amounts))
