"""Bounded memos: results of pure functions kept by their exact inputs, to hand out again.

Owns ``BoundedMemo``, a dict of at most ``limit`` entries that empties itself when a new entry
would exceed it, and ``Memo``, a function of stored bytes evaluated once per distinct bytes. A
remembered value is what computing it again would give (the function is pure and its results
are immutable, or only read), so what a memo holds never changes a result, only how long it
takes; forgetting costs only time. A value may also be remembered under the bytes it was just
encoded to, when decoding those bytes would give an equal value of the same types.

Fails when: never by itself; a ``Memo``'s function raises as it would without the memo
(failures are not remembered).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")


class BoundedMemo(Generic[K, V]):
    """Values by key, at most ``limit`` of them; ``values`` is the dict itself (for membership
    tests in hot loops: it is emptied in place, never replaced)."""

    __slots__ = ("_limit", "values")

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self.values: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self.values.get(key)

    def remember(self, key: K, value: V) -> None:
        values = self.values
        if len(values) >= self._limit:
            values.clear()
        values[key] = value


# Distinct stored keys or values one ``Memo`` remembers before it starts over (memory bound).
MEMO_LIMIT = 1 << 16


class Memo(BoundedMemo[bytes, R]):
    """A pure function of stored bytes, evaluated once per distinct bytes."""

    __slots__ = ("_function",)

    def __init__(self, function: Callable[[bytes], R], limit: int = MEMO_LIMIT) -> None:
        super().__init__(limit)
        self._function = function

    def __call__(self, data: bytes) -> R:
        values = self.values
        result = values.get(data, values)
        if result is values:
            result = self._function(data)
            self.remember(data, result)
        return result  # type: ignore[return-value]
