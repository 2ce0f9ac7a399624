"""Gas metering in the SDK's style: a meter per tx and the KV gas table.

Owns the gas costs of store access (``storetypes.KVGasConfig``) and the meter that counts them.

Fails when: consumption passes the limit (``ErrOutOfGas``, logged like the SDK's
``out of gas in location: <descriptor>; gasWanted: <limit>, gasUsed: <used>``).
"""

from __future__ import annotations

from dataclasses import dataclass

from chain.sdk.errors import ErrOutOfGas


@dataclass(frozen=True, slots=True)
class KVGasConfig:
    """Gas charged for KV store access (cosmos-sdk ``KVGasConfig`` defaults)."""

    has_cost: int = 1000
    delete_cost: int = 1000
    read_cost_flat: int = 1000
    read_cost_per_byte: int = 3
    write_cost_flat: int = 2000
    write_cost_per_byte: int = 30
    iter_next_cost_flat: int = 30


KV_GAS = KVGasConfig()
TX_SIZE_COST_PER_BYTE = 10
SIG_VERIFY_COST_SECP256K1 = 1000


class GasMeter:
    """Counts gas against a limit; ``limit=None`` is the infinite meter of genesis and hooks."""

    __slots__ = ("_limit", "_used")

    def __init__(self, limit: int | None = None) -> None:
        if limit is not None and limit < 0:
            raise ValueError("gas limit must not be negative")
        self._limit = limit
        self._used = 0

    @property
    def limit(self) -> int | None:
        return self._limit

    @property
    def used(self) -> int:
        return self._used

    def consume(self, amount: int, descriptor: str) -> None:
        """Add ``amount``; raise ``ErrOutOfGas`` once the total passes the limit."""
        self._used += amount
        if self._limit is not None and self._used > self._limit:
            raise ErrOutOfGas.wrap(
                f"out of gas in location: {descriptor}; gasWanted: {self._limit}, "
                f"gasUsed: {self._used}"
            )

    def refund(self, amount: int) -> None:
        self._used = max(0, self._used - amount)
