"""Payout math of the incentives module: pure functions, no store, no I/O, no floats.

Every rule turns its inputs into a ``Split`` (amounts in input order plus the dust that rounding
left over, ``sum(amounts) + dust == emission``):

- ``fixed_point``: 18-decimal fixed-point helpers (exact ``log2_fixed``/``exp_neg_fixed`` floors,
  truncating products, decimal text).
- ``split``: the shared rounding rule ``floor(emission * w_i / W)``.
- ``pro_rata``: PRO_RATA, weights = GPU-seconds online.
- ``fixed_rate``: FIXED_RATE, USD per GPU-hour converted at the AKT/USD price.
- ``availability``: AVAILABILITY, Render RNP-015 scores as exact integer weights.

``reference`` (a ``decimal`` model of RNP-015 for tests and benchmarks) is not re-exported.
"""

from incentives.logic.availability import (
    DEFAULT_PENALTY_DECAY,
    DEFAULT_PENALTY_FACTOR,
    AvailabilityNode,
    AvailabilityRule,
    PenaltyMode,
    allocate_availability,
    availability_weights,
    clamped_log2,
    penalty,
)
from incentives.logic.fixed_point import (
    SCALE,
    exp_neg_fixed,
    format_decimal,
    log2_fixed,
    mul_fixed,
    parse_decimal,
    pow_fixed,
)
from incentives.logic.fixed_rate import FixedRateLine, allocate_fixed_rate
from incentives.logic.pro_rata import allocate_pro_rata, gpu_seconds
from incentives.logic.split import Split, split_by_weight

__all__ = [
    "DEFAULT_PENALTY_DECAY",
    "DEFAULT_PENALTY_FACTOR",
    "SCALE",
    "AvailabilityNode",
    "AvailabilityRule",
    "FixedRateLine",
    "PenaltyMode",
    "Split",
    "allocate_availability",
    "allocate_fixed_rate",
    "allocate_pro_rata",
    "availability_weights",
    "clamped_log2",
    "exp_neg_fixed",
    "format_decimal",
    "gpu_seconds",
    "log2_fixed",
    "mul_fixed",
    "parse_decimal",
    "penalty",
    "pow_fixed",
    "split_by_weight",
]
