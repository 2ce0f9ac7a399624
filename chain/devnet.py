"""The localnet's genesis: dev accounts from one documented mnemonic, a validator, a funded
community pool.

Owns the dev-chain conventions: mnemonic ``test test test test test test test test test test test
junk``, HD path ``m/44'/118'/0'/0/i`` for i = 0..9, 1,000,000 AKT (10^12 uakt) each; account 0
operates the only validator with 100,000 AKT bonded (so its vote alone passes proposals); the
community pool holds 10,000,000 AKT; account 0 may post the AKT/USD price.

The genesis is built by running the real keepers on a fresh app and exporting it, so it is the
exact shape every module imports, and importing it gives the same state.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.mnemonic import derive_child_key_from_mnemonic

from chain.app import BOND_DENOM, DEFAULT_CHAIN_ID, App
from chain.modules.auth.keeper import secp256k1_address
from chain.sdk.address import encode_address
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.math import Coins, Dec, Int
from incentives.types import keys as incentive_keys

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_ACCOUNT_COUNT = 10
ACCOUNT_BALANCE = 10**12
VALIDATOR_BOND = 10**11
COMMUNITY_POOL = 10**13
DEFAULT_GENESIS_TIME = 1_767_225_600  # 2026-01-01T00:00:00Z


@dataclass(frozen=True, slots=True)
class DevAccount:
    """A dev account: index on the HD path, private key, bech32 address."""

    index: int
    private_key: bytes
    address: str

    @property
    def hd_path(self) -> str:
        return f"m/44'/118'/0'/0/{self.index}"


def dev_accounts(count: int = DEV_ACCOUNT_COUNT, mnemonic: str = DEV_MNEMONIC) -> list[DevAccount]:
    accounts = []
    for index in range(count):
        key = derive_child_key_from_mnemonic(mnemonic, path=f"m/44'/118'/0'/0/{index}")
        public = PrivateKey(key).public_key.public_key_bytes
        accounts.append(DevAccount(index, key, encode_address(secp256k1_address(public))))
    return accounts


def devnet_genesis(
    chain_id: str = DEFAULT_CHAIN_ID,
    genesis_time: int = DEFAULT_GENESIS_TIME,
    voting_period: int = 20,
    accounts: list[DevAccount] | None = None,
) -> dict[str, Any]:
    """The localnet genesis document (``chain_id``, ``genesis_time_ns``, ``app_state``)."""
    accounts = accounts if accounts is not None else dev_accounts()
    app = App(chain_id=chain_id, voting_period=voting_period)
    time_ns = genesis_time * NANOS
    app.init_chain(
        {"chain_id": chain_id, "genesis_time_ns": str(time_ns), "app_state": app.default_genesis()}
    )
    ctx = Context(BlockHeader(0, time_ns, chain_id), app.store)
    balance = Coins.of(BOND_DENOM, ACCOUNT_BALANCE)
    for account in accounts:
        app.bank.mint_coins(ctx, "mint", balance)
        app.bank.send_coins_from_module_to_account(
            ctx, "mint", secp256k1_address_of(account), balance
        )
    operator = secp256k1_address_of(accounts[0])
    bond = Coins.of(BOND_DENOM, VALIDATOR_BOND)
    app.bank.mint_coins(ctx, "mint", bond)
    app.bank.send_coins_from_module_to_account(ctx, "mint", operator, bond)
    app.staking.create_validator(
        ctx, operator, Int(VALIDATOR_BOND), Dec.from_str("0.05"), moniker="localnet"
    )
    app.staking.apply_validator_set_updates(ctx)
    pool = Coins.of(BOND_DENOM, COMMUNITY_POOL)
    app.bank.mint_coins(ctx, "mint", pool)
    app.distribution.fund_community_pool_from_module(ctx, pool, "mint")
    params = app.incentives.keeper.get_params(ctx)
    incentive_keys.PARAMS.set(
        ctx, dataclasses.replace(params, price_feeders=(accounts[0].address,))
    )
    return app.export_genesis()


def secp256k1_address_of(account: DevAccount) -> bytes:
    return secp256k1_address(PrivateKey(account.private_key).public_key.public_key_bytes)
