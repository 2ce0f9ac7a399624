"""Whatever a budget file holds, the parser returns a budget or a clean ``SpecError``; and any
budget it accepts goes through the checks, the drafter and the summary without an exception."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from incentivesd.budget.checks import run_checks
from incentivesd.budget.draft import draft, summary_markdown
from incentivesd.budget.messages import document_text, parse_messages
from incentivesd.budget.spec import Budget, SpecError, load_spec, parse_spec, spec_from_data
from tests.budget.specs import PROVIDER, pilot_data

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["next", "1d", "h100", "FIXED_RATE", "NVIDIA", "10uakt", PROVIDER, "0.65"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _paths(item, (*prefix, index))
    return paths


PATHS = _paths(pilot_data())


class _Dumper(yaml.SafeDumper):
    """Writes ``Decimal`` as a YAML float, as a proposer would type it."""


_Dumper.add_representer(
    Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value))
)


def _accepts_or_refuses_cleanly(parse: Any) -> Budget | None:
    issues: list[str] = []
    try:
        return parse()  # type: ignore[no-any-return]
    except SpecError as error:
        issues = error.issues
    assert issues
    assert all(isinstance(issue, str) and issue for issue in issues)
    return None


def _exercise(budget: Budget) -> None:
    for target in ("pools", "administrator"):
        run_checks(budget, target=target)  # type: ignore[arg-type]
    result = draft(budget, start_epoch=3, first_pool_id=1)
    assert parse_messages(result.document) == result.messages
    document_text(result.document)
    summary_markdown(result)
    summary_markdown(draft(budget, "administrator", recipient=PROVIDER))


@settings(max_examples=150)
@given(st.text(max_size=300))
def test_any_text_is_a_budget_or_a_clean_error(text: str) -> None:
    _accepts_or_refuses_cleanly(lambda: parse_spec(text))


@settings(max_examples=60)
@given(st.binary(max_size=200))
def test_any_bytes_in_a_file_are_a_budget_or_a_clean_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "budget.yaml"
        path.write_bytes(data)
        _accepts_or_refuses_cleanly(lambda: load_spec(path))


@settings(max_examples=100)
@given(VALUES)
def test_any_yaml_document_is_a_budget_or_a_clean_error(value: Any) -> None:
    text = yaml.dump(value, Dumper=_Dumper, default_flow_style=True)
    _accepts_or_refuses_cleanly(lambda: parse_spec(text))


@settings(max_examples=250)
@given(st.sampled_from(PATHS), VALUES, st.booleans())
def test_a_budget_with_one_field_changed_is_refused_cleanly_or_drafts(
    path: tuple[Any, ...], value: Any, delete: bool
) -> None:
    data = pilot_data()
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    budget = _accepts_or_refuses_cleanly(lambda: spec_from_data(data))
    if budget is not None:
        _exercise(budget)
