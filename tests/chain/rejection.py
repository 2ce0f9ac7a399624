"""The assertion every "fails when" test of the chain modules makes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chain.sdk.context import Context
from chain.sdk.errors import RegisteredError, SdkError
from chain.sdk.kv import store_hash


def rejects(
    ctx: Context, kind: RegisteredError, log: str | None, run: Callable[[], object]
) -> None:
    """``run`` fails with ``kind`` (and exactly ``log`` when given), leaving the store and the
    events of ``ctx`` unchanged."""
    before = store_hash(ctx.store)
    events = list(ctx.events)
    with pytest.raises(SdkError) as raised:
        run()
    assert raised.value.is_(kind), raised.value.log
    if log is not None:
        assert raised.value.log == log
    assert store_hash(ctx.store) == before
    assert ctx.events == events
