"""Bank module: MsgSend / MsgMultiSend as the SDK's msg server, queries, genesis, accounts."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from cosmpy.protos.cosmos.bank.v1beta1 import bank_pb2, tx_pb2
from cosmpy.protos.cosmos.bank.v1beta1 import query_pb2 as pb
from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb

from chain.modules.auth import FEE_COLLECTOR_NAME, AccountKeeper
from chain.modules.bank import (
    BankKeeper,
    BankModule,
    ErrInputOutputMismatch,
    ErrMultipleSenders,
    ErrNoInputs,
    ErrNoOutputs,
)
from chain.sdk.address import encode_address, module_address
from chain.sdk.context import BlockHeader, Context
from chain.sdk.errors import (
    ErrInsufficientFunds,
    ErrInvalidAddress,
    ErrInvalidCoins,
    ErrInvalidRequest,
    ErrJSONUnmarshal,
    ErrKeyNotFound,
    ErrUnauthorized,
    RegisteredError,
    SdkError,
)
from chain.sdk.events import Event
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.math import Coins
from chain.sdk.module import AppModule

ALICE = bytes([1]) * 20
BOB = bytes([2]) * 20
CAROL = bytes([3]) * 20
DISTRIBUTION = module_address("distribution")
A, B, C = (encode_address(addr) for addr in (ALICE, BOB, CAROL))


def coins(text: str) -> list[CoinPb]:
    return [CoinPb(denom=coin.denom, amount=str(coin.amount)) for coin in Coins.parse(text)]


def raw_coins(*pairs: tuple[str, str]) -> list[CoinPb]:
    return [CoinPb(amount=amount, denom=denom) for amount, denom in pairs]


class World:
    def __init__(self) -> None:
        self.auth = AccountKeeper(
            module_permissions={FEE_COLLECTOR_NAME: (), "mint": ("minter",), "distribution": ()}
        )
        self.bank = BankKeeper(
            blocked_addrs=frozenset({DISTRIBUTION, module_address(FEE_COLLECTOR_NAME)})
        )
        self.bank.set_account_keeper(self.auth)
        self.module = BankModule(self.bank)
        self.ctx = Context(BlockHeader(1, 1_700_000_000 * 10**9, "akash-localnet-1"), MemKV())
        self.fund(ALICE, "1000uakt,50uatom")
        self.ctx.events.clear()

    def fund(self, addr: bytes, text: str) -> None:
        self.bank.mint_coins(self.ctx, "mint", Coins.parse(text))
        self.bank.send_coins_from_module_to_account(self.ctx, "mint", addr, Coins.parse(text))

    def rejects(
        self, kind: RegisteredError, log: str | None, operation: Callable[[], object]
    ) -> None:
        before = store_hash(self.ctx.store)
        events = list(self.ctx.events)
        with pytest.raises(SdkError) as raised:
            operation()
        assert raised.value.is_(kind), raised.value.log
        if log is not None:
            assert raised.value.log == log
        assert store_hash(self.ctx.store) == before
        assert self.ctx.events == events


@pytest.fixture
def world() -> World:
    return World()


def test_module_implements_app_module(world: World) -> None:
    contract: AppModule = world.module
    assert contract.name == "bank"
    assert set(contract.msg_handlers()) == {
        "/cosmos.bank.v1beta1.MsgSend",
        "/cosmos.bank.v1beta1.MsgMultiSend",
    }
    assert "/cosmos.bank.v1beta1.Query/Balance" in contract.query_handlers()
    assert [name for name, _ in contract.invariants()] == ["bank/total-supply"]


# MsgSend


def test_send_moves_coins_and_creates_the_recipient_account(world: World) -> None:
    assert world.auth.get_account(world.ctx, BOB) is None
    handler = world.module.msg_handlers()["/cosmos.bank.v1beta1.MsgSend"]
    response = handler(
        world.ctx, tx_pb2.MsgSend(from_address=A, to_address=B, amount=coins("10uakt"))
    )
    assert isinstance(response, tx_pb2.MsgSendResponse)
    assert world.bank.get_all_balances(world.ctx, ALICE) == Coins.parse("990uakt,50uatom")
    assert world.bank.get_all_balances(world.ctx, BOB) == Coins.parse("10uakt")
    account = world.auth.get_account(world.ctx, BOB)
    assert account is not None
    assert not account.is_module_account
    assert world.ctx.events == [
        Event("coin_spent", (("spender", A), ("amount", "10uakt"))),
        Event("coin_received", (("receiver", B), ("amount", "10uakt"))),
        Event("transfer", (("recipient", B), ("sender", A), ("amount", "10uakt"))),
    ]


def test_send_to_a_module_address_creates_a_module_account(world: World) -> None:
    world.module.send(
        world.ctx,
        tx_pb2.MsgSend(
            from_address=A, to_address=encode_address(module_address("mint")), amount=coins("1uakt")
        ),
    )
    account = world.auth.get_account(world.ctx, module_address("mint"))
    assert account is not None
    assert account.name == "mint"


SEND_FAILURES = [
    (
        tx_pb2.MsgSend(from_address="akash1bad", to_address=B, amount=coins("1uakt")),
        ErrInvalidAddress,
        "invalid from address: invalid bech32 string 'akash1bad': invalid address",
    ),
    (
        tx_pb2.MsgSend(
            from_address=encode_address(ALICE, "cosmos"), to_address=B, amount=coins("1uakt")
        ),
        ErrInvalidAddress,
        "invalid from address: invalid Bech32 prefix; expected akash, got cosmos: invalid address",
    ),
    (
        tx_pb2.MsgSend(from_address=A, to_address="", amount=coins("1uakt")),
        ErrInvalidAddress,
        "invalid to address: empty address string is not allowed: invalid address",
    ),
    (tx_pb2.MsgSend(from_address=A, to_address=B), ErrInvalidCoins, "invalid coins"),
    (
        tx_pb2.MsgSend(from_address=A, to_address=B, amount=raw_coins(("0", "uakt"))),
        ErrInvalidCoins,
        "0uakt: invalid coins",
    ),
    (
        tx_pb2.MsgSend(from_address=A, to_address=B, amount=raw_coins(("-1", "uakt"))),
        ErrInvalidCoins,
        "-1uakt: invalid coins",
    ),
    (
        tx_pb2.MsgSend(
            from_address=A, to_address=B, amount=raw_coins(("1", "uatom"), ("1", "uakt"))
        ),
        ErrInvalidCoins,
        "1uatom,1uakt: invalid coins",
    ),
    (
        tx_pb2.MsgSend(
            from_address=A, to_address=B, amount=raw_coins(("1", "uakt"), ("2", "uakt"))
        ),
        ErrInvalidCoins,
        "1uakt,2uakt: invalid coins",
    ),
    (
        tx_pb2.MsgSend(from_address=A, to_address=B, amount=raw_coins(("1", "u!"))),
        ErrInvalidCoins,
        "1u!: invalid coins",
    ),
    (
        tx_pb2.MsgSend(from_address=A, to_address=B, amount=raw_coins(("1.5", "uakt"))),
        ErrInvalidCoins,
        "1.5uakt: invalid coins",
    ),
    (
        tx_pb2.MsgSend(
            from_address=A, to_address=encode_address(DISTRIBUTION), amount=coins("1uakt")
        ),
        ErrUnauthorized,
        f"{encode_address(DISTRIBUTION)} is not allowed to receive funds: unauthorized",
    ),
    (
        tx_pb2.MsgSend(from_address=A, to_address=B, amount=coins("1001uakt")),
        ErrInsufficientFunds,
        "spendable balance 1000uakt is smaller than 1001uakt: insufficient funds",
    ),
    (
        tx_pb2.MsgSend(from_address=B, to_address=A, amount=coins("1uakt")),
        ErrInsufficientFunds,
        "spendable balance 0uakt is smaller than 1uakt: insufficient funds",
    ),
]


@pytest.mark.parametrize(("msg", "kind", "log"), SEND_FAILURES)
def test_send_rejections_change_nothing(
    world: World, msg: tx_pb2.MsgSend, kind: RegisteredError, log: str
) -> None:
    world.rejects(kind, log, lambda: world.module.send(world.ctx, msg))


# MsgMultiSend


def _multi(inputs: list[tuple[str, str]], outputs: list[tuple[str, str]]) -> tx_pb2.MsgMultiSend:
    return tx_pb2.MsgMultiSend(
        inputs=[bank_pb2.Input(address=a, coins=coins(c)) for a, c in inputs],
        outputs=[bank_pb2.Output(address=a, coins=coins(c)) for a, c in outputs],
    )


def test_multi_send(world: World) -> None:
    world.module.multi_send(
        world.ctx, _multi([(A, "30uakt,5uatom")], [(B, "10uakt"), (C, "20uakt,5uatom")])
    )
    assert world.bank.get_all_balances(world.ctx, BOB) == Coins.parse("10uakt")
    assert world.bank.get_all_balances(world.ctx, CAROL) == Coins.parse("20uakt,5uatom")
    assert world.auth.has_account(world.ctx, BOB)
    assert world.auth.has_account(world.ctx, CAROL)
    assert world.ctx.events == [
        Event("coin_spent", (("spender", A), ("amount", "30uakt,5uatom"))),
        Event("message", (("sender", A),)),
        Event("coin_received", (("receiver", B), ("amount", "10uakt"))),
        Event("transfer", (("recipient", B), ("amount", "10uakt"))),
        Event("coin_received", (("receiver", C), ("amount", "20uakt,5uatom"))),
        Event("transfer", (("recipient", C), ("amount", "20uakt,5uatom"))),
    ]


MULTI_FAILURES = [
    (_multi([], [(B, "1uakt")]), ErrNoInputs, "no inputs to send transaction"),
    (
        _multi([(A, "1uakt"), (B, "1uakt")], [(C, "2uakt")]),
        ErrMultipleSenders,
        "multiple senders not allowed",
    ),
    (_multi([(A, "1uakt")], []), ErrNoOutputs, "no outputs to send transaction"),
    (
        _multi([(A, "2uakt")], [(B, "1uakt"), (C, "2uakt")]),
        ErrInputOutputMismatch,
        "sum inputs != sum outputs",
    ),
    (
        _multi([(A, "2uakt")], [(B, "1uakt"), (encode_address(DISTRIBUTION), "1uakt")]),
        ErrUnauthorized,
        f"{encode_address(DISTRIBUTION)} is not allowed to receive funds: unauthorized",
    ),
    (
        _multi([(A, "2uakt")], [(B, "1uakt"), ("akash1bad", "1uakt")]),
        ErrInvalidAddress,
        None,
    ),
    (
        _multi([(A, "2000uakt")], [(B, "2000uakt")]),
        ErrInsufficientFunds,
        "spendable balance 1000uakt is smaller than 2000uakt: insufficient funds",
    ),
    (_multi([(A, "")], [(B, "")]), ErrInvalidCoins, None),
]


@pytest.mark.parametrize(("msg", "kind", "log"), MULTI_FAILURES)
def test_multi_send_rejections_change_nothing(
    world: World, msg: tx_pb2.MsgMultiSend, kind: RegisteredError, log: str | None
) -> None:
    world.rejects(kind, log, lambda: world.module.multi_send(world.ctx, msg))


# Queries


def test_balance_echoes_the_denom_with_zero(world: World) -> None:
    handler = world.module.query_handlers()["/cosmos.bank.v1beta1.Query/Balance"]
    response = handler(world.ctx, pb.QueryBalanceRequest(address=B, denom="uakt"))
    assert isinstance(response, pb.QueryBalanceResponse)
    assert (response.balance.denom, response.balance.amount) == ("uakt", "0")
    response = handler(world.ctx, pb.QueryBalanceRequest(address=A, denom="uakt"))
    assert response.balance.amount == "1000"
    world.rejects(
        ErrInvalidCoins,
        None,
        lambda: world.module.balance(world.ctx, pb.QueryBalanceRequest(address=A, denom="!")),
    )
    world.rejects(
        ErrInvalidAddress,
        None,
        lambda: world.module.balance(world.ctx, pb.QueryBalanceRequest(denom="uakt")),
    )


def test_all_balances_paginate(world: World) -> None:
    world.fund(ALICE, "7ufoo")
    first = world.module.all_balances(
        world.ctx, pb.QueryAllBalancesRequest(address=A, pagination=PageRequest(limit=2))
    )
    assert [(c.denom, c.amount) for c in first.balances] == [("uakt", "1000"), ("uatom", "50")]
    rest = world.module.all_balances(
        world.ctx,
        pb.QueryAllBalancesRequest(
            address=A, pagination=PageRequest(key=first.pagination.next_key)
        ),
    )
    assert [(c.denom, c.amount) for c in rest.balances] == [("ufoo", "7")]
    assert not world.module.all_balances(world.ctx, pb.QueryAllBalancesRequest(address=B)).balances
    spendable = world.module.spendable_balances(
        world.ctx, pb.QuerySpendableBalancesRequest(address=A)
    )
    assert len(spendable.balances) == 3
    by_denom = world.module.spendable_balance_by_denom(
        world.ctx, pb.QuerySpendableBalanceByDenomRequest(address=A, denom="uatom")
    )
    assert by_denom.balance.amount == "50"


def test_supply_queries(world: World) -> None:
    supply = world.module.total_supply(world.ctx, pb.QueryTotalSupplyRequest())
    assert [(c.denom, c.amount) for c in supply.supply] == [("uakt", "1000"), ("uatom", "50")]
    of = world.module.supply_of(world.ctx, pb.QuerySupplyOfRequest(denom="ufoo"))
    assert (of.amount.denom, of.amount.amount) == ("ufoo", "0")


def test_params_and_metadata_queries(world: World) -> None:
    assert world.module.params(world.ctx, pb.QueryParamsRequest()).params.default_send_enabled
    assert not world.module.denoms_metadata(world.ctx, pb.QueryDenomsMetadataRequest()).metadatas
    assert not world.module.send_enabled(world.ctx, pb.QuerySendEnabledRequest()).send_enabled
    world.rejects(
        ErrKeyNotFound,
        "client metadata for denom uakt: key not found",
        lambda: world.module.denom_metadata(world.ctx, pb.QueryDenomMetadataRequest(denom="uakt")),
    )


# Genesis


def _genesis(**fields: object) -> dict[str, object]:
    state = BankModule(BankKeeper()).default_genesis()
    state.update(fields)
    return state


def test_default_genesis_has_the_sdk_shape(world: World) -> None:
    assert world.module.default_genesis() == {
        "params": {"send_enabled": [], "default_send_enabled": True},
        "balances": [],
        "supply": [],
        "denom_metadata": [],
        "send_enabled": [],
    }


def test_genesis_computes_supply_and_round_trips() -> None:
    world = World()
    module = BankModule(BankKeeper())
    ctx = Context(world.ctx.header, MemKV())
    metadata = {"base": "uakt", "display": "akt", "denom_units": [], "description": "Akash"}
    state = _genesis(
        balances=[
            {"address": C, "coins": [{"denom": "uakt", "amount": "5"}]},
            {
                "address": A,
                "coins": [{"denom": "uakt", "amount": "1"}, {"denom": "uxyz", "amount": "2"}],
            },
        ],
        denom_metadata=[metadata],
    )
    module.init_genesis(ctx, state)
    assert module.keeper.get_supply(ctx, "uakt") == 6
    exported = module.export_genesis(ctx)
    assert [entry["address"] for entry in exported["balances"]] == [A, C]
    assert exported["supply"] == [
        {"denom": "uakt", "amount": "6"},
        {"denom": "uxyz", "amount": "2"},
    ]
    assert exported["denom_metadata"][0]["base"] == "uakt"
    again = BankModule(BankKeeper())
    ctx2 = Context(world.ctx.header, MemKV())
    again.init_genesis(ctx2, json.loads(json.dumps(exported)))
    assert json.dumps(again.export_genesis(ctx2)) == json.dumps(exported)
    assert module.keeper.total_supply_invariant(ctx) is None


@pytest.mark.parametrize(
    ("state", "kind", "log"),
    [
        (
            _genesis(
                balances=[{"address": A, "coins": [{"denom": "uakt", "amount": "1"}]}],
                supply=[{"denom": "uakt", "amount": "2"}],
            ),
            ErrInvalidRequest,
            "genesis supply is incorrect, expected 2uakt, got 1uakt: invalid request",
        ),
        (
            _genesis(
                balances=[
                    {"address": A, "coins": [{"denom": "uakt", "amount": "1"}]},
                    {"address": A, "coins": [{"denom": "uatom", "amount": "1"}]},
                ]
            ),
            ErrInvalidRequest,
            f"duplicate balance for address {A}: invalid request",
        ),
        (
            _genesis(balances=[{"address": A, "coins": [{"denom": "uakt", "amount": "0"}]}]),
            ErrInvalidCoins,
            "0uakt: invalid coins",
        ),
        (
            _genesis(balances=[{"address": "akash1bad", "coins": []}]),
            ErrInvalidAddress,
            None,
        ),
        (_genesis(nonsense=1), ErrJSONUnmarshal, None),
    ],
)
def test_genesis_rejections_write_nothing(
    state: dict[str, object], kind: RegisteredError, log: str | None
) -> None:
    world = World()
    module = BankModule(BankKeeper())
    world.rejects(kind, log, lambda: module.init_genesis(world.ctx, state))


def test_keeper_without_account_keeper_keeps_bare_balances() -> None:
    bank = BankKeeper()
    ctx = Context(BlockHeader(1, 0, "c"), MemKV())
    bank.mint_coins(ctx, "mint", Coins.parse("5uakt"))
    bank.send_coins_from_module_to_account(ctx, "mint", BOB, Coins.parse("5uakt"))
    assert bank.get_balance(ctx, BOB, "uakt") == 5
