"""MsgUpdateParams: every "Fails when" condition, and the params it stores."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from chain.sdk.errors import ErrInvalidAddress
from incentives.pb import events_pb2, params_pb2, query_pb2, tx_pb2
from incentives.types import codec
from incentives.types.errors import ErrInvalidAuthority, ErrInvalidParams
from incentives.types.params import Params
from tests.incentives.helpers import expect_failure, typed_events
from tests.incentives.world import FEEDER, GOV, World, addr

Mutation = Callable[[params_pb2.Params], object]


def current_params(world: World) -> Params:
    return world.app.incentives.keeper.get_params(world.app.context())


def params_msg(world: World, mutate: Mutation | None = None) -> tx_pb2.MsgUpdateParams:
    params = codec.params_to_pb(current_params(world))
    if mutate is not None:
        mutate(params)
    return tx_pb2.MsgUpdateParams(authority=GOV, params=params)


def _set(field: str, value: object) -> Mutation:
    return lambda params: setattr(params, field, value)


def _model(index: int, **fields: object) -> Mutation:
    def mutate(params: params_pb2.Params) -> None:
        for name, value in fields.items():
            setattr(params.gpu_models[index], name, value)

    return mutate


def _duplicate_model(params: params_pb2.Params) -> None:
    params.gpu_models.add().CopyFrom(params.gpu_models[0])


# The conditions of validate_params (incentives/types/params.py and the README).
INVALID_PARAMS: list[tuple[str, Mutation]] = [
    ("epoch_identifier_is_empty", _set("epoch_identifier", "")),
    ("epoch_identifier_is_blank", _set("epoch_identifier", "  ")),
    ("claim_window_is_zero", _set("claim_window_epochs", 0)),
    ("price_age_is_zero", _set("max_price_age_seconds", 0)),
    ("report_limit_is_zero", _set("max_reports_per_attestation", 0)),
    ("price_feeder_is_invalid", lambda params: params.price_feeders.append("akash1nope")),
    ("price_feeder_is_repeated", lambda params: params.price_feeders.append(addr(FEEDER))),
    ("catalog_model_is_repeated", _duplicate_model),
    ("catalog_model_has_no_name", _model(0, name="")),
    ("catalog_model_has_no_vendor", _model(0, vendor=0)),
    ("catalog_model_has_no_memory", _model(0, vram_gb=0)),
    ("catalog_model_launch_year_is_before_2000", _model(0, launch_year=1999)),
    ("reward_denom_is_invalid", _set("reward_denom", "1uakt")),
    ("reward_denom_is_empty", _set("reward_denom", "")),
]


def test_msg_update_params_fails_when_validate_basic_fails() -> None:
    world = World()
    msg = params_msg(world)
    msg.authority = "akash1invalid"
    expect_failure(world, msg, ErrInvalidAddress)


def test_msg_update_params_fails_when_signer_is_not_gov_authority() -> None:
    world = World()
    msg = params_msg(world)
    msg.authority = addr(0)
    expect_failure(world, msg, ErrInvalidAuthority)


@pytest.mark.parametrize(
    "mutate", [case[1] for case in INVALID_PARAMS], ids=[c[0] for c in INVALID_PARAMS]
)
def test_msg_update_params_fails_when_params_are_invalid(mutate: Mutation) -> None:
    world = World()
    expect_failure(world, params_msg(world, mutate), ErrInvalidParams)


def test_msg_update_params_fails_when_catalog_vendor_is_unknown() -> None:
    """A vendor number the domain enum does not know must be rejected as invalid params, not
    crash the handler with a ValueError."""
    world = World()
    expect_failure(world, params_msg(world, _model(0, vendor=7)), ErrInvalidParams)


def test_msg_update_params_fails_when_reward_denom_changes_while_pools_hold_funds() -> None:
    """Pools hold uakt; switching the reward denom would strand them: the module account holds
    no coins of the new denom, so claims and closes fail and module-balance breaks."""
    world = World()
    world.create_pool("pro_rata")
    world.fund()
    new = dataclasses.replace(current_params(world), reward_denom="uatom")
    msg = tx_pb2.MsgUpdateParams(authority=GOV, params=codec.params_to_pb(new))
    expect_failure(world, msg, ErrInvalidParams)


def test_msg_update_params_fails_when_no_params_are_given() -> None:
    world = World()
    expect_failure(world, tx_pb2.MsgUpdateParams(authority=GOV), ErrInvalidParams)


def test_msg_update_params_stores_the_params() -> None:
    world = World()
    old = current_params(world)
    new = dataclasses.replace(
        old,
        settlement_lag_epochs=2,
        claim_window_epochs=7,
        max_price_age_seconds=600,
        price_feeders=(addr(FEEDER), addr(7)),
        gpu_models=old.gpu_models[:3],
        max_reports_per_attestation=10,
    )
    result = world.ok(tx_pb2.MsgUpdateParams(authority=GOV, params=codec.params_to_pb(new)))
    assert result.response == tx_pb2.MsgUpdateParamsResponse()
    assert current_params(world) == new
    answer = world.app.incentives.query_server.Params(
        world.app.context(), query_pb2.QueryParamsRequest()
    )
    assert answer.params == codec.params_to_pb(new)
    assert typed_events(result.events, events_pb2.EventParamsUpdated) == [
        events_pb2.EventParamsUpdated(authority=GOV)
    ]
    assert world.app.invariants() == []
