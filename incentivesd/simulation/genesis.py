"""The random initial world of a simulation, derived from the seed, and the app built on it.

``Genesis.random(rng)`` draws the accounts (each with a secp256k1 key derived from
``key_seed``), their balances, 2-4 validators with random self-bonds and commission rates,
genesis delegations, the community pool, gov's deposit and voting periods, distribution's
community tax, staking's unbonding time and entries, and the incentives params (claim window,
settlement lag, price age). Roles by index: the first accounts are the
validators, then providers; then an outsider (never owns, attests, feeds or delegates: the
target of "not the owner" style invalid Msgs), two attesters and the price feeder.
``build()`` runs the real keepers on a fresh ``App`` and exports the result, as the localnet's
genesis does, then imports that document into the app the simulation drives.

Mint's inflation is zero: the mint keeper carries a sub-coin remainder that is not part of its
genesis (by design), so an exported and re-imported chain would diverge by that fraction; with
no inflation, export at any block, import and continue must give the same app hash. Rewards
come from the fees every simulated tx pays.

Fails when: a module rejects the drawn genesis (a registered ``SdkError``; a bug in the draw).
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from dataclasses import dataclass
from typing import Any

import coincurve

from chain.app import BOND_DENOM, App
from chain.modules.auth.keeper import secp256k1_address
from chain.sdk.address import encode_address
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.math import Coins, Dec, Int
from incentives.types import keys

CHAIN_ID = "incentives-sim-1"
GENESIS_TIME = 1_735_689_600  # 2025-01-01T00:00:00Z
DENOM = BOND_DENOM


@dataclass(frozen=True, slots=True)
class SimAccount:
    """A simulated account: its key, compressed public key and address."""

    index: int
    key: coincurve.PrivateKey
    public_key: bytes
    address_bytes: bytes
    address: str


def sim_account(key_seed: int, index: int) -> SimAccount:
    secret = hashlib.sha256(f"incentivesd-sim/{key_seed}/{index}".encode()).digest()
    key = coincurve.PrivateKey(secret)
    public = key.public_key.format(compressed=True)
    raw = secp256k1_address(public)
    return SimAccount(index, key, public, raw, encode_address(raw))


@dataclass(frozen=True)
class Genesis:
    """The drawn world; every field is a plain value so the op log can carry it as JSON."""

    key_seed: int
    balances: tuple[int, ...]
    validators: tuple[tuple[int, int, int], ...]  # (account, self bond, commission in bps)
    delegations: tuple[tuple[int, int, int], ...]  # (delegator, validator account, amount)
    community_pool: int
    voting_period: int
    min_deposit: int
    community_tax_bps: int
    unbonding_seconds: int
    max_unbonding_entries: int
    claim_window_epochs: int
    settlement_lag_epochs: int
    max_price_age_seconds: int

    @property
    def count(self) -> int:
        return len(self.balances)

    @property
    def feeder(self) -> int:
        return self.count - 1

    @property
    def attesters(self) -> tuple[int, int]:
        return (self.count - 2, self.count - 3)

    @property
    def outsider(self) -> int:
        """An account that never owns nodes, attests, feeds prices or delegates."""
        return self.count - 4

    @property
    def providers(self) -> tuple[int, ...]:
        return tuple(range(1, self.outsider))

    @property
    def delegators(self) -> int:
        """Accounts ``0 .. delegators - 1`` may delegate and redirect."""
        return self.outsider

    @classmethod
    def random(cls, rng: random.Random) -> Genesis:
        count = rng.randint(10, 14)
        validators = tuple(
            (index, rng.randint(10**10, 10**11), rng.randint(100, 2000))
            for index in range(rng.randint(2, 4))
        )
        delegations = tuple(
            (delegator, rng.choice(validators)[0], rng.randint(10**8, 10**10))
            for delegator in range(len(validators), count - 4)
            if rng.random() < 0.5
        )
        return cls(
            key_seed=rng.getrandbits(32),
            balances=tuple(rng.randint(10**11, 10**12) for _ in range(count)),
            validators=validators,
            delegations=delegations,
            community_pool=rng.randint(10**11, 10**12),
            voting_period=rng.choice((6 * 3600, 12 * 3600, 86_400)),
            min_deposit=rng.choice((10**6, 10**7, 10**8)),
            community_tax_bps=rng.randint(0, 1000),
            unbonding_seconds=rng.choice((86_400, 3 * 86_400, 21 * 86_400)),
            max_unbonding_entries=rng.randint(2, 7),
            claim_window_epochs=rng.randint(1, 5),
            settlement_lag_epochs=rng.randint(0, 2),
            max_price_age_seconds=rng.choice((86_400, 2 * 86_400)),
        )

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        return {key: _jsonable(value) for key, value in data.items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Genesis:
        return cls(
            key_seed=int(data["key_seed"]),
            balances=tuple(int(amount) for amount in data["balances"]),
            validators=_triples(data["validators"]),
            delegations=_triples(data["delegations"]),
            community_pool=int(data["community_pool"]),
            voting_period=int(data["voting_period"]),
            min_deposit=int(data["min_deposit"]),
            community_tax_bps=int(data["community_tax_bps"]),
            unbonding_seconds=int(data["unbonding_seconds"]),
            max_unbonding_entries=int(data["max_unbonding_entries"]),
            claim_window_epochs=int(data["claim_window_epochs"]),
            settlement_lag_epochs=int(data["settlement_lag_epochs"]),
            max_price_age_seconds=int(data["max_price_age_seconds"]),
        )

    def accounts(self) -> list[SimAccount]:
        return [sim_account(self.key_seed, index) for index in range(self.count)]

    def document(self) -> dict[str, Any]:
        """The genesis document (``chain_id``, ``genesis_time_ns``, ``app_state``)."""
        accounts = self.accounts()
        app = App(chain_id=CHAIN_ID, voting_period=self.voting_period)
        time_ns = GENESIS_TIME * NANOS
        state = app.default_genesis()
        state["mint"]["params"]["inflation_rate"] = "0.000000000000000000"
        state["mint"]["minter"]["inflation"] = "0.000000000000000000"
        deposit = state["gov"]["params"]["min_deposit"]
        deposit[0]["amount"] = str(self.min_deposit)
        state["gov"]["params"]["expedited_min_deposit"][0]["amount"] = str(self.min_deposit * 5)
        tax = Dec.from_str(f"{self.community_tax_bps / 10_000:.4f}")
        state["distribution"]["params"]["community_tax"] = str(tax)
        state["staking"]["params"]["unbonding_time"] = f"{self.unbonding_seconds}s"
        state["staking"]["params"]["max_entries"] = self.max_unbonding_entries
        app.init_chain({"chain_id": CHAIN_ID, "genesis_time_ns": str(time_ns), "app_state": state})
        ctx = Context(BlockHeader(0, time_ns, CHAIN_ID), app.store)
        for account, amount in zip(accounts, self.balances, strict=True):
            app.bank.mint_coins(ctx, "mint", Coins.of(DENOM, amount))
            app.bank.send_coins_from_module_to_account(
                ctx, "mint", account.address_bytes, Coins.of(DENOM, amount)
            )
        for index, bond, commission in self.validators:
            operator = accounts[index].address_bytes
            rate = Dec.from_str(f"{commission / 10_000:.4f}")
            app.staking.create_validator(ctx, operator, Int(bond), rate, moniker=f"sim-{index}")
        for delegator, validator_index, amount in self.delegations:
            validator = app.staking.get_validator(ctx, accounts[validator_index].address_bytes)
            assert validator is not None
            app.staking.delegate(ctx, accounts[delegator].address_bytes, validator, Int(amount))
        app.staking.apply_validator_set_updates(ctx)
        pool = Coins.of(DENOM, self.community_pool)
        app.bank.mint_coins(ctx, "mint", pool)
        app.distribution.fund_community_pool_from_module(ctx, pool, "mint")
        params = dataclasses.replace(
            app.incentives.keeper.get_params(ctx),
            price_feeders=(accounts[self.feeder].address,),
            claim_window_epochs=self.claim_window_epochs,
            settlement_lag_epochs=self.settlement_lag_epochs,
            max_price_age_seconds=self.max_price_age_seconds,
        )
        keys.PARAMS.set(ctx, params)
        return app.export_genesis()

    def build(self) -> App:
        """A fresh app at this genesis (height 0; the first block is height 1)."""
        app = App(chain_id=CHAIN_ID)
        app.init_chain(self.document())
        return app


def _triples(items: list[list[int]]) -> tuple[tuple[int, int, int], ...]:
    return tuple((int(a), int(b), int(c)) for a, b, c in items)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value
