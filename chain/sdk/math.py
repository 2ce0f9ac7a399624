"""Exact numbers of the state machine: ``Int`` (256-bit bounded), ``Dec`` (18 decimals), ``Coins``.

Owns the arithmetic rules every module shares, as cosmossdk.io/math has them:
- ``Int`` is a Python ``int`` whose magnitude stays below 2**256; any result outside raises
  ``ErrIntOverflow`` (the SDK panics). Arithmetic between ``Int`` values returns ``Int``.
- ``Dec`` is an integer scaled by 10**18 (``LegacyDec``). Each rounding is named: ``mul`` and
  ``quo`` round half to even on the 18th decimal, ``mul_truncate`` / ``quo_truncate`` round toward
  zero, ``quo_round_up`` away from zero. Text is the SDK's: always 18 decimals.
- ``Coins`` is a sorted, duplicate-free tuple of positive ``Coin`` values.

No floats anywhere: constructing a number from a ``float`` raises ``TypeError``.

Fails when: a result leaves the 256-bit range (``ErrIntOverflow``/``ErrDecOverflow``), a division
by zero (``ErrDivisionByZero``), unparsable text (``ErrInvalidNumber``), invalid coins or a
subtraction below zero (``ErrInvalidCoins``/``ErrInsufficientFunds``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import SupportsIndex

from chain.sdk.errors import (
    ErrDecOverflow,
    ErrDivisionByZero,
    ErrInsufficientFunds,
    ErrIntOverflow,
    ErrInvalidCoins,
    ErrInvalidNumber,
)
from chain.sdk.memo import BoundedMemo

MAX_INT_BITS = 256
PRECISION = 18
SCALE = 10**PRECISION
# LegacyDec allows 256 bits of integer part plus the bits the 18 decimals take.
MAX_DEC_BITS = MAX_INT_BITS + 60

_INT_TEXT = re.compile(r"-?[0-9]+")
# 2^256 has 78 digits: a text with more significant digits overflows, and is refused before
# ``int()`` (which refuses texts of over 4300 digits with a ``ValueError`` of its own).
MAX_INT_DIGITS = len(str(2**MAX_INT_BITS))
_DEC_TEXT = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")


def _bounded(value: int) -> int:
    if value.bit_length() > MAX_INT_BITS:
        raise ErrIntOverflow.wrap(f"{value.bit_length()} bits")
    return value


class Int(int):
    """A signed integer bounded to 256 bits, like ``math.Int``."""

    __slots__ = ()

    def __new__(cls, value: SupportsIndex = 0) -> Int:
        if value.__class__ is int or value.__class__ is Int:
            return int.__new__(cls, _bounded(value))
        if isinstance(value, float):
            raise TypeError("Int does not take floats")
        return int.__new__(cls, _bounded(int(value)))

    @classmethod
    def from_str(cls, text: str) -> Int:
        """Parse base-10 text (an optional minus sign, digits only)."""
        if text.isdigit() and text.isascii():  # the common case: ASCII digits only
            if len(text) > MAX_INT_DIGITS and len(text.lstrip("0")) > MAX_INT_DIGITS:
                raise ErrIntOverflow.wrap(f"more than {MAX_INT_DIGITS} digits")
            return cls(int(text))
        if not _INT_TEXT.fullmatch(text):
            raise ErrInvalidNumber.wrap(f"not an integer: {text!r}")
        if len(text.lstrip("-").lstrip("0")) > MAX_INT_DIGITS:
            raise ErrIntOverflow.wrap(f"more than {MAX_INT_DIGITS} digits")
        return cls(int(text))

    def __add__(self, other: int) -> Int:
        if other.__class__ is Int or other.__class__ is int:
            return Int(int.__add__(self, other))
        return Int(int(self) + int(other))

    __radd__ = __add__

    def __sub__(self, other: int) -> Int:
        if other.__class__ is Int or other.__class__ is int:
            return Int(int.__sub__(self, other))
        return Int(int(self) - int(other))

    def __rsub__(self, other: int) -> Int:
        return Int(int(other) - int(self))

    def __mul__(self, other: int) -> Int:
        return Int(int(self) * int(other))

    __rmul__ = __mul__

    def __floordiv__(self, other: int) -> Int:
        """Quotient rounded toward zero, as ``math.Int.Quo`` (not Python's floor)."""
        if other == 0:
            raise ErrDivisionByZero.wrap("Int")
        return Int(_div_truncate(int(self), int(other)))

    def __mod__(self, other: int) -> Int:
        """Remainder with the sign of the dividend, as ``math.Int.Mod`` of a truncated quotient."""
        if other == 0:
            raise ErrDivisionByZero.wrap("Int")
        return Int(int(self) - _div_truncate(int(self), int(other)) * int(other))

    def __truediv__(self, other: object) -> Int:
        raise TypeError("Int has no true division: use // (truncating) or Dec")

    def __pow__(self, other: int, modulo: None = None) -> Int:  # type: ignore[override]
        return Int(int(self) ** int(other))

    def __lshift__(self, other: int) -> Int:
        return Int(int(self) << int(other))

    def __abs__(self) -> Int:
        return Int(abs(int(self)))

    def __neg__(self) -> Int:
        return Int(-int(self))

    def __str__(self) -> str:
        return int.__repr__(self)

    def __repr__(self) -> str:
        return f"Int({int.__repr__(self)})"


@dataclass(frozen=True, slots=True, order=True)
class Dec:
    """A fixed-point decimal with 18 digits after the point (``raw`` = value * 10**18)."""

    raw: int

    def __post_init__(self) -> None:
        if not isinstance(self.raw, int) or isinstance(self.raw, bool):
            raise TypeError("Dec.raw must be an int")
        if self.raw.bit_length() > MAX_DEC_BITS:
            raise ErrDecOverflow.wrap(f"{self.raw.bit_length()} bits")

    @classmethod
    def from_int(cls, value: int) -> Dec:
        return cls(int(value) * SCALE)

    @classmethod
    def from_str(cls, text: str) -> Dec:
        """Parse decimal text with at most 18 fractional digits (``"0.65"``, ``"-3"``)."""
        match = _DEC_TEXT.fullmatch(text)
        if match is None:
            raise ErrInvalidNumber.wrap(f"not a decimal: {text!r}")
        sign, whole, frac = match.group(1), match.group(2), match.group(3) or ""
        if len(frac) > PRECISION:
            raise ErrInvalidNumber.wrap(f"more than {PRECISION} decimal places: {text!r}")
        if len(whole.lstrip("0")) > MAX_INT_DIGITS:
            raise ErrDecOverflow.wrap(f"more than {MAX_INT_DIGITS} integer digits")
        raw = int(whole) * SCALE + int(frac.ljust(PRECISION, "0") or "0")
        return cls(-raw if sign else raw)

    @classmethod
    def zero(cls) -> Dec:
        return cls(0)

    @classmethod
    def one(cls) -> Dec:
        return cls(SCALE)

    def __str__(self) -> str:
        sign = "-" if self.raw < 0 else ""
        whole, frac = divmod(abs(self.raw), SCALE)
        return f"{sign}{whole}.{frac:0{PRECISION}d}"

    def __add__(self, other: Dec) -> Dec:
        return Dec(self.raw + other.raw)

    def __sub__(self, other: Dec) -> Dec:
        return Dec(self.raw - other.raw)

    def __neg__(self) -> Dec:
        return Dec(-self.raw)

    def is_zero(self) -> bool:
        return self.raw == 0

    def is_negative(self) -> bool:
        return self.raw < 0

    def is_positive(self) -> bool:
        return self.raw > 0

    def mul(self, other: Dec) -> Dec:
        """Product rounded half to even on the 18th decimal."""
        return Dec(_div_round_half_even(self.raw * other.raw, SCALE))

    def mul_truncate(self, other: Dec) -> Dec:
        """Product rounded toward zero."""
        return Dec(_div_truncate(self.raw * other.raw, SCALE))

    def mul_int(self, value: int) -> Dec:
        return Dec(self.raw * int(value))

    def quo(self, other: Dec) -> Dec:
        """Quotient rounded half to even on the 18th decimal.

        As ``LegacyDec.Quo``: the quotient is first truncated to 36 decimals, then rounded."""
        _nonzero(other.raw)
        return Dec(_div_round_half_even(self._quo36(other), SCALE))

    def _quo36(self, other: Dec) -> int:
        return _div_truncate(self.raw * SCALE * SCALE, other.raw)

    def quo_truncate(self, other: Dec) -> Dec:
        """Quotient rounded toward zero."""
        _nonzero(other.raw)
        return Dec(_div_truncate(self.raw * SCALE, other.raw))

    def quo_round_up(self, other: Dec) -> Dec:
        """Quotient rounded up (toward +infinity) on the 18th decimal.

        As ``LegacyDec.QuoRoundUp``: the quotient is first truncated to 36 decimals, then the
        ceiling of that is taken."""
        _nonzero(other.raw)
        return Dec(-((-self._quo36(other)) // SCALE))

    def quo_int(self, value: int) -> Dec:
        """Quotient by an integer, rounded half to even."""
        _nonzero(int(value))
        return Dec(_div_round_half_even(self.raw, int(value)))

    def truncate_int(self) -> Int:
        """The integer part, rounded toward zero."""
        return Int(_div_truncate(self.raw, SCALE))

    def ceil_int(self) -> Int:
        """The smallest integer not below the value."""
        return Int(-((-self.raw) // SCALE))


def _nonzero(value: int) -> None:
    if value == 0:
        raise ErrDivisionByZero.wrap("Dec")


def _div_truncate(numerator: int, denominator: int) -> int:
    quotient = abs(numerator) // abs(denominator)
    return quotient if (numerator < 0) == (denominator < 0) else -quotient


def _div_round_half_even(numerator: int, denominator: int) -> int:
    negative = (numerator < 0) != (denominator < 0)
    quotient, remainder = divmod(abs(numerator), abs(denominator))
    twice = 2 * remainder
    if twice > abs(denominator) or (twice == abs(denominator) and quotient % 2 == 1):
        quotient += 1
    return -quotient if negative else quotient


_DENOM = re.compile(r"[a-zA-Z][a-zA-Z0-9/:._-]{2,127}")
_COIN_TEXT = re.compile(r"([0-9]+)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})")


def validate_denom(denom: str) -> None:
    """Raise ``ErrInvalidCoins`` unless ``denom`` matches the SDK's denom pattern."""
    if denom.__class__ is str and denom in _VALID_DENOMS.values:
        return
    if not _DENOM.fullmatch(denom):
        raise ErrInvalidCoins.wrap(f"invalid denom: {denom!r}")
    if denom.__class__ is str:
        _VALID_DENOMS.remember(denom, True)


# Denoms that matched the pattern (bounded: there are few denoms).
_VALID_DENOMS: BoundedMemo[str, bool] = BoundedMemo(1024)


@dataclass(frozen=True, slots=True)
class Coin:
    """An amount of one denomination; the amount may be zero but never negative."""

    denom: str
    amount: Int

    def __post_init__(self) -> None:
        validate_denom(self.denom)
        if not isinstance(self.amount, Int):
            object.__setattr__(self, "amount", Int(self.amount))
        if self.amount < 0:
            raise ErrInvalidCoins.wrap(f"negative coin amount: {self.amount}{self.denom}")

    @classmethod
    def parse(cls, text: str) -> Coin:
        """Parse ``"100uakt"``."""
        match = _COIN_TEXT.fullmatch(text.strip())
        if match is None:
            raise ErrInvalidCoins.wrap(f"invalid coin expression: {text!r}")
        return cls(match.group(2), Int.from_str(match.group(1)))

    def __str__(self) -> str:
        return f"{self.amount}{self.denom}"


class Coins:
    """A sorted set of positive coins, one per denomination (``sdk.Coins``)."""

    __slots__ = ("_coins", "_text")

    def __init__(self, coins: Iterable[Coin] = ()) -> None:
        merged: dict[str, int] = {}
        # The coin of a denom given once, to be kept as it is (coins are immutable).
        alone: dict[str, Coin | None] = {}
        for coin in coins:
            denom = coin.denom
            if denom in merged:
                merged[denom] = merged[denom] + coin.amount
                alone[denom] = None
            else:
                merged[denom] = 0 + coin.amount
                alone[denom] = coin if coin.__class__ is Coin else None
        self._coins = tuple(
            alone[denom] or Coin(denom, Int(merged[denom]))
            for denom in sorted(merged)
            if merged[denom] != 0
        )
        self._text: str | None = None  # str(self), kept once asked for (coins are immutable)

    @classmethod
    def of(cls, denom: str, amount: int) -> Coins:
        return cls([Coin(denom, Int(amount))])

    @classmethod
    def parse(cls, text: str) -> Coins:
        """Parse ``"100uakt,5uatom"``; an empty string is no coins."""
        text = text.strip()
        if not text:
            return cls()
        coins = [Coin.parse(part) for part in text.split(",")]
        denoms = [coin.denom for coin in coins]
        if len(set(denoms)) != len(denoms):
            raise ErrInvalidCoins.wrap(f"duplicate denomination in {text!r}")
        return cls(coins)

    @classmethod
    def validate(cls, coins: Iterable[Coin]) -> Coins:
        """Strict form for message validation: sorted, unique, every amount positive."""
        listed = list(coins)
        for coin in listed:
            if coin.amount <= 0:
                raise ErrInvalidCoins.wrap(f"coin {coin} amount is not positive")
        denoms = [coin.denom for coin in listed]
        if denoms != sorted(set(denoms)):
            raise ErrInvalidCoins.wrap("coins are not sorted or contain duplicates")
        return cls(listed)

    def __iter__(self) -> Iterator[Coin]:
        return iter(self._coins)

    def __len__(self) -> int:
        return len(self._coins)

    def __bool__(self) -> bool:
        return bool(self._coins)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Coins) and self._coins == other._coins

    def __hash__(self) -> int:
        return hash(self._coins)

    def __str__(self) -> str:
        text = self._text
        if text is None:
            text = self._text = ",".join(str(coin) for coin in self._coins)
        return text

    def __repr__(self) -> str:
        return f"Coins({str(self)!r})"

    def amount_of(self, denom: str) -> Int:
        for coin in self._coins:
            if coin.denom == denom:
                return coin.amount
        return Int(0)

    def denoms(self) -> tuple[str, ...]:
        return tuple(coin.denom for coin in self._coins)

    def is_zero(self) -> bool:
        return not self._coins

    def __add__(self, other: Coins) -> Coins:
        return Coins([*self._coins, *other._coins])

    def __sub__(self, other: Coins) -> Coins:
        """Difference; raises ``ErrInsufficientFunds`` if any denomination would go negative."""
        result: dict[str, int] = {coin.denom: int(coin.amount) for coin in self._coins}
        for coin in other._coins:
            left = result.get(coin.denom, 0) - coin.amount
            if left < 0:
                raise ErrInsufficientFunds.wrap(f"{self} is smaller than {other}")
            result[coin.denom] = left
        return Coins(Coin(denom, Int(amount)) for denom, amount in result.items())

    def is_all_gte(self, other: Coins) -> bool:
        return all(self.amount_of(coin.denom) >= coin.amount for coin in other._coins)
