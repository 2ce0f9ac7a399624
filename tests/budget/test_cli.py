"""``incentivesd budget check|draft`` as a user types them: exit codes, clear errors without a
traceback, the JSON report and the written files."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from incentivesd.cli import main
from tests.budget.specs import AS_PROPOSED, PILOT

ROOT = Path(__file__).resolve().parents[2]
INCENTIVESD = Path(sys.executable).parent / "incentivesd"
GOLDEN = Path(__file__).parent / "golden" / "aep26-pilot.proposal.json"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(INCENTIVESD), "budget", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_a_malformed_budget_is_a_clear_error_naming_each_field(tmp_path: Path) -> None:
    path = tmp_path / "budget.yaml"
    path.write_text(
        PILOT.read_text()
        .replace("total_usd: 470193.60", "total_usd: lots")
        .replace("quantity: 16, hours: 2880, total_usd: 77875.20", "quantity: -3, hours: 2880")
    )
    result = _run("check", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {path}: invalid budget spec\n")
    assert "  total_usd: expected a decimal number such as 2.49, got 'lots'" in result.stderr
    assert "  pools[0].line_items[1].quantity: Input should be greater than or equal to 1" in (
        result.stderr
    )
    assert result.stdout == ""


def test_an_unreachable_node_is_a_clear_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _run("check", str(PILOT), "--node", f"grpc+http://127.0.0.1:{port}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Error: cannot reach the node at grpc+http://127.0.0.1:{port}" in result.stderr


def test_check_reports_the_as_proposed_findings_as_json_and_fails() -> None:
    result = CliRunner().invoke(main, ["budget", "check", str(AS_PROPOSED), "-o", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert (report["errors"], report["warnings"]) == (6, 2)
    assert report["spend_uakt"] == 2_000_000_000_000
    assert report["findings"][0] == {
        "severity": "error",
        "code": "line-total",
        "path": "pools[0].line_items[0].total_usd",
        "message": report["findings"][0]["message"],
        "stated": "$1,800,000.00",
        "computed": "$595,209.60",
        "difference": "+$1,204,790.40",
        "relative_percent": "+202.41",
    }


def test_draft_writes_the_proposal_file_and_the_summary(tmp_path: Path) -> None:
    out, summary = tmp_path / "proposal.json", tmp_path / "proposal.md"
    result = CliRunner().invoke(
        main, ["budget", "draft", str(PILOT), "-o", str(out), "--summary-md", str(summary)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text() == GOLDEN.read_text()
    assert "## Line items" in summary.read_text()
    assert result.output.startswith(f"wrote {out}: 6 message(s), 188077440000uakt")


def test_check_text_output_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(main, ["budget", "check", str(PILOT)])
    assert clean.exit_code == 0
    assert "0 error(s), 0 warning(s)" in clean.output
    warned = tmp_path / "warned.yaml"
    warned.write_text(
        PILOT.read_text().replace(
            "allocation_percent: 45.77\n",
            "min_commitment_epochs: 365\n    allocation_percent: 45.77\n",
        )
    )
    warnings = runner.invoke(main, ["budget", "check", str(warned)])
    assert warnings.exit_code == 0, warnings.output
    assert "0 error(s), 1 warning(s)" in warnings.output
    assert "warning  pools[0].min_commitment_epochs  [commitment]" in warnings.output
    failed = runner.invoke(main, ["budget", "check", str(AS_PROPOSED), "--target", "administrator"])
    assert failed.exit_code == 1
    assert "6 error(s), 1 warning(s)" in failed.output


def test_draft_refuses_a_budget_with_errors_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "proposal.json"
    args = ["budget", "draft", str(AS_PROPOSED), "-o", str(out), "--start-epoch", "2"]
    refused = CliRunner().invoke(main, [*args, "--first-pool-id", "1"])
    assert refused.exit_code == 1
    assert "not written: the budget has errors" in refused.output
    assert not out.exists()
    forced = CliRunner().invoke(main, [*args, "--first-pool-id", "1", "--force"])
    assert forced.exit_code == 0, forced.output
    assert len(json.loads(out.read_text())["messages"]) == 6
    unknown = CliRunner().invoke(main, ["budget", "draft", str(AS_PROPOSED), "-o", str(out)])
    assert unknown.exit_code == 1
    assert "schedule.start_epoch is 'next'" in unknown.output


def test_a_missing_or_binary_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["budget", "check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1
    assert "cannot read the file" in missing.output
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = CliRunner().invoke(main, ["budget", "check", str(binary)])
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.output
