"""Auth module: accounts and their numbers, module accounts, queries, genesis, invariant."""

from __future__ import annotations

import base64
import json

import pytest
from cosmpy.protos.cosmos.auth.v1beta1 import auth_pb2
from cosmpy.protos.cosmos.auth.v1beta1 import query_pb2 as pb
from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest

from chain.modules.auth import (
    FEE_COLLECTOR_NAME,
    INVARIANT_ACCOUNT_NUMBERS,
    Account,
    AccountKeeper,
    AuthModule,
    Params,
    PubKey,
    secp256k1_address,
)
from chain.sdk.address import encode_address, module_address
from chain.sdk.context import BlockHeader, Context
from chain.sdk.errors import (
    ErrInvalidAddress,
    ErrInvalidRequest,
    ErrJSONUnmarshal,
    ErrKeyNotFound,
    ErrLogic,
    RegisteredError,
    SdkError,
)
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.module import AppModule

ALICE = bytes([1]) * 20
BOB = bytes([2]) * 20
CAROL = bytes([3]) * 20
# Compressed key of m/44'/118'/0'/0/0 of the test mnemonic.
KEY = bytes.fromhex("0223aa679d6d5344e201e0df9f02ab15a84726eee0dfb4e953c46a9e2cb52349dc")
PERMISSIONS = {FEE_COLLECTOR_NAME: (), "mint": ("minter",), "gov": ("burner",)}


def _ctx() -> Context:
    return Context(BlockHeader(1, 1_700_000_000 * 10**9, "akash-localnet-1"), MemKV())


@pytest.fixture
def keeper() -> AccountKeeper:
    return AccountKeeper(module_permissions=PERMISSIONS)


@pytest.fixture
def module(keeper: AccountKeeper) -> AuthModule:
    return AuthModule(keeper)


@pytest.fixture
def ctx() -> Context:
    return _ctx()


def _rejects(ctx: Context, kind: RegisteredError, log: str | None, operation: object) -> None:
    before = store_hash(ctx.store)
    with pytest.raises(SdkError) as raised:
        operation()  # type: ignore[operator]
    assert raised.value.is_(kind), raised.value.log
    if log is not None:
        assert raised.value.log == log
    assert store_hash(ctx.store) == before


# Keeper


def test_new_accounts_take_numbers_in_order(keeper: AccountKeeper, ctx: Context) -> None:
    assert keeper.new_account(ctx, ALICE) == Account(ALICE, 0)
    assert keeper.new_account(ctx, BOB) == Account(BOB, 1)
    assert keeper.has_account(ctx, ALICE)
    assert not keeper.has_account(ctx, CAROL)
    assert keeper.get_account(ctx, CAROL) is None
    assert keeper.peek_account_number(ctx) == 2
    assert keeper.get_account_address_by_id(ctx, 1) == BOB
    with pytest.raises(ValueError, match="already exists"):
        keeper.new_account(ctx, ALICE)


def test_ensure_account_creates_once(keeper: AccountKeeper, ctx: Context) -> None:
    first = keeper.ensure_account(ctx, ALICE)
    assert keeper.ensure_account(ctx, ALICE) == first
    assert keeper.peek_account_number(ctx) == 1


def test_ensure_account_at_a_module_address_makes_a_module_account(
    keeper: AccountKeeper, ctx: Context
) -> None:
    account = keeper.ensure_account(ctx, module_address("mint"))
    assert account.is_module_account
    assert (account.name, account.permissions) == ("mint", ("minter",))
    assert account.has_permission("minter")


def test_module_accounts(keeper: AccountKeeper, ctx: Context) -> None:
    gov = keeper.get_module_account(ctx, "gov")
    assert gov == Account(module_address("gov"), 0, name="gov", permissions=("burner",))
    assert keeper.get_module_account(ctx, "gov") == gov
    other = keeper.get_module_account(ctx, "other", ["staking"])
    assert other.permissions == ("staking",)
    keeper.new_account(ctx, module_address("stray"))
    _rejects(
        ctx,
        ErrLogic,
        "account is not a module account: internal logic error",
        lambda: keeper.get_module_account(ctx, "stray"),
    )


def test_accounts_are_stored_packed_like_the_sdk(keeper: AccountKeeper, ctx: Context) -> None:
    account = Account(secp256k1_address(KEY), 4, 9, PubKey.secp256k1(KEY))
    keeper.set_account(ctx, account)
    assert keeper.get_account(ctx, account.address) == account
    packed = account.to_any()
    assert packed.Is(auth_pb2.BaseAccount.DESCRIPTOR)
    base = auth_pb2.BaseAccount()
    packed.Unpack(base)
    assert (base.address, base.account_number, base.sequence) == (
        "akash15yk64u7zc9g9k2yr2wmzeva5qgwxps6ytfzgqy",
        4,
        9,
    )
    assert account.with_sequence(10).sequence == 10
    assert PubKey.secp256k1(KEY).secp256k1_key() == KEY
    assert PubKey("/other", b"").secp256k1_key() is None


def test_params(keeper: AccountKeeper, ctx: Context) -> None:
    assert keeper.get_params(ctx) == Params(256, 7, 10, 590, 1000)
    keeper.set_params(ctx, Params(tx_sig_limit=3))
    assert keeper.get_params(ctx).tx_sig_limit == 3
    assert Params(tx_sig_limit=0).validate() == "invalid tx signature limit: 0"


# Queries


def test_module_implements_app_module(module: AuthModule) -> None:
    contract: AppModule = module
    assert contract.name == "auth"
    assert contract.msg_handlers() == {}
    service = pb.DESCRIPTOR.services_by_name["Query"]
    assert set(module.query_handlers()) == {
        f"/cosmos.auth.v1beta1.Query/{method.name}" for method in service.methods
    }


def test_query_account_as_cosmpy_reads_it(
    module: AuthModule, keeper: AccountKeeper, ctx: Context
) -> None:
    keeper.new_account(ctx, BOB)
    handler = module.query_handlers()["/cosmos.auth.v1beta1.Query/Account"]
    response = handler(ctx, pb.QueryAccountRequest(address=encode_address(BOB)))
    assert isinstance(response, pb.QueryAccountResponse)
    assert response.account.Is(auth_pb2.BaseAccount.DESCRIPTOR)
    base = auth_pb2.BaseAccount()
    response.account.Unpack(base)
    assert (base.account_number, base.sequence) == (0, 0)
    info = module.account_info(ctx, pb.QueryAccountInfoRequest(address=encode_address(BOB)))
    assert info.info == base


def test_query_unknown_account_is_key_not_found(module: AuthModule, ctx: Context) -> None:
    text = encode_address(CAROL)
    _rejects(
        ctx,
        ErrKeyNotFound,
        f"account {text} not found: key not found",
        lambda: module.account(ctx, pb.QueryAccountRequest(address=text)),
    )
    _rejects(
        ctx,
        ErrKeyNotFound,
        None,
        lambda: module.account_info(ctx, pb.QueryAccountInfoRequest(address=text)),
    )
    _rejects(
        ctx,
        ErrInvalidRequest,
        "Address cannot be empty: invalid request",
        lambda: module.account(ctx, pb.QueryAccountRequest()),
    )
    _rejects(
        ctx,
        ErrInvalidAddress,
        None,
        lambda: module.account(
            ctx, pb.QueryAccountRequest(address=encode_address(CAROL, "cosmos"))
        ),
    )


def test_query_accounts_paginates(module: AuthModule, keeper: AccountKeeper, ctx: Context) -> None:
    for addr in (CAROL, ALICE, BOB):
        keeper.new_account(ctx, addr)
    first = module.accounts(ctx, pb.QueryAccountsRequest(pagination=PageRequest(limit=2)))
    assert [_base(packed).address for packed in first.accounts] == [
        encode_address(ALICE),
        encode_address(BOB),
    ]
    rest = module.accounts(
        ctx, pb.QueryAccountsRequest(pagination=PageRequest(key=first.pagination.next_key))
    )
    assert [_base(packed).address for packed in rest.accounts] == [encode_address(CAROL)]
    assert rest.pagination.next_key == b""
    counted = module.accounts(
        ctx, pb.QueryAccountsRequest(pagination=PageRequest(count_total=True))
    )
    assert counted.pagination.total == 3


def _base(packed: object) -> auth_pb2.BaseAccount:
    base = auth_pb2.BaseAccount()
    packed.Unpack(base)  # type: ignore[attr-defined]
    return base


def test_query_account_address_by_id(
    module: AuthModule, keeper: AccountKeeper, ctx: Context
) -> None:
    keeper.new_account(ctx, ALICE)
    response = module.account_address_by_id(ctx, pb.QueryAccountAddressByIDRequest(account_id=0))
    assert response.account_address == encode_address(ALICE)
    _rejects(
        ctx,
        ErrKeyNotFound,
        "account address not found with account number 5: key not found",
        lambda: module.account_address_by_id(ctx, pb.QueryAccountAddressByIDRequest(account_id=5)),
    )
    _rejects(
        ctx,
        ErrInvalidRequest,
        None,
        lambda: module.account_address_by_id(ctx, pb.QueryAccountAddressByIDRequest(id=1)),
    )


def test_query_params_and_prefix(module: AuthModule, ctx: Context) -> None:
    params = module.params(ctx, pb.QueryParamsRequest()).params
    assert params.max_memo_characters == 256
    assert params.sig_verify_cost_secp256k1 == 1000
    assert module.bech32_prefix(ctx, pb.Bech32PrefixRequest()).bech32_prefix == "akash"
    as_text = module.address_bytes_to_string(ctx, pb.AddressBytesToStringRequest(address_bytes=BOB))
    assert as_text.address_string == encode_address(BOB)
    as_bytes = module.address_string_to_bytes(
        ctx, pb.AddressStringToBytesRequest(address_string=encode_address(BOB))
    )
    assert as_bytes.address_bytes == BOB
    _rejects(
        ctx,
        ErrInvalidRequest,
        None,
        lambda: module.address_bytes_to_string(ctx, pb.AddressBytesToStringRequest()),
    )
    _rejects(
        ctx,
        ErrInvalidRequest,
        None,
        lambda: module.address_string_to_bytes(ctx, pb.AddressStringToBytesRequest()),
    )


def test_query_module_accounts(module: AuthModule, ctx: Context) -> None:
    response = module.module_accounts(ctx, pb.QueryModuleAccountsRequest())
    names = []
    for packed in response.accounts:
        assert packed.Is(auth_pb2.ModuleAccount.DESCRIPTOR)
        account = auth_pb2.ModuleAccount()
        packed.Unpack(account)
        names.append(account.name)
    assert names == ["fee_collector", "gov", "mint"]
    by_name = module.module_account_by_name(ctx, pb.QueryModuleAccountByNameRequest(name="gov"))
    gov = auth_pb2.ModuleAccount()
    by_name.account.Unpack(gov)
    assert list(gov.permissions) == ["burner"]
    assert gov.base_account.address == encode_address(module_address("gov"))
    _rejects(
        ctx,
        ErrKeyNotFound,
        "account nosuch not found: key not found",
        lambda: module.module_account_by_name(
            ctx, pb.QueryModuleAccountByNameRequest(name="nosuch")
        ),
    )
    _rejects(
        ctx,
        ErrInvalidRequest,
        "module name is empty: invalid request",
        lambda: module.module_account_by_name(ctx, pb.QueryModuleAccountByNameRequest()),
    )


# Genesis


def _genesis(*accounts: dict[str, object], params: dict[str, str] | None = None) -> dict:
    return {
        "params": params or AuthModule(AccountKeeper()).default_genesis()["params"],
        "accounts": list(accounts),
    }


def _base_json(addr: bytes, number: int = 0, sequence: int = 0, key: bytes | None = None) -> dict:
    return {
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        "address": encode_address(addr),
        "pub_key": None
        if key is None
        else {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": _b64(key)},
        "account_number": str(number),
        "sequence": str(sequence),
    }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_default_genesis(module: AuthModule) -> None:
    assert module.default_genesis() == {
        "params": {
            "max_memo_characters": "256",
            "tx_sig_limit": "7",
            "tx_size_cost_per_byte": "10",
            "sig_verify_cost_ed25519": "590",
            "sig_verify_cost_secp256k1": "1000",
        },
        "accounts": [],
    }


def test_genesis_numbers_accounts_like_add_genesis_account(
    module: AuthModule, keeper: AccountKeeper, ctx: Context
) -> None:
    owner = secp256k1_address(KEY)
    module.init_genesis(
        ctx, _genesis(_base_json(CAROL), _base_json(ALICE), _base_json(owner, 7, 3, KEY))
    )
    numbers = {account.address: account.account_number for account in keeper.iterate_accounts(ctx)}
    assert numbers[CAROL] == 0
    assert numbers[ALICE] == 1
    assert numbers[owner] == 7
    assert numbers[module_address(FEE_COLLECTOR_NAME)] == 8
    assert keeper.peek_account_number(ctx) == 9
    stored = keeper.get_account(ctx, owner)
    assert stored == Account(owner, 7, 3, PubKey.secp256k1(KEY))
    assert module.account_numbers_invariant(ctx) is None


def test_genesis_round_trips_byte_for_byte(module: AuthModule, ctx: Context) -> None:
    owner = secp256k1_address(KEY)
    module.init_genesis(ctx, _genesis(_base_json(ALICE, 2), _base_json(owner, 0, 5, KEY)))
    exported = module.export_genesis(ctx)
    assert [entry.get("address") for entry in exported["accounts"]][:2] == [
        encode_address(ALICE),
        encode_address(owner),
    ]
    collector = exported["accounts"][2]
    assert collector["@type"] == "/cosmos.auth.v1beta1.ModuleAccount"
    assert collector["name"] == FEE_COLLECTOR_NAME
    assert collector["base_account"]["pub_key"] is None
    again = AuthModule(AccountKeeper(module_permissions=PERMISSIONS))
    ctx2 = _ctx()
    again.init_genesis(ctx2, json.loads(json.dumps(exported)))
    assert json.dumps(again.export_genesis(ctx2)) == json.dumps(exported)
    assert store_hash(ctx2.store) == store_hash(ctx.store)


@pytest.mark.parametrize(
    ("state", "kind", "log"),
    [
        (
            _genesis(_base_json(ALICE), _base_json(ALICE, 1)),
            ErrInvalidRequest,
            f"duplicate account found in genesis state; address: {encode_address(ALICE)}: "
            "invalid request",
        ),
        (
            _genesis(_base_json(ALICE, key=KEY)),
            ErrInvalidRequest,
            "account address and pubkey address do not match: invalid request",
        ),
        (
            _genesis(
                {
                    "@type": "/cosmos.auth.v1beta1.ModuleAccount",
                    "base_account": {k: v for k, v in _base_json(ALICE).items() if k != "@type"},
                    "name": "gov",
                    "permissions": [],
                }
            ),
            ErrInvalidRequest,
            f"address {encode_address(ALICE)} cannot be derived from the module name 'gov': "
            "invalid request",
        ),
        (
            _genesis(params={"max_memo_characters": "0"}),
            ErrInvalidRequest,
            "invalid max memo characters: 0: invalid request",
        ),
        (
            _genesis({"@type": "/cosmos.auth.v1beta1.NoSuchAccount", "address": "x"}),
            ErrJSONUnmarshal,
            None,
        ),
        ({"params": {}, "accounts": [], "extra": 1}, ErrJSONUnmarshal, None),
        (
            _genesis(_base_json(ALICE) | {"address": "akash1bad"}),
            ErrInvalidAddress,
            None,
        ),
    ],
)
def test_genesis_rejections_write_nothing(
    module: AuthModule,
    ctx: Context,
    state: dict,
    kind: RegisteredError,
    log: str | None,
) -> None:
    _rejects(ctx, kind, log, lambda: module.init_genesis(ctx, state))


def test_invariant_catches_a_number_beyond_the_sequence(
    module: AuthModule, keeper: AccountKeeper, ctx: Context
) -> None:
    keeper.new_account(ctx, ALICE)
    keeper.set_account(ctx, Account(BOB, 5))
    name, check = module.invariants()[0]
    assert name == INVARIANT_ACCOUNT_NUMBERS
    problem = check(ctx)
    assert problem is not None
    assert "account number 5 is not below 1" in problem
