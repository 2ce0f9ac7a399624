"""Genesis of the incentives module: export/import round trips and ``validate_genesis``.

A rich scenario (pools of all three rules, nodes, memberships, attestations of open epochs,
accruals, allocations, a deferred fixed-rate epoch, payments, redirects, a closed pool) is exported
as canonical JSON and imported into a fresh ``SimApp``: exporting again gives the same bytes, the
module's store is the same key for key, and both apps go on identically. Each invalid case the
genesis docstring lists is rejected by ``validate_genesis``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from chain.sdk.errors import SdkError
from chain.sdk.kv import prefix_end
from chain.sdk.math import Coins
from chain.simapp import SimApp
from incentives.pb import genesis_pb2, params_pb2, tx_pb2, types_pb2
from incentives.types import keys
from incentives.types.errors import ErrInvalidGenesis
from incentives.types.genesis import (
    default_genesis,
    genesis_from_json,
    genesis_to_json,
    validate_genesis,
)
from tests.incentives.world import DAY, DENOM, FEEDER, GOV, World, account, addr, coins

STORE_PREFIX = b"incentives/"


def incentives_store(app: SimApp) -> list[tuple[bytes, bytes]]:
    """Every key and value of the incentives module in the app's root store."""
    return list(app.store.iterate(STORE_PREFIX, prefix_end(STORE_PREFIX)))


def price_then_end_epoch(world: World, price: str = "2.5") -> None:
    """Post a fresh price just before the running epoch ends, then end it."""
    boundary = world.genesis_time + world.epoch * DAY
    world.app.begin_block(boundary - 600)
    world.post_price(price)
    world.next_epoch()


def withdraw_staking_rewards(world: World, delegator: int, amount: int) -> None:
    """What distribution does on a reward withdrawal: pay, then call the redirect hook."""
    app = world.app
    branch = app.context().branch()
    rewards = Coins.of(DENOM, amount)
    app.bank.mint_coins(branch.ctx, "distribution", rewards)
    app.bank.send_coins_from_module_to_account(
        branch.ctx, "distribution", account(delegator), rewards
    )
    app.incentives.after_rewards_withdrawn(branch.ctx, account(delegator), addr(delegator), rewards)
    branch.write()


def rich_world() -> World:
    """Four pools (fixed-rate, pro-rata, availability with a quorum of 2, a short pro-rata one
    that ends its term), run through five epochs; see the comments for what is left pending."""
    world = World()
    fixed = world.create_pool("fixed")
    pro_rata = world.create_pool(
        "pro_rata",
        eligibility=types_pb2.Eligibility(vendors=[params_pb2.VENDOR_NVIDIA], min_vram_gb=24),
    )
    availability = world.create_pool(
        "availability",
        attesters=[addr(8), addr(7)],
        attestation_quorum=2,
        eligibility=types_pb2.Eligibility(max_nodes_per_provider=2),
    )
    short = world.create_pool("pro_rata", name="short pool", end_epoch=3)
    for pool_id in (fixed, pro_rata, availability, short):
        world.fund(pool_id, 10**10)
    world.ok(tx_pb2.MsgFundPool(depositor=addr(6), pool_id=pro_rata, amount=coins(12_345)))

    world.register(1, "h100-a", "h100", 8, benchmark=4200)
    world.register(2, "a100-b", "a100-80gb", 4, benchmark=3100)
    world.register(3, "rtx4090-c", "rtx4090", 1, benchmark=900)
    world.register(1, "b200-d", "b200", 2)
    world.join(1, "h100-a", fixed, until_epoch=12)
    world.join(2, "a100-b", fixed, until_epoch=5)
    for node_id, owner in (("h100-a", 1), ("rtx4090-c", 3), ("b200-d", 1)):
        world.join(owner, node_id, pro_rata)
        world.join(owner, node_id, short)
    for node_id, owner in (("h100-a", 1), ("a100-b", 2), ("rtx4090-c", 3), ("b200-d", 1)):
        world.join(owner, node_id, availability)

    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(6), pool_id=pro_rata, bps=2500))
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(5), pool_id=availability, bps=10_000))
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(4), pool_id=short, bps=1))

    def attest(reports: list[tuple[str, int, int]], pool_id: int, epoch: int, by: int = 8) -> None:
        result = world.attest(reports, pool_id, epoch, attester=by)
        assert result.error is None, result.error.log

    def attest_all(epoch: int, online: int) -> None:
        attest([("h100-a", online, online // 2), ("a100-b", DAY, 0)], fixed, epoch)
        attest(
            [("h100-a", online, 1000), ("rtx4090-c", DAY, DAY), ("b200-d", 7, 0)], pro_rata, epoch
        )
        if epoch <= 3:
            attest([("rtx4090-c", DAY, 100)], short, epoch)
        reports = [("h100-a", online, 3600), ("a100-b", DAY, DAY), ("rtx4090-c", 600, 60)]
        for attester in (8, 7):
            attest(reports, availability, epoch, attester)

    # Epoch 1 finalizes at the end of epoch 2 with a fresh price; epoch 2 at the end of 3.
    attest_all(1, DAY)
    world.next_epoch()
    attest_all(2, DAY - 1)
    price_then_end_epoch(world, "2.5")
    attest_all(3, 40_000)
    price_then_end_epoch(world, "3.141592653589793238")
    withdraw_staking_rewards(world, 6, 1_000_001)
    withdraw_staking_rewards(world, 5, 77)
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(3), pool_id=short))
    # Epoch 3 of the fixed-rate pool is deferred: no fresh price when epoch 4 ends; the short
    # pool's term is over and it closes.
    attest_all(4, 12_345)
    world.next_epoch()
    world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=pro_rata))
    # Pending attestations of the still unfinalized epoch 4 and of the open epoch 5.
    attest([("h100-a", 5, 5)], fixed, world.epoch)
    attest([("a100-b", 9, 0)], availability, world.epoch, 7)
    assert world.app.invariants() == []
    return world


@pytest.fixture(scope="module")
def world() -> World:
    return rich_world()


@pytest.fixture(scope="module")
def exported(world: World) -> str:
    return genesis_to_json(world.app.incentives.export_genesis_state(world.app.context()))


def import_into_fresh_app(text: str, world: World) -> SimApp:
    """A fresh app holding the bank state the genesis needs and the module state it carries."""
    state = genesis_from_json(text)
    app = SimApp(genesis_time=world.app.header.time)
    ctx = app.context()
    owed = sum(int(pool.balance) + int(pool.accrued) for pool in state.pools)
    app.bank.mint_coins(ctx, keys.MODULE_NAME, Coins.of(DENOM, owed))
    app.epochs.init_genesis(ctx, world.app.epochs.export_genesis(world.app.context()))
    app.incentives.init_genesis_state(ctx, state)
    return app


def test_scenario_covers_every_kind_of_state(exported: str) -> None:
    state = genesis_from_json(exported)
    statuses = {pool.status for pool in state.pools}
    assert statuses == {types_pb2.POOL_STATUS_ACTIVE, types_pb2.POOL_STATUS_CLOSED}
    assert {pool.rule for pool in state.pools} == {1, 2, 3}
    assert any(
        pool.status == types_pb2.POOL_STATUS_CLOSED and pool.accrued != "0" for pool in state.pools
    )
    assert {item.status for item in state.allocations} == {
        types_pb2.ALLOCATION_STATUS_FINALIZED,
        types_pb2.ALLOCATION_STATUS_DEFERRED,
    }
    # Epoch 3 of the fixed-rate pool is deferred, 4 is not finalized yet, 5 is open.
    assert {item.epoch for item in state.attestations} == {3, 4, 5}
    assert any(item.HasField("commitment") for item in state.memberships)
    assert state.accruals
    assert state.payments
    assert any(item.contributed != "0" for item in state.redirects)
    assert state.HasField("price")
    assert state.HasField("epoch_state")
    assert state.next_payment_id == len(state.payments) + 1


def test_export_import_export_is_byte_identical(world: World, exported: str) -> None:
    app = import_into_fresh_app(exported, world)
    again = genesis_to_json(app.incentives.export_genesis_state(app.context()))
    assert again == exported
    assert app.invariants() == []


def test_imported_store_equals_the_original(world: World, exported: str) -> None:
    app = import_into_fresh_app(exported, world)
    assert incentives_store(app) == incentives_store(world.app)


def test_imported_app_goes_on_like_the_original(exported: str) -> None:
    world = rich_world()
    app = import_into_fresh_app(exported, world)
    boundary = world.genesis_time + world.epoch * DAY
    for target in (world.app, app):
        target.begin_block(boundary - 600)
        target.deliver(tx_pb2.MsgPostPrice(feeder=addr(FEEDER), akt_usd="2"))
        target.begin_block(boundary)
        target.begin_block(boundary + DAY)
    assert incentives_store(app) == incentives_store(world.app)
    assert app.invariants() == []


def test_canonical_json_is_sorted_and_indented(exported: str) -> None:
    assert exported == json.dumps(json.loads(exported), sort_keys=True, indent=2) + "\n"
    assert genesis_to_json(genesis_from_json(exported)) == exported


def test_default_genesis_round_trips() -> None:
    text = genesis_to_json(default_genesis())
    validate_genesis(genesis_from_json(text))
    app = SimApp()
    app.incentives.init_genesis_state(app.context(), genesis_from_json(text))
    assert genesis_to_json(app.incentives.export_genesis_state(app.context())) == text
    assert app.invariants() == []


def test_unknown_json_field_is_rejected() -> None:
    text = genesis_to_json(default_genesis()).replace('"pools"', '"pooles"')
    with pytest.raises(SdkError) as raised:
        genesis_from_json(text)
    assert raised.value.is_(ErrInvalidGenesis)


# validate_genesis: one case per "Fails when" bullet of incentives.types.genesis.

Mutation = Callable[[genesis_pb2.GenesisState], None]


def _pool(state: genesis_pb2.GenesisState, pool_id: int) -> types_pb2.Pool:
    return next(pool for pool in state.pools if pool.id == pool_id)


def _bump(pool: types_pb2.Pool, field: str, delta: int) -> None:
    setattr(pool, field, str(int(getattr(pool, field)) + delta))


def _repeat(items: Any, index: int = 0) -> None:
    copy = items.add()
    copy.CopyFrom(items[index])


def _set_params_claim_window(state: genesis_pb2.GenesisState) -> None:
    state.params.claim_window_epochs = 0


def _duplicate_feeder(state: genesis_pb2.GenesisState) -> None:
    state.params.price_feeders.append(state.params.price_feeders[0])


def _pool_id_zero(state: genesis_pb2.GenesisState) -> None:
    state.pools[0].id = 0


def _pool_id_repeated(state: genesis_pb2.GenesisState) -> None:
    state.pools[1].id = state.pools[0].id


def _pool_id_not_below_next(state: genesis_pb2.GenesisState) -> None:
    state.next_pool_id = state.pools[-1].id


def _ledger_unbalanced(state: genesis_pb2.GenesisState) -> None:
    _bump(state.pools[0], "funded", 1)


def _negative_ledger_entry(state: genesis_pb2.GenesisState) -> None:
    pool = state.pools[0]
    _bump(pool, "paid", int(pool.balance) + 1)
    pool.balance = "-1"


def _accrued_differs(state: genesis_pb2.GenesisState) -> None:
    pool = _pool(state, state.accruals[0].pool_id)
    _bump(pool, "accrued", 1)
    _bump(pool, "funded", 1)


def _node_repeated(state: genesis_pb2.GenesisState) -> None:
    _repeat(state.nodes)


def _membership_unknown_pool(state: genesis_pb2.GenesisState) -> None:
    state.memberships[0].pool_id = state.next_pool_id + 5


def _membership_unknown_node(state: genesis_pb2.GenesisState) -> None:
    membership = state.memberships[0]
    membership.node_id = "ghost"


def _membership_other_owner(state: genesis_pb2.GenesisState) -> None:
    state.memberships[0].owner = addr(9)


def _attestation_unknown_membership(state: genesis_pb2.GenesisState) -> None:
    state.attestations[0].report.node_id = "ghost"


def _accrual_unknown_pool(state: genesis_pb2.GenesisState) -> None:
    state.accruals[0].pool_id = state.next_pool_id + 5


def _accrual_zero(state: genesis_pb2.GenesisState) -> None:
    accrual = state.accruals[0]
    pool = _pool(state, accrual.pool_id)
    _bump(pool, "accrued", -int(accrual.amount))
    _bump(pool, "balance", int(accrual.amount))
    accrual.amount = "0"


def _accrual_negative(state: genesis_pb2.GenesisState) -> None:
    accrual = state.accruals[0]
    pool = _pool(state, accrual.pool_id)
    _bump(pool, "accrued", -int(accrual.amount) - 1)
    _bump(pool, "balance", int(accrual.amount) + 1)
    accrual.amount = "-1"


def _payment_id_zero(state: genesis_pb2.GenesisState) -> None:
    state.payments[0].id = 0


def _payment_id_repeated(state: genesis_pb2.GenesisState) -> None:
    state.payments[1].id = state.payments[0].id


def _payment_id_not_below_next(state: genesis_pb2.GenesisState) -> None:
    state.next_payment_id = state.payments[-1].id


def _redirects_above_10000_bps(state: genesis_pb2.GenesisState) -> None:
    redirect = state.redirects.add()
    redirect.CopyFrom(state.redirects[0])
    redirect.pool_id = next(pool.id for pool in state.pools if pool.id != redirect.pool_id)
    redirect.bps = 10_001 - state.redirects[0].bps


def _redirect_unknown_pool(state: genesis_pb2.GenesisState) -> None:
    state.redirects[0].pool_id = state.next_pool_id + 5


def _pool_number_unparsable(state: genesis_pb2.GenesisState) -> None:
    state.pools[0].balance = "12abc"


def _accrual_number_unparsable(state: genesis_pb2.GenesisState) -> None:
    state.accruals[0].amount = "1.5"


def _allocation_number_unparsable(state: genesis_pb2.GenesisState) -> None:
    state.allocations[0].emission = "ten"


def _price_unparsable(state: genesis_pb2.GenesisState) -> None:
    state.price.akt_usd = "2,5"


INVALID: dict[str, Mutation] = {
    "invalid-params-claim-window": _set_params_claim_window,
    "invalid-params-duplicate-feeder": _duplicate_feeder,
    "pool-id-zero": _pool_id_zero,
    "pool-id-repeated": _pool_id_repeated,
    "pool-id-not-below-next": _pool_id_not_below_next,
    "pool-ledger-unbalanced": _ledger_unbalanced,
    "pool-negative-ledger-entry": _negative_ledger_entry,
    "pool-accrued-differs-from-accruals": _accrued_differs,
    "node-repeated": _node_repeated,
    "membership-unknown-pool": _membership_unknown_pool,
    "membership-unknown-node": _membership_unknown_node,
    "membership-other-owner": _membership_other_owner,
    "attestation-unknown-membership": _attestation_unknown_membership,
    "accrual-unknown-pool": _accrual_unknown_pool,
    "accrual-zero-amount": _accrual_zero,
    "accrual-negative-amount": _accrual_negative,
    "payment-id-zero": _payment_id_zero,
    "payment-id-repeated": _payment_id_repeated,
    "payment-id-not-below-next": _payment_id_not_below_next,
    "redirects-above-10000-bps": _redirects_above_10000_bps,
    "redirect-unknown-pool": _redirect_unknown_pool,
    "unparsable-pool-number": _pool_number_unparsable,
    "unparsable-accrual-number": _accrual_number_unparsable,
    "unparsable-allocation-number": _allocation_number_unparsable,
    "unparsable-price": _price_unparsable,
}


def test_base_of_the_invalid_cases_is_valid(exported: str) -> None:
    validate_genesis(genesis_from_json(exported))


@pytest.mark.parametrize("case", sorted(INVALID))
def test_validate_genesis_rejects(case: str, exported: str, world: World) -> None:
    state = genesis_from_json(exported)
    INVALID[case](state)
    with pytest.raises(SdkError) as raised:
        validate_genesis(state)
    assert raised.value.is_(ErrInvalidGenesis), raised.value.log
    # init_genesis validates before it writes anything.
    app = SimApp()
    with pytest.raises(SdkError):
        app.incentives.init_genesis_state(app.context(), state)
    assert incentives_store(app) == []


# Beyond the docstring's list: repeated keys, unknown enum values and zero sequences. The
# repeated-key and zero-sequence cases are product bugs and fail until validate_genesis rejects
# them; the unknown-enum cases are regressions of a fixed one.


def _accepted(state: genesis_pb2.GenesisState) -> bool:
    """Whether ``validate_genesis`` accepts ``state`` (any rejection must be ErrInvalidGenesis)."""
    try:
        validate_genesis(state)
    except SdkError as err:
        if not err.is_(ErrInvalidGenesis):
            raise
        return False
    return True


@pytest.mark.parametrize("field", ["memberships", "accruals"])
def test_validate_genesis_rejects_repeated_keys_that_break_invariants(
    field: str, exported: str, world: World
) -> None:
    """A repeated membership or accrual passes validation; importing it keeps one copy, so the
    imported app starts with a broken invariant (provider_nodes index / pool accrued total)."""
    state = genesis_from_json(exported)
    entries = getattr(state, field)
    _repeat(entries)
    if field == "accruals":  # keep the ledger and accrued totals consistent with the copy
        pool = _pool(state, entries[0].pool_id)
        _bump(pool, "accrued", int(entries[0].amount))
        _bump(pool, "funded", int(entries[0].amount))
    if not _accepted(state):
        return
    app = import_into_fresh_app(genesis_to_json(state), world)
    assert app.invariants() == []


@pytest.mark.parametrize("field", ["redirects", "attestations", "allocations"])
def test_valid_genesis_with_repeated_keys_round_trips(field: str, exported: str) -> None:
    """A repeated redirect, attestation or allocation passes validation but import keeps only
    the last copy: ``export(import(g)) != g`` for a genesis ``validate_genesis`` accepted."""
    state = genesis_from_json(exported)
    _repeat(getattr(state, field))
    if not _accepted(state):
        return
    app = SimApp()
    owed = sum(int(pool.balance) + int(pool.accrued) for pool in state.pools)
    app.bank.mint_coins(app.context(), keys.MODULE_NAME, Coins.of(DENOM, owed))
    app.incentives.init_genesis_state(app.context(), state)
    assert genesis_to_json(app.incentives.export_genesis_state(app.context())) == genesis_to_json(
        state
    )


def _unknown_rule(state: genesis_pb2.GenesisState) -> None:
    state.pools[0].rule = 7  # type: ignore[assignment]


def _unknown_vendor(state: genesis_pb2.GenesisState) -> None:
    state.params.gpu_models[0].vendor = 7  # type: ignore[assignment]


def _unknown_allocation_status(state: genesis_pb2.GenesisState) -> None:
    state.allocations[0].status = 9  # type: ignore[assignment]


@pytest.mark.parametrize(
    "mutate", [_unknown_rule, _unknown_vendor, _unknown_allocation_status], ids=lambda f: f.__name__
)
def test_validate_genesis_rejects_unknown_enum_values_with_a_registered_error(
    mutate: Mutation, exported: str
) -> None:
    """Proto3 JSON accepts any enum number; validation raises a bare ValueError today."""
    state = genesis_from_json(exported)
    mutate(state)
    with pytest.raises(SdkError) as raised:
        validate_genesis(state)
    assert raised.value.is_(ErrInvalidGenesis)


@pytest.mark.parametrize("field", ["next_pool_id", "next_payment_id"])
def test_validate_genesis_rejects_zero_next_ids(field: str) -> None:
    """With ``next_pool_id`` 0 (e.g. omitted from hand-written JSON) the first pool gets id 0,
    which every Msg rejects (``pool_id must be positive``): its funds are unreachable."""
    state = default_genesis()
    setattr(state, field, 0)
    with pytest.raises(SdkError) as raised:
        validate_genesis(state)
    assert raised.value.is_(ErrInvalidGenesis)
