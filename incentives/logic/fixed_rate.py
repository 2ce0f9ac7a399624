"""FIXED_RATE rule: pay each node a fixed USD price per GPU-hour, in uakt at the posted AKT price.

Units: the rate is micro-USD per GPU-hour and the payout is uakt. Both have the same 10**6 scale
(1 USD = 10**6 micro-USD, 1 AKT = 10**6 uakt), so that factor cancels and a node is owed, exactly,

    owed_i = usd_micros_per_gpu_hour * gpu_count * online_seconds / 3600 / price   [uakt]

with ``price`` = USD per AKT. With ``price`` given as a fixed-point int (``SCALE`` = 10**18) the
owed amounts are the rationals ``n_i / D`` with ``n_i = rate * gpu_count * online_seconds * SCALE``
and the common denominator ``D = 3600 * price``. The epoch emission is
``min(floor(sum(n_i) / D), available)`` and it is split by the weights ``n_i`` with the common
rounding rule (``split.split_by_weight``), so no node is ever paid more than it is owed and an
underfunded pool pays everyone the same fraction of what they are owed.

Freshness of the price (deferring an epoch on a stale price) is the caller's job.

What can fail: ``ValueError`` for a non-positive price, a negative ``available`` or negative line
fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from incentives.logic.fixed_point import SCALE
from incentives.logic.split import Split, split_by_weight

SECONDS_PER_HOUR = 3600


@dataclass(frozen=True, slots=True)
class FixedRateLine:
    """One node's epoch: its rate, its GPUs and how long it was online."""

    usd_micros_per_gpu_hour: int
    gpu_count: int
    online_seconds: int

    def __post_init__(self) -> None:
        if self.usd_micros_per_gpu_hour < 0 or self.gpu_count < 0 or self.online_seconds < 0:
            raise ValueError(f"FixedRateLine fields must be >= 0: {self}")

    def owed_numerator(self) -> int:
        """``n_i``: what the line is owed in uakt, times ``3600 * price``."""
        return self.usd_micros_per_gpu_hour * self.gpu_count * self.online_seconds * SCALE


def allocate_fixed_rate(lines: Sequence[FixedRateLine], price: int, available: int) -> Split:
    """Pay ``lines`` at ``price`` (USD per AKT, fixed point), from at most ``available`` uakt.

    ``sum(amounts) + dust`` is the epoch emission ``min(floor(total owed), available)``.
    """
    if price <= 0:
        raise ValueError(f"price must be > 0, got {price}")
    if available < 0:
        raise ValueError(f"available must be >= 0, got {available}")
    numerators = [line.owed_numerator() for line in lines]
    owed = sum(numerators) // (SECONDS_PER_HOUR * price)
    return split_by_weight(min(owed, available), numerators)
