"""The budget spec: the YAML file a governance proposer writes, validated with pydantic.

Owns reading the YAML (numbers with a fraction become ``Decimal``, never binary floats; a key
given twice is an error), the models (``Budget``, ``PoolSpec``, ``LineItem``, ``Schedule``,
``Eligibility``, ``AvailabilitySettings``), the numbers derived from them that the checks and the
drafter share (a pool's USD allocation and its funding in uakt, the term in epochs and hours),
and moving a budget to another start epoch, term or first pool id (``rescheduled``).

Money is ``Decimal`` USD with at most 6 decimals (micro-dollars, the module's price unit); the
AKT/USD price has at most 18 (a ``cosmos.Dec``); uakt amounts are ``int``; a USD amount becomes
uakt as ``floor(usd * 10^6 / akt_usd)``.

Fails when (``SpecError``, one line per problem, each naming its field path such as
``pools[0].line_items[1].price_per_hour_usd``): the file cannot be read or is not UTF-8 YAML; the
document is not a mapping; a field is missing, unknown, of the wrong type (strict: ``"3"`` is not
an integer, ``true`` is not a number) or out of range; money has more decimals than it can carry;
an address is not a canonical ``akash1...`` bech32 address; the deposit is not a coin such as
``10000000uakt``; two pools share a kind; a FIXED_RATE pool has no line items or rates a GPU
model twice; settings of one rule are given to a pool of another; an attester is listed twice or
the quorum exceeds the attesters; all availability weights are zero.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from chain.sdk.address import decode_canonical_address
from chain.sdk.errors import SdkError

UAKT_PER_AKT = 10**6
MICROS_PER_USD = 10**6
MAX_SPEC_BYTES = 1_000_000
MAX_USD = Decimal(10) ** 12
MAX_U32 = 2**32 - 1
MAX_U63 = 2**63 - 1
_COIN = re.compile(r"^(\d{1,30})([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$")
_DURATION = re.compile(r"^(\d{1,9})\s*(s|m|h|d|w)$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_DECIMAL_TEXT = re.compile(r"^\d{1,20}(\.\d{1,30})?$")


class SpecError(Exception):
    """A budget spec that cannot be used; ``issues`` holds one ``path: problem`` line each."""

    def __init__(self, source: str, issues: list[str]) -> None:
        self.source = source
        self.issues = issues
        lines = "\n".join(f"  {issue}" for issue in issues)
        super().__init__(f"{source}: invalid budget spec\n{lines}")


class _Loader(yaml.SafeLoader):
    """SafeLoader whose floats are exact ``Decimal`` and whose mappings refuse repeated keys."""


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a finite decimal number", node.start_mark
        )
    return value


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            repeated = key in result
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a scalar", key_node.start_mark
            ) from None
        if repeated:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _decimal_places(value: Decimal) -> int:
    """Decimals of ``value`` ignoring trailing zeros, computed without a decimal context."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent >= 0:
        return 0
    trailing = 0
    for digit in reversed(digits):
        if digit != 0 or trailing >= -exponent:
            break
        trailing += 1
    return -exponent - trailing


def _to_decimal(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected a number, not a boolean")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise ValueError("binary floats are not accepted for money; write a decimal number")
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if not _DECIMAL_TEXT.match(text):
            raise ValueError(f"expected a decimal number such as 2.49, got {value!r}")
        return Decimal(text)
    return value


def _bounded(places: int, maximum: Decimal, positive: bool) -> Any:
    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("must be a finite number")
        if value < 0 or (positive and value == 0):
            raise ValueError("must be positive" if positive else "must not be negative")
        if value > maximum:
            raise ValueError(f"must be at most {maximum:,}")
        if _decimal_places(value) > places:
            raise ValueError(f"has more than {places} decimal places")
        return value

    return check


def _address(value: str) -> str:
    try:
        decode_canonical_address(value)
    except SdkError as error:
        raise ValueError(f"{value!r} is not an akash1... address ({error})") from None
    return value


def _coin(value: str) -> str:
    parse_coin(value)
    return value


def parse_coin(text: str) -> tuple[int, str]:
    """``"10000000uakt"`` -> ``(10000000, "uakt")``; ``ValueError`` for anything else."""
    match = _COIN.match(text)
    if match is None:
        raise ValueError(f"expected a coin such as 10000000uakt, got {text!r}")
    return int(match.group(1)), match.group(2)


def _seconds(value: object) -> object:
    if isinstance(value, str):
        match = _DURATION.match(value.strip())
        if match is None:
            raise ValueError(f"expected seconds or a duration such as 1d, 24h or 3600s: {value!r}")
        return int(match.group(1)) * _DURATION_UNITS[match.group(2)]
    return value


Usd = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_bounded(6, MAX_USD, False))]
PositiveUsd = Annotated[
    Decimal, BeforeValidator(_to_decimal), AfterValidator(_bounded(6, MAX_USD, True))
]
AktPrice = Annotated[
    Decimal, BeforeValidator(_to_decimal), AfterValidator(_bounded(18, Decimal(10**9), True))
]
Percent = Annotated[
    Decimal, BeforeValidator(_to_decimal), AfterValidator(_bounded(6, Decimal(100), False))
]
Decay = Annotated[
    Decimal, BeforeValidator(_to_decimal), AfterValidator(_bounded(18, Decimal(20), False))
]
Address = Annotated[str, AfterValidator(_address)]
U32 = Annotated[int, Field(ge=0, le=MAX_U32)]
Count = Annotated[int, Field(ge=1, le=MAX_U32)]
Epoch = Annotated[int, Field(ge=1, le=MAX_U63)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
Seconds = Annotated[int, BeforeValidator(_seconds), Field(ge=1, le=10**8)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Eligibility(_Model):
    """Which nodes may join a pool (``akash.incentives.v1.Eligibility``); empty = no limit."""

    vendors: list[Literal["NVIDIA", "AMD"]] = []
    gpu_models: list[Slug] = []
    min_vram_gb: U32 = 0
    min_launch_year: Annotated[int, Field(ge=0, le=9999)] = 0
    max_nodes_per_provider: U32 = 0


class AvailabilitySettings(_Model):
    """The RNP-015 score's settings of an AVAILABILITY pool (its emission comes from the
    allocation)."""

    weight_benchmark: U32 = 3
    weight_vram: U32 = 3
    weight_age: U32 = 1
    penalty_free_nodes: Count = 3
    penalty_decay: Decay = Decimal("0.65")
    penalty_mode: Literal["WALLET_COUNT", "NODE_RANK"] = "WALLET_COUNT"


class LineItem(_Model):
    """GPUs of one model at a USD price per GPU-hour; for a FIXED_RATE pool, one of its rates
    (``quantity`` is the rate's ``max_gpus``)."""

    gpu_model: Slug
    label: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    price_per_hour_usd: PositiveUsd
    quantity: Count
    hours: Annotated[int, Field(ge=1, le=10**6)]
    total_usd: Usd | None = None

    @property
    def computed_usd(self) -> Decimal:
        """price x quantity x hours, exactly."""
        return self.price_per_hour_usd * self.quantity * self.hours


class PoolSpec(_Model):
    """One pool: ``MsgCreatePool`` settings plus its share of the budget."""

    kind: Slug
    name: Annotated[str, Field(min_length=1, max_length=128)]
    rule: Literal["FIXED_RATE", "PRO_RATA", "AVAILABILITY"]
    allocation_usd: Usd | None = None
    allocation_percent: Percent | None = None
    line_items: list[LineItem] = []
    eligibility: Eligibility = Eligibility()
    min_commitment_epochs: Epoch | None = None
    availability: AvailabilitySettings | None = None
    admin: Address | None = None
    attesters: Annotated[list[Address], Field(min_length=1, max_length=32)] | None = None
    attestation_quorum: Annotated[int, Field(ge=1, le=32)] | None = None


class Schedule(_Model):
    """When the pools pay: ``epochs`` epochs of ``epoch_length`` from ``start_epoch``
    (``next``: the epoch after the current one, resolved from the chain)."""

    start_epoch: Epoch | Literal["next"]
    epochs: Annotated[int, Field(ge=1, le=100_000)]
    epoch_length: Seconds = 86_400


class Budget(_Model):
    """A budget proposal: pools funded from the community pool, with its stated numbers."""

    title: Annotated[str, Field(min_length=1, max_length=255)]
    summary: Annotated[str, Field(min_length=1, max_length=10_000)]
    metadata: Annotated[str, Field(max_length=255)] = ""
    total_usd: PositiveUsd
    akt_usd: AktPrice
    duration_days: Annotated[int, Field(ge=1, le=100_000)]
    schedule: Schedule
    admin: Address
    attesters: Annotated[list[Address], Field(min_length=1, max_length=32)]
    attestation_quorum: Annotated[int, Field(ge=1, le=32)] = 1
    deposit: Annotated[str, AfterValidator(_coin)]
    expedited: bool = False
    first_pool_id: Epoch | None = None
    pools: Annotated[list[PoolSpec], Field(min_length=1, max_length=32)]

    @property
    def deposit_coin(self) -> tuple[int, str]:
        return parse_coin(self.deposit)

    @property
    def term_seconds(self) -> int:
        return self.schedule.epochs * self.schedule.epoch_length

    @property
    def term_hours(self) -> Fraction:
        return Fraction(self.term_seconds, 3600)

    def pool_usd(self, pool: PoolSpec) -> Decimal:
        """The pool's USD allocation: as stated, else its percentage of the total (to the cent,
        rounded down)."""
        if pool.allocation_usd is not None:
            return pool.allocation_usd
        assert pool.allocation_percent is not None
        return _cents(Fraction(self.total_usd) * Fraction(pool.allocation_percent) / 100)

    def uakt(self, usd: Decimal) -> int:
        """``usd`` in uakt at the spec's AKT/USD price, rounded down."""
        return int(Fraction(usd) * UAKT_PER_AKT // Fraction(self.akt_usd))

    def pool_uakt(self, pool: PoolSpec) -> int:
        return self.uakt(self.pool_usd(pool))

    def pools_uakt(self) -> int:
        return sum(self.pool_uakt(pool) for pool in self.pools)

    def min_commitment(self, pool: PoolSpec) -> int:
        """A FIXED_RATE pool's minimum commitment in epochs (default: the pool's term)."""
        return pool.min_commitment_epochs or self.schedule.epochs

    def pool_admin(self, pool: PoolSpec) -> str:
        return pool.admin or self.admin

    def pool_attesters(self, pool: PoolSpec) -> list[str]:
        return pool.attesters or self.attesters

    def pool_quorum(self, pool: PoolSpec) -> int:
        return pool.attestation_quorum or self.attestation_quorum


def _cents(value: Fraction) -> Decimal:
    return Decimal(int(value * 100)) / 100


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not text:
            text = part
        else:
            text += f".{part}"
    return text or "(document)"


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _semantic_issues(budget: Budget) -> list[str]:
    issues = []
    kinds = [pool.kind for pool in budget.pools]
    for index, kind in enumerate(kinds):
        if kind in kinds[:index]:
            issues.append(f"pools[{index}].kind: {kind!r} is the kind of an earlier pool")
    issues += _attester_issues("", budget.attesters, budget.attestation_quorum)
    for index, pool in enumerate(budget.pools):
        at = f"pools[{index}]"
        if pool.allocation_usd is None and pool.allocation_percent is None:
            issues.append(f"{at}.allocation_usd: give allocation_usd, allocation_percent or both")
        if pool.rule == "FIXED_RATE":
            if not pool.line_items:
                issues.append(f"{at}.line_items: a FIXED_RATE pool needs its rates as line items")
            models = [item.gpu_model for item in pool.line_items]
            for item_index, model in enumerate(models):
                if model in models[:item_index]:
                    issues.append(
                        f"{at}.line_items[{item_index}].gpu_model: {model!r} is rated twice"
                    )
        elif pool.min_commitment_epochs is not None:
            issues.append(f"{at}.min_commitment_epochs: only a FIXED_RATE pool takes commitments")
        if pool.availability is not None and pool.rule != "AVAILABILITY":
            issues.append(f"{at}.availability: only an AVAILABILITY pool takes these settings")
        settings = pool.availability
        if (
            settings is not None
            and settings.weight_benchmark + settings.weight_vram + settings.weight_age == 0
        ):
            issues.append(f"{at}.availability: the three weights cannot all be zero")
        models = pool.eligibility.gpu_models
        for model_index, model in enumerate(models):
            if model in models[:model_index]:
                issues.append(
                    f"{at}.eligibility.gpu_models[{model_index}]: {model!r} is listed twice"
                )
        issues += _attester_issues(
            f"{at}.", budget.pool_attesters(pool), budget.pool_quorum(pool), pool
        )
    return issues


def _attester_issues(
    prefix: str, attesters: list[str], quorum: int, pool: PoolSpec | None = None
) -> list[str]:
    if pool is not None and pool.attesters is None and pool.attestation_quorum is None:
        return []
    issues = []
    for index, attester in enumerate(attesters):
        if attester in attesters[:index]:
            issues.append(f"{prefix}attesters[{index}]: {attester} is listed twice")
    if quorum > len(attesters):
        issues.append(
            f"{prefix}attestation_quorum: {quorum} exceeds the {len(attesters)} attester(s)"
        )
    return issues


def read_yaml(text: str, source: str = "budget") -> object:
    """The YAML document in ``text``, floats as ``Decimal``; ``SpecError`` when not YAML."""
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise SpecError(source, [f"not valid YAML: {error}".replace("\n", " ")]) from None
    except RecursionError:
        raise SpecError(source, ["not valid YAML: nested too deeply"]) from None


def parse_spec(text: str, source: str = "budget") -> Budget:
    """The budget in YAML ``text``; ``SpecError`` for anything else."""
    return spec_from_data(read_yaml(text, source), source)


def spec_from_data(document: object, source: str = "budget") -> Budget:
    """The budget in an already-parsed document; ``SpecError`` for anything else."""
    if not isinstance(document, dict):
        kind = "empty" if document is None else f"a {type(document).__name__}"
        raise SpecError(source, [f"(document): expected a mapping of fields, got {kind}"])
    try:
        budget = Budget.model_validate(document)
    except ValidationError as error:
        issues = []
        for detail in error.errors(include_url=False):
            message = str(detail["msg"]).removeprefix("Value error, ")
            if detail["type"] not in ("missing", "extra_forbidden") and "got" not in message:
                message += f" (got {_shown(detail['input'])})"
            issues.append(f"{_path(detail['loc'])}: {message}")
        raise SpecError(source, issues) from None
    except RecursionError:
        raise SpecError(source, ["(document): nested too deeply"]) from None
    issues = _semantic_issues(budget)
    if issues:
        raise SpecError(source, issues)
    return budget


def load_spec(path: Path) -> Budget:
    """The budget in the YAML file at ``path``; ``SpecError`` when unreadable or invalid."""
    try:
        data = path.read_bytes()[: MAX_SPEC_BYTES + 1]
    except OSError as error:
        raise SpecError(str(path), [f"cannot read the file: {error.strerror}"]) from None
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError(str(path), [f"larger than {MAX_SPEC_BYTES} bytes"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SpecError(str(path), [f"not UTF-8 text: {error}"]) from None
    return parse_spec(text, str(path))


def _scaled_usd(value: Decimal | None, factor: Fraction) -> Decimal | None:
    if value is None:
        return None
    return Decimal(round(Fraction(value) * factor * 100)) / 100


def _scaled_count(value: int, factor: Fraction) -> int:
    return max(1, round(value * factor))


def rescheduled(
    budget: Budget,
    *,
    start_epoch: int | None = None,
    epochs: int | None = None,
    first_pool_id: int | None = None,
) -> Budget:
    """``budget`` starting at ``start_epoch``, its pools numbered from ``first_pool_id``, and
    scaled to ``epochs`` epochs: duration, hours, commitments and every USD amount scale by
    ``epochs / schedule.epochs`` (amounts to the cent, half to even); prices, quantities and
    percentages stay."""
    data = budget.model_dump()
    if start_epoch is not None:
        data["schedule"]["start_epoch"] = start_epoch
    if first_pool_id is not None:
        data["first_pool_id"] = first_pool_id
    if epochs is not None and epochs != budget.schedule.epochs:
        factor = Fraction(epochs, budget.schedule.epochs)
        data["schedule"]["epochs"] = epochs
        data["duration_days"] = _scaled_count(budget.duration_days, factor)
        data["total_usd"] = _scaled_usd(budget.total_usd, factor)
        for pool in data["pools"]:
            pool["allocation_usd"] = _scaled_usd(pool["allocation_usd"], factor)
            if pool["min_commitment_epochs"] is not None:
                pool["min_commitment_epochs"] = _scaled_count(pool["min_commitment_epochs"], factor)
            for item in pool["line_items"]:
                item["hours"] = _scaled_count(item["hours"], factor)
                item["total_usd"] = _scaled_usd(item["total_usd"], factor)
    return spec_from_data(data, "rescheduled budget")
