"""Fixtures of the client tests: ``paid``, a localnet with paid incentive claims (one per test
module, started by the test itself on free loopback ports)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.paid_localnet import PaidLocalnet, start_paid_localnet


@pytest.fixture(scope="module")
def paid() -> Iterator[PaidLocalnet]:
    chain = start_paid_localnet()
    try:
        yield chain
    finally:
        chain.stop()
