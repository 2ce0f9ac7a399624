"""The dev-chain genesis tweaks for a real Akash node (``localnet/akash``), on a sample
``akash init`` genesis in the SDK 0.50 shape (and its SDK 0.47 variant): the tweaks are there,
balances and supply agree, the addresses are the localnet mnemonic's, the community pool is held
by the distribution module account, and tweaking twice changes nothing. The setup script works
as a user runs it; the compose file pins a real image and publishes the client's ports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from chain.devnet import ACCOUNT_BALANCE, COMMUNITY_POOL, dev_accounts
from chain.sdk.address import encode_address
from chain.sdk.address import module_address as module_address_bytes
from incentivesd.genesis_tweaks import GenesisError, Tweaks, tweak_genesis

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "akash-init-genesis.json"
KIT = ROOT / "localnet" / "akash"
EXISTING = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
IBC_DENOM = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"


def sample() -> dict[str, Any]:
    genesis: dict[str, Any] = json.loads(FIXTURE.read_text())
    return genesis


def balances_of(genesis: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {
        balance["address"]: {coin["denom"]: int(coin["amount"]) for coin in balance["coins"]}
        for balance in genesis["app_state"]["bank"]["balances"]
    }


def test_the_tweaks_are_applied() -> None:
    tweaked = tweak_genesis(sample())
    assert tweaked["chain_id"] == "akash-localnet-1"
    gov = tweaked["app_state"]["gov"]["params"]
    assert gov["voting_period"] == "20s"
    assert gov["expedited_voting_period"] == "10s"
    assert gov["max_deposit_period"] == "20s"
    assert gov["min_deposit"] == [{"denom": "uakt", "amount": "10000000"}]
    assert gov["expedited_min_deposit"] == [{"denom": "uakt", "amount": "50000000"}]
    assert gov["quorum"] == sample()["app_state"]["gov"]["params"]["quorum"]  # untouched
    assert tweaked["app_state"]["deployment"] == sample()["app_state"]["deployment"]


def test_dev_accounts_derive_from_the_mnemonic_and_are_funded() -> None:
    tweaked = tweak_genesis(sample())
    expected = [account.address for account in dev_accounts(10)]
    accounts = tweaked["app_state"]["auth"]["accounts"]
    assert [account["address"] for account in accounts] == [EXISTING, *expected]
    assert all(account["@type"] == "/cosmos.auth.v1beta1.BaseAccount" for account in accounts)
    numbers = [int(account["account_number"]) for account in accounts]
    assert numbers == list(range(11))
    balances = balances_of(tweaked)
    for address in expected:
        assert balances[address] == {"uakt": ACCOUNT_BALANCE}
    assert balances[EXISTING] == {IBC_DENOM: 5_000_000, "uakt": 100_000_000_000_000}
    listed = [balance["address"] for balance in tweaked["app_state"]["bank"]["balances"]]
    assert listed == sorted(listed)


def test_balances_supply_and_community_pool_agree() -> None:
    tweaked = tweak_genesis(sample())
    balances = balances_of(tweaked)
    supply = {coin["denom"]: int(coin["amount"]) for coin in tweaked["app_state"]["bank"]["supply"]}
    assert supply == {
        IBC_DENOM: 5_000_000,
        "uakt": 100_000_000_000_000 + 10 * ACCOUNT_BALANCE + COMMUNITY_POOL,
    }
    for denom, amount in supply.items():
        assert amount == sum(coins.get(denom, 0) for coins in balances.values())
    (pool,) = tweaked["app_state"]["distribution"]["fee_pool"]["community_pool"]
    assert pool == {"denom": "uakt", "amount": f"{COMMUNITY_POOL}.000000000000000000"}
    distribution = encode_address(module_address_bytes("distribution"))
    assert balances[distribution] == {"uakt": COMMUNITY_POOL}


def test_outstanding_rewards_stay_covered_by_the_module_account() -> None:
    genesis = sample()
    genesis["app_state"]["distribution"]["outstanding_rewards"] = [
        {
            "validator_address": "akashvaloper1example",
            "outstanding_rewards": [{"denom": "uakt", "amount": "1234.560000000000000000"}],
        }
    ]
    balances = balances_of(tweak_genesis(genesis))
    distribution = encode_address(module_address_bytes("distribution"))
    assert balances[distribution] == {"uakt": COMMUNITY_POOL + 1234}


def test_tweaking_twice_changes_nothing() -> None:
    once = tweak_genesis(sample())
    assert json.dumps(tweak_genesis(once)) == json.dumps(once)
    assert sample() == json.loads(FIXTURE.read_text())  # the input is not modified


def test_an_sdk_047_genesis_gets_no_unknown_fields() -> None:
    genesis = sample()
    params = genesis["app_state"]["gov"]["params"]
    for key in ("expedited_voting_period", "expedited_min_deposit", "expedited_threshold"):
        del params[key]
    genesis["app_state"]["gov"]["voting_params"] = {"voting_period": "172800s"}
    tweaked = tweak_genesis(genesis, Tweaks(voting_period="30s"))
    gov = tweaked["app_state"]["gov"]
    assert set(gov["params"]) == set(params)
    assert gov["params"]["voting_period"] == gov["voting_params"]["voting_period"] == "30s"


def test_a_document_that_is_not_a_genesis() -> None:
    with pytest.raises(GenesisError, match="no app_state"):
        tweak_genesis({"chain_id": "x"})
    broken = sample()
    del broken["app_state"]["distribution"]
    with pytest.raises(GenesisError, match=r"app_state\.distribution is missing"):
        tweak_genesis(broken)
    broken = sample()
    broken["app_state"]["bank"]["balances"][0]["coins"][1]["amount"] = "lots"
    with pytest.raises(GenesisError, match="'lots' is not an integer amount"):
        tweak_genesis(broken)


def test_the_setup_script_as_a_user_runs_it(tmp_path: Path) -> None:
    genesis = tmp_path / "genesis.json"
    genesis.write_text(FIXTURE.read_text())
    script = KIT / "setup-genesis.py"
    done = subprocess.run(
        [sys.executable, str(script), str(genesis)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(genesis.read_text()) == tweak_genesis(sample())
    assert "chain akash-localnet-1, 10 dev accounts" in done.stdout
    genesis.write_text("{not json")
    done = subprocess.run(
        [sys.executable, str(script), str(genesis)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "not JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_compose_file_pins_the_image_and_publishes_the_ports() -> None:
    compose = yaml.safe_load((KIT / "docker-compose.yml").read_text())
    node = compose["services"]["node"]
    image = node["image"]
    assert image.startswith("${AKASH_IMAGE:-ghcr.io/akash-network/node:")
    tag = image.removesuffix("}").rsplit(":", 1)[1]
    assert tag[0].isdigit()
    assert {port.rsplit(":", 1)[1].split()[0] for port in node["ports"]} >= {"9090", "26657"}
    assert compose["services"]["init"]["profiles"] == ["setup"]
    for script, shell in (("setup.sh", "bash"), ("node-setup.sh", "sh")):
        checked = subprocess.run([shell, "-n", str(KIT / script)], capture_output=True, check=False)
        assert checked.returncode == 0, checked.stderr
