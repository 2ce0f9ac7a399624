"""Deterministic 18-decimal fixed-point arithmetic for the payout rules.

A fixed-point value is a plain ``int`` ``v`` standing for ``v / SCALE`` with ``SCALE = 10**18``
(the scale of Cosmos ``LegacyDec``). Everything here is exact integer arithmetic: no floats, no
``decimal`` context, no global state, so every platform and every faithful port gets the same bits.

This module owns:

- ``log2_fixed(x)``: exactly ``floor(log2(x / SCALE) * SCALE)``, the correctly rounded (toward
  minus infinity) value, not an approximation of it. A fast table path (about 1 µs) computes the
  result with a proven error bound far below one unit; when that interval straddles a multiple of
  ``1e-18`` (about one input in a million) a slow path decides it with more bits. Being the exact
  floor, the function is monotone and any correct implementation reproduces it bit for bit.
- ``exp_neg_fixed(d)``: exactly ``floor(exp(-d / SCALE) * SCALE)`` by interval arithmetic on an
  integer Taylor series (used once per parameter value, e.g. penalty decay 0.65 -> factor c).
- ``mul_fixed`` (truncating toward zero, like ``LegacyDec.MulTruncate``) and ``pow_fixed``
  (iterated truncating multiplication).
- ``parse_decimal`` / ``format_decimal``: exact conversion from and to decimal text.

What can fail: ``log2_fixed`` raises ``ValueError`` for ``x <= 0``; ``exp_neg_fixed`` for ``d < 0``;
``pow_fixed`` for a negative exponent; ``parse_decimal`` for anything that is not plain decimal text
with at most 18 decimals (the message names the offending text).
"""

from __future__ import annotations

import re
from typing import Final

SCALE: Final = 10**18
"""One, in fixed point (18 decimals)."""

MAX_DECIMALS: Final = 18

# log2: exact lower bounds by square-and-compare (table construction and the slow path)


def _log2_mantissa_lower(m: int, w: int) -> int:
    """Lower bound r of ``log2(m / 2**w) * 2**w`` for ``2**w <= m < 2**(w+1)``.

    Binary logarithm by repeated squaring: each squaring doubles the log, so ``y >= 2`` yields the
    next bit. Every truncation only lowers ``y`` (relative loss < 2**-w, weighted by 2**-b at bit
    b), so the true value lies in ``[r, r + 4)`` units of ``2**-w``: at most 2 * 1.443 * 2**-w from
    truncations plus below one unit for the bits not computed.
    """
    two = 2 << w
    r = 0
    for _ in range(w):
        m = (m * m) >> w
        r <<= 1
        if m >= two:
            m >>= 1
            r |= 1
    return r


def _log2_scale_lower(w: int) -> int:
    """Lower bound of ``log2(SCALE) * 2**w``; the true value is below it + 4 (10**18 >= 2**59)."""
    return (59 << w) + _log2_mantissa_lower(SCALE << (w - 59), w)


def _ln2_lower(w: int) -> int:
    """``ln 2 * 2**w`` within one unit, from ln 2 = 2 * atanh(1/3) = sum 2 / ((2k+1) 3**(2k+1))."""
    g = w + 8
    total = 0
    k = 0
    power3 = 3
    while True:
        term = (1 << g) // ((2 * k + 1) * power3)
        if term == 0:
            break
        total += term
        k += 1
        power3 *= 9
    return (2 * total) >> 8


# Fast path, in binary fixed point with _P fractional bits. x is normalized to a mantissa m in
# [1, 2); m is divided by a_i = 1 + i/2**8 (i = its top 8 fraction bits) and then by
# b_j = 1 + j/2**16, leaving 1 + t with 0 <= t < 2**-16; log2(1 + t) comes from 4 terms of the
# series log2(e) * (t - t**2/2 + t**3/3 - t**4/4). Divisions are multiplications by reciprocals
# rounded up, so every quotient stays >= 1 and the table indexes stay in range.
_P: Final = 96
_GUARD: Final = 20
_W: Final = _P + _GUARD


def _rounded_from_lower(lower: int) -> int:
    """Round a ``_W``-bit lower bound (true value in [lower, lower + 4)) to ``_P`` bits."""
    return (lower + 2 + (1 << (_GUARD - 1))) >> _GUARD


def _log2_table(index_bits: int) -> tuple[int, ...]:
    return tuple(
        _rounded_from_lower(_log2_mantissa_lower(((1 << index_bits) + i) << (_W - index_bits), _W))
        for i in range(256)
    )


def _reciprocal_table(index_bits: int) -> tuple[int, ...]:
    return tuple(
        -(-(1 << (2 * _P)) // (((1 << index_bits) + i) << (_P - index_bits))) for i in range(256)
    )


_LOG2_A: Final = _log2_table(8)
_LOG2_B: Final = _log2_table(16)
_RECIP_A: Final = _reciprocal_table(8)
_RECIP_B: Final = _reciprocal_table(16)
_LOG2_SCALE_P: Final = _rounded_from_lower(_log2_scale_lower(_W))
_LN2_W: Final = _ln2_lower(_W)
_C1, _C2, _C3, _C4 = (
    ((1 << (_P + _W)) + k * _LN2_W // 2) // (k * _LN2_W) for k in (1, 2, 3, 4)
)  # log2(e) / k with _P fractional bits
_ONE_P: Final = 1 << _P
# Error bound of the fast path in units of 2**-_P: series remainder <= log2(e) * t**5 / 5 with
# t < 2**-16 (< 18_915 units); table, constant and reciprocal roundings, mantissa truncation and
# Horner truncations add < 20 units. 2**15 leaves a wide margin.
_FAST_ERROR_SCALED: Final = (1 << 15) * SCALE


def log2_fixed(x: int) -> int:
    """Return ``floor(log2(x / SCALE) * SCALE)`` exactly, for ``x > 0``.

    Raises ``ValueError`` when ``x <= 0``.
    """
    if x <= 0:
        raise ValueError(f"log2_fixed: argument must be > 0, got {x}")
    n = x.bit_length() - 1
    m = x >> (n - _P) if n > _P else x << (_P - n)
    i = (m >> (_P - 8)) & 255
    z = (m * _RECIP_A[i]) >> _P
    j = (z >> (_P - 16)) & 255
    t = ((z * _RECIP_B[j]) >> _P) - _ONE_P
    u = _C2 - ((t * (_C3 - ((t * _C4) >> _P))) >> _P)
    series = (t * (_C1 - ((t * u) >> _P))) >> _P
    y = ((n << _P) + _LOG2_A[i] + _LOG2_B[j] + series - _LOG2_SCALE_P) * SCALE
    low = (y - _FAST_ERROR_SCALED) >> _P
    if low == (y + _FAST_ERROR_SCALED) >> _P:
        return low
    return _log2_fixed_slow(x)


def _log2_fixed_slow(x: int) -> int:
    """Exact ``floor(log2(x / SCALE) * SCALE)`` for ``x > 0``, by widening precision.

    ``log2(x / SCALE)`` is a multiple of 1e-18 only when ``x / SCALE`` is a power of two (otherwise
    it is irrational), so after that exact check doubling the precision always terminates.
    """
    quotient, remainder = divmod(x, SCALE)
    if remainder == 0 and quotient & (quotient - 1) == 0:
        return (quotient.bit_length() - 1) * SCALE
    if SCALE % x == 0:
        quotient = SCALE // x
        if quotient & (quotient - 1) == 0:
            return -(quotient.bit_length() - 1) * SCALE
    n = x.bit_length() - 1
    w = max(2 * _P, n + 64)
    while True:
        # log2(x) in [lx, lx + 4) and log2(SCALE) in [ls, ls + 4): the difference is within 4
        # units of lx - ls.
        lx = (n << w) + _log2_mantissa_lower(x << (w - n), w)
        ls = _log2_scale_lower(w)
        low = ((lx - ls - 4) * SCALE) >> w
        if low == ((lx - ls + 4) * SCALE) >> w:
            return low
        w *= 2


# exp

# exp(-42) * 10**18 < 0.58, so the floor is 0 from here on.
_EXP_ZERO_FROM: Final = 42 * SCALE


def _exp_bounds(d: int, w: int) -> tuple[int, int]:
    """Integers lo <= exp(d / SCALE) * 2**w <= hi, for 0 < d < _EXP_ZERO_FROM.

    The argument is halved k times to u <= 1/2; the Taylor series of exp(u) is summed with floored
    terms for the lower bound and ceiled terms plus a tail bound (the tail after a term is at most
    that term, since u / (i + 1) <= 1/2) for the upper bound; then both are squared k times.
    """
    k = (d // SCALE).bit_length() + 1
    u_low = (d << w) // (SCALE << k)
    u_high = u_low + 1
    one = 1 << w
    low = one
    term = one
    i = 1
    while term:
        term = (term * u_low) // (i << w)
        low += term
        i += 1
    high = one
    term = one
    i = 1
    while term > 1:
        term = -(-(term * u_high) // (i << w))
        high += term
        i += 1
    high += term
    for _ in range(k):
        low = (low * low) >> w
        high = -(-(high * high) >> w)
    return low, high


def exp_neg_fixed(d: int) -> int:
    """Return ``floor(exp(-d / SCALE) * SCALE)`` exactly, for ``d >= 0``.

    Raises ``ValueError`` when ``d < 0`` (the result would exceed one; no caller needs that).
    """
    if d < 0:
        raise ValueError(f"exp_neg_fixed: argument must be >= 0, got {d}")
    if d == 0:
        return SCALE
    if d >= _EXP_ZERO_FROM:
        return 0
    w = 128
    while True:
        low, high = _exp_bounds(d, w)
        result = (SCALE << w) // high
        if result == (SCALE << w) // low:
            return result
        w *= 2


# products


def mul_fixed(a: int, b: int) -> int:
    """Return ``a * b / SCALE`` truncated toward zero (``LegacyDec.MulTruncate``)."""
    product = a * b
    if product >= 0:
        return product // SCALE
    return -(-product // SCALE)


def pow_fixed(c: int, n: int) -> int:
    """Return ``c**n`` in fixed point by ``n`` truncating multiplications, starting from one.

    ``pow_fixed(c, k + 1) == mul_fixed(pow_fixed(c, k), c)``: the rounding is defined by the
    iteration, so callers may build a table of powers incrementally and get the same values.
    Raises ``ValueError`` when ``n < 0``.
    """
    if n < 0:
        raise ValueError(f"pow_fixed: exponent must be >= 0, got {n}")
    result = SCALE
    for _ in range(n):
        if result == 0:
            break
        result = mul_fixed(result, c)
    return result


# decimal text

_DECIMAL_RE: Final = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")


def parse_decimal(text: str) -> int:
    """Parse decimal text (``"12"``, ``"-0.65"``, ``"3.000"``) into a fixed-point int, exactly.

    Accepted: an optional ``-``, ASCII digits, optionally a ``.`` followed by 1 to 18 digits.
    Raises ``ValueError`` for anything else: empty text, whitespace, ``+``, exponents (``1e5``),
    ``nan``/``inf``, underscores, or more than 18 decimals. The message is ``"not a number: '...'"``
    or ``"too many decimals (max 18): '...'"``, so callers can prefix a location.
    """
    match = _DECIMAL_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a number: {text!r}")
    sign, whole, fraction = match.groups()
    fraction = fraction or ""
    if len(fraction) > MAX_DECIMALS:
        raise ValueError(f"too many decimals (max {MAX_DECIMALS}): {text!r}")
    value = int(whole) * SCALE + int(fraction.ljust(MAX_DECIMALS, "0"))
    return -value if sign else value


def format_decimal(x: int) -> str:
    """Format a fixed-point int as ``LegacyDec.String()`` does: always 18 decimals.

    ``parse_decimal(format_decimal(x)) == x`` for every int ``x``.
    """
    sign = "-" if x < 0 else ""
    whole, fraction = divmod(abs(x), SCALE)
    return f"{sign}{whole}.{fraction:018d}"
