"""The public ledger on a localnet where providers have been paid: the export equals the
module's payment records plus the claim txs that paid them, verification passes, and it
reports every mismatch of a tampered ledger file and of tampered module records; an
unreachable endpoint is a clear error. An export and its verification go through the installed
``incentivesd`` script exactly as a user would type them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from chain.sdk.math import Int
from incentives.types import keys
from incentivesd.cli import main
from incentivesd.client.client import Client
from incentivesd.ledger import (
    LedgerEntry,
    RpcClient,
    ledger_from_events,
    ledger_from_records,
    module_address,
    read_ledger,
    write_ledger,
)
from tests.fixtures.paid_localnet import (
    EMISSION,
    PROVIDER_1,
    PROVIDER_2,
    PaidLocalnet,
    start_paid_localnet,
)


def run(paid: PaidLocalnet, *args: str) -> tuple[int, str]:
    endpoints = ["--rpc", paid.rpc_url, "--node", paid.net.grpc_url]
    result = CliRunner().invoke(main, ["q", "incentives", *args, *endpoints])
    return result.exit_code, result.output


def payment_records(paid: PaidLocalnet) -> list[dict[str, str]]:
    args = ["q", "incentives", "payments", "-o", "json", "--node", paid.net.grpc_url]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    records: list[dict[str, str]] = json.loads(result.output)["payments"]
    return records


def test_the_export_is_every_payment_with_its_claim_tx(paid: PaidLocalnet) -> None:
    code, out = run(paid, "ledger", "--format", "json")
    assert code == 0, out
    ledger = json.loads(out)
    records = payment_records(paid)
    assert len(ledger) == len(records) == 5
    for row, record in zip(ledger, records, strict=True):
        assert row["payment_id"] == int(record["id"])
        assert row["pool"] == int(record["pool_id"])
        assert row["epoch"] == int(record["epoch"])
        assert row["provider"] == record["provider"]
        assert row["amount"] == record["amount"]
        assert row["height"] == int(record["height"])
        assert row["denom"] == "uakt"
    claims = {claim.txhash: claim for claim in paid.claims}
    assert {row["txhash"] for row in ledger} == set(claims)
    for row in ledger:
        claim = claims[row["txhash"]]
        assert claim.height == row["height"]
        assert claim.events_of("transfer")
    assert {row["provider"] for row in ledger} == {
        paid.address(PROVIDER_1),
        paid.address(PROVIDER_2),
    }
    total = sum(int(row["amount"]) for row in ledger)
    assert total == 3 * EMISSION // 2 + 2 * EMISSION  # the pools' paid amounts

    code, out = run(paid, "ledger")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "payment_id", "pool", "epoch", "provider", "amount", "denom", "height", "time", "txhash"
    ]  # fmt: skip
    assert [(int(r["payment_id"]), r["txhash"], r["time"]) for r in rows] == [
        (r["payment_id"], r["txhash"], r["time"]) for r in ledger
    ]

    beta = paid.pool_ids[1]
    code, out = run(paid, "ledger", "--pool", str(beta), "--format", "json")
    assert code == 0, out
    assert [row["payment_id"] for row in json.loads(out)] == [
        row["payment_id"] for row in ledger if row["pool"] == beta
    ]
    code, out = run(paid, "ledger", "--pool", "99")
    assert code == 1
    assert "not found" in out


def test_every_tx_search_page_is_read(paid: PaidLocalnet) -> None:
    rpc = RpcClient(paid.rpc_url)
    with Client(paid.net.grpc_url) as client:
        module = module_address(client)
        whole, transfers = ledger_from_events(rpc, "uakt", module)
        paged, _ = ledger_from_events(rpc, "uakt", module, per_page=1)
        records = ledger_from_records(client, "uakt", per_page=2)
    assert paged == whole
    assert len(whole) == 5
    assert [replace(entry, txhash="") for entry in whole] == records
    assert len(transfers) == 3
    assert all(t.claimed == t.transferred > 0 for t in transfers)


def test_verify_passes_and_a_file_round_trips(paid: PaidLocalnet, tmp_path: Path) -> None:
    code, out = run(paid, "ledger-verify")
    assert code == 0, out
    assert out.splitlines()[-1] == "ledger verified: no mismatch"
    assert "chain events:   5 payments, 3500000000uakt" in out
    code, out = run(paid, "ledger-verify", "--pool", str(paid.pool_ids[0]), "-o", "json")
    assert code == 0, out
    report = json.loads(out)
    assert report["ok"] is True
    assert report["payments"] == 3
    assert report["total"] == report["pools_paid"][str(paid.pool_ids[0])] == "1500000000"

    for name in ("ledger.csv", "ledger.json"):
        path = tmp_path / name
        code, out = run(paid, "ledger", "-o", str(path), "--format", name.split(".")[1])
        assert code == 0, out
        assert out.strip() == f"wrote 5 payments (3500000000uakt) to {path}"
        code, out = run(paid, "ledger-verify", "--against", str(path))
        assert code == 0, out
        assert "ledger verified: no mismatch" in out


def test_verify_reports_every_difference_of_a_tampered_file(
    paid: PaidLocalnet, tmp_path: Path
) -> None:
    published = tmp_path / "published.json"
    code, out = run(paid, "ledger", "--format", "json", "-o", str(published))
    assert code == 0, out
    entries = read_ledger(published)
    inflated = replace(entries[1], amount=entries[1].amount + 1)
    invented = replace(entries[0], payment_id=99)
    tampered = [entries[0], inflated, *entries[3:], invented]  # payment 3 dropped
    write_ledger(tampered, published)

    code, out = run(paid, "ledger-verify", "--against", str(published))
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("MISMATCH")]
    assert lines == [
        f"MISMATCH different: payment 2 amount: {entries[1].amount} in the chain events, "
        f"{entries[1].amount + 1} in the {published}",
        f"MISMATCH missing: payment 3 (pool {entries[2].pool} epoch {entries[2].epoch} "
        f"{entries[2].provider} {entries[2].amount}uakt at height {entries[2].height}) is in the "
        f"chain events, not in the {published}",
        f"MISMATCH extra: payment 99 (pool {entries[0].pool} epoch {entries[0].epoch} "
        f"{entries[0].provider} {entries[0].amount}uakt at height {entries[0].height}) is in the "
        f"{published}, not in the chain events",
    ]
    assert "Error: 3 mismatch(es) in the ledger" in out
    assert "Traceback" not in out

    code, out = run(paid, "ledger-verify", "--against", str(published), "-o", "json")
    assert code == 1
    report = json.loads(out.splitlines()[0])
    assert report["ok"] is False
    assert [(m["kind"], m["key"]) for m in report["mismatches"]] == [
        ("different", "payment 2"),
        ("missing", "payment 3"),
        ("extra", "payment 99"),
    ]


def test_a_pilot_style_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text("id,pool,epoch,provider,amount,height,txhash\n1,2,3,akash1xyz,500,86,ab12\n")
    assert read_ledger(path) == [LedgerEntry(1, 2, 3, "akash1xyz", 500, "", 86, "", "AB12")]
    path.write_text('[{"id": 1, "pool": 2}]')
    with pytest.raises(Exception, match="payment 1 has no epoch"):
        read_ledger(path)


def test_verify_detects_module_records_that_disagree_with_the_chain() -> None:
    chain = start_paid_localnet()
    try:
        net = chain.net
        with net.node.lock:
            ctx = net.app.query_context()
            payment = keys.PAYMENTS.get(ctx, 4)
            assert payment is not None
            keys.PAYMENTS.set(ctx, 4, replace(payment, amount=payment.amount + Int(7)))
            keys.PAYMENTS.remove(ctx, 5)
            ctx.store.write()  # type: ignore[attr-defined]
        code, out = run(chain, "ledger-verify")
    finally:
        chain.stop()
    assert code == 1
    mismatches = [line for line in out.splitlines() if line.startswith("MISMATCH")]
    assert mismatches[0] == (
        f"MISMATCH different: payment 4 amount: {EMISSION // 2 + 7} in the module records, "
        f"{EMISSION // 2} in the chain events"
    )
    assert mismatches[1].startswith("MISMATCH extra: payment 5 (")
    assert mismatches[1].endswith("is in the chain events, not in the module records")
    alpha, beta = chain.pool_ids[:2]
    assert mismatches[2:] == [
        f"MISMATCH pool-total: pool {alpha} paid {3 * EMISSION // 2}, but its recorded payments "
        f"sum to {3 * EMISSION // 2 + 7}",
        f"MISMATCH pool-total: pool {beta} paid {2 * EMISSION}, but its recorded payments sum "
        f"to {EMISSION}",
    ]


def test_an_unreachable_endpoint_is_a_clear_error(paid: PaidLocalnet) -> None:
    for command in ("ledger", "ledger-verify"):
        result = CliRunner().invoke(
            main,
            [
                "q",
                "incentives",
                command,
                "--rpc",
                "http://127.0.0.1:1",
                "--node",
                paid.net.grpc_url,
            ],
        )
        assert result.exit_code == 1
        assert "cannot reach the RPC endpoint at http://127.0.0.1:1" in result.output
        assert "Traceback" not in result.output
        result = CliRunner().invoke(
            main,
            [
                "q",
                "incentives",
                command,
                "--rpc",
                paid.rpc_url,
                "--node",
                "grpc+http://127.0.0.1:1",
            ],
        )
        assert result.exit_code == 1
        assert "cannot reach the node" in result.output
    for rpc, message in (
        ("tcp://127.0.0.1:1", "cannot reach the RPC endpoint at http://127.0.0.1:1"),
        ("127.0.0.1:26657", "invalid RPC address '127.0.0.1:26657'"),
    ):
        result = CliRunner().invoke(
            main, ["q", "incentives", "ledger", "--rpc", rpc, "--node", paid.net.grpc_url]
        )
        assert result.exit_code == 1
        assert message in result.output


def test_the_installed_command_as_a_user_types_it(paid: PaidLocalnet, tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "incentivesd"
    out = tmp_path / "ledger.csv"
    node = paid.net.grpc_url
    endpoints = ["--rpc", paid.rpc_url, "--node", node]
    done = subprocess.run(
        [str(script), "q", "incentives", "ledger", "--format", "csv", "-o", str(out), *endpoints],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(read_ledger(out)) == 5
    done = subprocess.run(
        [str(script), "q", "incentives", "ledger-verify", "--against", str(out), *endpoints],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ledger verified: no mismatch" in done.stdout
