"""The bank keeper: balances, total supply and the module accounts' money movements.

Owns four collections in store ``bank`` (prefixes as in cosmos-sdk ``x/bank/types/keys.go``):
- ``supply`` (0x00): denom -> total supply of that denom;
- ``denom_metadata`` (0x01): denom -> ``cosmos.bank.v1beta1.Metadata``;
- ``balances`` (0x02): (account id, denom) -> balance;
- ``params`` (0x05): ``cosmos.bank.v1beta1.Params`` (sends are always enabled here).

Amounts are stored as ``math.Int`` is in the SDK's collections (``sdk.IntValue``): the decimal
text of the integer as bytes (``b"1000"``). Zero balances and zero supplies are never stored (the
key is deleted), so every stored amount is positive.

A module's account id is ``chain.sdk.address.module_address(name)``. Account records belong to
the auth module: with an account keeper (``account_keeper=`` or ``set_account_keeper``), a
transfer creates the recipient's account when it has none (a module account when the recipient is
a module), and minting creates the minter's module account, as the SDK's bank does; without one,
balances are kept for bare addresses. ``module_permissions`` (``None`` = every module may
mint and burn) restricts ``mint_coins`` to modules with ``"minter"`` and ``burn_coins`` to modules
with ``"burner"``, as the SDK's module-account permissions do.

Every method either checks everything it needs first and then writes, or raises without writing,
so a rejection leaves state unchanged even outside a branch. Sending, minting or burning no
coins (an empty ``Coins``; zero amounts are dropped by ``Coins``) does nothing and emits nothing.

Events (string attributes, as the SDK's ``x/bank`` emits them): ``coin_spent`` (spender, amount),
``coin_received`` (receiver, amount), ``transfer`` (recipient, sender, amount; recipient and
amount only for each output of ``input_output_coins``, which also emits ``message`` (sender)),
``coinbase`` (minter, amount), ``burn`` (burner, amount); addresses in bech32, amounts as
``Coins`` text.

Fails when:
- a sender's balance of some denom is below the amount: ``ErrInsufficientFunds``
  ``spendable balance 5uakt is smaller than 10uakt`` (the first short denom, in denom order);
- ``send_coins_from_module_to_account`` targets a blocked address: ``ErrUnauthorized``
  ``<bech32> is not allowed to receive funds``;
- a module without the permission mints or burns: ``ErrUnauthorized``
  ``module account <name> does not have permissions to mint tokens`` (``burn``);
- a supply would leave the 256-bit range: ``ErrIntOverflow``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Protocol

from cosmpy.protos.cosmos.bank.v1beta1 import bank_pb2

from chain.sdk.address import encode_address, module_address
from chain.sdk.collections import BytesKey, Map, ProtoValue, Schema, StrKey, TupleKey
from chain.sdk.context import Context
from chain.sdk.errors import ErrInsufficientFunds, ErrUnauthorized
from chain.sdk.events import Event
from chain.sdk.math import Coin, Coins, Int
from chain.sdk.memo import BoundedMemo
from chain.sdk.stored_reader import Reader

MODULE_NAME = "bank"

EVENT_TYPE_TRANSFER = "transfer"
EVENT_TYPE_COIN_SPENT = "coin_spent"
EVENT_TYPE_COIN_RECEIVED = "coin_received"
EVENT_TYPE_COINBASE = "coinbase"
EVENT_TYPE_BURN = "burn"
EVENT_TYPE_MESSAGE = "message"

PERMISSION_MINTER = "minter"
PERMISSION_BURNER = "burner"

INVARIANT_TOTAL_SUPPLY = "bank/total-supply"

Invariant = Callable[[Context], str | None]


class IntValue:
    """Value codec of ``math.Int`` as the SDK stores it: decimal text bytes."""

    def encode(self, value: Int) -> bytes:
        data = str(int(value)).encode()
        if value.__class__ is Int:
            _INTS.remember(data, value)
        return data

    def decode(self, data: bytes) -> Int:
        value = _INTS.get(data)
        if value is None:
            value = Int.from_str(data.decode())
            _INTS.remember(data, value)
        return value


# Ints are immutable, so equal bytes can share one: a balance written by one send is read back
# by the next without parsing its text again.
_INTS: BoundedMemo[bytes, Int] = BoundedMemo(4096)


INT_VALUE = IntValue()


class AccountKeeper(Protocol):
    """What the bank needs from auth: accounts for recipients and module accounts."""

    def ensure_account(self, ctx: Context, addr: bytes) -> object: ...

    def ensure_module_account(self, ctx: Context, name: str) -> None: ...


class BankKeeper:
    """Balances and supply of every denom; see the module docstring for rules and failures."""

    def __init__(
        self,
        store_name: str = MODULE_NAME,
        blocked_addrs: frozenset[bytes] = frozenset(),
        module_permissions: Mapping[str, Iterable[str]] | None = None,
        account_keeper: AccountKeeper | None = None,
    ) -> None:
        self.store_name = store_name
        self.account_keeper = account_keeper
        self.blocked_addrs = blocked_addrs
        self._permissions = (
            None
            if module_permissions is None
            else {name: frozenset(perms) for name, perms in module_permissions.items()}
        )
        self.schema = Schema(store_name)
        self.supply: Map[str, Int] = self.schema.map(b"\x00", "supply", StrKey, INT_VALUE)
        self.balances: Map[tuple[bytes, str], Int] = self.schema.map(
            b"\x02", "balances", TupleKey(BytesKey, StrKey), INT_VALUE
        )
        # The total-supply invariant reads every balance after every block: each distinct stored
        # key and value is decoded once.
        self._balance_reads = Reader(self.balances)
        self.denom_metadata: Map[str, bank_pb2.Metadata] = self.schema.map(
            b"\x01", "denom_metadata", StrKey, ProtoValue(bank_pb2.Metadata)
        )
        self.params = self.schema.item(b"\x05", "params", ProtoValue(bank_pb2.Params))

    def set_account_keeper(self, account_keeper: AccountKeeper) -> None:
        """Create auth accounts for recipients from now on (see the module docstring)."""
        self.account_keeper = account_keeper

    # Reads

    def get_balance(self, ctx: Context, addr: bytes, denom: str) -> Int:
        """The balance of ``addr`` in ``denom`` (zero if none)."""
        amount = self.balances.get(ctx, (addr, denom))
        return Int(0) if amount is None else amount

    def get_all_balances(self, ctx: Context, addr: bytes) -> Coins:
        """Every positive balance of ``addr``."""
        return Coins(
            Coin(denom, amount) for (_, denom), amount in self.balances.iterate(ctx, (addr,))
        )

    def get_supply(self, ctx: Context, denom: str) -> Int:
        """The total supply of ``denom`` (zero if none)."""
        amount = self.supply.get(ctx, denom)
        return Int(0) if amount is None else amount

    def total_supply(self, ctx: Context) -> Coins:
        """The supply of every denom."""
        return Coins(Coin(denom, amount) for denom, amount in self.supply.iterate(ctx))

    def iterate_balances(self, ctx: Context) -> Iterator[tuple[bytes, Coin]]:
        """Every (account id, balance) in store order: by account, then denom."""
        for (addr, denom), amount in self.balances.iterate(ctx):
            yield addr, Coin(denom, amount)

    def is_blocked(self, addr: bytes) -> bool:
        """Whether ``addr`` may not receive funds from module accounts (and, later, users)."""
        return addr in self.blocked_addrs

    # Transfers

    def send_coins(self, ctx: Context, from_addr: bytes, to_addr: bytes, coins: Coins) -> None:
        """Move ``coins`` from one account to another (``SendCoins``).

        Fails when ``from_addr`` lacks any of the coins (``ErrInsufficientFunds``).
        """
        self._send(ctx, from_addr, to_addr, coins, None)

    def _send(
        self, ctx: Context, from_addr: bytes, to_addr: bytes, coins: Coins, to_module: str | None
    ) -> None:
        if coins.is_zero():
            return
        debits = self._debits(ctx, from_addr, coins)
        self._write_balances(ctx, from_addr, debits)
        text = str(coins)
        sender = encode_address(from_addr)
        ctx.emit_event(_amount_event(EVENT_TYPE_COIN_SPENT, "spender", sender, text))
        self._add_coins(ctx, to_addr, coins, text)
        self._ensure_recipient(ctx, to_addr, to_module)
        ctx.emit_event(_transfer_event(encode_address(to_addr), sender, text))

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: bytes, module_name: str, coins: Coins
    ) -> None:
        """Move ``coins`` from an account to a module account.

        Fails when ``sender`` lacks any of the coins (``ErrInsufficientFunds``).
        """
        self._send(ctx, sender, module_address(module_name), coins, module_name)

    def send_coins_from_module_to_account(
        self, ctx: Context, module_name: str, recipient: bytes, coins: Coins
    ) -> None:
        """Move ``coins`` from a module account to an account.

        Fails when the recipient is blocked (``ErrUnauthorized``) or the module lacks any of the
        coins (``ErrInsufficientFunds``).
        """
        if self.is_blocked(recipient):
            raise ErrUnauthorized.wrap(
                f"{encode_address(recipient)} is not allowed to receive funds"
            )
        self.send_coins(ctx, module_address(module_name), recipient, coins)

    def send_coins_from_module_to_module(
        self, ctx: Context, from_module: str, to_module: str, coins: Coins
    ) -> None:
        """Move ``coins`` between module accounts (blocked addresses do not apply).

        Fails when ``from_module`` lacks any of the coins (``ErrInsufficientFunds``).
        """
        self._send(ctx, module_address(from_module), module_address(to_module), coins, to_module)

    def input_output_coins(
        self, ctx: Context, sender: bytes, coins: Coins, outputs: Sequence[tuple[bytes, Coins]]
    ) -> None:
        """Move ``coins`` from ``sender`` to several recipients (``InputOutputCoins``); the
        caller checks that the outputs add up to ``coins``.

        Fails when ``sender`` lacks any of the coins (``ErrInsufficientFunds``).
        """
        debits = self._debits(ctx, sender, coins)
        self._write_balances(ctx, sender, debits)
        if not coins.is_zero():
            ctx.emit_event(_event(EVENT_TYPE_COIN_SPENT, spender=sender, amount=coins))
        ctx.emit_event(Event(EVENT_TYPE_MESSAGE, (("sender", encode_address(sender)),)))
        for recipient, amount in outputs:
            if not amount.is_zero():
                self._add_coins(ctx, recipient, amount)
            ctx.emit_event(
                Event(
                    EVENT_TYPE_TRANSFER,
                    (("recipient", encode_address(recipient)), ("amount", str(amount))),
                )
            )
            self._ensure_recipient(ctx, recipient, None)

    def mint_coins(self, ctx: Context, module_name: str, coins: Coins) -> None:
        """Create ``coins`` in a module account and add them to the supply.

        Fails when the module may not mint (``ErrUnauthorized``) or a supply overflows
        (``ErrIntOverflow``).
        """
        self._require_permission(module_name, PERMISSION_MINTER, "mint")
        if coins.is_zero():
            return
        supplies = [(c.denom, self.get_supply(ctx, c.denom) + c.amount) for c in coins]
        minter = module_address(module_name)
        self._add_coins(ctx, minter, coins)
        self._ensure_recipient(ctx, minter, module_name)
        for denom, amount in supplies:
            self._set_supply(ctx, denom, amount)
        ctx.emit_event(_event(EVENT_TYPE_COINBASE, minter=minter, amount=coins))

    def burn_coins(self, ctx: Context, module_name: str, coins: Coins) -> None:
        """Destroy ``coins`` held by a module account and take them off the supply.

        Fails when the module may not burn (``ErrUnauthorized``) or lacks any of the coins
        (``ErrInsufficientFunds``).
        """
        self._require_permission(module_name, PERMISSION_BURNER, "burn")
        if coins.is_zero():
            return
        burner = module_address(module_name)
        debits = self._debits(ctx, burner, coins)
        self._write_balances(ctx, burner, debits)
        ctx.emit_event(_event(EVENT_TYPE_COIN_SPENT, spender=burner, amount=coins))
        for coin in coins:
            self._set_supply(ctx, coin.denom, self.get_supply(ctx, coin.denom) - coin.amount)
        ctx.emit_event(_event(EVENT_TYPE_BURN, burner=burner, amount=coins))

    # Invariants

    def total_supply_invariant(self, ctx: Context) -> str | None:
        """``bank/total-supply``: per denom, the sum of all balances equals the supply.

        Returns a diagnostic with both totals and every differing denom, or None if it holds.
        """
        sums: dict[str, int] = {}
        reads = self._balance_reads
        key, value = reads.key, reads.value
        checked: set[str] = set()
        for raw_key, raw_value in reads.stored(ctx):
            denom = key(raw_key)[1]
            amount = value(raw_value)
            if amount < 0 or denom not in checked:
                Coin(denom, amount)  # fails as ``iterate_balances`` would on a bad balance
                checked.add(denom)
            sums[denom] = sums.get(denom, 0) + int(amount)
        supply = {coin.denom: int(coin.amount) for coin in self.total_supply(ctx)}
        differing = [
            f"\t{denom}: balances {sums.get(denom, 0)} != supply {supply.get(denom, 0)}\n"
            for denom in sorted(set(sums) | set(supply))
            if sums.get(denom, 0) != supply.get(denom, 0)
        ]
        if not differing:
            return None
        total = Coins(Coin(denom, Int(amount)) for denom, amount in sums.items())
        return (
            "bank: total supply invariant\n"
            f"\tsum of accounts coins: {total}\n"
            f"\tsupply.Total:          {self.total_supply(ctx)}\n" + "".join(differing)
        )

    def invariants(self) -> list[tuple[str, Invariant]]:
        """The module's named invariants, sorted by name."""
        return [(INVARIANT_TOTAL_SUPPLY, self.total_supply_invariant)]

    # Internals

    def _require_permission(self, module_name: str, permission: str, verb: str) -> None:
        if self._permissions is None:
            return
        if permission not in self._permissions.get(module_name, frozenset()):
            raise ErrUnauthorized.wrap(
                f"module account {module_name} does not have permissions to {verb} tokens"
            )

    def _debits(self, ctx: Context, addr: bytes, coins: Coins) -> list[tuple[str, Int]]:
        """The balances of ``addr`` after paying ``coins``; raises before any write."""
        result = []
        for coin in coins:
            balance = self.get_balance(ctx, addr, coin.denom)
            if balance < coin.amount:
                raise ErrInsufficientFunds.wrap(
                    f"spendable balance {Coin(coin.denom, balance)} is smaller than {coin}"
                )
            result.append((coin.denom, balance - coin.amount))
        return result

    def _ensure_recipient(self, ctx: Context, addr: bytes, module_name: str | None) -> None:
        if self.account_keeper is None:
            return
        if module_name is not None:
            self.account_keeper.ensure_module_account(ctx, module_name)
        else:
            self.account_keeper.ensure_account(ctx, addr)

    def _add_coins(self, ctx: Context, addr: bytes, coins: Coins, text: str | None = None) -> None:
        # A balance never exceeds its supply, so a credit cannot overflow once the supply fits.
        credits = [(c.denom, self.get_balance(ctx, addr, c.denom) + c.amount) for c in coins]
        self._write_balances(ctx, addr, credits)
        amount = str(coins) if text is None else text
        receiver = encode_address(addr)
        ctx.emit_event(_amount_event(EVENT_TYPE_COIN_RECEIVED, "receiver", receiver, amount))

    def _write_balances(self, ctx: Context, addr: bytes, amounts: list[tuple[str, Int]]) -> None:
        for denom, amount in amounts:
            if amount == 0:
                self.balances.remove(ctx, (addr, denom))
            else:
                self.balances.set(ctx, (addr, denom), amount)

    def _set_supply(self, ctx: Context, denom: str, amount: Int) -> None:
        if amount == 0:
            self.supply.remove(ctx, denom)
        else:
            self.supply.set(ctx, denom, amount)


def _event(event_type: str, *, amount: Coins, **addresses: bytes) -> Event:
    """An event with one bech32 address attribute followed by ``amount``."""
    attributes = [(key, encode_address(addr)) for key, addr in addresses.items()]
    return Event(event_type, (*attributes, ("amount", str(amount))))


# Events are immutable, so one can stand for every event of the same attributes (sends repeat
# between the same accounts with the same amounts).
@functools.lru_cache(maxsize=4096)
def _amount_event(event_type: str, role: str, address: str, amount: str) -> Event:
    return Event(event_type, ((role, address), ("amount", amount)))


@functools.lru_cache(maxsize=4096)
def _transfer_event(recipient: str, sender: str, amount: str) -> Event:
    return Event(
        EVENT_TYPE_TRANSFER, (("recipient", recipient), ("sender", sender), ("amount", amount))
    )
