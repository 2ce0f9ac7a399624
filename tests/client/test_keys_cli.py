"""``incentivesd keys``: add, recover, list and show in a temporary home (test backend)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from click.testing import CliRunner

from chain.devnet import DEV_MNEMONIC, dev_accounts
from incentivesd.cli import main

DEV0 = "akash15yk64u7zc9g9k2yr2wmzeva5qgwxps6ytfzgqy"


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.output


def test_keys_round_trip(tmp_path: Path) -> None:
    home = str(tmp_path)
    code, out = run("keys", "add", "dev", "--recover", "--home", home, stdin=DEV_MNEMONIC + "\n")
    assert code == 0, out
    assert f"address: {DEV0}" in out
    code, out = run(
        "keys", "add", "dev3", "--recover", "--index", "3", "--home", home, "-o", "json",
        stdin=DEV_MNEMONIC + "\n",
    )  # fmt: skip
    assert code == 0, out
    assert json.loads(out)["address"] == dev_accounts(4)[3].address
    assert json.loads(out)["hd_path"] == "m/44'/118'/0'/0/3"
    code, out = run("keys", "add", "fresh", "--home", home, "-o", "json")
    assert code == 0, out
    fresh = json.loads(out)
    assert len(fresh["mnemonic"].split()) == 24

    path = tmp_path / "keyring-test" / "dev.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["mnemonic"] == DEV_MNEMONIC

    assert run("keys", "show", "dev", "-a", "--home", home) == (0, DEV0 + "\n")
    code, out = run("keys", "list", "--home", home, "-o", "json")
    assert code == 0
    assert [(key["name"], key["address"]) for key in json.loads(out)] == [
        ("dev", DEV0),
        ("dev3", dev_accounts(4)[3].address),
        ("fresh", fresh["address"]),
    ]
    assert all("mnemonic" not in key for key in json.loads(out))


def test_keys_failures(tmp_path: Path) -> None:
    home = str(tmp_path)
    assert run("keys", "add", "dev", "--recover", "--home", home, stdin=DEV_MNEMONIC)[0] == 0
    code, out = run("keys", "add", "dev", "--recover", "--home", home, stdin=DEV_MNEMONIC)
    assert code == 1
    assert "already exists" in out
    code, out = run("keys", "show", "nobody", "--home", home)
    assert code == 1
    assert "not found" in out
    code, out = run("keys", "add", "bad", "--recover", "--home", home, stdin="not a mnemonic\n")
    assert code == 1
    assert "invalid mnemonic" in out
    code, _ = run("keys", "list", "--keyring-backend", "os", "--home", home)
    assert code == 2
