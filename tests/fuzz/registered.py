"""What every fuzz test asserts of a rejection: it is a registered error, and nothing else, and a
guard that turns a hang into a failure."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from chain.sdk.errors import SdkError, lookup

HANG_SECONDS = 10


def assert_registered(codespace: str, code: int) -> None:
    """(codespace, code) is a registered error kind, not an internal one."""
    assert code != 0
    assert lookup(codespace, code) is not None, f"unregistered error {codespace}/{code}"


def assert_registered_error(error: SdkError) -> None:
    assert_registered(error.codespace, error.code)
    assert lookup(error.codespace, error.code) == error.kind


class HangError(Exception):
    """Raised in the main thread when a guarded call runs past ``HANG_SECONDS``."""


def _raise_hang(signum: int, frame: FrameType | None) -> None:
    raise HangError(f"no answer within {HANG_SECONDS} s")


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail (``HangError``) if the block runs longer than ``seconds``: far above what any single
    input takes (milliseconds), so it only fires on a loop that does not end."""
    previous = signal.signal(signal.SIGALRM, _raise_hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
