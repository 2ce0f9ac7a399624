"""The mint keeper: a fixed-inflation minter paying into the fee collector.

Owns these collections in store ``mint``:
- ``minter`` (0x00, ``MinterKey``): ``cosmos.mint.v1beta1.Minter`` (``inflation``,
  ``annual_provisions``; raw ``LegacyDec`` text);
- ``params`` (0x01, ``ParamsKey``): ``Params`` (``mint_denom``, ``inflation_rate``; cosmpy's
  ``blocks_per_year`` is kept but unused: provisions follow block time, not block count);
- ``last_block_time`` (0x02, ours): unix ns of the previous begin block;
- ``remainder`` (0x03, ours): the fraction of a coin minted but not yet paid, a
  ``cosmos.base.v1beta1.DecProto``.

``begin_block`` mints, for the time since the previous block,
``supply(mint_denom) * inflation * elapsed / year`` (``year`` = 365.25 days), exact to 10**-18 of
a coin, plus the carried remainder; the whole coins go from the ``mint`` module account to
``fee_collector``, the fraction is carried, so over any run the minted total differs from the
exact integral by less than one coin plus 10**-18 per block. The first block after genesis
counts from the genesis time; ``annual_provisions`` is ``inflation * supply`` at each block.

Fails when: the bank refuses to mint (``ErrUnauthorized`` without the minter permission).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import DecProto
from cosmpy.protos.cosmos.mint.v1beta1.mint_pb2 import Minter, Params

from chain.modules.bank import BankKeeper
from chain.modules.staking.legacy_dec import dec_from_proto, dec_to_proto
from chain.sdk.collections import CachedValue, Item, MappedValue, ProtoValue, Schema, U64Value
from chain.sdk.context import NANOS, Context
from chain.sdk.errors import ErrInvalidRequest, SdkError
from chain.sdk.events import Event
from chain.sdk.math import Coins, Dec, validate_denom

MODULE_NAME = "mint"
FEE_COLLECTOR = "fee_collector"

DEFAULT_MINT_DENOM = "uakt"
DEFAULT_INFLATION = "0.13"
DEFAULT_BLOCKS_PER_YEAR = 6_311_520  # 8766 hours of 5-second blocks, the SDK default
SECONDS_PER_YEAR = 31_557_600  # 365.25 days

EVENT_TYPE_MINT = "mint"

Invariant = Callable[[Context], str | None]


def default_params() -> Params:
    return Params(
        mint_denom=DEFAULT_MINT_DENOM,
        inflation_rate=dec_to_proto(Dec.from_str(DEFAULT_INFLATION)),
        blocks_per_year=DEFAULT_BLOCKS_PER_YEAR,
    )


def default_minter() -> Minter:
    return Minter(
        inflation=dec_to_proto(Dec.from_str(DEFAULT_INFLATION)),
        annual_provisions=dec_to_proto(Dec.zero()),
    )


def validate_params(params: Params) -> None:
    """The mint denom is a valid denom and the inflation rate is within [0, 1].

    Fails with ``ErrInvalidRequest``."""
    try:
        validate_denom(params.mint_denom)
    except SdkError as err:
        raise ErrInvalidRequest.wrap(f"mint denom: {err.log}") from None
    inflation = dec_from_proto(params.inflation_rate)
    if inflation.is_negative():
        raise ErrInvalidRequest.wrap(f"inflation rate cannot be negative: {inflation}")
    if inflation > Dec.one():
        raise ErrInvalidRequest.wrap(f"inflation rate too large: {inflation}")


def provision(supply: int, inflation: Dec, elapsed_ns: int) -> Dec:
    """``supply * inflation * elapsed / year``, truncated to 18 decimals."""
    return Dec(supply * inflation.raw * elapsed_ns // (SECONDS_PER_YEAR * NANOS))


class MintKeeper:
    """The minter, its params and the carried remainder; see the module docstring."""

    def __init__(
        self, bank: BankKeeper, store_name: str = MODULE_NAME, fee_collector: str = FEE_COLLECTOR
    ) -> None:
        self.bank = bank
        self.store_name = store_name
        self.fee_collector = fee_collector
        schema = Schema(store_name)
        self.schema = schema
        self.minter: Item[Minter] = schema.item(b"\x00", "minter", ProtoValue(Minter))
        self.params: Item[Params] = schema.item(b"\x01", "params", CachedValue(ProtoValue(Params)))
        self.last_block_time: Item[int] = schema.item(b"\x02", "last_block_time", U64Value)
        self.remainder: Item[Dec] = schema.item(
            b"\x03",
            "remainder",
            MappedValue(
                DecProto,
                lambda value: DecProto(dec=dec_to_proto(value)),
                lambda message: dec_from_proto(message.dec),
            ),
        )

    def get_params(self, ctx: Context) -> Params:
        """The params (the defaults until genesis sets them)."""
        params = self.params.get(ctx)
        return default_params() if params is None else params

    def set_params(self, ctx: Context, params: Params) -> None:
        validate_params(params)
        self.params.set(ctx, params)

    def get_minter(self, ctx: Context) -> Minter:
        minter = self.minter.get(ctx)
        return default_minter() if minter is None else minter

    def inflation(self, ctx: Context) -> Dec:
        return dec_from_proto(self.get_params(ctx).inflation_rate)

    def annual_provisions(self, ctx: Context) -> Dec:
        return dec_from_proto(self.get_minter(ctx).annual_provisions)

    def get_remainder(self, ctx: Context) -> Dec:
        value = self.remainder.get(ctx)
        return Dec.zero() if value is None else value

    def begin_block(self, ctx: Context) -> Coins:
        """Update the minter and mint for the time since the previous block; returns the coins
        sent to the fee collector."""
        params = self.get_params(ctx)
        denom = str(params.mint_denom)
        inflation = dec_from_proto(params.inflation_rate)
        supply = self.bank.get_supply(ctx, denom)
        annual = Dec.from_int(supply).mul(inflation)
        self.minter.set(
            ctx,
            Minter(inflation=dec_to_proto(inflation), annual_provisions=dec_to_proto(annual)),
        )
        now = ctx.header.time_ns
        last = self.last_block_time.get(ctx)
        self.last_block_time.set(ctx, now)
        if last is None or now <= last:
            return Coins()
        total = self.get_remainder(ctx) + provision(int(supply), inflation, now - last)
        minted = total.truncate_int()
        left = total - Dec.from_int(minted)
        if left != self.get_remainder(ctx):
            self.remainder.set(ctx, left)
        coins = Coins.of(denom, minted)
        if coins.is_zero():
            return coins
        self.bank.mint_coins(ctx, MODULE_NAME, coins)
        self.bank.send_coins_from_module_to_module(ctx, MODULE_NAME, self.fee_collector, coins)
        ctx.emit_event(
            Event(
                EVENT_TYPE_MINT,
                (
                    ("inflation", str(inflation)),
                    ("annual_provisions", str(annual)),
                    ("amount", str(int(minted))),
                ),
            )
        )
        return coins

    def catch_up(self, ctx: Context, times: Sequence[int]) -> Coins:
        """Mint for skipped idle blocks at ``times`` (increasing, before ``ctx``'s block)
        exactly as ``begin_block`` at each would: the same per-block provisions on the growing
        supply, the same carried remainder, the same ``last_block_time``; the coins are minted
        and sent to the fee collector once, without events. The minter is left to the next
        ``begin_block``. Returns the coins minted."""
        if not times:
            return Coins()
        params = self.get_params(ctx)
        denom = str(params.mint_denom)
        inflation = dec_from_proto(params.inflation_rate)
        supply = int(self.bank.get_supply(ctx, denom))
        last = self.last_block_time.get(ctx)
        year = SECONDS_PER_YEAR * NANOS
        rate = inflation.raw
        scale = Dec.one().raw
        left = self.get_remainder(ctx).raw
        changed = False
        minted_total = 0
        for now in times:
            if last is not None and now > last:
                total = left + supply * rate * (now - last) // year
                minted = total // scale  # non-negative: truncation is floor
                changed = changed or total - minted * scale != left
                left = total - minted * scale
                supply += minted
                minted_total += minted
            last = now
        assert last is not None
        self.last_block_time.set(ctx, last)
        if changed:  # as begin_block, which writes the remainder whenever it changes
            self.remainder.set(ctx, Dec(left))
        coins = Coins.of(denom, minted_total)
        if not coins.is_zero():
            self.bank.mint_coins(ctx, MODULE_NAME, coins)
            self.bank.send_coins_from_module_to_module(ctx, MODULE_NAME, self.fee_collector, coins)
        return coins

    def invariants(self) -> list[tuple[str, Invariant]]:
        """None: everything minted leaves the mint account in the same block."""
        return []
