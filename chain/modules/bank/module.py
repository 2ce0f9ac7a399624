"""The bank module as an app sees it: ``MsgSend`` / ``MsgMultiSend``, queries, genesis.

Implements ``chain.sdk.module.AppModule`` over a ``BankKeeper``. Msg handlers follow the SDK's
``x/bank`` msg server (v0.50: the checks ``ValidateBasic`` once did run in the handler, in the
same order); query handlers are the ``cosmos.bank.v1beta1.Query`` service. Sending is always
enabled: ``send_enabled`` entries and ``default_send_enabled`` are kept in genesis but never gate
a transfer. Registered errors of codespace ``bank`` have the SDK's codes and wording.

Genesis is the SDK's JSON (``params``, ``balances`` [{address, coins}] in address-byte order,
``supply``, ``denom_metadata``, ``send_enabled``). An empty ``supply`` is computed from the
balances; export writes it in full, so ``export(import(export(s)))`` equals ``export(s)``.

Fails when:
- an address is empty, malformed or has another prefix: ``ErrInvalidAddress``
  ``invalid from address: ...`` (``to``, ``input``, ``output``);
- an amount is empty, unsorted, repeats a denom, has an invalid denom or a non-positive amount:
  ``ErrInvalidCoins`` with the coins as text;
- a recipient is a blocked (module) address: ``ErrUnauthorized``
  ``<bech32> is not allowed to receive funds``;
- the sender lacks funds: ``ErrInsufficientFunds`` ``spendable balance 5uakt is smaller than
  10uakt``;
- ``MsgMultiSend`` has no inputs (``ErrNoInputs``), more than one (``ErrMultipleSenders``), no
  outputs (``ErrNoOutputs``), or outputs that do not add up to the input
  (``ErrInputOutputMismatch``);
- a query gives a malformed address or denom (``ErrInvalidAddress`` / ``ErrInvalidCoins``) or
  asks for metadata of an unknown denom (``ErrKeyNotFound`` ``client metadata for denom <d>``);
- genesis JSON does not parse (``ErrJSONUnmarshal``), or has an invalid address, a repeated
  address or metadata denom, invalid coins, or a supply that differs from the sum of balances
  (``ErrInvalidAddress`` / ``ErrInvalidCoins`` / ``ErrInvalidRequest``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cosmpy.protos.cosmos.bank.v1beta1 import bank_pb2, genesis_pb2, tx_pb2
from cosmpy.protos.cosmos.bank.v1beta1 import query_pb2 as pb
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from google.protobuf import json_format
from google.protobuf.message import Message

from chain.modules.bank.keeper import MODULE_NAME, BankKeeper
from chain.sdk.address import decode_address, encode_address
from chain.sdk.context import Context
from chain.sdk.errors import (
    ErrInvalidAddress,
    ErrInvalidCoins,
    ErrInvalidRequest,
    ErrJSONUnmarshal,
    ErrKeyNotFound,
    ErrUnauthorized,
    SdkError,
    register,
)
from chain.sdk.math import Coin, Coins, Int, validate_denom
from chain.sdk.module import Invariant, MsgHandler, QueryHandler

CODESPACE = "bank"
ErrNoInputs = register(CODESPACE, 2, "no inputs to send transaction")
ErrNoOutputs = register(CODESPACE, 3, "no outputs to send transaction")
ErrInputOutputMismatch = register(CODESPACE, 4, "sum inputs != sum outputs")
ErrSendDisabled = register(CODESPACE, 5, "send transactions are disabled")
ErrDenomMetadataNotFound = register(CODESPACE, 6, "client denom metadata not found")
ErrInvalidKey = register(CODESPACE, 7, "invalid key")
ErrDuplicateEntry = register(CODESPACE, 8, "duplicate entry")
ErrMultipleSenders = register(CODESPACE, 9, "multiple senders not allowed")

QUERY_SERVICE = "/cosmos.bank.v1beta1.Query"
DEFAULT_PARAMS = bank_pb2.Params(default_send_enabled=True)


def coins_text(coins: Iterable[CoinPb]) -> str:
    """Coins as the SDK prints ``sdk.Coins`` (``10uakt,5uatom``), in the order given."""
    return ",".join(f"{coin.amount}{coin.denom}" for coin in coins)


def valid_coins(coins: Iterable[CoinPb], *, allow_empty: bool = False) -> Coins:
    """``Coins`` from protobuf coins that are valid (denoms valid and strictly sorted) and all
    positive (``IsValid`` and ``IsAllPositive``); else ``ErrInvalidCoins`` naming them."""
    listed = list(coins)
    key = (allow_empty, *((coin.denom, coin.amount) for coin in listed))
    cached = _VALID_COINS.get(key)
    if cached is not None:
        return cached
    result = _valid_coins(listed, allow_empty)
    if len(_VALID_COINS) >= 4096:
        _VALID_COINS.clear()
    _VALID_COINS[key] = result
    return result


# Valid amounts by (allow_empty, (denom, amount text)...): ``Coins`` are immutable, and the
# same amounts are sent over and over.
_VALID_COINS: dict[tuple[object, ...], Coins] = {}


def _valid_coins(listed: list[CoinPb], allow_empty: bool) -> Coins:
    try:
        parsed = [Coin(coin.denom, Int.from_str(coin.amount)) for coin in listed]
    except SdkError:
        raise ErrInvalidCoins.wrap(coins_text(listed)) from None
    denoms = [coin.denom for coin in parsed]
    positive = all(coin.amount > 0 for coin in parsed)
    if (not parsed and not allow_empty) or not positive or denoms != sorted(set(denoms)):
        raise ErrInvalidCoins.wrap(coins_text(listed))
    return Coins(parsed)


def _address(role: str, text: str) -> bytes:
    try:
        return decode_address(text)
    except SdkError as error:
        raise ErrInvalidAddress.wrap(f"invalid {role} address: {error.detail}") from None


def _coins_pb(coins: Coins) -> list[CoinPb]:
    return [CoinPb(denom=coin.denom, amount=str(coin.amount)) for coin in coins]


class BankModule:
    """``cosmos.bank.v1beta1`` wired for an app."""

    name = MODULE_NAME

    def __init__(self, keeper: BankKeeper) -> None:
        self.keeper = keeper

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {
            "/cosmos.bank.v1beta1.MsgSend": self.send,
            "/cosmos.bank.v1beta1.MsgMultiSend": self.multi_send,
        }

    def query_handlers(self) -> dict[str, QueryHandler]:
        handlers: dict[str, Callable[[Context, Any], Message]] = {
            "Balance": self.balance,
            "AllBalances": self.all_balances,
            "SpendableBalances": self.spendable_balances,
            "SpendableBalanceByDenom": self.spendable_balance_by_denom,
            "TotalSupply": self.total_supply,
            "SupplyOf": self.supply_of,
            "Params": self.params,
            "DenomsMetadata": self.denoms_metadata,
            "DenomMetadata": self.denom_metadata,
            "DenomMetadataByQueryString": self.denom_metadata_by_query_string,
            "SendEnabled": self.send_enabled,
        }
        return {f"{QUERY_SERVICE}/{method}": handler for method, handler in handlers.items()}

    def begin_block(self, ctx: Context) -> None:
        """Nothing: the bank acts only on Msgs and other modules' calls."""

    def end_block(self, ctx: Context) -> None:
        """Nothing: the bank acts only on Msgs and other modules' calls."""

    # Msgs

    def send(self, ctx: Context, msg: tx_pb2.MsgSend) -> tx_pb2.MsgSendResponse:
        """Move ``amount`` from ``from_address`` to ``to_address`` (its account is created)."""
        from_addr = _address("from", msg.from_address)
        to_addr = _address("to", msg.to_address)
        coins = valid_coins(msg.amount)
        if self.keeper.is_blocked(to_addr):
            raise ErrUnauthorized.wrap(f"{msg.to_address} is not allowed to receive funds")
        self.keeper.send_coins(ctx, from_addr, to_addr, coins)
        return tx_pb2.MsgSendResponse()

    def multi_send(self, ctx: Context, msg: tx_pb2.MsgMultiSend) -> tx_pb2.MsgMultiSendResponse:
        """Move the one input's coins to every output."""
        if not msg.inputs:
            raise ErrNoInputs.wrap()
        if len(msg.inputs) != 1:
            raise ErrMultipleSenders.wrap()
        if not msg.outputs:
            raise ErrNoOutputs.wrap()
        sender = _address("input", msg.inputs[0].address)
        coins = valid_coins(msg.inputs[0].coins)
        outputs = []
        total = Coins()
        for output in msg.outputs:
            recipient = _address("output", output.address)
            amount = valid_coins(output.coins)
            outputs.append((recipient, amount))
            total = total + amount
        if total != coins:
            raise ErrInputOutputMismatch.wrap()
        for (recipient, _), output in zip(outputs, msg.outputs, strict=True):
            if self.keeper.is_blocked(recipient):
                raise ErrUnauthorized.wrap(f"{output.address} is not allowed to receive funds")
        self.keeper.input_output_coins(ctx, sender, coins, outputs)
        return tx_pb2.MsgMultiSendResponse()

    # Queries

    def balance(self, ctx: Context, request: pb.QueryBalanceRequest) -> pb.QueryBalanceResponse:
        """The balance of one denom, ``"0"`` with the denom echoed when there is none (cosmpy
        asserts the denom)."""
        addr = _address("query", request.address)
        validate_denom(request.denom)
        amount = self.keeper.get_balance(ctx, addr, request.denom)
        return pb.QueryBalanceResponse(balance=CoinPb(denom=request.denom, amount=str(amount)))

    def all_balances(
        self, ctx: Context, request: pb.QueryAllBalancesRequest
    ) -> pb.QueryAllBalancesResponse:
        addr = _address("query", request.address)
        items, page = self.keeper.balances.page(ctx, request.pagination, (addr,))
        return pb.QueryAllBalancesResponse(
            balances=[CoinPb(denom=denom, amount=str(amount)) for (_, denom), amount in items],
            pagination=page,
        )

    def spendable_balances(
        self, ctx: Context, request: pb.QuerySpendableBalancesRequest
    ) -> pb.QuerySpendableBalancesResponse:
        """Every balance: nothing is locked (no vesting accounts)."""
        addr = _address("query", request.address)
        items, page = self.keeper.balances.page(ctx, request.pagination, (addr,))
        return pb.QuerySpendableBalancesResponse(
            balances=[CoinPb(denom=denom, amount=str(amount)) for (_, denom), amount in items],
            pagination=page,
        )

    def spendable_balance_by_denom(
        self, ctx: Context, request: pb.QuerySpendableBalanceByDenomRequest
    ) -> pb.QuerySpendableBalanceByDenomResponse:
        addr = _address("query", request.address)
        validate_denom(request.denom)
        amount = self.keeper.get_balance(ctx, addr, request.denom)
        return pb.QuerySpendableBalanceByDenomResponse(
            balance=CoinPb(denom=request.denom, amount=str(amount))
        )

    def total_supply(
        self, ctx: Context, request: pb.QueryTotalSupplyRequest
    ) -> pb.QueryTotalSupplyResponse:
        items, page = self.keeper.supply.page(ctx, request.pagination)
        return pb.QueryTotalSupplyResponse(
            supply=[CoinPb(denom=denom, amount=str(amount)) for denom, amount in items],
            pagination=page,
        )

    def supply_of(self, ctx: Context, request: pb.QuerySupplyOfRequest) -> pb.QuerySupplyOfResponse:
        validate_denom(request.denom)
        amount = self.keeper.get_supply(ctx, request.denom)
        return pb.QuerySupplyOfResponse(amount=CoinPb(denom=request.denom, amount=str(amount)))

    def params(self, ctx: Context, request: pb.QueryParamsRequest) -> pb.QueryParamsResponse:
        return pb.QueryParamsResponse(params=self._params(ctx))

    def denoms_metadata(
        self, ctx: Context, request: pb.QueryDenomsMetadataRequest
    ) -> pb.QueryDenomsMetadataResponse:
        items, page = self.keeper.denom_metadata.page(ctx, request.pagination)
        return pb.QueryDenomsMetadataResponse(
            metadatas=[metadata for _, metadata in items], pagination=page
        )

    def denom_metadata(
        self, ctx: Context, request: pb.QueryDenomMetadataRequest
    ) -> pb.QueryDenomMetadataResponse:
        return pb.QueryDenomMetadataResponse(metadata=self._metadata(ctx, request.denom))

    def denom_metadata_by_query_string(
        self, ctx: Context, request: pb.QueryDenomMetadataByQueryStringRequest
    ) -> pb.QueryDenomMetadataByQueryStringResponse:
        return pb.QueryDenomMetadataByQueryStringResponse(
            metadata=self._metadata(ctx, request.denom)
        )

    def send_enabled(
        self, ctx: Context, request: pb.QuerySendEnabledRequest
    ) -> pb.QuerySendEnabledResponse:
        """No per-denom entries: every denom may be sent."""
        return pb.QuerySendEnabledResponse()

    def _params(self, ctx: Context) -> bank_pb2.Params:
        params = self.keeper.params.get(ctx)
        return DEFAULT_PARAMS if params is None else params

    def _metadata(self, ctx: Context, denom: str) -> bank_pb2.Metadata:
        validate_denom(denom)
        metadata = self.keeper.denom_metadata.get(ctx, denom)
        if metadata is None:
            raise ErrKeyNotFound.wrap(f"client metadata for denom {denom}")
        return metadata

    # Genesis

    def default_genesis(self) -> dict[str, Any]:
        return _genesis_json(genesis_pb2.GenesisState(params=DEFAULT_PARAMS))

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None:
        """Validate ``state`` and write it (nothing is written when validation fails)."""
        try:
            message = json_format.ParseDict(state, genesis_pb2.GenesisState())
        except (json_format.ParseError, TypeError, ValueError) as error:
            raise ErrJSONUnmarshal.wrap(f"bank genesis: {error}") from None
        balances: dict[bytes, Coins] = {}
        for entry in message.balances:
            addr = _address("balance", entry.address)
            if addr in balances:
                raise ErrInvalidRequest.wrap(f"duplicate balance for address {entry.address}")
            balances[addr] = valid_coins(entry.coins, allow_empty=True)
        total = Coins()
        for coins in balances.values():
            total = total + coins
        supply = valid_coins(message.supply, allow_empty=True)
        if supply and supply != total:
            raise ErrInvalidRequest.wrap(
                f"genesis supply is incorrect, expected {supply}, got {total}"
            )
        metadata: dict[str, bank_pb2.Metadata] = {}
        for entry in message.denom_metadata:
            validate_denom(entry.base)
            if entry.base in metadata:
                raise ErrInvalidRequest.wrap(f"duplicate client metadata for denom {entry.base}")
            metadata[entry.base] = entry
        self.keeper.params.set(ctx, message.params)
        for addr in sorted(balances):
            for coin in balances[addr]:
                self.keeper.balances.set(ctx, (addr, coin.denom), coin.amount)
        for coin in total:
            self.keeper.supply.set(ctx, coin.denom, coin.amount)
        for denom in sorted(metadata):
            self.keeper.denom_metadata.set(ctx, denom, metadata[denom])

    def export_genesis(self, ctx: Context) -> dict[str, Any]:
        state = genesis_pb2.GenesisState(params=self._params(ctx))
        current: bank_pb2.Balance | None = None
        for addr, coin in self.keeper.iterate_balances(ctx):
            address = encode_address(addr)
            if current is None or current.address != address:
                current = state.balances.add(address=address)
            current.coins.append(CoinPb(denom=coin.denom, amount=str(coin.amount)))
        state.supply.extend(_coins_pb(self.keeper.total_supply(ctx)))
        state.denom_metadata.extend(self.keeper.denom_metadata.values(ctx))
        return _genesis_json(state)

    def invariants(self) -> list[tuple[str, Invariant]]:
        return self.keeper.invariants()


def _genesis_json(state: genesis_pb2.GenesisState) -> dict[str, Any]:
    result: dict[str, Any] = json_format.MessageToDict(
        state, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return result
