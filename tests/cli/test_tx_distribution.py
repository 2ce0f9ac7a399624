"""``incentivesd tx distribution`` against a localnet: funding the community pool from a shell,
withdrawing the validator's staking rewards and commission, redirecting rewards with
``set-withdraw-addr``, and the errors of a withdrawal without a delegation."""

from __future__ import annotations

import json
from pathlib import Path

from chain.sdk.address import decode_address, encode_address
from chain.server.localnet import Localnet
from tests.cli.tx_support import ACCOUNTS, add_dev_keys, balance, fee_paid, invoke, shell, tx
from tests.cli.tx_support import tx_json as run_json

VALIDATOR = encode_address(decode_address(ACCOUNTS[0].address), "akashvaloper")
OPERATOR, WITHDRAWER = ACCOUNTS[0].address, ACCOUNTS[4].address


def community_pool(net: Localnet) -> int:
    result = invoke("q", "distribution", "community-pool", "--node", net.grpc_url, "-o", "json")
    assert result.exit_code == 0, result.output
    (coin,) = json.loads(result.stdout)["pool"]
    return int(coin["amount"].split(".")[0])  # a DecCoin, shown with its 18 decimals


def test_fund_the_community_pool_from_a_shell(localnet: Localnet, tmp_path: Path) -> None:
    add_dev_keys(tmp_path, 1)
    before, pool_before = balance(localnet, ACCOUNTS[1].address), community_pool(localnet)
    done = shell(
        "tx", "distribution", "fund-community-pool", "2500000uakt", "--from", "dev1",
        "--home", str(tmp_path), "--node", localnet.grpc_url, "-y", "-o", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert balance(localnet, ACCOUNTS[1].address) == before - 2_500_000 - fee_paid(result)
    # Each block also feeds the pool a part of the fees and the mint.
    assert community_pool(localnet) >= pool_before + 2_500_000


def test_withdraw_rewards_and_commission(localnet: Localnet, tmp_path: Path) -> None:
    add_dev_keys(tmp_path, 0, 2)
    rpc = f"http://127.0.0.1:{localnet.port_of('rpc')}"
    assert invoke("localnet", "advance-blocks", "20", "--node", rpc).exit_code == 0

    before = balance(localnet, OPERATOR)
    result = run_json(
        localnet, tmp_path, "distribution", "withdraw-rewards", VALIDATOR, "--commission",
        "--from", "dev0",
    )  # fmt: skip
    kinds = {event["type"] for event in result["events"]}
    assert {"withdraw_rewards", "withdraw_commission"} <= kinds
    assert balance(localnet, OPERATOR) > before - fee_paid(result)

    set_result = run_json(
        localnet, tmp_path, "distribution", "set-withdraw-addr", WITHDRAWER, "--from", "dev0"
    )
    assert invoke("localnet", "advance-blocks", "20", "--node", rpc).exit_code == 0
    operator_before, withdrawer_before = balance(localnet, OPERATOR), balance(localnet, WITHDRAWER)
    result = run_json(
        localnet, tmp_path, "distribution", "withdraw-rewards", VALIDATOR, "--from", "dev0"
    )
    assert set_result["code"] == 0
    assert balance(localnet, OPERATOR) == operator_before - fee_paid(result)
    assert balance(localnet, WITHDRAWER) > withdrawer_before

    nothing = tx(
        localnet, tmp_path, "distribution", "withdraw-rewards", VALIDATOR, "--from", "dev2"
    )
    assert nothing.exit_code == 1
    assert "the chain rejected the tx: codespace distribution" in nothing.output
    wrong = tx(localnet, tmp_path, "distribution", "withdraw-rewards", OPERATOR, "--from", "dev0")
    assert wrong.exit_code == 2
    assert "is not an akashvaloper1... address" in wrong.output
