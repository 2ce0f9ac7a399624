"""``App.invariants`` does not run again a module invariant that held and whose reads no write
has touched since: its verdicts are those of running every invariant, after any write."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from chain.app import App
from chain.sdk.context import Context
from chain.sdk.kv import MemKV
from incentivesd.simulation.draw import Simulation
from incentivesd.simulation.genesis import CHAIN_ID


def _simulated_app(blocks: int = 25) -> App:
    return Simulation(7, 10).run(blocks).app


def _outcome(check: Callable[[], list[str]]) -> Any:
    try:
        return check()
    except Exception as error:  # a corrupted store may make a check raise: compare that too
        return (type(error).__name__, str(error))


def _full(app: App) -> Any:
    """The verdicts of running every invariant, on an app that has never checked before."""
    fresh = App(chain_id=CHAIN_ID)
    fresh.restore(app.store, app.last_height, app.last_time_ns, app.app_hash)
    return _outcome(fresh.invariants)


def test_verdicts_after_any_write_are_those_of_a_full_check() -> None:
    app = _simulated_app()
    assert app.invariants() == []
    store = app.store
    rng = random.Random(3)
    pairs = store.items()
    for key, value in rng.sample(pairs, 60):
        other = rng.choice(pairs)[1]
        for corrupt in (lambda k=key: store.delete(k), lambda k=key, v=other: store.set(k, v)):
            corrupt()
            assert _outcome(app.invariants) == _full(app), key
            store.set(key, value)
            assert _outcome(app.invariants) == _full(app) == [], key


class _FakeModule:
    name = "fake"

    def __init__(self, checks: list[tuple[str, Callable[[Context], str | None]]]) -> None:
        self.checks = checks

    def invariants(self) -> list[tuple[str, Callable[[Context], str | None]]]:
        return self.checks


def _with_checks(app: App, checks: list[tuple[str, Callable[[Context], str | None]]]) -> None:
    app.modules = (*app.modules, _FakeModule(checks))  # type: ignore[arg-type]


def test_a_check_runs_again_only_when_what_it_read_was_written() -> None:
    app = _simulated_app(3)
    calls = {"key": 0, "range": 0, "height": 0, "time": 0}

    def reads_key(ctx: Context) -> str | None:
        calls["key"] += 1
        return None if ctx.store.get(b"fake/k") != b"bad" else "bad key"

    def reads_range(ctx: Context) -> str | None:
        calls["range"] += 1
        found = list(ctx.store.iterate(b"fake/r", b"fake/s"))
        return None if found != [(b"fake/r1", b"x")] else "x"

    def reads_height(ctx: Context) -> str | None:
        calls["height"] += 1
        return None if ctx.height > 0 else "height"

    def reads_time(ctx: Context) -> str | None:
        calls["time"] += 1
        return None if ctx.block_time > 0 else "time"

    checks = [("f/key", reads_key), ("f/range", reads_range)]
    _with_checks(app, [*checks, ("f/h", reads_height), ("f/t", reads_time)])
    assert app.invariants() == []
    assert app.invariants() == []
    assert calls == {"key": 1, "range": 1, "height": 2, "time": 2}
    app.store.set(b"fake/other", b"v")  # read by neither
    app.store.set(b"fake/s", b"v")  # just past the range
    assert app.invariants() == []
    assert (calls["key"], calls["range"]) == (1, 1)
    app.store.set(b"fake/r1", b"x")
    assert app.invariants() == ["f/range: x"]
    assert (calls["key"], calls["range"]) == (1, 2)
    assert app.invariants() == ["f/range: x"]  # a broken check is not held: it runs each time
    assert calls["range"] == 3
    app.store.delete(b"fake/r1")
    app.store.set(b"fake/k", b"bad")
    assert app.invariants() == ["f/key: bad key"]
    assert (calls["key"], calls["range"]) == (2, 4)
    app.store.set(b"fake/k", b"good")
    assert app.invariants() == []
    assert app.invariants() == []
    assert (calls["key"], calls["range"]) == (3, 4)


def test_a_check_that_writes_or_a_new_store_is_run_again() -> None:
    app = _simulated_app(3)
    calls = {"writes": 0, "reads": 0}

    def writes(ctx: Context) -> str | None:
        calls["writes"] += 1
        ctx.store.set(b"fake/w", b"1")
        return None

    def reads(ctx: Context) -> str | None:
        calls["reads"] += 1
        return None if ctx.store.get(b"fake/w") == b"1" else "not seen"

    _with_checks(app, [("f/writes", writes), ("f/reads", reads)])
    assert app.invariants() == []
    assert app.invariants() == []
    assert calls == {"writes": 2, "reads": 2}
    assert app.store.get(b"fake/w") is None
    app.restore(MemKV(dict(app.store.items())), app.last_height, app.last_time_ns, app.app_hash)
    assert app.invariants() == []
    assert calls == {"writes": 3, "reads": 3}


def test_every_simulated_block_gives_the_verdicts_of_a_full_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checking = App.invariants
    checked: list[int] = []

    def compared(self: App) -> list[str]:
        verdicts = checking(self)
        fresh = App(chain_id=CHAIN_ID)
        fresh.restore(self.store, self.last_height, self.last_time_ns, self.app_hash)
        assert verdicts == checking(fresh)
        checked.append(self.last_height)
        return verdicts

    monkeypatch.setattr(App, "invariants", compared)
    runner = Simulation(11, 20).run(30)
    assert runner.report.violations == []
    assert len(checked) == 30
