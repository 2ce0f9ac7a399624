"""``INCENTIVESD_CRASH_AT=NAME:N``: the N-th pass of crash point NAME kills the process with
SIGKILL, other points and earlier passes do nothing, and a malformed value fails at import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from chain.server.faults import CRASH_POINTS, ENV_VAR, crash_point
from tests.faults.node_process import ROOT

PASSES = """
from chain.server.faults import crash_point
for index in range(6):
    crash_point("commit.before_db")
    print(index, flush=True)
    crash_point("check_tx")
"""


def run(value: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV_VAR: value, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", PASSES], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_nth_pass_of_the_named_point_kills_the_process() -> None:
    killed = run("check_tx:3")
    assert killed.returncode == -signal.SIGKILL
    assert killed.stdout.split() == ["0", "1", "2"]  # the 3rd pass comes after the 3rd print
    first = run("commit.before_db:1")
    assert first.returncode == -signal.SIGKILL
    assert first.stdout == ""


def test_a_point_passed_fewer_times_than_n_never_fires() -> None:
    survived = run("check_tx:7")
    assert survived.returncode == 0
    assert survived.stdout.split() == [str(index) for index in range(6)]


@pytest.mark.parametrize("value", ["check_tx", "check_tx:0", "nowhere:1", "check_tx:x"])
def test_a_malformed_value_fails_at_import(value: str) -> None:
    failed = run(value)
    assert failed.returncode == 1
    assert f"{ENV_VAR}={value!r}: expected NAME:N" in failed.stderr


def test_without_the_variable_every_point_is_a_no_op() -> None:
    assert ENV_VAR not in os.environ
    for name in CRASH_POINTS:
        crash_point(name)
