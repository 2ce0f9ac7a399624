"""The reviewer's checks: each finds its problem on a crafted spec, none on the clean example, and
the seed's arithmetic problems on the as-proposed example."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from incentives.types.params import DEFAULT_GPU_MODELS
from incentivesd.budget.chain_facts import ChainFacts, IncentivesFacts
from incentivesd.budget.checks import Finding, has_errors, run_checks
from incentivesd.budget.spec import load_spec
from tests.budget.specs import AS_PROPOSED, PILOT, varied


def _codes(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(finding.severity, finding.code, finding.path) for finding in findings]


def _only(findings: list[Finding], code: str) -> Finding:
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, _codes(findings)
    return matching[0]


@pytest.mark.parametrize("target", ["pools", "administrator"])
def test_the_clean_example_has_no_findings(target: Any) -> None:
    assert run_checks(load_spec(PILOT), target=target) == []


def test_the_as_proposed_example_shows_the_seeds_arithmetic_problems() -> None:
    findings = run_checks(load_spec(AS_PROPOSED))
    assert _codes(findings) == [
        ("error", "line-total", "pools[0].line_items[0].total_usd"),
        ("error", "line-total", "pools[0].line_items[1].total_usd"),
        ("error", "line-total", "pools[0].line_items[2].total_usd"),
        ("warning", "pool-surplus", "pools[0].allocation_usd"),
        ("error", "percent", "pools[0].allocation_percent"),
        ("error", "percent", "pools[1].allocation_percent"),
        ("error", "percent", "pools[2].allocation_percent"),
        ("warning", "commitment", "pools[0].min_commitment_epochs"),
    ]
    h100 = findings[0]
    assert (h100.stated, h100.computed, h100.difference, h100.relative_percent) == (
        "$1,800,000.00",
        "$595,209.60",
        "+$1,204,790.40",
        "+202.41",
    )
    assert "which pays 363 days" in h100.message
    assert "pays 365 days" in findings[1].message
    assert "pays 364 days" in findings[2].message
    committed = findings[4]
    assert (committed.stated, committed.computed, committed.difference) == (
        "40.00",
        "70.00",
        "-30.00",
    )
    assert [(f.stated, f.computed) for f in findings[5:7]] == [
        ("40.00", "15.00"),
        ("20.00", "15.00"),
    ]
    assert findings[3].computed == "$1,154,390.40"
    assert findings[7].difference == "+245"


def test_a_line_total_off_by_a_dollar_is_an_error_but_a_cent_is_rounding() -> None:
    def off_by(amount: str) -> list[Finding]:
        def change(data: dict[str, Any]) -> None:
            data["pools"][0]["line_items"][0]["total_usd"] += Decimal(amount)

        return run_checks(varied(change))

    assert off_by("0.01") == []
    finding = _only(off_by("-1"), "line-total")
    assert finding.path == "pools[0].line_items[0].total_usd"
    assert (finding.stated, finding.computed, finding.difference) == (
        "$114,738.20",
        "$114,739.20",
        "-$1.00",
    )
    assert finding.severity == "error"


def test_hours_beyond_the_term_are_an_error() -> None:
    def change(data: dict[str, Any]) -> None:
        item = data["pools"][0]["line_items"][1]
        item["hours"], item["total_usd"] = 3000, None
        data["pools"][0]["allocation_usd"] = None

    finding = _only(run_checks(varied(change)), "line-hours")
    assert finding.path == "pools[0].line_items[1].hours"
    assert (finding.stated, finding.computed, finding.difference) == ("3000", "2880", "+120")
    assert finding.relative_percent == "+4.17"


def test_a_pool_allocated_less_than_its_line_items_is_underfunded() -> None:
    def change(data: dict[str, Any]) -> None:
        data["pools"][0]["allocation_usd"] -= 1000
        data["total_usd"] -= 1000
        data["pools"][0]["allocation_percent"] = None

    findings = run_checks(varied(change))
    finding = _only(findings, "pool-underfunded")
    assert finding.severity == "error"
    assert finding.difference == "-$1,000.00"
    assert finding.relative_percent == "-0.46"


def test_a_pool_allocated_more_than_its_line_items_is_a_warning() -> None:
    findings = run_checks(varied(lambda data: data["pools"][0]["line_items"].pop()))
    assert _codes(findings) == [("warning", "pool-surplus", "pools[0].allocation_usd")]
    assert findings[0].difference == "+$22,579.20"
    assert not has_errors(findings)


def test_pools_that_do_not_add_up_to_the_total_are_an_error() -> None:
    def change(data: dict[str, Any]) -> None:
        data["total_usd"] = Decimal(500_000)
        for pool in data["pools"]:
            pool["allocation_percent"] = None

    finding = _only(run_checks(varied(change)), "pools-total")
    assert (finding.path, finding.stated, finding.computed) == (
        "total_usd",
        "$500,000.00",
        "$470,193.60",
    )


def test_a_stated_percentage_that_is_not_the_amounts_share_is_an_error() -> None:
    findings = run_checks(varied(lambda data: data["pools"][1].update(allocation_percent=30)))
    finding = _only(findings, "percent")
    assert (finding.path, finding.stated, finding.computed) == (
        "pools[1].allocation_percent",
        "30.00",
        "31.90",
    )
    total = _only(findings, "percent-sum")
    assert (total.severity, total.stated, total.difference) == ("warning", "98.10", "-1.90")


def test_percentages_over_100_are_an_error() -> None:
    findings = run_checks(varied(lambda data: data["pools"][2].update(allocation_percent=40)))
    assert _only(findings, "percent-sum").severity == "error"


def test_a_duration_that_is_not_the_schedule_is_an_error() -> None:
    finding = _only(run_checks(varied(lambda data: data.update(duration_days=100))), "duration")
    assert (finding.stated, finding.computed, finding.difference, finding.relative_percent) == (
        "100.00",
        "120.00",
        "-20.00",
        "-16.67",
    )


def test_a_commitment_longer_than_the_term_is_a_warning() -> None:
    findings = run_checks(varied(lambda data: data["pools"][0].update(min_commitment_epochs=365)))
    assert _codes(findings) == [("warning", "commitment", "pools[0].min_commitment_epochs")]


def test_models_outside_the_catalog_or_the_pools_eligibility_are_found() -> None:
    def change(data: dict[str, Any]) -> None:
        data["pools"][0]["line_items"][2]["gpu_model"] = "b300"
        data["pools"][0]["eligibility"] = {"min_launch_year": 2021}
        data["pools"][2]["eligibility"]["gpu_models"] = ["h200", "tpu-v5"]

    assert _codes(run_checks(varied(change))) == [
        ("warning", "eligibility", "pools[0].line_items[1].gpu_model"),
        ("error", "catalog", "pools[0].line_items[2].gpu_model"),
        ("error", "catalog", "pools[2].eligibility.gpu_models[1]"),
    ]


def test_a_pool_the_module_would_reject_is_an_error() -> None:
    def change(data: dict[str, Any]) -> None:
        data["pools"][1]["allocation_usd"] = Decimal("0.000001")
        data["pools"][1]["allocation_percent"] = None
        data["total_usd"] = Decimal("320193.600001")
        data["pools"][0]["allocation_percent"] = None
        data["pools"][2]["allocation_percent"] = None

    findings = [finding for finding in run_checks(varied(change)) if finding.code == "message"]
    assert [finding.path for finding in findings] == ["pools[1]", "pools[1]"]
    assert "pro_rata.emission_per_epoch must be positive" in findings[0].message
    assert "MsgFundPoolFromCommunityPool" in findings[1].message


def _facts(**changes: Any) -> ChainFacts:
    values: dict[str, Any] = {
        "node": "grpc+http://example:9090",
        "min_deposit": {"uakt": 10_000_000},
        "expedited_min_deposit": {"uakt": 50_000_000},
        "min_initial_deposit_ratio": Decimal("0.5"),
        "voting_period_seconds": 86_400,
        "expedited_voting_period_seconds": 3600,
        "community_pool": {"uakt": 10**15},
        "block_time": 1_000_000 + 3600,
        "incentives": IncentivesFacts(
            current_epoch=1,
            epoch_start_time=1_000_000,
            epoch_seconds=86_400,
            catalog=DEFAULT_GPU_MODELS,
            next_pool_id=1,
            reward_denom="uakt",
        ),
    }
    values.update(changes)
    return ChainFacts(**values)


def test_deposits_below_the_minimum_warn_and_below_the_initial_share_fail() -> None:
    budget = load_spec(PILOT)
    budget_low = varied(lambda data: data.update(deposit="6000000uakt"))
    budget_lower = varied(lambda data: data.update(deposit="4000000uakt"))
    budget_expedited = varied(lambda data: data.update(expedited=True))
    budget_denom = varied(lambda data: data.update(deposit="10000000ibc/usdc"))
    facts = _facts()
    # A day of voting from an hour into epoch 1 executes an hour into epoch 2, the first one.
    assert _codes(run_checks(budget, facts)) == [("warning", "start-epoch", "schedule.start_epoch")]
    facts = _facts(voting_period_seconds=60)
    assert _only(run_checks(budget_low, facts), "deposit").severity == "warning"
    lower = _only(run_checks(budget_lower, facts), "deposit")
    assert (lower.severity, lower.difference) == ("error", "-6000000uakt")
    assert "5000000uakt" in lower.message
    assert _only(run_checks(budget_expedited, facts), "deposit").computed == "50000000uakt"
    assert "not ibc/usdc" in _only(run_checks(budget_denom, facts), "deposit").message


def test_the_live_schedule_checks() -> None:
    late = varied(lambda data: data["schedule"].update(start_epoch=3))
    assert run_checks(late, _facts()) == []
    short = _facts(voting_period_seconds=60)
    assert run_checks(load_spec(PILOT), short) == []
    same = varied(lambda data: data["schedule"].update(start_epoch=1))
    finding = _only(run_checks(same, short), "start-epoch")
    assert finding.severity == "warning"
    hourly = _facts(
        voting_period_seconds=7200,
        incentives=IncentivesFacts(1, 1_000_000, 3600, DEFAULT_GPU_MODELS, 4, "uusdc"),
    )
    assert _codes(run_checks(load_spec(PILOT), hourly)) == [
        ("error", "epoch-length", "schedule.epoch_length"),
        ("error", "start-epoch", "schedule.start_epoch"),
        ("error", "reward-denom", "pools"),
        ("error", "pool-ids", "first_pool_id"),
    ]


def test_a_spend_larger_than_the_community_pool_is_an_error() -> None:
    facts = _facts(community_pool={"uakt": 100_000_000_000}, voting_period_seconds=60)
    finding = _only(run_checks(load_spec(PILOT), facts), "community-pool")
    assert (finding.stated, finding.computed, finding.difference) == (
        "188077440000uakt",
        "100000000000uakt",
        "+88077440000uakt",
    )
    spend = _only(run_checks(load_spec(PILOT), facts, "administrator"), "community-pool")
    assert spend.path == "total_usd"
