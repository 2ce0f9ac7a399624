"""The vote tally of gov v1, as cosmos-sdk v0.50 ``x/gov/keeper/tally.go`` computes it.

Owns the arithmetic only: it reads votes it is given and the staking keeper, and writes nothing.

Voting power (all ``LegacyDec``, each product and quotient rounded half to even on the 18th
decimal, as the SDK's ``Mul``/``Quo``):
- a voter's power through each delegation to a bonded validator is
  ``shares * validator_tokens / validator_delegator_shares``, split over the vote's options by
  weight; the delegated shares are deducted from the validator (delegator override);
- a validator votes with the account of the same bytes as its operator address; its power is
  ``(delegator_shares - deductions) * tokens / delegator_shares``, split by its options, so
  delegators who did not vote inherit their validator's vote.

Outcome, in this order: no bonded tokens -> fails; ``power / bonded < quorum`` -> fails (deposits
burned iff ``burn_vote_quorum``); everyone abstained -> fails; ``veto / power > veto_threshold`` ->
fails (burned iff ``burn_vote_veto``); ``yes / (power - abstain) > threshold`` -> passes
(``expedited_threshold`` for an expedited proposal); otherwise fails without burning.

Fails when: never with an expected error; a validator with zero delegator shares has no power
(the SDK would divide by zero).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cosmpy.protos.cosmos.gov.v1 import gov_pb2

from chain.modules.gov.expected_keepers import StakingKeeper
from chain.sdk.address import decode_address, encode_address
from chain.sdk.context import Context
from chain.sdk.errors import SdkError
from chain.sdk.math import Dec, Int

VALOPER_PREFIX = "akashvaloper"

OPTION_YES: int = gov_pb2.VOTE_OPTION_YES
OPTION_ABSTAIN: int = gov_pb2.VOTE_OPTION_ABSTAIN
OPTION_NO: int = gov_pb2.VOTE_OPTION_NO
OPTION_NO_WITH_VETO: int = gov_pb2.VOTE_OPTION_NO_WITH_VETO
OPTIONS = (OPTION_YES, OPTION_ABSTAIN, OPTION_NO, OPTION_NO_WITH_VETO)


@dataclass(frozen=True, slots=True)
class TallyParams:
    """The params a tally reads (the threshold is already the expedited one if it applies)."""

    quorum: Dec
    threshold: Dec
    veto_threshold: Dec
    burn_vote_quorum: bool
    burn_vote_veto: bool


@dataclass(frozen=True, slots=True)
class TallyOutcome:
    """Whether the proposal passes, whether its deposits are burned, and the power per option."""

    passes: bool
    burn_deposits: bool
    results: dict[int, Dec]
    total_power: Dec

    def to_pb(self) -> gov_pb2.TallyResult:
        return tally_result_pb(self.results)


def empty_tally_result() -> gov_pb2.TallyResult:
    """``EmptyTallyResult``: every count ``"0"``."""
    return gov_pb2.TallyResult(
        yes_count="0", abstain_count="0", no_count="0", no_with_veto_count="0"
    )


def tally_result_pb(results: dict[int, Dec]) -> gov_pb2.TallyResult:
    """``NewTallyResultFromMap``: each count is the power truncated to an integer."""

    def count(option: int) -> str:
        return str(results.get(option, Dec.zero()).truncate_int())

    return gov_pb2.TallyResult(
        yes_count=count(OPTION_YES),
        abstain_count=count(OPTION_ABSTAIN),
        no_count=count(OPTION_NO),
        no_with_veto_count=count(OPTION_NO_WITH_VETO),
    )


@dataclass(slots=True)
class _Validator:
    tokens: Int
    shares: Dec
    deductions: Dec = field(default_factory=Dec.zero)
    options: list[tuple[int, Dec]] | None = None


def _weight(text: str) -> Dec:
    # As the SDK's ``weight, _ := LegacyNewDecFromStr(...)``: unparsable weights count as zero.
    try:
        return Dec.from_str(text)
    except SdkError:
        return Dec.zero()


def _bonded_validators(ctx: Context, staking: StakingKeeper) -> dict[str, _Validator]:
    validators: dict[str, _Validator] = {}
    for validator in staking.bonded_validators(ctx):
        shares = Dec(int(validator.delegator_shares or "0"))
        validators[validator.operator_address] = _Validator(
            tokens=Int(int(validator.tokens or "0")), shares=shares
        )
    return validators


def _add(results: dict[int, Dec], options: list[tuple[int, Dec]], power: Dec) -> None:
    for option, weight in options:
        results[option] = results.get(option, Dec.zero()) + power.mul(weight)


def count_votes(
    ctx: Context, staking: StakingKeeper, votes: Iterable[gov_pb2.Vote]
) -> tuple[Dec, dict[int, Dec]]:
    """The total voting power of ``votes`` and the power per option (``tallyVotes``)."""
    validators = _bonded_validators(ctx, staking)
    results = {option: Dec.zero() for option in OPTIONS}
    total = Dec.zero()
    for vote in votes:
        voter = decode_address(vote.voter)
        options = [(option.option, _weight(option.weight)) for option in vote.options]
        own = validators.get(encode_address(voter, VALOPER_PREFIX))
        if own is not None:
            own.options = options
        for operator, shares in staking.delegations_of(ctx, voter):
            validator = validators.get(operator)
            if validator is None or validator.shares.is_zero():
                continue
            # The voter's own self-delegation is deducted here and counted again below as the
            # validator's power only for what is left, so nothing is counted twice.
            validator.deductions = validator.deductions + shares
            power = shares.mul_int(validator.tokens).quo(validator.shares)
            _add(results, options, power)
            total = total + power
    for operator in sorted(validators):
        validator = validators[operator]
        if not validator.options or validator.shares.is_zero():
            continue
        remaining = validator.shares - validator.deductions
        power = remaining.mul_int(validator.tokens).quo(validator.shares)
        _add(results, validator.options, power)
        total = total + power
    return total, results


def tally(
    ctx: Context,
    staking: StakingKeeper,
    votes: Iterable[gov_pb2.Vote],
    params: TallyParams,
) -> TallyOutcome:
    """The outcome of a proposal's votes under ``params`` (see the module docstring)."""
    total, results = count_votes(ctx, staking, votes)

    def outcome(passes: bool, burn: bool) -> TallyOutcome:
        return TallyOutcome(passes, burn, results, total)

    bonded = staking.total_bonded_tokens(ctx)
    if bonded == 0:
        return outcome(False, False)
    if total.quo(Dec.from_int(bonded)) < params.quorum:
        return outcome(False, params.burn_vote_quorum)
    active = total - results[OPTION_ABSTAIN]
    if active.is_zero():
        return outcome(False, False)
    if results[OPTION_NO_WITH_VETO].quo(total) > params.veto_threshold:
        return outcome(False, params.burn_vote_veto)
    if results[OPTION_YES].quo(active) > params.threshold:
        return outcome(True, False)
    return outcome(False, False)
