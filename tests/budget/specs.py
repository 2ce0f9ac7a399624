"""The example budgets of ``localnet/budgets`` and ways to vary them in tests."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from incentivesd.budget.spec import Budget, read_yaml, spec_from_data

BUDGETS = Path(__file__).resolve().parents[2] / "localnet" / "budgets"
PILOT = BUDGETS / "aep26-pilot.yaml"
AS_PROPOSED = BUDGETS / "aep26-as-proposed.yaml"
ATTESTER = "akash1lh6cxaa5hl0wv73jjct2mk7x2z6rq7deagy78u"
PROVIDER = "akash1erxf3sa9q2j4vgseu7jq4a258ckmk7cyz9hv7c"


@functools.cache
def _pilot_document() -> dict[str, Any]:
    document = read_yaml(PILOT.read_text(), str(PILOT))
    assert isinstance(document, dict)
    return document


def pilot_data() -> dict[str, Any]:
    """The clean example as a document (floats as ``Decimal``), a fresh copy each call."""
    return copy.deepcopy(_pilot_document())


def varied(change: Callable[[dict[str, Any]], object]) -> Budget:
    """The clean example after ``change`` edits its document in place."""
    data = pilot_data()
    change(data)
    return spec_from_data(data, "varied")
