"""``incentivesd pilot``: the pilot runs through signed txs on a localnet and its ledger adds up."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from incentivesd.cli import main


def test_pilot_writes_a_balanced_ledger_and_closes_every_pool(tmp_path: Path) -> None:
    out = tmp_path / "pilot"
    result = CliRunner().invoke(main, ["pilot", "--epochs", "3", "--out", str(out), "-o", "json"])
    assert result.exit_code == 0, result.output
    for name in ("proposal.json", "ledger.csv", "ledger.json", "summary.json"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary == json.loads(result.output)
    assert summary["invariants_broken"] == []
    pools = summary["pools"]
    assert [pool["status"] for pool in pools] == ["CLOSED", "CLOSED", "CLOSED"]
    paid = sum(pool["paid_uakt"] for pool in pools)
    assert paid > 0
    for pool in pools:
        assert pool["paid_uakt"] + pool["returned_uakt"] == pool["funded_uakt"]
    ledger = json.loads((out / "ledger.json").read_text())
    assert sum(row["amount"] for row in ledger) == paid == summary["ledger_total_uakt"]
    assert all(len(row["txhash"]) == 64 for row in ledger)
    with (out / "ledger.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sum(int(row["amount"]) for row in rows) == paid
    assert sum(row["paid_uakt"] for row in summary["providers"]) == paid
    proposal = json.loads((out / "proposal.json").read_text())
    assert proposal["deposit"] == "10000000uakt"
    assert proposal["expedited"] is False
    assert [message["@type"].rsplit(".", 1)[-1] for message in proposal["messages"]] == [
        "MsgCreatePool",
        "MsgCreatePool",
        "MsgCreatePool",
        "MsgFundPoolFromCommunityPool",
        "MsgFundPoolFromCommunityPool",
        "MsgFundPoolFromCommunityPool",
    ]
    # The proposal is the budget spec's, rescaled to 3 epochs: $5,379.84, $3,750 and $2,625 at
    # $2.50/AKT; the pools were funded with exactly the file's amounts.
    funds = [int(message["amount"][0]["amount"]) for message in proposal["messages"][3:]]
    assert funds == [2_151_936_000, 1_500_000_000, 1_050_000_000]
    assert [pool["funded_uakt"] for pool in pools] == funds
    assert proposal["title"] == "AEP-26-style provider incentives pilot (localnet)"
    assert "None: every stated number matches the computed one." in (
        (out / "proposal.md").read_text()
    )


def test_pilot_refuses_a_malformed_budget_before_starting(tmp_path: Path) -> None:
    budget = tmp_path / "budget.yaml"
    budget.write_text("title: pilot\npools: []\n")
    result = CliRunner().invoke(main, ["pilot", "--budget", str(budget), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "pools: List should have at least 1 item" in result.output
    assert not (tmp_path / "summary.json").exists()


def test_pilot_text_output_summarizes_the_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["pilot", "--epochs", "1", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "CLOSED" in result.output
    assert "wall time:" in result.output
