"""Hostile field values for the fuzz tests: addresses that are almost right, integers up to and
beyond 2^256 and beyond Python's 4300-digit parsing limit, decimals with too many places, denoms
and names of every size and script. Each strategy mixes the values that reach the interesting
branches (the world's real accounts, pools and nodes) with the ones that should be refused."""

from __future__ import annotations

from typing import TypeVar

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from hypothesis import strategies as st

from chain.sdk.address import encode_address
from tests.incentives.world import GOV, addr

T = TypeVar("T")

VALID = addr(1)
WORLD_ADDRESSES = [addr(index) for index in range(10)] + [GOV]
# 40 well-formed accounts: more than a pool's 32 attesters.
MANY_ADDRESSES = [encode_address(bytes([index + 1]) * 20) for index in range(40)]

BAD_ADDRESSES = st.sampled_from(
    [
        "",
        " ",
        VALID.upper(),
        VALID[:-1],
        VALID[:-1] + ("p" if VALID[-1] == "q" else "q"),
        "cosmos1" + VALID[6:],
        VALID + "q",
        " " + VALID,
        VALID + "\x00",
        "akash1",
        "akash1" + "ñ" * 38,
        "akash1" + "q" * 5_000,
    ]
) | st.text(max_size=60)

ADDRESS = st.one_of(st.sampled_from(WORLD_ADDRESSES), BAD_ADDRESSES)


def mostly(valid: T, hostile: st.SearchStrategy[T], percent: int = 80) -> st.SearchStrategy[T]:
    """``valid`` (a value that passes in the test's world) ``percent`` % of the time, else
    ``hostile``: most drawn Msgs then fail on one or two fields, so the checks behind the first
    ones are reached too. Shrinks towards ``valid``."""
    return st.integers(0, 99).flatmap(lambda roll: st.just(valid) if roll < percent else hostile)


def address_or(favoured: str) -> st.SearchStrategy[str]:
    """``ADDRESS``, with ``favoured`` (the signer that gets past authorization) drawn most."""
    return mostly(favoured, ADDRESS)


HUGE_TEXTS = [
    str(2**256 - 1),
    str(2**256),
    str(-(2**256)),
    str(2**300),
    "0" * 100 + "1",
    "9" * 5_000,  # beyond CPython's int-from-string digit limit
    "1" + "0" * 4_400,
]

INT_TEXT = st.one_of(
    st.integers(1, 10**9).map(str),
    st.integers(-(2**300), 2**300).map(str),
    st.integers(-5, 10**7).map(str),
    st.sampled_from(
        ["", "0", "-0", "-1", "+1", " 1", "1 ", "1.0", "1e5", "٣", "0x10", "1_000", *HUGE_TEXTS]
    ),
    st.text(alphabet="0123456789-+. e", max_size=30),
)

DEC_TEXT = st.one_of(
    INT_TEXT,
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str),
    st.sampled_from(
        [
            "2.5",
            "0.000000000000000001",
            "0.0000000000000000001",
            ".5",
            "5.",
            "NaN",
            "Infinity",
            "-0.5",
            "1e-30",
            str(2**256) + ".5",
            "9" * 5_000 + ".1",
            "1." + "0" * 5_000,
        ]
    ),
)

DENOM = st.one_of(
    st.sampled_from(["uakt", "uakt", "uatom", "", "UAKT", "u", "ibc/" + "A" * 64, "x" * 200, "ñ"]),
    st.text(max_size=20),
)

COINS = st.lists(st.builds(CoinPb, denom=DENOM, amount=INT_TEXT), max_size=3)

UINT64 = st.one_of(
    st.integers(0, 5),
    st.sampled_from([2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1]),
    st.integers(0, 2**64 - 1),
)
UINT32 = st.one_of(
    st.integers(0, 5),
    st.sampled_from([1_024, 1_025, 10_000, 10_001, 2**31, 2**32 - 1]),
    st.integers(0, 2**32 - 1),
)
POOL_ID = st.one_of(st.sampled_from([0, 1, 2, 3]), UINT64)
EPOCH = st.one_of(st.integers(0, 12), UINT64)
ENUM = st.one_of(st.integers(-1, 5), st.sampled_from([2**31 - 1, -(2**31)]))

TEXT = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", " ", "\x00", "ñ", "💥" * 50, "x" * 100_000]),
)
NODE_ID = st.one_of(st.sampled_from(["n1", "n2", "-x", "a" * 64, "a" * 65, "n1\n"]), TEXT)
GPU_MODEL = st.one_of(st.sampled_from(["h100", "a100-80gb", "rtx4090", "H100"]), TEXT)
