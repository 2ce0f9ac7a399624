"""The budget spec: strict validation whose errors name the field, exact money, rescaling."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from incentivesd.budget.spec import SpecError, parse_spec, read_yaml, rescheduled, spec_from_data
from tests.budget.specs import ATTESTER, PILOT, pilot_data, varied


def _issues(data: dict[str, Any]) -> list[str]:
    with pytest.raises(SpecError) as caught:
        spec_from_data(data, "test")
    return caught.value.issues


def _set(path: str, value: object) -> dict[str, Any]:
    data = pilot_data()
    target: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if value is _DELETE:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


_DELETE = object()


def test_the_clean_example_parses_with_exact_money() -> None:
    budget = parse_spec(PILOT.read_text())
    committed = budget.pools[0]
    assert budget.total_usd == Decimal("470193.60")
    assert committed.line_items[0].price_per_hour_usd == Decimal("2.49")
    assert committed.line_items[0].computed_usd == Decimal("114739.20")
    assert budget.pool_uakt(committed) == 86_077_440_000
    assert budget.pools_uakt() == 188_077_440_000
    assert budget.deposit_coin == (10_000_000, "uakt")
    assert budget.schedule.epoch_length == 86_400


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("total_usd", "lots", "total_usd: expected a decimal number"),
        ("total_usd", True, "total_usd: expected a number, not a boolean"),
        ("total_usd", Decimal("-1"), "total_usd: must be positive"),
        ("akt_usd", Decimal("0"), "akt_usd: must be positive"),
        ("duration_days", "120", "duration_days: Input should be a valid integer"),
        ("schedule.epochs", 0, "schedule.epochs: Input should be greater than or equal to 1"),
        ("schedule.epoch_length", "1 fortnight", "schedule.epoch_length: expected seconds"),
        ("schedule.start_epoch", "soon", "schedule.start_epoch"),
        ("admin", "akash1notanaddress", "admin: 'akash1notanaddress' is not an akash1"),
        ("attesters.0", ATTESTER.upper(), "attesters[0]:"),
        ("deposit", "ten akt", "deposit: expected a coin such as 10000000uakt"),
        ("expedited", "no", "expedited: Input should be a valid boolean"),
        ("pools.0.rule", "FIXED", "pools[0].rule: Input should be 'FIXED_RATE'"),
        ("pools.0.kind", "Committed Pool", "pools[0].kind: String should match pattern"),
        (
            "pools.0.line_items.1.price_per_hour_usd",
            Decimal("1.6900001"),
            "pools[0].line_items[1].price_per_hour_usd: has more than 6 decimal places",
        ),
        ("pools.0.line_items.1.quantity", "54", "pools[0].line_items[1].quantity: Input should"),
        ("pools.0.line_items.2.hours", Decimal("2880.5"), "pools[0].line_items[2].hours"),
        ("pools.1.eligibility.vendors", ["INTEL"], "pools[1].eligibility.vendors[0]"),
        ("pools.2.availability.penalty_decay", Decimal(21), "pools[2].availability.penalty_decay"),
        ("pools.0.surprise", 1, "pools[0].surprise: Extra inputs are not permitted"),
        ("title", _DELETE, "title: Field required"),
        ("pools", [], "pools: List should have at least 1 item"),
    ],
)
def test_a_bad_field_is_named_by_its_path(path: str, value: object, expected: str) -> None:
    issues = _issues(_set(path, value))
    assert any(issue.startswith(expected) for issue in issues), issues


def test_cross_field_rules_are_named_by_their_path() -> None:
    data = pilot_data()
    data["pools"][1]["kind"] = "committed"
    data["pools"][0]["line_items"][2]["gpu_model"] = "h100"
    data["pools"][1]["min_commitment_epochs"] = 30
    data["pools"][1]["availability"] = {}
    data["pools"][2]["availability"] = {"weight_benchmark": 0, "weight_vram": 0, "weight_age": 0}
    data["pools"][2]["eligibility"]["gpu_models"] = ["h200", "h200"]
    data["attestation_quorum"] = 2
    data["pools"][2]["allocation_usd"] = None
    data["pools"][2]["allocation_percent"] = None
    assert _issues(data) == [
        "pools[1].kind: 'committed' is the kind of an earlier pool",
        "attestation_quorum: 2 exceeds the 1 attester(s)",
        "pools[0].line_items[2].gpu_model: 'h100' is rated twice",
        "pools[1].min_commitment_epochs: only a FIXED_RATE pool takes commitments",
        "pools[1].availability: only an AVAILABILITY pool takes these settings",
        "pools[2].allocation_usd: give allocation_usd, allocation_percent or both",
        "pools[2].availability: the three weights cannot all be zero",
        "pools[2].eligibility.gpu_models[1]: 'h200' is listed twice",
    ]


def test_a_fixed_rate_pool_needs_line_items() -> None:
    assert _issues(_set("pools.0.line_items", [])) == [
        "pools[0].line_items: a FIXED_RATE pool needs its rates as line items"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "(document): expected a mapping of fields, got empty"),
        ("- 1\n- 2\n", "(document): expected a mapping of fields, got a list"),
        ("title: [unclosed\n", "not valid YAML"),
        ("title: a\ntitle: b\n", "not valid YAML: key 'title' is given twice"),
        ("total_usd: .inf\n", "not valid YAML: '.inf' is not a finite decimal number"),
        ("[" * 600 + "]" * 600, "not valid YAML: nested too deeply"),
        ("pools: &p [{kind: *p}]\n", "not valid YAML: found unconstructable recursive node"),
        ("{[1]: 2}\n", "not valid YAML"),
    ],
)
def test_malformed_yaml_is_one_clear_issue(text: str, expected: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "bad.yaml")
    assert caught.value.issues[0].startswith(expected), caught.value.issues
    assert str(caught.value).startswith("bad.yaml: invalid budget spec")


def test_yaml_numbers_with_a_fraction_are_exact_decimals() -> None:
    document = read_yaml("price: 0.1\nbig: 1_000.5\n")
    assert document == {"price": Decimal("0.1"), "big": Decimal("1000.5")}
    budget = varied(lambda data: data.update(akt_usd=Decimal("0.1")))
    assert budget.uakt(Decimal("0.3")) == 3_000_000


def test_a_percentage_alone_allocates_its_share_of_the_total_to_the_cent() -> None:
    def change(data: dict[str, Any]) -> None:
        data["total_usd"] = Decimal("100.00")
        data["pools"][1]["allocation_usd"] = None
        data["pools"][1]["allocation_percent"] = Decimal("33.333")

    budget = varied(change)
    assert budget.pool_usd(budget.pools[1]) == Decimal("33.33")


def test_rescheduling_scales_the_term_and_every_amount_exactly() -> None:
    budget = parse_spec(PILOT.read_text())
    three = rescheduled(budget, start_epoch=7, epochs=3, first_pool_id=4)
    assert three.schedule.start_epoch == 7
    assert three.schedule.epochs == 3
    assert three.first_pool_id == 4
    assert three.duration_days == 3
    assert three.total_usd == Decimal("11754.84")
    assert [three.pool_usd(pool) for pool in three.pools] == [
        Decimal("5379.84"),
        Decimal("3750.00"),
        Decimal("2625.00"),
    ]
    item = three.pools[0].line_items[0]
    assert (item.hours, item.quantity, item.total_usd) == (72, 16, Decimal("2868.48"))
    assert item.computed_usd == item.total_usd
    assert [pool.allocation_percent for pool in three.pools] == [
        pool.allocation_percent for pool in budget.pools
    ]
    assert rescheduled(budget) == budget
