"""``incentivesd query`` / ``q`` for the standard modules against the localnet at its genesis:
bank, auth, gov, distribution and staking as tables and as JSON, every page of a paginated
list, and the errors for a missing object, bad input and an unreachable node."""

from __future__ import annotations

import json

from click.testing import CliRunner

from chain.devnet import ACCOUNT_BALANCE, COMMUNITY_POOL, VALIDATOR_BOND, dev_accounts
from chain.server.localnet import Localnet
from incentivesd.cli import main

ACCOUNTS = dev_accounts(3)
ADDRESS = ACCOUNTS[1].address
OPERATOR = ACCOUNTS[0].address


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_bank_and_auth(localnet: Localnet) -> None:
    node = ("--node", localnet.grpc_url)
    code, out = run("query", "bank", "balances", ADDRESS, *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out) == {"balances": [{"denom": "uakt", "amount": str(ACCOUNT_BALANCE)}]}
    code, out = run("q", "bank", "balances", ADDRESS, *node)
    assert code == 0, out
    assert out.split() == ["denom", "amount", "uakt", str(ACCOUNT_BALANCE)]
    code, out = run("q", "bank", "balance", ADDRESS, "uakt", *node)
    assert code == 0, out
    assert out.strip() == f"balance: {ACCOUNT_BALANCE}uakt"

    code, out = run("q", "bank", "total", *node, "-o", "json")
    assert code == 0, out
    supply = json.loads(out)["supply"]
    assert [coin["denom"] for coin in supply] == ["uakt"]
    assert int(supply[0]["amount"]) >= 10 * ACCOUNT_BALANCE + COMMUNITY_POOL + VALIDATOR_BOND

    code, out = run("q", "auth", "account", ADDRESS, *node, "-o", "json")
    assert code == 0, out
    account = json.loads(out)["account"]
    assert account["@type"] == "/cosmos.auth.v1beta1.BaseAccount"
    assert account["address"] == ADDRESS
    code, out = run("q", "auth", "account", "akash1notanaddress", *node)
    assert code == 1
    assert "Traceback" not in out


def test_distribution_and_staking(localnet: Localnet) -> None:
    node = ("--node", localnet.grpc_url)
    code, out = run("q", "distribution", "community-pool", *node, "-o", "json")
    assert code == 0, out
    (coin,) = json.loads(out)["pool"]
    # A LegacyDec, printed as a decimal the way the SDK's CLI prints it.
    assert coin["denom"] == "uakt"
    assert coin["amount"].endswith(".000000000000000000")
    assert int(coin["amount"].split(".")[0]) >= COMMUNITY_POOL

    code, out = run("q", "distribution", "params", *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out)["params"]["community_tax"] == "0.020000000000000000"
    code, out = run("q", "distribution", "withdraw-addr", ADDRESS, *node)
    assert code == 0, out
    assert out.strip() == f"withdraw_address: {ADDRESS}"

    code, out = run("q", "staking", "validators", *node, "-o", "json")
    assert code == 0, out
    (validator,) = json.loads(out)["validators"]
    assert validator["status"] == "BOND_STATUS_BONDED"
    assert validator["tokens"] == str(VALIDATOR_BOND)
    valoper = validator["operator_address"]
    code, out = run("q", "staking", "validators", "--status", "bonded", *node)
    assert code == 0, out
    header, row = out.splitlines()
    assert header.split()[:4] == ["operator", "moniker", "status", "tokens"]
    assert row.split()[:4] == [valoper, "localnet", "BONDED", str(VALIDATOR_BOND)]
    code, out = run("q", "staking", "validators", "--status", "unbonding", *node)
    assert code == 0, out
    assert out.strip() == "no validators"
    code, out = run("q", "staking", "validator", valoper, *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out)["validator"]["operator_address"] == valoper

    code, out = run("q", "staking", "delegations", OPERATOR, *node, "-o", "json")
    assert code == 0, out
    (delegation,) = json.loads(out)["delegation_responses"]
    assert delegation["balance"] == {"denom": "uakt", "amount": str(VALIDATOR_BOND)}
    assert delegation["delegation"]["validator_address"] == valoper

    localnet.node.advance(num_blocks=3)
    code, out = run("q", "distribution", "rewards", OPERATOR, *node)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split() == ["validator", "reward"]
    assert lines[1].split()[0] == valoper
    assert lines[-1].startswith("total: ")
    code, out = run("q", "distribution", "rewards", OPERATOR, valoper, *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out)["rewards"][0]["denom"] == "uakt"


def test_gov_queries_at_genesis(localnet: Localnet) -> None:
    node = ("--node", localnet.grpc_url)
    code, out = run("q", "gov", "params", *node, "-o", "json")
    assert code == 0, out
    params = json.loads(out)
    assert params["voting_period"] == "20s"
    assert params["min_deposit"] == [{"denom": "uakt", "amount": "10000000"}]
    code, out = run("q", "gov", "proposals", *node)
    assert code == 0, out
    assert out.strip() == "no proposals"
    code, out = run("q", "gov", "proposals", *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out) == {"proposals": []}

    code, out = run("q", "gov", "proposal", "42", *node)
    assert code == 1
    assert "not found" in out
    code, out = run("q", "gov", "tally", "42", *node)
    assert code == 1
    assert "not found" in out
    code, out = run("q", "gov", "proposals", "--status", "bogus", *node)
    assert code == 2
    assert "Invalid value for '--status'" in out


def test_every_page_of_a_list(localnet: Localnet) -> None:
    node = ("--node", localnet.grpc_url)
    code, one_page = run("q", "bank", "total", *node, "-o", "json")
    assert code == 0, one_page
    code, out = run("q", "staking", "validators", "--page-size", "1", *node, "-o", "json")
    assert code == 0, out
    assert len(json.loads(out)["validators"]) == 1
    code, paged = run("q", "bank", "total", "--page-size", "1", *node, "-o", "json")
    assert code == 0, paged
    assert json.loads(paged) == json.loads(one_page)


def test_an_unreachable_node() -> None:
    for args in (
        ("q", "incentives", "params"),
        ("q", "bank", "balances", ADDRESS),
        ("q", "gov", "proposals"),
        ("q", "staking", "validators"),
    ):
        code, out = run(*args, "--node", "grpc+http://127.0.0.1:1")
        assert code == 1, args
        assert "cannot reach the node" in out
        assert "Traceback" not in out
    code, out = run("q", "incentives", "params", "--node", "http://127.0.0.1:1")
    assert code == 1
    assert "invalid node address" in out
