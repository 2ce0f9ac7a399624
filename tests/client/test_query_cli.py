"""``incentivesd query`` / ``q`` against the localnet: balances, the (empty) pool list, params,
the community pool, and the errors for a missing object and an unreachable node."""

from __future__ import annotations

import json

from click.testing import CliRunner

from chain.devnet import ACCOUNT_BALANCE, dev_accounts
from chain.server.localnet import Localnet
from incentivesd.cli import main

ADDRESS = dev_accounts(2)[1].address


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_query_commands(localnet: Localnet) -> None:
    node = ("--node", localnet.grpc_url)
    code, out = run("query", "bank", "balances", ADDRESS, *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out)["balances"] == [{"denom": "uakt", "amount": str(ACCOUNT_BALANCE)}]
    code, out = run("q", "bank", "balances", ADDRESS, *node)
    assert code == 0, out
    assert f"balances: {ACCOUNT_BALANCE}uakt" in out.splitlines()

    code, out = run("q", "incentives", "pools", *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out)["pools"] == []
    code, out = run("q", "incentives", "pools", *node)
    assert code == 0, out
    assert "pools: []" in out.splitlines()

    code, out = run("q", "incentives", "params", *node, "-o", "json")
    assert code == 0, out
    assert "params" in json.loads(out)
    code, out = run("q", "incentives", "params", *node)
    assert code == 0, out
    assert any(line.startswith("params.") for line in out.splitlines())

    code, out = run("q", "incentives", "accruals", ADDRESS, *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out)["accruals"] == []

    code, out = run("q", "distribution", "community-pool", *node, "-o", "json")
    assert code == 0, out
    assert json.loads(out)["pool"]

    code, out = run("q", "incentives", "pool", "42", *node)
    assert code == 1
    assert "not found" in out
    code, out = run("q", "gov", "proposal", "42", *node)
    assert code == 1
    assert "not found" in out


def test_an_unreachable_node() -> None:
    code, out = run("q", "incentives", "params", "--node", "grpc+http://127.0.0.1:1")
    assert code == 1
    assert "cannot reach the node" in out
    code, out = run("q", "incentives", "params", "--node", "http://127.0.0.1:1")
    assert code == 1
