"""The checks a careful reviewer makes of a budget, as findings.

Offline: each line's stated total against price x quantity x hours, and its hours against the
term; each pool's allocation against its line items; the pools' allocations against the total;
stated percentages against the amounts (and their sum against 100); the duration against the
schedule; FIXED_RATE commitments longer than the term; GPU models against the catalog and the
pool's own eligibility; the module's stateless validation of every drafted Msg. Live (with
``ChainFacts``): the deposit against the gov minimum, the spend against the community pool and,
with the incentives module, the epoch length, the start epoch against the epoch in which the
proposal executes, the reward denom and the pool ids the fund messages address.

A finding names the field path, the stated and computed numbers and the discrepancy (absolute
and relative). Severity ``error``: the proposal is wrong or the chain would refuse it;
``warning``: it works but deserves a sentence in the forum post. Differences up to a cent (or
0.01 percentage points) are rounding, not findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from chain.sdk.errors import SdkError
from incentives.types.msgs import validate_basic
from incentives.types.params import DEFAULT_GPU_MODELS
from incentives.types.state import GpuModel, Vendor
from incentivesd.budget.chain_facts import ChainFacts
from incentivesd.budget.messages import DENOM, pool_messages
from incentivesd.budget.spec import UAKT_PER_AKT, Budget, PoolSpec

Severity = Literal["error", "warning"]
Target = Literal["pools", "administrator"]
CENT = Fraction(1, 100)
POINT = Fraction(1, 100)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: where, how bad, the numbers and what they mean."""

    severity: Severity
    code: str
    path: str
    message: str
    stated: str | None = None
    computed: str | None = None
    difference: str | None = None
    relative_percent: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def usd(value: Decimal | Fraction) -> str:
    """``$1,234.50``; exact values with more decimals keep them (up to six)."""
    exact = value if isinstance(value, Decimal) else _decimal(value)
    places = 2 if exact == round(exact, 2) else 6
    return f"${exact:,.{places}f}" if exact >= 0 else f"-${-exact:,.{places}f}"


def _number(value: Fraction, places: int = 2) -> str:
    return f"{_decimal(value):.{places}f}"


def _signed(value: Fraction, places: int = 2) -> str:
    return f"{_decimal(value):+.{places}f}"


def _relative(difference: Fraction, base: Fraction) -> str | None:
    if base == 0:
        return None
    ratio = difference * 100 / base
    return f"{_decimal(ratio):+.2f}"


def _money_finding(
    severity: Severity, code: str, path: str, message: str, stated: Fraction, computed: Fraction
) -> Finding:
    difference = stated - computed
    sign = "+" if difference >= 0 else "-"
    relative = _relative(difference, computed)
    size = f"{sign}{usd(abs(difference))}" + (f" ({relative}%)" if relative else "")
    return Finding(
        severity,
        code,
        path,
        f"{message}: off by {size}",
        stated=usd(stated),
        computed=usd(computed),
        difference=f"{sign}{usd(abs(difference))}",
        relative_percent=relative,
    )


def _line_items(budget: Budget) -> list[Finding]:
    findings = []
    term_hours = budget.term_hours
    for pool_index, pool in enumerate(budget.pools):
        for index, item in enumerate(pool.line_items):
            at = f"pools[{pool_index}].line_items[{index}]"
            label = item.label or item.gpu_model
            computed = Fraction(item.computed_usd)
            if item.total_usd is not None and abs(Fraction(item.total_usd) - computed) > CENT:
                implied_days = Fraction(item.total_usd) / (
                    Fraction(item.price_per_hour_usd) * item.quantity * 24
                )
                findings.append(
                    _money_finding(
                        "error",
                        "line-total",
                        f"{at}.total_usd",
                        f"{label}: {usd(item.price_per_hour_usd)}/h x {item.quantity} GPUs x "
                        f"{item.hours} h = {usd(computed)}, stated {usd(item.total_usd)} (which "
                        f"pays {_number(implied_days, 0)} days of 24 h)",
                        Fraction(item.total_usd),
                        computed,
                    )
                )
            if item.hours > term_hours:
                difference = item.hours - term_hours
                findings.append(
                    Finding(
                        "error",
                        "line-hours",
                        f"{at}.hours",
                        f"{label}: {item.hours} h is more than the {budget.schedule.epochs}-epoch "
                        f"term's {_number(term_hours, 0)} h; no GPU is paid beyond the term: off "
                        f"by +{_number(difference, 0)} h",
                        stated=str(item.hours),
                        computed=_number(term_hours, 0),
                        difference=f"+{_number(difference, 0)}",
                        relative_percent=_relative(difference, term_hours),
                    )
                )
    return findings


def _allocations(budget: Budget) -> list[Finding]:
    findings = []
    for index, pool in enumerate(budget.pools):
        if not pool.line_items:
            continue
        allocated = Fraction(budget.pool_usd(pool))
        lines = sum((Fraction(item.computed_usd) for item in pool.line_items), Fraction(0))
        at = f"pools[{index}].allocation_usd"
        if allocated < lines - CENT:
            findings.append(
                _money_finding(
                    "error",
                    "pool-underfunded",
                    at,
                    f"pool {pool.kind!r} is allocated {usd(allocated)} but its line items cost "
                    f"{usd(lines)}",
                    allocated,
                    lines,
                )
            )
        elif allocated > lines + CENT:
            findings.append(
                _money_finding(
                    "warning",
                    "pool-surplus",
                    at,
                    f"pool {pool.kind!r} is allocated {usd(allocated)} but its line items cost "
                    f"{usd(lines)}; the rest returns to the community pool when it closes",
                    allocated,
                    lines,
                )
            )
    allocated = sum((Fraction(budget.pool_usd(pool)) for pool in budget.pools), Fraction(0))
    total = Fraction(budget.total_usd)
    if abs(allocated - total) > CENT:
        findings.append(
            _money_finding(
                "error",
                "pools-total",
                "total_usd",
                f"the pools are allocated {usd(allocated)} in all, the stated total is "
                f"{usd(total)}",
                total,
                allocated,
            )
        )
    return findings


def _percentages(budget: Budget) -> list[Finding]:
    findings = []
    total = Fraction(budget.total_usd)
    for index, pool in enumerate(budget.pools):
        if pool.allocation_percent is None or pool.allocation_usd is None:
            continue
        stated = Fraction(pool.allocation_percent)
        computed = Fraction(pool.allocation_usd) * 100 / total
        if abs(stated - computed) > POINT:
            difference = stated - computed
            findings.append(
                Finding(
                    "error",
                    "percent",
                    f"pools[{index}].allocation_percent",
                    f"pool {pool.kind!r}: stated {_number(stated)}% of the total, but "
                    f"{usd(pool.allocation_usd)} is {_number(computed)}% of {usd(total)}: off by "
                    f"{_signed(difference)} points",
                    stated=_number(stated),
                    computed=_number(computed),
                    difference=_signed(difference),
                    relative_percent=_relative(difference, computed),
                )
            )
    percents = [pool.allocation_percent for pool in budget.pools]
    if all(percent is not None for percent in percents):
        stated_sum = sum((Fraction(p) for p in percents if p is not None), Fraction(0))
        if abs(stated_sum - 100) > POINT:
            difference = stated_sum - 100
            findings.append(
                Finding(
                    "error" if stated_sum > 100 else "warning",
                    "percent-sum",
                    "pools",
                    f"the pools' percentages add up to {_number(stated_sum)}%, not 100%: off by "
                    f"{_signed(difference)} points",
                    stated=_number(stated_sum),
                    computed="100.00",
                    difference=_signed(difference),
                    relative_percent=_relative(difference, Fraction(100)),
                )
            )
    return findings


def _duration(budget: Budget) -> list[Finding]:
    stated = Fraction(budget.duration_days)
    computed = Fraction(budget.term_seconds, 86_400)
    if stated == computed:
        return []
    difference = stated - computed
    return [
        Finding(
            "error",
            "duration",
            "duration_days",
            f"the duration is {budget.duration_days} days, the schedule's "
            f"{budget.schedule.epochs} epochs of {budget.schedule.epoch_length} s last "
            f"{_number(computed)} days: off by {_signed(difference)} days",
            stated=_number(stated),
            computed=_number(computed),
            difference=_signed(difference),
            relative_percent=_relative(difference, computed),
        )
    ]


def _commitments(budget: Budget) -> list[Finding]:
    findings = []
    epochs = budget.schedule.epochs
    for index, pool in enumerate(budget.pools):
        commitment = budget.min_commitment(pool)
        if pool.rule == "FIXED_RATE" and commitment > epochs:
            findings.append(
                Finding(
                    "warning",
                    "commitment",
                    f"pools[{index}].min_commitment_epochs",
                    f"pool {pool.kind!r} requires {commitment}-epoch commitments but pays for "
                    f"{epochs} epochs: providers commit {commitment - epochs} epochs this budget "
                    "does not pay for",
                    stated=str(commitment),
                    computed=str(epochs),
                    difference=f"+{commitment - epochs}",
                    relative_percent=_relative(Fraction(commitment - epochs), Fraction(epochs)),
                )
            )
    return findings


def _excluded_by(pool: PoolSpec, model: GpuModel) -> str | None:
    rules = pool.eligibility
    if rules.vendors and Vendor(model.vendor).name not in rules.vendors:
        return f"its vendor {Vendor(model.vendor).name} is not in {rules.vendors}"
    if rules.gpu_models and model.name not in rules.gpu_models:
        return "it is not in the eligible gpu_models"
    if model.vram_gb < rules.min_vram_gb:
        return f"{model.vram_gb} GB of memory is below {rules.min_vram_gb} GB"
    if model.launch_year < rules.min_launch_year:
        return f"its launch year {model.launch_year} is before {rules.min_launch_year}"
    return None


def _catalog(budget: Budget, catalog: tuple[GpuModel, ...], source: str) -> list[Finding]:
    findings = []
    models = {model.name: model for model in catalog}
    for pool_index, pool in enumerate(budget.pools):
        at = f"pools[{pool_index}]"
        for index, name in enumerate(pool.eligibility.gpu_models):
            if name not in models:
                findings.append(
                    Finding(
                        "error",
                        "catalog",
                        f"{at}.eligibility.gpu_models[{index}]",
                        f"{name!r} is not in {source}; the module rejects the pool",
                    )
                )
        for index, item in enumerate(pool.line_items):
            path = f"{at}.line_items[{index}].gpu_model"
            model = models.get(item.gpu_model)
            if model is None:
                findings.append(
                    Finding(
                        "error" if pool.rule == "FIXED_RATE" else "warning",
                        "catalog",
                        path,
                        f"{item.gpu_model!r} is not in {source}; no node can register with it",
                    )
                )
                continue
            reason = _excluded_by(pool, model)
            if reason is not None:
                findings.append(
                    Finding(
                        "warning",
                        "eligibility",
                        path,
                        f"{item.gpu_model!r} cannot join pool {pool.kind!r}: {reason}; its line "
                        f"({usd(item.computed_usd)}) can never be paid",
                    )
                )
    return findings


def _module_validation(budget: Budget) -> list[Finding]:
    start = budget.schedule.start_epoch if isinstance(budget.schedule.start_epoch, int) else 1
    messages = pool_messages(budget, start, budget.first_pool_id or 1)
    findings = []
    count = len(budget.pools)
    for index, message in enumerate(messages):
        try:
            validate_basic(message)
        except SdkError as error:
            findings.append(
                Finding(
                    "error",
                    "message",
                    f"pools[{index % count}]",
                    f"the module rejects this pool's {message.DESCRIPTOR.name}: {error}",
                )
            )
    return findings


def spend_uakt(budget: Budget, target: Target) -> int:
    """What the proposal takes from the community pool, in uakt."""
    return budget.pools_uakt() if target == "pools" else budget.uakt(budget.total_usd)


def _deposit(budget: Budget, facts: ChainFacts) -> list[Finding]:
    amount, denom = budget.deposit_coin
    minimum = facts.expedited_min_deposit if budget.expedited else facts.min_deposit
    kind = "expedited minimum deposit" if budget.expedited else "minimum deposit"
    if denom not in minimum:
        return [
            Finding(
                "error",
                "deposit",
                "deposit",
                f"the chain takes deposits in {', '.join(sorted(minimum))}, not {denom}",
            )
        ]
    required = minimum[denom]
    ratio = Fraction(facts.min_initial_deposit_ratio)
    initial = -(-required * ratio.numerator // ratio.denominator)
    if amount >= required:
        return []
    difference = Fraction(amount - required)
    severity: Severity = "error" if amount < initial else "warning"
    consequence = (
        f"below the initial deposit the chain requires ({initial}{denom}); submission fails"
        if severity == "error"
        else "the proposal waits in the deposit period until others deposit the rest"
    )
    return [
        Finding(
            severity,
            "deposit",
            "deposit",
            f"the deposit {amount}{denom} is below the chain's {kind} {required}{denom}: "
            f"{consequence}: off by {amount - required}{denom}",
            stated=f"{amount}{denom}",
            computed=f"{required}{denom}",
            difference=f"{amount - required}{denom}",
            relative_percent=_relative(difference, Fraction(required)),
        )
    ]


def _community_pool(budget: Budget, facts: ChainFacts, target: Target) -> list[Finding]:
    spend = spend_uakt(budget, target)
    available = facts.community_pool.get(DENOM, 0)
    if spend <= available:
        return []
    short = spend - available
    return [
        Finding(
            "error",
            "community-pool",
            "pools" if target == "pools" else "total_usd",
            f"the proposal spends {spend}{DENOM} ({_number(Fraction(spend, UAKT_PER_AKT))} AKT at "
            f"${budget.akt_usd}/AKT), the community pool holds {available}{DENOM}: short by "
            f"{short}{DENOM}",
            stated=f"{spend}{DENOM}",
            computed=f"{available}{DENOM}",
            difference=f"+{short}{DENOM}",
            relative_percent=_relative(Fraction(short), Fraction(available)),
        )
    ]


def execution_epoch(budget: Budget, facts: ChainFacts) -> int:
    """The incentives epoch in which the proposal would execute if submitted now."""
    assert facts.incentives is not None
    epoch = facts.incentives
    voting = (
        facts.expedited_voting_period_seconds if budget.expedited else facts.voting_period_seconds
    )
    if epoch.epoch_seconds <= 0:
        return epoch.current_epoch
    elapsed = max(0, facts.block_time + voting - epoch.epoch_start_time)
    return epoch.current_epoch + elapsed // epoch.epoch_seconds


def _schedule_live(budget: Budget, facts: ChainFacts) -> list[Finding]:
    assert facts.incentives is not None
    epoch = facts.incentives
    findings = []
    if epoch.epoch_seconds != budget.schedule.epoch_length:
        findings.append(
            Finding(
                "error",
                "epoch-length",
                "schedule.epoch_length",
                f"the spec's epochs last {budget.schedule.epoch_length} s, the chain's "
                f"{epoch.epoch_seconds} s: the term would last "
                f"{_number(Fraction(budget.schedule.epochs * epoch.epoch_seconds, 86_400))} days",
                stated=str(budget.schedule.epoch_length),
                computed=str(epoch.epoch_seconds),
                difference=str(budget.schedule.epoch_length - epoch.epoch_seconds),
            )
        )
    start = budget.schedule.start_epoch
    executes = execution_epoch(budget, facts)
    if isinstance(start, int) and start <= executes:
        severity: Severity = "error" if start < executes else "warning"
        consequence = (
            "the module rejects a pool that starts before the current epoch"
            if severity == "error"
            else "the first epoch is under way before providers can join"
        )
        findings.append(
            Finding(
                severity,
                "start-epoch",
                "schedule.start_epoch",
                f"the pools start at epoch {start}; the chain is at epoch {epoch.current_epoch} "
                f"and the proposal would execute in epoch {executes}: {consequence}",
                stated=str(start),
                computed=str(executes + 1),
                difference=str(start - executes - 1),
            )
        )
    if epoch.reward_denom != DENOM:
        findings.append(
            Finding(
                "error",
                "reward-denom",
                "pools",
                f"the chain's pools hold {epoch.reward_denom}, the proposal funds them in {DENOM}",
            )
        )
    if budget.first_pool_id is not None and budget.first_pool_id != epoch.next_pool_id:
        last = budget.first_pool_id + len(budget.pools) - 1
        findings.append(
            Finding(
                "error",
                "pool-ids",
                "first_pool_id",
                f"the fund messages address pools {budget.first_pool_id}..{last}, but the chain "
                f"will number the new pools from {epoch.next_pool_id}",
                stated=str(budget.first_pool_id),
                computed=str(epoch.next_pool_id),
                difference=str(budget.first_pool_id - epoch.next_pool_id),
            )
        )
    return findings


def run_checks(
    budget: Budget, facts: ChainFacts | None = None, target: Target = "pools"
) -> list[Finding]:
    """Every finding of ``budget``; the live ones only with ``facts``."""
    findings = [*_line_items(budget), *_allocations(budget), *_percentages(budget)]
    findings += _duration(budget)
    if target == "pools":
        findings += _commitments(budget)
        if facts is not None and facts.incentives is not None:
            findings += _catalog(budget, facts.incentives.catalog, f"the catalog of {facts.node}")
        else:
            findings += _catalog(budget, DEFAULT_GPU_MODELS, "the module's default catalog")
        findings += _module_validation(budget)
    if facts is not None:
        findings += _deposit(budget, facts)
        findings += _community_pool(budget, facts, target)
        if target == "pools" and facts.incentives is not None:
            findings += _schedule_live(budget, facts)
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.severity == "error" for finding in findings)
