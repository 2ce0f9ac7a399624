"""Probes: named points of the state machine that a shell may observe.

Owns ``probe(name)``, which the core calls at the boundaries a crash can fall on (a tx admitted
at CheckTx, each tx and both ends of a block, a passed proposal's message executed, an epoch
hook run), and ``observe(observer)``, which installs the one observer (``None``: none). Without an
observer a probe costs one global lookup. The core never learns what an observer does: the
node's fault injection (``chain/server/faults.py``) kills the process at an armed probe.

Fails when: never by itself; an observer's exceptions propagate to the probe's caller.
"""

from __future__ import annotations

from collections.abc import Callable

_observer: Callable[[str], None] | None = None


def probe(name: str) -> None:
    """Tell the observer, if any, that execution reached the point ``name``."""
    if _observer is not None:
        _observer(name)


def observe(observer: Callable[[str], None] | None) -> None:
    """Install ``observer`` (replacing any other), or remove it with ``None``."""
    global _observer
    _observer = observer
