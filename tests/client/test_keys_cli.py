"""``incentivesd keys``: add, recover, list, show and delete in a temporary home, with the test
backend and the encrypted file backend (passphrase prompted or from the environment)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from chain.devnet import DEV_MNEMONIC, dev_accounts
from incentivesd.cli import main

DEV0 = "akash15yk64u7zc9g9k2yr2wmzeva5qgwxps6ytfzgqy"


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin, env=env)
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


def test_file_backend_prompts_for_a_confirmed_passphrase(tmp_path: Path) -> None:
    home = ("--home", str(tmp_path), "--keyring-backend", "file")
    code, out = run(
        "keys", "add", "dev", "--recover", *home,
        stdin=f"{DEV_MNEMONIC}\nsecret-passphrase\nsecret-passphrase\n",
    )  # fmt: skip
    assert code == 0, out
    assert f"address: {DEV0}" in out
    assert "Enter a passphrase to encrypt the key" in out
    assert "junk" not in (tmp_path / "keyring-file" / "dev.json").read_text()
    assert run("keys", "show", "dev", "-a", *home) == (0, DEV0 + "\n")
    assert run("keys", "show", DEV0, "-a", *home) == (0, DEV0 + "\n")
    code, out = run("keys", "list", *home, "-o", "json")
    assert [key["address"] for key in json.loads(out)] == [DEV0]
    # The test keyring is another directory.
    assert run("keys", "list", "--home", str(tmp_path), "-o", "json") == (0, "[]\n")

    code, out = run(
        "keys", "add", "other", "--recover", *home,
        stdin=f"{DEV_MNEMONIC}\nsecret-passphrase\nanother-passphrase\n",
    )  # fmt: skip
    assert code == 1
    assert "The two entered values do not match" in out
    assert not (tmp_path / "keyring-file" / "other.json").exists()
    code, out = run("keys", "add", "short", *home, stdin="short\nshort\n")
    assert code == 1
    assert "at least 8 characters" in out


def test_file_backend_passphrase_from_the_environment_in_a_shell(tmp_path: Path) -> None:
    entry_point = Path(sys.executable).with_name("incentivesd")
    env = {**os.environ, "INCENTIVESD_KEYRING_PASSPHRASE": "from-the-environment"}
    done = subprocess.run(
        [str(entry_point), "keys", "add", "dev", "--recover", "--keyring-backend", "file",
         "--home", str(tmp_path), "-o", "json"],
        input=DEV_MNEMONIC + "\n", capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["address"] == DEV0
    record = json.loads((tmp_path / "keyring-file" / "dev.json").read_text())
    assert record["version"] == 1
    assert "mnemonic" not in record


def test_delete_asks_unless_yes(tmp_path: Path) -> None:
    home = ("--home", str(tmp_path))
    assert run("keys", "add", "dev", "--recover", *home, stdin=DEV_MNEMONIC)[0] == 0
    code, out = run("keys", "delete", "dev", *home, stdin="n\n")
    assert code == 1
    assert "Delete key 'dev'?" in out
    assert (tmp_path / "keyring-test" / "dev.json").exists()
    code, out = run("keys", "delete", "dev", "-y", *home)
    assert code == 0
    assert "Key dev deleted" in out
    assert not (tmp_path / "keyring-test" / "dev.json").exists()
    code, out = run("keys", "delete", "dev", "-y", *home)
    assert code == 1
    assert "dev: key not found" in out
