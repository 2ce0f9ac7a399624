"""Dev-chain tweaks for a real Akash node's genesis (``akash init`` output, Cosmos SDK 0.47/0.50
JSON): what ``localnet/akash/setup-genesis.py`` applies before the validator's gentx.

``tweak_genesis`` sets the chain id; gov's voting period (and the expedited one on SDK 0.50),
the deposit period and the minimum deposit; funds the ten dev accounts of the localnet mnemonic
(``m/44'/118'/0'/0/i``, the same addresses as the embedded localnet) in the staking bond denom;
puts coins in the community pool, with the distribution module account holding them; and
recomputes the bank supply from the balances. It is idempotent: tweaking a tweaked genesis
changes nothing. Keys the input does not have (``expedited_voting_period`` on SDK 0.47) are not
added, since the SDK rejects unknown genesis fields.

Fails when (``GenesisError``): the document is not a genesis (no ``app_state`` with auth, bank,
gov, distribution and staking sections of the SDK's shape); an amount is not an integer.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cosmpy.crypto.address import Address

from incentivesd.client.client import wallet_from_mnemonic

DEFAULT_CHAIN_ID = "akash-localnet-1"
DEV_MNEMONIC = "test test test test test test test test test test test junk"
PREFIX = "akash"
BASE_ACCOUNT = "/cosmos.auth.v1beta1.BaseAccount"
DEC_PLACES = 18


class GenesisError(Exception):
    """The document cannot be tweaked; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Tweaks:
    """What a dev chain changes; amounts in the bond denom's base unit (uakt)."""

    chain_id: str = DEFAULT_CHAIN_ID
    voting_period: str = "20s"
    expedited_voting_period: str = "10s"
    max_deposit_period: str = "20s"
    min_deposit: int = 10_000_000
    expedited_min_deposit: int = 50_000_000
    mnemonic: str = DEV_MNEMONIC
    accounts: int = 10
    account_balance: int = 10**12
    community_pool: int = 10**13


def dev_addresses(mnemonic: str = DEV_MNEMONIC, count: int = 10) -> list[str]:
    """The bech32 addresses at ``m/44'/118'/0'/0/i`` of ``mnemonic``, i = 0..count-1."""
    return [str(wallet_from_mnemonic(mnemonic, index, PREFIX).address()) for index in range(count)]


def module_address(name: str) -> str:
    """A module account's address: the first 20 bytes of sha256(name)."""
    return str(Address(hashlib.sha256(name.encode()).digest()[:20], PREFIX))


def _section(app_state: dict[str, Any], name: str) -> dict[str, Any]:
    section = app_state.get(name)
    if not isinstance(section, dict):
        raise GenesisError(f"app_state.{name} is missing")
    return section


def _int(value: Any, where: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise GenesisError(f"{where}: {value!r} is not an integer amount") from None


def _dec_truncated(value: Any, where: str) -> int:
    try:
        return int(Decimal(str(value)))
    except InvalidOperation:
        raise GenesisError(f"{where}: {value!r} is not a decimal amount") from None


def _set_coin(coins: list[dict[str, str]], denom: str, amount: str) -> list[dict[str, str]]:
    others = [coin for coin in coins if coin.get("denom") != denom]
    return sorted([*others, {"denom": denom, "amount": amount}], key=lambda coin: coin["denom"])


def tweak_genesis(genesis: dict[str, Any], tweaks: Tweaks = Tweaks()) -> dict[str, Any]:
    """A tweaked copy of ``genesis`` (see the module docstring)."""
    document: dict[str, Any] = json.loads(json.dumps(genesis))
    app_state = document.get("app_state")
    if not isinstance(app_state, dict):
        raise GenesisError("not a genesis document: no app_state")
    auth, bank = _section(app_state, "auth"), _section(app_state, "bank")
    gov, distribution = _section(app_state, "gov"), _section(app_state, "distribution")
    staking = _section(app_state, "staking")
    try:
        denom = str(staking["params"]["bond_denom"])
        gov_params = gov["params"]
        accounts = auth["accounts"]
        balances = bank["balances"]
        fee_pool = distribution["fee_pool"]
    except (KeyError, TypeError) as error:
        raise GenesisError(f"genesis section without {error}") from None
    document["chain_id"] = tweaks.chain_id
    _tweak_gov(gov, gov_params, tweaks, denom)
    _fund_accounts(accounts, balances, tweaks, denom)
    _fund_community_pool(distribution, fee_pool, balances, tweaks, denom)
    balances.sort(key=lambda balance: balance["address"])
    bank["supply"] = _supply(balances)
    return document


def _tweak_gov(gov: dict[str, Any], params: dict[str, Any], tweaks: Tweaks, denom: str) -> None:
    params["voting_period"] = tweaks.voting_period
    params["max_deposit_period"] = tweaks.max_deposit_period
    params["min_deposit"] = [{"denom": denom, "amount": str(tweaks.min_deposit)}]
    if "expedited_voting_period" in params:
        params["expedited_voting_period"] = tweaks.expedited_voting_period
    if "expedited_min_deposit" in params:
        params["expedited_min_deposit"] = [
            {"denom": denom, "amount": str(tweaks.expedited_min_deposit)}
        ]
    # SDK 0.47 still reads the deprecated v1beta1-style params when they are set.
    if isinstance(gov.get("voting_params"), dict):
        gov["voting_params"]["voting_period"] = tweaks.voting_period
    if isinstance(gov.get("deposit_params"), dict):
        gov["deposit_params"]["max_deposit_period"] = tweaks.max_deposit_period
        gov["deposit_params"]["min_deposit"] = params["min_deposit"]


def _fund_accounts(
    accounts: list[dict[str, Any]], balances: list[dict[str, Any]], tweaks: Tweaks, denom: str
) -> None:
    known = {str(account.get("address", "")) for account in accounts}
    numbers = [_int(account.get("account_number", 0), "account_number") for account in accounts]
    next_number = max(numbers, default=-1) + 1
    for address in dev_addresses(tweaks.mnemonic, tweaks.accounts):
        if address not in known:
            accounts.append(
                {
                    "@type": BASE_ACCOUNT,
                    "address": address,
                    "pub_key": None,
                    "account_number": str(next_number),
                    "sequence": "0",
                }
            )
            next_number += 1
        _set_balance(balances, address, denom, tweaks.account_balance)


def _set_balance(balances: list[dict[str, Any]], address: str, denom: str, amount: int) -> None:
    for balance in balances:
        if balance.get("address") == address:
            balance["coins"] = _set_coin(balance.get("coins") or [], denom, str(amount))
            return
    balances.append({"address": address, "coins": [{"denom": denom, "amount": str(amount)}]})


def _fund_community_pool(
    distribution: dict[str, Any],
    fee_pool: dict[str, Any],
    balances: list[dict[str, Any]],
    tweaks: Tweaks,
    denom: str,
) -> None:
    """The community pool holds ``tweaks.community_pool``; the distribution module account
    holds it plus the validators' outstanding rewards, as the SDK's InitGenesis checks."""
    pool_amount = f"{tweaks.community_pool}.{'0' * DEC_PLACES}"
    fee_pool["community_pool"] = _set_coin(fee_pool.get("community_pool") or [], denom, pool_amount)
    outstanding = sum(
        _dec_truncated(coin.get("amount", "0"), "outstanding_rewards")
        for entry in distribution.get("outstanding_rewards") or []
        for coin in entry.get("outstanding_rewards") or []
        if coin.get("denom") == denom
    )
    _set_balance(
        balances, module_address("distribution"), denom, tweaks.community_pool + outstanding
    )


def _supply(balances: list[dict[str, Any]]) -> list[dict[str, str]]:
    totals: dict[str, int] = {}
    for balance in balances:
        for coin in balance.get("coins") or []:
            denom = str(coin["denom"])
            totals[denom] = totals.get(denom, 0) + _int(coin["amount"], f"{balance['address']}")
    return [{"denom": denom, "amount": str(totals[denom])} for denom in sorted(totals)]


def main(argv: Sequence[str] | None = None) -> int:
    """``setup-genesis.py GENESIS [--out FILE] [--chain-id ID]``: tweak a genesis file."""
    parser = argparse.ArgumentParser(
        prog="setup-genesis.py",
        description="Apply the dev-chain tweaks to an `akash init` genesis.json.",
    )
    parser.add_argument("genesis", type=Path, help="The genesis.json to tweak.")
    parser.add_argument("--out", type=Path, help="Write here instead of over GENESIS.")
    parser.add_argument("--chain-id", default=DEFAULT_CHAIN_ID)
    args = parser.parse_args(argv)
    try:
        genesis = json.loads(args.genesis.read_text())
        if not isinstance(genesis, dict):
            raise GenesisError("not a genesis document: not a JSON object")
        tweaked = tweak_genesis(genesis, Tweaks(chain_id=args.chain_id))
        out = args.out or args.genesis
        out.write_text(json.dumps(tweaked, indent=2) + "\n")
    except OSError as error:
        print(f"error: {error.filename}: {error.strerror}", file=sys.stderr)
        return 1
    except ValueError as error:  # json.JSONDecodeError
        print(f"error: {args.genesis}: not JSON: {error}", file=sys.stderr)
        return 1
    except GenesisError as error:
        print(f"error: {args.genesis}: {error}", file=sys.stderr)
        return 1
    addresses = dev_addresses()
    print(f"{out}: chain {tweaked['chain_id']}, {len(addresses)} dev accounts {addresses[0]}...")
    return 0
