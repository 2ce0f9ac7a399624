"""``incentivesd q incentives`` on a localnet where providers have been paid
(``tests.fixtures.paid_localnet``): pools, nodes, what a provider sees before claiming, an
epoch's allocation, the payment records (every page), the price and a reward estimate."""

from __future__ import annotations

import json

from click.testing import CliRunner

from incentivesd.cli import main
from tests.fixtures.paid_localnet import (
    EMISSION,
    PROVIDER_1,
    PROVIDER_2,
    PaidLocalnet,
)


def run(paid: PaidLocalnet, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["q", "incentives", *args, "--node", paid.net.grpc_url])
    return result.exit_code, result.output


def test_pools_and_pool(paid: PaidLocalnet) -> None:
    alpha, beta, gamma = paid.pool_ids
    code, out = run(paid, "pools", "-o", "json")
    assert code == 0, out
    pools = json.loads(out)["pools"]
    assert [pool["name"] for pool in pools] == ["alpha", "beta", "gamma"]
    by_id = {int(pool["id"]): pool for pool in pools}
    assert by_id[alpha]["paid"] == str(3 * EMISSION // 2)  # p1-a both epochs, p2-a the first
    assert by_id[alpha]["accrued"] == str(EMISSION // 2)  # p2-a's second epoch
    assert by_id[beta]["paid"] == str(2 * EMISSION)
    assert by_id[gamma]["status"] == "POOL_STATUS_ACTIVE"
    code, paged = run(paid, "pools", "--page-size", "1", "-o", "json")
    assert code == 0, paged
    assert json.loads(paged) == json.loads(out)

    code, out = run(paid, "pools")
    assert code == 0, out
    header, *rows = out.splitlines()
    assert header.split() == [
        "id", "name", "rule", "status", "epochs", "funded", "balance", "accrued", "paid",
        "returned",
    ]  # fmt: skip
    start, end = paid.epochs
    assert rows[0].split()[:5] == [str(alpha), "alpha", "PRO_RATA", "CLOSED", f"{start}-{end}"]
    assert rows[0].split()[8] == str(3 * EMISSION // 2)

    code, out = run(paid, "pool", str(beta))
    assert code == 0, out
    assert "pool.name: beta" in out.splitlines()
    assert f"pool.paid: {2 * EMISSION}" in out.splitlines()
    code, out = run(paid, "pool", "99")
    assert code == 1
    assert "not found" in out


def test_nodes(paid: PaidLocalnet) -> None:
    code, out = run(paid, "nodes", "-o", "json")
    assert code == 0, out
    assert [node["id"] for node in json.loads(out)["nodes"]] == ["p1-a", "p1-b", "p2-a", "p2-g"]
    code, out = run(paid, "nodes", "--provider", paid.address(PROVIDER_2))
    assert code == 0, out
    header, *rows = out.splitlines()
    assert header.split()[:4] == ["id", "owner", "gpu", "gpus"]
    assert [row.split()[:4] for row in rows] == [
        ["p2-a", paid.address(PROVIDER_2), "h100", "8"],
        ["p2-g", paid.address(PROVIDER_2), "h100", "8"],
    ]
    code, out = run(paid, "node", "p1-b", "-o", "json")
    assert code == 0, out
    assert json.loads(out)["node"]["owner"] == paid.address(PROVIDER_1)
    code, out = run(paid, "node", "nope")
    assert code == 1
    assert "not found" in out


def test_accruals_show_what_a_provider_would_claim(paid: PaidLocalnet) -> None:
    alpha = paid.pool_ids[0]
    end = paid.epochs[1]
    provider = paid.address(PROVIDER_2)
    code, out = run(paid, "accruals", provider)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split() == ["pool", "epoch", "amount", "expires", "after", "epoch"]
    assert lines[1].split()[:3] == [str(alpha), str(end), str(EMISSION // 2)]
    assert lines[2] == f"total: {EMISSION // 2}uakt"
    code, out = run(paid, "accruals", provider, "--pool", str(alpha), "-o", "json")
    assert code == 0, out
    answer = json.loads(out)
    assert answer["total"] == [{"denom": "uakt", "amount": str(EMISSION // 2)}]
    assert [(int(a["pool_id"]), int(a["epoch"])) for a in answer["accruals"]] == [(alpha, end)]
    code, out = run(paid, "accruals", provider, "--pool", str(paid.pool_ids[1]))
    assert code == 0, out
    assert out.splitlines()[0] == "no accruals"
    code, out = run(paid, "accruals", paid.address(PROVIDER_1))
    assert code == 0, out
    assert out.strip() == "no accruals"
    code, out = run(paid, "accruals", "akash1bad")
    assert code == 1
    assert "Traceback" not in out


def test_allocation_payments_price_and_estimate(paid: PaidLocalnet) -> None:
    alpha, beta, gamma = paid.pool_ids
    start = paid.epochs[0]
    code, out = run(paid, "allocation", str(alpha), str(start))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split() == ["node", "provider", "weight", "amount"]
    assert [line.split()[0] for line in lines[1:3]] == ["p1-a", "p2-a"]
    assert f"emission: {EMISSION}" in lines
    code, out = run(paid, "allocation", str(alpha), "99")
    assert code == 1
    assert "not found" in out

    code, out = run(paid, "payments", "-o", "json")
    assert code == 0, out
    payments = json.loads(out)["payments"]
    assert [int(payment["id"]) for payment in payments] == [1, 2, 3, 4, 5]
    code, paged = run(paid, "payments", "--page-size", "2", "-o", "json")
    assert code == 0, paged
    assert json.loads(paged) == json.loads(out)
    code, out = run(paid, "payments", "--pool", str(beta), "--page-size", "1")
    assert code == 0, out
    rows = out.splitlines()[1:]
    assert [row.split()[1] for row in rows] == [str(beta), str(beta)]
    assert sum(int(row.split()[4]) for row in rows) == 2 * EMISSION

    code, out = run(paid, "price", "-o", "json")
    assert code == 0, out
    assert json.loads(out)["price"]["akt_usd"].startswith("2.5")
    code, out = run(paid, "redirects", paid.address(PROVIDER_1))
    assert code == 0, out
    assert out.strip() == "no redirects"

    code, out = run(paid, "estimate-reward", str(gamma), "p2-g", "-o", "json")
    assert code == 0, out
    estimate = json.loads(out)
    assert int(estimate["amount"]) == int(estimate["emission"]) == EMISSION
    code, out = run(
        paid, "estimate-reward", str(gamma), "p2-g", "--online-seconds", "0", "-o", "json"
    )
    assert code == 0, out
    assert json.loads(out)["amount"] == "0"
    code, out = run(paid, "estimate-reward", str(alpha), "p1-a")
    assert code == 1
    assert "pays no more epochs" in out
