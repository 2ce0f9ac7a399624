"""``incentivesd sim score``: payouts from a nodes CSV, and clear errors on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from incentives.logic.availability import (
    AvailabilityNode,
    AvailabilityRule,
    PenaltyMode,
    allocate_availability,
)
from incentives.logic.fixed_point import SCALE
from incentivesd.cli import main

HEADER = "node_id,wallet,idle_fraction,ob_score,vram_gb,age_days"
ROWS = [
    "n1,w1,0.5,1200,24,100",
    "n2,w1,1,300.5,80,10",
    "n3,w1,0.75,2500,48,700",
    "n4,w1,0.1,900,12,3",
    "n5,w2,0.25,5000,8,1",
]


def write_csv(tmp_path: Path, lines: list[str], name: str = "nodes.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def score(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["sim", "score", "--rule", "availability", *args])
    return result.exit_code, result.stdout, result.stderr


def expected_nodes() -> list[AvailabilityNode]:
    return [
        AvailabilityNode("n1", "w1", SCALE // 2, 1200 * SCALE, 24 * SCALE, 100 * SCALE),
        AvailabilityNode("n2", "w1", SCALE, 3005 * SCALE // 10, 80 * SCALE, 10 * SCALE),
        AvailabilityNode("n3", "w1", 3 * SCALE // 4, 2500 * SCALE, 48 * SCALE, 700 * SCALE),
        AvailabilityNode("n4", "w1", SCALE // 10, 900 * SCALE, 12 * SCALE, 3 * SCALE),
        AvailabilityNode("n5", "w2", SCALE // 4, 5000 * SCALE, 8 * SCALE, 1 * SCALE),
    ]


@pytest.mark.parametrize(
    ("mode_option", "mode"),
    [
        ([], PenaltyMode.WALLET_COUNT),
        (["--penalty-mode", "wallet-count"], PenaltyMode.WALLET_COUNT),
        (["--penalty-mode", "node-rank"], PenaltyMode.NODE_RANK),
    ],
)
def test_json_payouts_match_the_module(
    tmp_path: Path, mode_option: list[str], mode: PenaltyMode
) -> None:
    nodes_csv = write_csv(tmp_path, [HEADER, *ROWS])
    code, out, err = score(
        "--budget", "1000000007", "--nodes", str(nodes_csv), "-o", "json", *mode_option
    )
    assert code == 0, err
    document = json.loads(out)
    split = allocate_availability(
        1_000_000_007, expected_nodes(), AvailabilityRule(penalty_mode=mode)
    )
    assert document == {
        "payouts": [
            {"node_id": n.node_id, "wallet": n.wallet, "amount": amount}
            for n, amount in zip(expected_nodes(), split.amounts, strict=True)
        ],
        "dust": split.dust,
    }
    assert sum(p["amount"] for p in document["payouts"]) + document["dust"] == 1_000_000_007


def test_budget_accepts_a_uakt_suffix(tmp_path: Path) -> None:
    nodes_csv = write_csv(tmp_path, [HEADER, *ROWS])
    plain = score("--budget", "1000000", "--nodes", str(nodes_csv), "-o", "json")
    suffixed = score("--budget", "1000000uakt", "--nodes", str(nodes_csv), "-o", "json")
    assert plain == suffixed
    assert plain[0] == 0


def test_text_output_is_an_aligned_table(tmp_path: Path) -> None:
    nodes_csv = write_csv(tmp_path, [HEADER, *ROWS])
    code, out, _ = score("--budget", "1000000", "--nodes", str(nodes_csv))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["node_id", "wallet", "amount_uakt"]
    assert [line.split()[0] for line in lines[1:]] == [
        "n1",
        "n2",
        "n3",
        "n4",
        "n5",
        "dust",
        "total",
    ]
    assert len({len(line) for line in lines}) == 1  # amounts right-aligned in one column
    amounts = [int(line.split()[-1]) for line in lines[1:]]
    assert sum(amounts[:-1]) == amounts[-1] == 1_000_000


def test_header_only_is_all_dust(tmp_path: Path) -> None:
    nodes_csv = write_csv(tmp_path, [HEADER])
    code, out, _ = score("--budget", "42", "--nodes", str(nodes_csv), "-o", "json")
    assert code == 0
    assert json.loads(out) == {"payouts": [], "dust": 42}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "nodes.csv line 1: empty file, expected the header " + HEADER),
        (
            ["node_id,wallet,idle_fraction,ob_score,age_days", "n1,w1,1,2,3"],
            "nodes.csv line 1: missing column(s) vram_gb; expected the header",
        ),
        (
            [HEADER.replace("ob_score", "score")],
            "nodes.csv line 1: missing column(s) ob_score;",
        ),
        ([HEADER, ROWS[0], "n2,w1,1,abc,80,10"], "nodes.csv line 3: ob_score: not a number: 'abc'"),
        ([HEADER, "n1,w1,1,100,-8,10"], "nodes.csv line 2: vram_gb: must be >= 0: '-8'"),
        (
            [HEADER, "n1,w1,1.5,100,8,10"],
            "nodes.csv line 2: idle_fraction: must be between 0 and 1",
        ),
        ([HEADER, "n1,w1,-0.5,100,8,10"], "nodes.csv line 2: idle_fraction: must be >= 0"),
        ([HEADER, "n1,w1,1,1e3,8,10"], "nodes.csv line 2: ob_score: not a number: '1e3'"),
        ([HEADER, "n1,w1,1,nan,8,10"], "nodes.csv line 2: ob_score: not a number: 'nan'"),
        ([HEADER, "n1,w1,1,,8,10"], "nodes.csv line 2: ob_score: not a number: ''"),
        (
            [HEADER, "n1,w1,0.1234567890123456789,1,8,10"],
            "nodes.csv line 2: idle_fraction: too many decimals (max 18)",
        ),
        ([HEADER, "n1,w1,1,100,8"], "nodes.csv line 2: expected 6 fields, got 5"),
        ([HEADER, ",w1,1,100,8,10"], "nodes.csv line 2: node_id: empty"),
        ([HEADER, "n1, ,1,100,8,10"], "nodes.csv line 2: wallet: empty"),
        (
            [HEADER, ROWS[0], ROWS[1], "n1,w9,1,100,8,10"],
            "nodes.csv line 4: node_id: duplicate of line 2: 'n1'",
        ),
    ],
)
def test_bad_input_names_the_line_and_exits_2(
    tmp_path: Path, lines: list[str], message: str
) -> None:
    path = tmp_path / "nodes.csv"
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    code, out, err = score("--budget", "100", "--nodes", str(path), "-o", "json")
    assert code == 2
    assert out == ""
    assert f"Error: {tmp_path / message}" in err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = score("--budget", "100", "--nodes", str(tmp_path / "absent.csv"))
    assert code == 2
    assert "absent.csv: cannot read" in err


@pytest.mark.parametrize("budget", ["-5", "1.5", "10akt", "uakt", ""])
def test_bad_budget_exits_2(tmp_path: Path, budget: str) -> None:
    nodes_csv = write_csv(tmp_path, [HEADER, *ROWS])
    code, _, err = score("--budget", budget, "--nodes", str(nodes_csv))
    assert code == 2
    assert "--budget" in err


def test_only_the_availability_rule_is_accepted(tmp_path: Path) -> None:
    nodes_csv = write_csv(tmp_path, [HEADER, *ROWS])
    result = CliRunner().invoke(
        main, ["sim", "score", "--rule", "pro-rata", "--budget", "1", "--nodes", str(nodes_csv)]
    )
    assert result.exit_code == 2
    assert "'availability'" in result.stderr


def test_installed_console_script(tmp_path: Path) -> None:
    """The ``incentivesd`` entry point of the editable install, as a user would run it."""
    script = Path(sys.executable).parent / "incentivesd"
    nodes_csv = write_csv(tmp_path, [HEADER, *ROWS])
    command = [str(script), "sim", "score", "--rule", "availability", "--nodes", str(nodes_csv)]
    done = subprocess.run(
        [*command, "--budget", "1000000uakt", "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert sum(p["amount"] for p in document["payouts"]) + document["dust"] == 1_000_000
    bad = write_csv(tmp_path, [HEADER, ROWS[0], "n2,w1,1,abc,80,10"], name="bad.csv")
    failed = subprocess.run(
        [
            str(script),
            "sim",
            "score",
            "--rule",
            "availability",
            "--nodes",
            str(bad),
            "--budget",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert failed.returncode == 2
    assert f"{bad} line 3: ob_score: not a number: 'abc'" in failed.stderr
