"""The gov v1 keeper: proposals, deposits, votes, params and the end-of-block lifecycle.

Owns store ``gov`` (prefixes as cosmos-sdk v0.50 ``x/gov/types/keys.go``), values stored as the
``cosmos.gov.v1`` protos:
- ``proposals`` (0x00): id -> ``Proposal``;
- ``active_queue`` (0x01): (voting end ns, id), proposals in voting period;
- ``inactive_queue`` (0x02): (deposit end ns, id), proposals in deposit period;
- ``proposal_id`` (0x03): the next proposal id;
- ``voting_period_proposals`` (0x04): ids of proposals in voting period;
- ``deposits`` (0x10): (id, depositor) -> ``Deposit``;
- ``votes`` (0x20): (id, voter) -> ``Vote``;
- ``params`` (0x30): ``Params``; ``constitution`` (0x31): the constitution text.

The coins of every deposit are held by the ``gov`` module account
(``akash10d07y265gmmuvt4z0w9aw880jnsr700jhe7z0f``) until they are refunded or burned.

Lifecycle (``end_block``, as the SDK's ``EndBlocker``): proposals whose deposit period has ended
(deposit end <= block time) are deleted and their deposits refunded, or burned if
``burn_proposal_deposit_prevote``; proposals whose voting period has ended are tallied
(``chain.modules.gov.tally``). A passing proposal's messages run in one branch of the context
through the router: all succeed -> the branch is written and the proposal is ``PASSED``; any
``SdkError`` -> the branch is dropped and the proposal is ``FAILED`` with ``failed_reason`` = the
error's raw log. A failing expedited proposal becomes a regular one (voting end = voting start +
``voting_period``), keeping its deposits and votes; any other failing proposal is ``REJECTED``.
Deposits of a decided proposal are refunded, or burned when the tally says so (veto, or quorum
with ``burn_vote_quorum``). Votes are deleted once a proposal is decided.

Events (string attributes, the SDK's): ``submit_proposal`` (proposal_id, proposal_messages;
a second one with voting_period_start when the initial deposit starts voting),
``proposal_deposit`` (depositor, amount, proposal_id; with voting_period_start from MsgDeposit),
``proposal_vote`` (voter, option, proposal_id), ``inactive_proposal`` (proposal_id,
proposal_result=proposal_dropped), ``active_proposal`` (proposal_id, proposal_result =
proposal_passed | proposal_rejected | proposal_failed | expedited_proposal_rejected,
proposal_log), ``cancel_proposal`` (sender, proposal_id).

Fails when (each method checks before it writes, or the msg server runs it in a branch):
- a proposal does not exist: ``ErrUnknownProposal`` (gov/2) ``<id>``;
- a deposit or vote targets a proposal not in its deposit/voting period: ``ErrInactiveProposal``
  (gov/3) ``<id>``;
- metadata or title is longer than ``max_metadata_len`` (255): ``ErrMetadataTooLong`` (gov/15)
  ``got metadata with length <n>``; summary longer than 10x: ``ErrSummaryTooLong`` (gov/22);
- a proposal message cannot be decoded: ``ErrTxDecode`` ``unable to resolve type URL <url>``;
  its signer is not exactly the gov account: ``ErrInvalidSigner`` (gov/13) ``<signer>``; no route
  exists for it: ``ErrUnroutableProposalMsg`` (gov/10) ``<type url>``;
- a deposit is in a denom outside ``min_deposit``: ``ErrInvalidDepositDenom`` (gov/23); below
  ``min_deposit_ratio`` of the minimum deposit (MsgDeposit only): ``ErrMinDepositTooSmall``
  (gov/16); the depositor lacks the coins: ``ErrInsufficientFunds`` (bank);
- a vote option is invalid: ``ErrInvalidVote`` (gov/7);
- a cancel comes from another account: ``ErrInvalidProposer`` (gov/18), after voting ended:
  ``ErrVotingPeriodEnded`` (gov/20), for a decided proposal: ``ErrInvalidProposal`` (gov/21);
- params are invalid: ``ErrInvalidRequest`` with the SDK's ``Params.ValidateBasic`` wording;
- genesis is invalid or the module balance differs from the deposits: ``ErrInvalidGenesis``
  (gov/8).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.gov.v1 import genesis_pb2, gov_pb2
from cosmpy.protos.cosmos.msg.v1 import msg_pb2
from google.protobuf import any_pb2, descriptor_pool, message_factory
from google.protobuf.duration_pb2 import Duration
from google.protobuf.message import DecodeError, Message
from google.protobuf.timestamp_pb2 import Timestamp

from chain.modules.gov.expected_keepers import (
    BankKeeper,
    DistributionKeeper,
    HasRoute,
    Router,
    StakingKeeper,
)
from chain.modules.gov.tally import TallyOutcome, TallyParams, empty_tally_result, tally
from chain.sdk.address import decode_address, encode_address, module_address
from chain.sdk.collections import (
    BytesKey,
    CachedValue,
    Item,
    KeySet,
    Map,
    MappedValue,
    ProtoValue,
    Schema,
    TupleKey,
    U64Key,
)
from chain.sdk.context import NANOS, Context
from chain.sdk.errors import (
    ErrInvalidCoins,
    ErrInvalidRequest,
    ErrTxDecode,
    SdkError,
    register,
)
from chain.sdk.events import Event
from chain.sdk.gas import KV_GAS
from chain.sdk.math import Coin, Coins, Dec, Int
from chain.sdk.memo import Memo
from chain.sdk.probes import probe
from chain.sdk.stored_reader import Reader

MODULE_NAME = "gov"
CODESPACE = "gov"
GOV_ADDRESS = encode_address(module_address(MODULE_NAME))
DISTRIBUTION_MODULE = "distribution"
BOND_DENOM = "uakt"

INVARIANT_MODULE_ACCOUNT = "gov/module-account"

# Registered errors, codes as cosmos-sdk v0.50 ``x/gov/types/errors.go``.
ErrUnknownProposal = register(CODESPACE, 2, "unknown proposal")
ErrInactiveProposal = register(CODESPACE, 3, "inactive proposal")
ErrAlreadyActiveProposal = register(CODESPACE, 4, "proposal already active")
ErrInvalidProposalContent = register(CODESPACE, 5, "invalid proposal content")
ErrInvalidProposalType = register(CODESPACE, 6, "invalid proposal type")
ErrInvalidVote = register(CODESPACE, 7, "invalid vote option")
ErrInvalidGenesis = register(CODESPACE, 8, "invalid genesis state")
ErrNoProposalHandlerExists = register(CODESPACE, 9, "no handler exists for proposal type")
ErrUnroutableProposalMsg = register(CODESPACE, 10, "proposal message not recognized by router")
ErrNoProposalMsgs = register(CODESPACE, 11, "no messages proposed")
ErrInvalidProposalMsg = register(CODESPACE, 12, "invalid proposal message")
ErrInvalidSigner = register(
    CODESPACE, 13, "expected gov account as only signer for proposal message"
)
ErrMetadataTooLong = register(CODESPACE, 15, "metadata too long")
ErrMinDepositTooSmall = register(CODESPACE, 16, "minimum deposit is too small")
ErrInvalidProposer = register(CODESPACE, 18, "invalid proposer")
ErrVotingPeriodEnded = register(CODESPACE, 20, "voting period already ended")
ErrInvalidProposal = register(CODESPACE, 21, "invalid proposal")
ErrSummaryTooLong = register(CODESPACE, 22, "summary too long")
ErrInvalidDepositDenom = register(CODESPACE, 23, "invalid deposit denom")

EVENT_TYPE_SUBMIT_PROPOSAL = "submit_proposal"
EVENT_TYPE_PROPOSAL_DEPOSIT = "proposal_deposit"
EVENT_TYPE_PROPOSAL_VOTE = "proposal_vote"
EVENT_TYPE_INACTIVE_PROPOSAL = "inactive_proposal"
EVENT_TYPE_ACTIVE_PROPOSAL = "active_proposal"
EVENT_TYPE_CANCEL_PROPOSAL = "cancel_proposal"

ATTRIBUTE_KEY_PROPOSAL_ID = "proposal_id"
ATTRIBUTE_KEY_PROPOSAL_RESULT = "proposal_result"
ATTRIBUTE_KEY_PROPOSAL_LOG = "proposal_log"
ATTRIBUTE_KEY_PROPOSAL_MESSAGES = "proposal_messages"
ATTRIBUTE_KEY_VOTING_PERIOD_START = "voting_period_start"
ATTRIBUTE_KEY_DEPOSITOR = "depositor"
ATTRIBUTE_KEY_VOTER = "voter"
ATTRIBUTE_KEY_OPTION = "option"
ATTRIBUTE_VALUE_PROPOSAL_DROPPED = "proposal_dropped"
ATTRIBUTE_VALUE_PROPOSAL_PASSED = "proposal_passed"
ATTRIBUTE_VALUE_PROPOSAL_REJECTED = "proposal_rejected"
ATTRIBUTE_VALUE_EXPEDITED_PROPOSAL_REJECTED = "expedited_proposal_rejected"
ATTRIBUTE_VALUE_PROPOSAL_FAILED = "proposal_failed"

STATUS_DEPOSIT_PERIOD: int = gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD
STATUS_VOTING_PERIOD: int = gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
STATUS_PASSED: int = gov_pb2.PROPOSAL_STATUS_PASSED
STATUS_REJECTED: int = gov_pb2.PROPOSAL_STATUS_REJECTED
STATUS_FAILED: int = gov_pb2.PROPOSAL_STATUS_FAILED

DEFAULT_MAX_METADATA_LEN = 255
DEFAULT_PERIOD = 172_800  # 48 h, in seconds
DEFAULT_EXPEDITED_PERIOD = 86_400
DEFAULT_MIN_DEPOSIT = 10_000_000
DEFAULT_EXPEDITED_MIN_DEPOSIT = 50_000_000
REJECTED_REASON = "proposal did not get enough votes to pass"

_ONE = Dec.one()

# Gas the SDK charges on top of the store writes of a submitted proposal (cosmos-sdk #9683).
SUBMIT_PROPOSAL_GAS_PER_BYTE = 3 * KV_GAS.write_cost_per_byte


# Time


def timestamp(nanoseconds: int) -> Timestamp:
    return Timestamp(seconds=nanoseconds // NANOS, nanos=nanoseconds % NANOS)


def timestamp_ns(value: Timestamp) -> int:
    return int(value.seconds) * NANOS + int(value.nanos)


def duration_ns(value: Duration) -> int:
    return int(value.seconds) * NANOS + int(value.nanos)


def go_duration(nanoseconds: int) -> str:
    """``time.Duration.String()``: ``48h0m0s``, ``1.5s``, ``20ms``."""
    if nanoseconds == 0:
        return "0s"
    sign = "-" if nanoseconds < 0 else ""
    value = abs(nanoseconds)
    if value < NANOS:
        for unit, size in (("ms", 10**6), ("µs", 10**3), ("ns", 1)):
            if value >= size:
                return sign + _fraction(value, size) + unit
    hours, rest = divmod(value, 3600 * NANOS)
    minutes, rest = divmod(rest, 60 * NANOS)
    seconds = _fraction(rest, NANOS) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return sign + seconds


def _fraction(value: int, size: int) -> str:
    whole, frac = divmod(value, size)
    if not frac:
        return str(whole)
    digits = len(str(size)) - 1
    return f"{whole}." + f"{frac:0{digits}d}".rstrip("0")


# Coins as messages carry them: possibly invalid, printed as sdk.Coins.String() prints them.


def coins_text(coins: Iterable[CoinPb]) -> str:
    return ",".join(f"{coin.amount}{coin.denom}" for coin in coins)


def coins_from_pb(coins: Iterable[CoinPb], *, allow_empty: bool) -> Coins:
    """Strict ``Coins.IsValid``: sorted, unique, valid denoms, positive integer amounts.

    Fails when they are not (or are empty and ``allow_empty`` is false): ``ErrInvalidCoins``
    with the coins' text.
    """
    listed = list(coins)
    try:
        parsed = [Coin(coin.denom, Int.from_str(coin.amount)) for coin in listed]
        result = Coins.validate(parsed)
    except SdkError:
        raise ErrInvalidCoins.wrap(coins_text(listed)) from None
    if not result and not allow_empty:
        raise ErrInvalidCoins.wrap(coins_text(listed))
    return result


def coins_to_pb(coins: Coins) -> list[CoinPb]:
    return [CoinPb(denom=coin.denom, amount=str(coin.amount)) for coin in coins]


def _stored_coins(coins: Iterable[CoinPb]) -> Coins:
    return Coins(Coin(coin.denom, Int.from_str(coin.amount)) for coin in coins)


# Params


@dataclass(frozen=True, slots=True)
class GovParams:
    """Parsed ``cosmos.gov.v1.Params``; ``raw`` is the stored message, exported unchanged."""

    min_deposit: Coins
    expedited_min_deposit: Coins
    max_deposit_period_ns: int
    voting_period_ns: int
    expedited_voting_period_ns: int
    quorum: Dec
    threshold: Dec
    expedited_threshold: Dec
    veto_threshold: Dec
    min_initial_deposit_ratio: Dec
    proposal_cancel_ratio: Dec
    proposal_cancel_dest: str
    burn_vote_quorum: bool
    burn_proposal_deposit_prevote: bool
    burn_vote_veto: bool
    min_deposit_ratio: Dec
    raw: bytes

    def to_pb(self) -> gov_pb2.Params:
        return gov_pb2.Params.FromString(self.raw)

    def min_deposit_for(self, expedited: bool) -> Coins:
        """``GetMinDepositFromParams``."""
        return self.expedited_min_deposit if expedited else self.min_deposit

    def tally_params(self, expedited: bool) -> TallyParams:
        return TallyParams(
            quorum=self.quorum,
            threshold=self.expedited_threshold if expedited else self.threshold,
            veto_threshold=self.veto_threshold,
            burn_vote_quorum=self.burn_vote_quorum,
            burn_vote_veto=self.burn_vote_veto,
        )


def default_params(
    *,
    denom: str = BOND_DENOM,
    voting_period: int = DEFAULT_PERIOD,
    max_deposit_period: int = DEFAULT_PERIOD,
    expedited_voting_period: int | None = None,
    min_deposit: int = DEFAULT_MIN_DEPOSIT,
    expedited_min_deposit: int = DEFAULT_EXPEDITED_MIN_DEPOSIT,
) -> gov_pb2.Params:
    """The SDK v0.50 defaults with Akash's deposits; periods in seconds. The expedited voting
    period defaults to 24 h, or half the voting period when that is shorter (it must be
    strictly shorter than the voting period)."""
    if expedited_voting_period is None:
        expedited_voting_period = min(DEFAULT_EXPEDITED_PERIOD, voting_period // 2)
    return gov_pb2.Params(
        min_deposit=[CoinPb(denom=denom, amount=str(min_deposit))],
        max_deposit_period=Duration(seconds=max_deposit_period),
        voting_period=Duration(seconds=voting_period),
        quorum=str(Dec.from_str("0.334")),
        threshold=str(Dec.from_str("0.5")),
        veto_threshold=str(Dec.from_str("0.334")),
        min_initial_deposit_ratio=str(Dec.zero()),
        proposal_cancel_ratio=str(Dec.from_str("0.5")),
        proposal_cancel_dest="",
        expedited_voting_period=Duration(seconds=expedited_voting_period),
        expedited_threshold=str(Dec.from_str("0.667")),
        expedited_min_deposit=[CoinPb(denom=denom, amount=str(expedited_min_deposit))],
        burn_vote_quorum=False,
        burn_proposal_deposit_prevote=False,
        burn_vote_veto=True,
        min_deposit_ratio=str(Dec.from_str("0.01")),
    )


def _dec(name: str, text: str) -> Dec:
    try:
        return Dec.from_str(text)
    except SdkError as err:
        raise ErrInvalidRequest.wrap(f"invalid {name} string: {err.detail}") from None


def _ratio(name: str, text: str) -> Dec:
    """A ratio in [0, 1], with ``ValidateBasic``'s wording for the proposal ratios."""
    try:
        value = Dec.from_str(text)
    except SdkError as err:
        raise ErrInvalidRequest.wrap(f"invalid {name} of proposal: {err.detail}") from None
    if value.is_negative():
        raise ErrInvalidRequest.wrap(f"{name} of proposal must be positive: {value}")
    if value > _ONE:
        raise ErrInvalidRequest.wrap(f"{name} of proposal is too large: {value}")
    return value


def _period(params: gov_pb2.Params, field: str, name: str) -> int:
    if not params.HasField(field):
        raise ErrInvalidRequest.wrap(f"{name} must not be nil: <nil>")
    value = duration_ns(getattr(params, field))
    if value <= 0:
        raise ErrInvalidRequest.wrap(f"{name} must be positive: {go_duration(value)}")
    return value


def validate_params(params: gov_pb2.Params) -> GovParams:
    """``Params.ValidateBasic`` (v0.50), returning the parsed params.

    Fails when a check fails: ``ErrInvalidRequest`` with the SDK's message.
    """
    try:
        min_deposit = coins_from_pb(params.min_deposit, allow_empty=False)
    except SdkError:
        raise ErrInvalidRequest.wrap(
            f"invalid minimum deposit: {coins_text(params.min_deposit)}"
        ) from None
    try:
        expedited_min_deposit = coins_from_pb(params.expedited_min_deposit, allow_empty=False)
    except SdkError:
        raise ErrInvalidRequest.wrap(
            f"invalid expedited minimum deposit: {coins_text(params.expedited_min_deposit)}"
        ) from None
    if min_deposit.is_all_gte(expedited_min_deposit):
        raise ErrInvalidRequest.wrap(
            "expedited minimum deposit must be greater than minimum deposit: "
            f"{expedited_min_deposit}"
        )
    max_deposit_period = _period(params, "max_deposit_period", "maximum deposit period")
    quorum = _dec("quorum", params.quorum)
    if quorum.is_negative():
        raise ErrInvalidRequest.wrap(f"quorom cannot be negative: {quorum}")
    if quorum > _ONE:
        raise ErrInvalidRequest.wrap(f"quorom too large: {params.quorum}")
    threshold = _dec("threshold", params.threshold)
    if not threshold.is_positive():
        raise ErrInvalidRequest.wrap(f"vote threshold must be positive: {threshold}")
    if threshold > _ONE:
        raise ErrInvalidRequest.wrap(f"vote threshold too large: {threshold}")
    expedited_threshold = _dec("expedited threshold", params.expedited_threshold)
    if expedited_threshold > _ONE:
        raise ErrInvalidRequest.wrap(f"expedited vote threshold too large: {expedited_threshold}")
    if expedited_threshold <= threshold:
        raise ErrInvalidRequest.wrap(
            f"expedited vote threshold {expedited_threshold}, must be greater than the regular "
            f"threshold {threshold}"
        )
    veto_threshold = _dec("vetoThreshold", params.veto_threshold)
    if not veto_threshold.is_positive():
        raise ErrInvalidRequest.wrap(f"veto threshold must be positive: {veto_threshold}")
    if veto_threshold > _ONE:
        raise ErrInvalidRequest.wrap(f"veto threshold too large: {veto_threshold}")
    voting_period = _period(params, "voting_period", "voting period")
    expedited_voting_period = _period(params, "expedited_voting_period", "expedited voting period")
    if expedited_voting_period >= voting_period:
        raise ErrInvalidRequest.wrap(
            f"expedited voting period {go_duration(expedited_voting_period)} must be strictly "
            f"less that the regular voting period {go_duration(voting_period)}"
        )
    min_initial_deposit_ratio = _ratio(
        "minimum initial deposit ratio", params.min_initial_deposit_ratio
    )
    proposal_cancel_ratio = _ratio("burn rate of cancel", params.proposal_cancel_ratio)
    if params.proposal_cancel_dest:
        try:
            decode_address(params.proposal_cancel_dest)
        except SdkError:
            raise ErrInvalidRequest.wrap(
                f"deposits destination address is invalid: {params.proposal_cancel_dest}"
            ) from None
    min_deposit_ratio = _ratio("mininum deposit ratio", params.min_deposit_ratio)
    return GovParams(
        min_deposit=min_deposit,
        expedited_min_deposit=expedited_min_deposit,
        max_deposit_period_ns=max_deposit_period,
        voting_period_ns=voting_period,
        expedited_voting_period_ns=expedited_voting_period,
        quorum=quorum,
        threshold=threshold,
        expedited_threshold=expedited_threshold,
        veto_threshold=veto_threshold,
        min_initial_deposit_ratio=min_initial_deposit_ratio,
        proposal_cancel_ratio=proposal_cancel_ratio,
        proposal_cancel_dest=params.proposal_cancel_dest,
        burn_vote_quorum=params.burn_vote_quorum,
        burn_proposal_deposit_prevote=params.burn_proposal_deposit_prevote,
        burn_vote_veto=params.burn_vote_veto,
        min_deposit_ratio=min_deposit_ratio,
        raw=params.SerializeToString(deterministic=True),
    )


# Proposal messages


def unpack_message(packed: any_pb2.Any) -> Message:
    """The message an ``Any`` holds, resolved in the default descriptor pool.

    Fails when the type URL is not ``/<full name>`` of a known message or the bytes do not
    parse: ``ErrTxDecode``.
    """
    type_url = packed.type_url
    name = type_url[1:]
    pool = descriptor_pool.Default()  # type: ignore[no-untyped-call]
    try:
        if not type_url.startswith("/"):
            raise KeyError(type_url)
        descriptor = pool.FindMessageTypeByName(name)
    except KeyError:
        raise ErrTxDecode.wrap(f"unable to resolve type URL {type_url}") from None
    message: Message = message_factory.GetMessageClass(descriptor)()
    try:
        message.ParseFromString(packed.value)
    except DecodeError as err:
        raise ErrTxDecode.wrap(f"{type_url}: {err}") from None
    return message


def type_url(message: Message) -> str:
    return f"/{message.DESCRIPTOR.full_name}"


def message_signers(message: Message) -> list[bytes]:
    """The signers named by the message's ``cosmos.msg.v1.signer`` option (string fields).

    Fails when the message has no signer option or a non-string signer field
    (``ErrInvalidSigner``), or a signer is not a valid address (``ErrInvalidAddress``).
    """
    descriptor = message.DESCRIPTOR
    fields: list[str] = list(descriptor.GetOptions().Extensions[msg_pb2.signer])
    if not fields:
        raise ErrInvalidSigner.wrap(
            f"no cosmos.msg.v1.signer option found for message {descriptor.full_name}"
        )
    signers = []
    for name in fields:
        field = descriptor.fields_by_name.get(name)
        if field is None or field.type != field.TYPE_STRING:
            raise ErrInvalidSigner.wrap(f"unsupported signer field {name}")
        values = getattr(message, name)
        for value in [values] if isinstance(values, str) else list(values):
            signers.append(decode_address(value))
    return signers


_METADATA_STRINGS = ("title", "summary", "details", "proposal_forum_url", "vote_option_context")
_METADATA_FIELDS = (*_METADATA_STRINGS, "authors")


class _JsonObject(list[tuple[str, Any]]):
    """A decoded JSON object, as its (key, value) pairs in order."""


class _JsonNumber:
    def __init__(self, text: str) -> None:
        self.text = text


def _no_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


def metadata_title_summary(metadata: str) -> tuple[str, str] | None:
    """Title and summary of gov metadata JSON, as Go's ``json.Unmarshal`` into
    ``ProposalMetadata`` fills them (keys match case-insensitively, the last one wins, ``null``
    leaves a field empty), or None where ``Unmarshal`` would return an error."""
    try:
        value = json.loads(
            metadata,
            object_pairs_hook=_JsonObject,
            parse_int=_JsonNumber,
            parse_float=_JsonNumber,
            parse_constant=_no_constant,
        )
    except ValueError:
        return None
    if value is None:
        return "", ""
    if not isinstance(value, _JsonObject):
        return None
    fields = {"title": "", "summary": ""}
    for key, item in value:
        name = key if key in _METADATA_FIELDS else None
        if name is None:
            name = next((f for f in _METADATA_FIELDS if f == key.lower()), None)
        if name is None or item is None:
            continue
        if name == "authors":
            if not isinstance(item, list) or isinstance(item, _JsonObject):
                return None
            if any(author is not None and type(author) is not str for author in item):
                return None
        elif type(item) is not str:
            return None
        elif name in fields:
            fields[name] = item
    return fields["title"], fields["summary"]


def weighted_option_text(option: gov_pb2.WeightedVoteOption) -> str:
    """gogoproto's ``String()`` of a ``WeightedVoteOption``: ``option:VOTE_OPTION_YES
    weight:"1" `` (default fields left out, each field followed by a space)."""
    parts = ""
    if option.option:
        name = (
            gov_pb2.VoteOption.Name(option.option)
            if option.option in gov_pb2.VoteOption.values()
            else str(option.option)
        )
        parts += f"option:{name} "
    if option.weight:
        parts += f"weight:{json.dumps(option.weight)} "
    return parts


def weighted_options_text(options: Iterable[gov_pb2.WeightedVoteOption]) -> str:
    """``WeightedVoteOptions.String()``: one option per line, trimmed."""
    return "\n".join(weighted_option_text(option) for option in options).strip()


def valid_vote_option(option: int) -> bool:
    return option in (
        gov_pb2.VOTE_OPTION_YES,
        gov_pb2.VOTE_OPTION_ABSTAIN,
        gov_pb2.VOTE_OPTION_NO,
        gov_pb2.VOTE_OPTION_NO_WITH_VETO,
    )


def valid_weighted_option(option: gov_pb2.WeightedVoteOption) -> bool:
    """``ValidWeightedVoteOption``: a valid option with a weight in (0, 1]."""
    try:
        weight = Dec.from_str(option.weight)
    except SdkError:
        return False
    return weight.is_positive() and weight <= _ONE and valid_vote_option(option.option)


class _StrValue:
    def encode(self, value: str) -> bytes:
        return value.encode()

    def decode(self, data: bytes) -> str:
        return data.decode()


class GovKeeper:
    """Proposals, deposits, votes and params of gov v1; see the module docstring."""

    def __init__(
        self,
        bank: BankKeeper,
        staking: StakingKeeper,
        router: Router | None = None,
        *,
        has_route: HasRoute | None = None,
        params: gov_pb2.Params | None = None,
        authority: str = GOV_ADDRESS,
        distribution: DistributionKeeper | None = None,
        max_metadata_len: int = DEFAULT_MAX_METADATA_LEN,
        store_name: str = MODULE_NAME,
    ) -> None:
        self.bank = bank
        self.staking = staking
        self.router = router
        self.has_route = has_route
        self.authority = authority
        self.distribution = distribution
        self.max_metadata_len = max_metadata_len
        self.default_params = validate_params(params if params is not None else default_params())
        self.schema = Schema(store_name)
        schema = self.schema
        self.proposals: Map[int, Any] = schema.map(
            b"\x00", "proposals", U64Key, ProtoValue(gov_pb2.Proposal)
        )
        self.active_queue: KeySet[tuple[int, int]] = schema.key_set(
            b"\x01", "active_proposals_queue", TupleKey(U64Key, U64Key)
        )
        self.inactive_queue: KeySet[tuple[int, int]] = schema.key_set(
            b"\x02", "inactive_proposals_queue", TupleKey(U64Key, U64Key)
        )
        self.proposal_id = schema.sequence(b"\x03", "proposal_id", start=1)
        self.voting_period_proposals: KeySet[int] = schema.key_set(
            b"\x04", "voting_period_proposals", U64Key
        )
        self.deposits: Map[tuple[int, bytes], Any] = schema.map(
            b"\x10", "deposits", TupleKey(U64Key, BytesKey), ProtoValue(gov_pb2.Deposit)
        )
        # The deposits invariant reads every deposit after every block: each distinct stored key,
        # deposit and deposit's coins is decoded once (the decoded messages are only read).
        self._deposit_reads = Reader(self.deposits)
        decode_deposit = self._deposit_reads.value
        self._deposit_coins: Memo[Coins] = Memo(
            lambda raw: _stored_coins(decode_deposit(raw).amount)
        )
        self.votes: Map[tuple[int, bytes], Any] = schema.map(
            b"\x20", "votes", TupleKey(U64Key, BytesKey), ProtoValue(gov_pb2.Vote)
        )
        self.params: Item[GovParams] = schema.item(
            b"\x30",
            "params",
            CachedValue(MappedValue(gov_pb2.Params, GovParams.to_pb, validate_params)),
        )
        self.constitution: Item[str] = schema.item(b"\x31", "constitution", _StrValue())

    def set_router(self, route: Router, has_route: HasRoute | None = None) -> None:
        """Route passed proposals' messages through ``route``; ``has_route`` (if given) tells at
        submission whether a type URL can be routed at all."""
        self.router = route
        self.has_route = has_route

    @property
    def module_address(self) -> bytes:
        """The account id of the gov module account, which holds the deposits."""
        return module_address(MODULE_NAME)

    # Params and constitution

    def get_params(self, ctx: Context) -> GovParams:
        """The stored params, or the keeper's defaults before genesis stored any."""
        params = self.params.get(ctx)
        return self.default_params if params is None else params

    def set_params(self, ctx: Context, params: gov_pb2.Params) -> GovParams:
        """Validate and store ``params``. Fails when invalid (``ErrInvalidRequest``)."""
        parsed = validate_params(params)
        self.params.set(ctx, parsed)
        return parsed

    def get_constitution(self, ctx: Context) -> str:
        value = self.constitution.get(ctx)
        return "" if value is None else value

    # Proposals

    def get_proposal(self, ctx: Context, proposal_id: int) -> Any | None:
        """The proposal with ``proposal_id`` (a fresh message), or None."""
        if not 0 <= proposal_id < 1 << 64:
            return None
        return self.proposals.get(ctx, proposal_id)

    def set_proposal(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        """Store ``proposal`` and keep the voting-period index in step with its status."""
        if proposal.status == STATUS_VOTING_PERIOD:
            self.voting_period_proposals.add(ctx, proposal.id)
        else:
            self.voting_period_proposals.remove(ctx, proposal.id)
        self.proposals.set(ctx, proposal.id, proposal)

    def delete_proposal(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        """Remove a proposal and its queue entries (``DeleteProposal``)."""
        if proposal.HasField("deposit_end_time"):
            self.inactive_queue.remove(ctx, (timestamp_ns(proposal.deposit_end_time), proposal.id))
        if proposal.HasField("voting_end_time"):
            self.active_queue.remove(ctx, (timestamp_ns(proposal.voting_end_time), proposal.id))
            self.voting_period_proposals.remove(ctx, proposal.id)
        self.proposals.remove(ctx, proposal.id)

    def iterate_proposals(self, ctx: Context) -> Iterator[Any]:
        """Every proposal, by id."""
        return self.proposals.values(ctx)

    def submit_proposal(
        self,
        ctx: Context,
        messages: list[any_pb2.Any],
        metadata: str,
        title: str,
        summary: str,
        proposer: bytes,
        expedited: bool,
    ) -> Any:
        """Create a proposal in its deposit period (``Keeper.SubmitProposal``); no deposit yet.

        Fails when metadata, summary or title is too long; a message does not decode, is not
        signed by exactly the gov account, or has no route (see the module docstring).
        """
        self._assert_metadata_length(metadata)
        if summary and len(summary.encode()) > 10 * self.max_metadata_len:
            raise ErrSummaryTooLong.wrap(f"got summary with length {len(summary.encode())}")
        self._assert_metadata_length(title)
        urls = ""
        for packed in messages:
            message = unpack_message(packed)
            urls = f"{urls},{type_url(message)}"
            self._check_proposal_message(message)
        params = self.get_params(ctx)
        proposal_id = self.proposal_id.peek(ctx)
        now = ctx.header.time_ns
        proposal = gov_pb2.Proposal(
            id=proposal_id,
            messages=messages,
            status=STATUS_DEPOSIT_PERIOD,
            final_tally_result=empty_tally_result(),
            submit_time=timestamp(now),
            deposit_end_time=timestamp(now + params.max_deposit_period_ns),
            metadata=metadata,
            title=title,
            summary=summary,
            proposer=encode_address(proposer),
            expedited=expedited,
        )
        self.proposal_id.set(ctx, proposal_id + 1)
        self.set_proposal(ctx, proposal)
        self.inactive_queue.add(ctx, (timestamp_ns(proposal.deposit_end_time), proposal_id))
        ctx.emit_event(
            Event(
                EVENT_TYPE_SUBMIT_PROPOSAL,
                (
                    (ATTRIBUTE_KEY_PROPOSAL_ID, str(proposal_id)),
                    (ATTRIBUTE_KEY_PROPOSAL_MESSAGES, urls),
                ),
            )
        )
        return proposal

    def _assert_metadata_length(self, metadata: str) -> None:
        length = len(metadata.encode())
        if metadata and length > self.max_metadata_len:
            raise ErrMetadataTooLong.wrap(f"got metadata with length {length}")

    def _check_proposal_message(self, message: Message) -> None:
        signers = message_signers(message)
        if len(signers) != 1:
            raise ErrInvalidSigner.wrap("")
        if signers[0] != self.module_address:
            raise ErrInvalidSigner.wrap(encode_address(signers[0]))
        url = type_url(message)
        routable = self.router is not None and (self.has_route is None or self.has_route(url))
        if not routable:
            raise ErrUnroutableProposalMsg.wrap(url)

    def activate_voting_period(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        """Move a proposal from its deposit period into its voting period, starting now."""
        params = self.get_params(ctx)
        now = ctx.header.time_ns
        period = (
            params.expedited_voting_period_ns if proposal.expedited else params.voting_period_ns
        )
        proposal.voting_start_time.CopyFrom(timestamp(now))
        proposal.voting_end_time.CopyFrom(timestamp(now + period))
        proposal.status = STATUS_VOTING_PERIOD
        self.set_proposal(ctx, proposal)
        self.inactive_queue.remove(ctx, (timestamp_ns(proposal.deposit_end_time), proposal.id))
        self.active_queue.add(ctx, (now + period, proposal.id))

    # Deposits

    def get_deposit(self, ctx: Context, proposal_id: int, depositor: bytes) -> Any | None:
        if not 0 <= proposal_id < 1 << 64:
            return None
        return self.deposits.get(ctx, (proposal_id, depositor))

    def iterate_deposits(self, ctx: Context, proposal_id: int) -> Iterator[tuple[bytes, Any]]:
        """(depositor, deposit) of one proposal, in depositor order."""
        for (_, depositor), deposit in self.deposits.iterate(ctx, (proposal_id,)):
            yield depositor, deposit

    def validate_deposit_denom(self, params: GovParams, amount: Coins) -> None:
        """Fails when a coin's denom is not a ``min_deposit`` denom (``ErrInvalidDepositDenom``)."""
        denoms = params.min_deposit.denoms()
        for coin in amount:
            if coin.denom not in denoms:
                raise ErrInvalidDepositDenom.wrap(
                    f"deposited {coin}, but gov accepts only the following denom(s): "
                    f"[{' '.join(denoms)}]"
                )

    def add_deposit(
        self,
        ctx: Context,
        proposal_id: int,
        depositor: bytes,
        amount: Coins,
        *,
        check_min_deposit_ratio: bool = True,
    ) -> bool:
        """Add ``amount`` from ``depositor`` to a proposal (``AddDeposit``); True if this starts
        its voting period.

        Fails when the proposal does not exist or is decided; a denom is not accepted; the
        amount is below ``min_deposit_ratio`` of the minimum deposit in every denom (when
        ``check_min_deposit_ratio``; initial deposits skip it); the depositor lacks the coins.
        """
        proposal = self.get_proposal(ctx, proposal_id)
        if proposal is None:
            raise ErrUnknownProposal.wrap(str(proposal_id))
        if proposal.status not in (STATUS_DEPOSIT_PERIOD, STATUS_VOTING_PERIOD):
            raise ErrInactiveProposal.wrap(str(proposal_id))
        params = self.get_params(ctx)
        min_deposit = params.min_deposit_for(proposal.expedited)
        self.validate_deposit_denom(params, amount)
        if check_min_deposit_ratio and not params.min_deposit_ratio.is_zero():
            thresholds = [
                Coin(
                    coin.denom,
                    Dec.from_int(coin.amount).mul(params.min_deposit_ratio).truncate_int(),
                )
                for coin in min_deposit
            ]
            if not any(
                amount.amount_of(threshold.denom) >= threshold.amount
                for threshold in thresholds
                if amount.amount_of(threshold.denom) > 0
            ):
                raise ErrMinDepositTooSmall.wrap(
                    f"received {amount} but need at least one of the following: "
                    + ",".join(str(threshold) for threshold in thresholds)
                )
        self.bank.send_coins_from_account_to_module(ctx, depositor, MODULE_NAME, amount)
        total = _stored_coins(proposal.total_deposit) + amount
        del proposal.total_deposit[:]
        proposal.total_deposit.extend(coins_to_pb(total))
        self.set_proposal(ctx, proposal)
        activated = False
        if proposal.status == STATUS_DEPOSIT_PERIOD and total.is_all_gte(min_deposit):
            self.activate_voting_period(ctx, proposal)
            activated = True
        deposit = self.get_deposit(ctx, proposal_id, depositor)
        if deposit is None:
            deposit = gov_pb2.Deposit(
                proposal_id=proposal_id, depositor=encode_address(depositor), amount=[]
            )
        deposited = _stored_coins(deposit.amount) + amount
        del deposit.amount[:]
        deposit.amount.extend(coins_to_pb(deposited))
        ctx.emit_event(
            Event(
                EVENT_TYPE_PROPOSAL_DEPOSIT,
                (
                    (ATTRIBUTE_KEY_DEPOSITOR, encode_address(depositor)),
                    ("amount", str(amount)),
                    (ATTRIBUTE_KEY_PROPOSAL_ID, str(proposal_id)),
                ),
            )
        )
        self.deposits.set(ctx, (proposal_id, depositor), deposit)
        return activated

    def refund_and_delete_deposits(self, ctx: Context, proposal_id: int) -> None:
        """Return every deposit of a proposal to its depositor and delete it."""
        for depositor, deposit in list(self.iterate_deposits(ctx, proposal_id)):
            amount = _stored_coins(deposit.amount)
            self.bank.send_coins_from_module_to_account(ctx, MODULE_NAME, depositor, amount)
            self.deposits.remove(ctx, (proposal_id, depositor))

    def delete_and_burn_deposits(self, ctx: Context, proposal_id: int) -> None:
        """Delete every deposit of a proposal and burn their sum from the module account."""
        total = Coins()
        for depositor, deposit in list(self.iterate_deposits(ctx, proposal_id)):
            total = total + _stored_coins(deposit.amount)
            self.deposits.remove(ctx, (proposal_id, depositor))
        self.bank.burn_coins(ctx, MODULE_NAME, total)

    def charge_deposit(self, ctx: Context, proposal_id: int, params: GovParams) -> None:
        """Refund each deposit minus ``proposal_cancel_ratio`` of it (truncated), and burn the
        charges or send them to ``proposal_cancel_dest`` (``ChargeDeposit``)."""
        charges = Coins()
        for depositor, deposit in list(self.iterate_deposits(ctx, proposal_id)):
            remaining = []
            for coin in _stored_coins(deposit.amount):
                burn = Dec.from_int(coin.amount).mul(params.proposal_cancel_ratio).truncate_int()
                remaining.append(Coin(coin.denom, coin.amount - burn))
                charges = charges + Coins([Coin(coin.denom, burn)])
            refund = Coins(remaining)
            if refund:
                self.bank.send_coins_from_module_to_account(ctx, MODULE_NAME, depositor, refund)
            self.deposits.remove(ctx, (proposal_id, depositor))
        if charges.is_zero():
            return
        dest = params.proposal_cancel_dest
        if not dest:
            self.bank.burn_coins(ctx, MODULE_NAME, charges)
        elif dest == encode_address(module_address(DISTRIBUTION_MODULE)):
            if self.distribution is None:
                raise ErrInvalidRequest.wrap("no distribution keeper to fund the community pool")
            self.distribution.fund_community_pool_from_module(ctx, charges, MODULE_NAME)
        else:
            self.bank.send_coins_from_module_to_account(
                ctx, MODULE_NAME, decode_address(dest), charges
            )

    def cancel_proposal(self, ctx: Context, proposal_id: int, proposer: str) -> None:
        """Cancel a proposal in its deposit or voting period (``CancelProposal``), charging
        ``proposal_cancel_ratio`` of every deposit.

        Fails when the proposal does not exist (``ErrUnknownProposal``), was submitted by
        another account (``ErrInvalidProposer``), is decided (``ErrInvalidProposal``) or its
        voting period has ended (``ErrVotingPeriodEnded``).
        """
        proposal = self.get_proposal(ctx, proposal_id)
        if proposal is None:
            raise ErrUnknownProposal.wrap(f"proposal {proposal_id} doesn't exist")
        if not proposal.proposer:
            raise ErrInvalidProposal.wrap(
                f"proposal {proposal_id} doesn't have proposer {proposer}, so cannot be canceled"
            )
        if proposal.proposer != proposer:
            raise ErrInvalidProposer.wrap(f"invalid proposer {proposer}")
        if proposal.status not in (STATUS_DEPOSIT_PERIOD, STATUS_VOTING_PERIOD):
            raise ErrInvalidProposal.wrap("proposal should be in the deposit or voting period")
        if (
            proposal.HasField("voting_end_time")
            and timestamp_ns(proposal.voting_end_time) < ctx.header.time_ns
        ):
            raise ErrVotingPeriodEnded.wrap(
                f"voting period is already ended for this proposal {proposal_id}"
            )
        self.charge_deposit(ctx, proposal_id, self.get_params(ctx))
        self.delete_votes(ctx, proposal_id)
        self.delete_proposal(ctx, proposal)

    # Votes

    def get_vote(self, ctx: Context, proposal_id: int, voter: bytes) -> Any | None:
        if not 0 <= proposal_id < 1 << 64:
            return None
        return self.votes.get(ctx, (proposal_id, voter))

    def iterate_votes(self, ctx: Context, proposal_id: int) -> Iterator[Any]:
        """The votes on one proposal, in voter order."""
        return self.votes.values(ctx, (proposal_id,))

    def add_vote(
        self,
        ctx: Context,
        proposal_id: int,
        voter: bytes,
        options: list[gov_pb2.WeightedVoteOption],
        metadata: str,
    ) -> None:
        """Record (or replace) a vote on a proposal in its voting period (``AddVote``).

        Fails when the proposal is not in its voting period (``ErrInactiveProposal``), the
        metadata is too long (``ErrMetadataTooLong``) or an option is invalid
        (``ErrInvalidVote``).
        """
        if not (0 <= proposal_id < 1 << 64 and self.voting_period_proposals.has(ctx, proposal_id)):
            raise ErrInactiveProposal.wrap(str(proposal_id))
        self._assert_metadata_length(metadata)
        for option in options:
            if not valid_weighted_option(option):
                raise ErrInvalidVote.wrap(weighted_option_text(option))
        vote = gov_pb2.Vote(
            proposal_id=proposal_id,
            voter=encode_address(voter),
            options=options,
            metadata=metadata,
        )
        self.votes.set(ctx, (proposal_id, voter), vote)
        ctx.emit_event(
            Event(
                EVENT_TYPE_PROPOSAL_VOTE,
                (
                    (ATTRIBUTE_KEY_VOTER, vote.voter),
                    (ATTRIBUTE_KEY_OPTION, weighted_options_text(options)),
                    (ATTRIBUTE_KEY_PROPOSAL_ID, str(proposal_id)),
                ),
            )
        )

    def delete_votes(self, ctx: Context, proposal_id: int) -> None:
        for voter in [voter for (_, voter), _ in self.votes.iterate(ctx, (proposal_id,))]:
            self.votes.remove(ctx, (proposal_id, voter))

    # Tally and end of block

    def tally(self, ctx: Context, proposal: gov_pb2.Proposal) -> TallyOutcome:
        """The current outcome of a proposal's votes; writes nothing."""
        params = self.get_params(ctx).tally_params(proposal.expedited)
        return tally(ctx, self.staking, self.iterate_votes(ctx, proposal.id), params)

    def end_block(self, ctx: Context) -> None:
        """Drop proposals whose deposit period ended and decide those whose voting ended."""
        now = ctx.header.time_ns
        for end, proposal_id in _due(self.inactive_queue.iterate(ctx), now):
            proposal = self.proposals.get(ctx, proposal_id)
            if proposal is None:
                self.inactive_queue.remove(ctx, (end, proposal_id))
                continue
            self.delete_proposal(ctx, proposal)
            if self.get_params(ctx).burn_proposal_deposit_prevote:
                self.delete_and_burn_deposits(ctx, proposal_id)
            else:
                self.refund_and_delete_deposits(ctx, proposal_id)
            ctx.emit_event(
                Event(
                    EVENT_TYPE_INACTIVE_PROPOSAL,
                    (
                        (ATTRIBUTE_KEY_PROPOSAL_ID, str(proposal_id)),
                        (ATTRIBUTE_KEY_PROPOSAL_RESULT, ATTRIBUTE_VALUE_PROPOSAL_DROPPED),
                    ),
                )
            )
        for end, proposal_id in _due(self.active_queue.iterate(ctx), now):
            proposal = self.proposals.get(ctx, proposal_id)
            self.active_queue.remove(ctx, (end, proposal_id))
            if proposal is not None:
                self._decide(ctx, proposal)

    def _decide(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        outcome = self.tally(ctx, proposal)
        # A failing expedited proposal goes on as a regular one: it keeps deposits and votes.
        converts = not outcome.passes and proposal.expedited
        if not converts:
            if outcome.burn_deposits:
                self.delete_and_burn_deposits(ctx, proposal.id)
            else:
                self.refund_and_delete_deposits(ctx, proposal.id)
        if outcome.passes:
            result, log = self._execute(ctx, proposal)
        elif converts:
            proposal.expedited = False
            end = timestamp_ns(proposal.voting_start_time) + self.get_params(ctx).voting_period_ns
            proposal.voting_end_time.CopyFrom(timestamp(end))
            self.active_queue.add(ctx, (end, proposal.id))
            result = ATTRIBUTE_VALUE_EXPEDITED_PROPOSAL_REJECTED
            log = "expedited proposal converted to regular"
        else:
            proposal.status = STATUS_REJECTED
            proposal.failed_reason = REJECTED_REASON
            result, log = ATTRIBUTE_VALUE_PROPOSAL_REJECTED, "rejected"
        if not converts:
            self.delete_votes(ctx, proposal.id)
        proposal.final_tally_result.CopyFrom(outcome.to_pb())
        self.set_proposal(ctx, proposal)
        ctx.emit_event(
            Event(
                EVENT_TYPE_ACTIVE_PROPOSAL,
                (
                    (ATTRIBUTE_KEY_PROPOSAL_ID, str(proposal.id)),
                    (ATTRIBUTE_KEY_PROPOSAL_RESULT, result),
                    (ATTRIBUTE_KEY_PROPOSAL_LOG, log),
                ),
            )
        )

    def _execute(self, ctx: Context, proposal: gov_pb2.Proposal) -> tuple[str, str]:
        """Run every message in one branch; write it only if all succeed."""
        branch = ctx.branch()
        for index, packed in enumerate(proposal.messages):
            try:
                message = unpack_message(packed)
                if self.router is None:
                    raise ErrUnroutableProposalMsg.wrap(type_url(message))
                self.router(branch.ctx, message)
                probe("gov.execute")
            except SdkError as err:
                proposal.status = STATUS_FAILED
                proposal.failed_reason = err.log
                return (
                    ATTRIBUTE_VALUE_PROPOSAL_FAILED,
                    f"passed, but msg {index} ({packed.type_url}) failed on execution: {err.log}",
                )
        branch.write()
        proposal.status = STATUS_PASSED
        return ATTRIBUTE_VALUE_PROPOSAL_PASSED, "passed"

    # Invariants

    def module_account_invariant(self, ctx: Context) -> str | None:
        """``gov/module-account``: the gov module balance equals the sum of the deposits on
        proposals in their deposit or voting period, in every denom of those deposits and of the
        minimum deposits. Returns a diagnostic, or None if it holds."""
        expected = Coins()
        live: dict[int, bool] = {}
        reads, deposit_coins = self._deposit_reads, self._deposit_coins
        key, decode_deposit = reads.key, reads.value
        for raw_key, raw in reads.stored(ctx):
            proposal_id = key(raw_key)[0]
            decode_deposit(raw)  # a deposit that does not decode fails as in ``Map.iterate``
            if proposal_id not in live:
                proposal = self.proposals.get(ctx, proposal_id)
                live[proposal_id] = proposal is not None and proposal.status in (
                    STATUS_DEPOSIT_PERIOD,
                    STATUS_VOTING_PERIOD,
                )
            if live[proposal_id]:
                expected = expected + deposit_coins(raw)
        params = self.get_params(ctx)
        denoms = (
            set(expected.denoms())
            | set(params.min_deposit.denoms())
            | set(params.expedited_min_deposit.denoms())
        )
        balance = self._module_balance(ctx, denoms)
        if balance == expected:
            return None
        return (
            "gov: deposits invariant\n"
            f"\tgov ModuleAccount coins: {balance}\n"
            f"\tsum of deposit amounts:  {expected}\n"
        )

    def _module_balance(self, ctx: Context, denoms: Iterable[str]) -> Coins:
        return Coins(
            Coin(denom, self.bank.get_balance(ctx, self.module_address, denom))
            for denom in sorted(set(denoms))
        )

    def invariants(self) -> list[tuple[str, Callable[[Context], str | None]]]:
        return [(INVARIANT_MODULE_ACCOUNT, self.module_account_invariant)]

    # Genesis

    def init_genesis(self, ctx: Context, state: genesis_pb2.GenesisState) -> None:
        """Load a validated genesis (``InitGenesis``).

        Fails when it is invalid or the module account balance differs from the sum of the
        deposits (``ErrInvalidGenesis``).
        """
        params = validate_genesis(state)
        self.proposal_id.set(ctx, state.starting_proposal_id)
        self.params.set(ctx, params)
        self.constitution.set(ctx, state.constitution)
        total = Coins()
        for deposit in state.deposits:
            amount = _stored_coins(deposit.amount)
            total = total + amount
            self.deposits.set(
                ctx, (deposit.proposal_id, decode_address(deposit.depositor)), deposit
            )
        for vote in state.votes:
            self.votes.set(ctx, (vote.proposal_id, decode_address(vote.voter)), vote)
        for proposal in state.proposals:
            if proposal.status == STATUS_DEPOSIT_PERIOD:
                self.inactive_queue.add(ctx, (timestamp_ns(proposal.deposit_end_time), proposal.id))
            elif proposal.status == STATUS_VOTING_PERIOD:
                self.active_queue.add(ctx, (timestamp_ns(proposal.voting_end_time), proposal.id))
            self.set_proposal(ctx, proposal)
        balance = self._module_balance(ctx, [*total.denoms(), *params.min_deposit.denoms()])
        if balance != total:
            raise ErrInvalidGenesis.wrap(
                f"expected module account was {balance} but we got {total}"
            )

    def export_genesis(self, ctx: Context) -> genesis_pb2.GenesisState:
        """The module's state as a ``GenesisState`` (``ExportGenesis``)."""
        return genesis_pb2.GenesisState(
            starting_proposal_id=self.proposal_id.peek(ctx),
            deposits=[deposit for _, deposit in self.deposits.iterate(ctx)],
            votes=[vote for _, vote in self.votes.iterate(ctx)],
            proposals=list(self.proposals.values(ctx)),
            params=self.get_params(ctx).to_pb(),
            constitution=self.get_constitution(ctx),
        )


def _due(queue: Iterator[tuple[int, int]], now: int) -> list[tuple[int, int]]:
    """Queue entries whose time is at or before ``now``, collected before any write."""
    due = []
    for end, proposal_id in queue:
        if end > now:
            break
        due.append((end, proposal_id))
    return due


def validate_genesis(state: genesis_pb2.GenesisState) -> GovParams:
    """``ValidateGenesis``: a positive starting id, unique proposals, deposits and votes on
    existing proposals only once per account, valid params and addresses.

    Fails when a check fails (``ErrInvalidGenesis``).
    """
    if state.starting_proposal_id == 0:
        raise ErrInvalidGenesis.wrap("starting proposal id must be greater than 0")
    ids: set[int] = set()
    for proposal in state.proposals:
        if proposal.id in ids:
            raise ErrInvalidGenesis.wrap(f"duplicate proposal id: {proposal.id}")
        ids.add(proposal.id)
        for field in ("deposit_end_time", "voting_end_time"):
            needed = STATUS_DEPOSIT_PERIOD if field == "deposit_end_time" else STATUS_VOTING_PERIOD
            if proposal.status == needed and not proposal.HasField(field):
                raise ErrInvalidGenesis.wrap(f"proposal {proposal.id} has no {field}")
    for kind, entries, account in (
        ("deposit", state.deposits, "depositor"),
        ("vote", state.votes, "voter"),
    ):
        seen: set[tuple[int, bytes]] = set()
        for entry in entries:
            if entry.proposal_id not in ids:
                raise ErrInvalidGenesis.wrap(
                    f"{kind} has non-existent proposal id: {entry.proposal_id}"
                )
            try:
                key = (entry.proposal_id, decode_address(getattr(entry, account)))
            except SdkError as err:
                raise ErrInvalidGenesis.wrap(err.log) from None
            if key in seen:
                raise ErrInvalidGenesis.wrap(f"duplicate {kind}: {getattr(entry, account)}")
            seen.add(key)
    for deposit in state.deposits:
        try:
            coins_from_pb(deposit.amount, allow_empty=True)
        except SdkError as err:
            raise ErrInvalidGenesis.wrap(err.log) from None
    if not state.HasField("params"):
        raise ErrInvalidGenesis.wrap("params must be set")
    try:
        return validate_params(state.params)
    except SdkError as err:
        raise ErrInvalidGenesis.wrap(err.log) from None
