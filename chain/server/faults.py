"""Crash points: named places where a fault-injection test can make the node die mid-step.

``INCENTIVESD_CRASH_AT=NAME:N`` in a node process's environment makes the ``N``-th pass of the
point ``NAME`` in that process send it ``SIGKILL`` (no cleanup, no flush, no atexit: what
an OOM kill or a power cut leaves). Without the variable, ``crash_point`` costs one global
lookup. The core's points are its probes (``chain.sdk.probes``), observed once this module is
imported with the variable set; the database's are ``crash_point`` calls. The names (see
``CRASH_POINTS``) mark the boundaries a crash can fall on: admission,
block execution, the database transaction of a commit, a gov proposal's execution, an epoch hook.

Fails when: the variable is set but malformed (not ``NAME:N`` with a known name and ``N >= 1``):
``ValueError`` at import, so a mistyped fault never passes silently as "no crash".
"""

from __future__ import annotations

import os
import signal

from chain.sdk.probes import observe

ENV_VAR = "INCENTIVESD_CRASH_AT"
CRASH_POINTS = (
    "check_tx",  # a tx passed the ante handler, before it is admitted to the mempool
    "finalize_block.begin",  # a block is about to run
    "finalize_block.tx",  # a tx of the block has run, the block has not finished
    "finalize_block.end",  # the block has run, nothing is committed
    "commit.before_db",  # committed in memory, the database transaction not begun
    "commit.before_sql_commit",  # the block is written in the transaction, before COMMIT
    "commit.after_sql_commit",  # the block is durable, the node has not recorded it
    "gov.execute",  # a passed proposal's message ran, its branch not yet written
    "epochs.hook",  # an epoch hook ran, its branch not yet written
)


def _target(value: str | None) -> tuple[str, int] | None:
    if not value:
        return None
    name, _, count = value.rpartition(":")
    if name not in CRASH_POINTS or not count.isdigit() or int(count) < 1:
        raise ValueError(
            f"{ENV_VAR}={value!r}: expected NAME:N with N >= 1 and NAME one of "
            + ", ".join(CRASH_POINTS)
        )
    return name, int(count)


_TARGET = _target(os.environ.get(ENV_VAR))
_hits = 0


def crash_point(name: str) -> None:
    """Die by ``SIGKILL`` here if this is the armed point's ``N``-th hit (see the module)."""
    if _TARGET is None:
        return
    _hit(name)


def _hit(name: str) -> None:
    global _hits
    assert _TARGET is not None
    if name != _TARGET[0]:
        return
    _hits += 1
    if _hits == _TARGET[1]:
        os.kill(os.getpid(), signal.SIGKILL)


if _TARGET is not None:
    observe(_hit)
