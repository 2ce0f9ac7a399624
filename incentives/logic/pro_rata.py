"""PRO_RATA rule: a fixed emission per epoch shared in proportion to GPU-seconds online.

The caller computes each node's weight with ``gpu_seconds(gpu_count, online_seconds)`` and the
epoch emission (``min(emission_per_epoch, pool balance)``); ``allocate_pro_rata`` splits it with
the common rounding rule of ``split.split_by_weight`` (dust stays in the pool).

What can fail: ``ValueError`` for negative counts, seconds, weights or emission.
"""

from __future__ import annotations

from collections.abc import Sequence

from incentives.logic.split import Split, split_by_weight


def gpu_seconds(gpu_count: int, online_seconds: int) -> int:
    """Weight of one node: GPUs times seconds online in the epoch."""
    if gpu_count < 0 or online_seconds < 0:
        raise ValueError(
            f"gpu_count and online_seconds must be >= 0, got {gpu_count} and {online_seconds}"
        )
    return gpu_count * online_seconds


def allocate_pro_rata(emission: int, weights: Sequence[int]) -> Split:
    """Split ``emission`` by ``weights`` (GPU-seconds), in the order of ``weights``."""
    return split_by_weight(emission, weights)
