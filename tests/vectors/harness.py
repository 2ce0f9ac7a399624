"""The golden-vector format: how a vector's JSON becomes an app, and how each step runs.

Both sides use these functions: the generator records what a ``World`` does through a
``RecordingWorld``, and the replay rebuilds the app from the vector's ``setup`` and ``genesis``
and runs its ``steps`` alone. See ``README.md`` in this directory for the format.
"""

from __future__ import annotations

import json
from typing import Any

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from google.protobuf import json_format
from google.protobuf.message import Message

from chain.sdk.address import decode_address
from chain.sdk.errors import RegisteredError
from chain.sdk.events import Event
from chain.sdk.math import Coin, Coins, Int
from chain.simapp import DEFAULT_CHAIN_ID, DEFAULT_GENESIS_TIME, DeliverResult, SimApp
from incentives.pb import tx_pb2
from incentives.types.genesis import default_genesis, genesis_from_json, genesis_to_dict
from tests.incentives import world as world_module
from tests.incentives.world import World

FORMAT = 1
HOOK_AFTER_REWARDS_WITHDRAWN = "after_rewards_withdrawn"
JsonDict = dict[str, Any]

MSG_TYPES: dict[str, type[Message]] = {
    f"/{descriptor.full_name}": getattr(tx_pb2, name)
    for name, descriptor in tx_pb2.DESCRIPTOR.message_types_by_name.items()
}


def dumps(value: object) -> str:
    """The canonical text of a vector: sorted keys, two-space indent, trailing newline."""
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def message_to_json(message: Message) -> JsonDict:
    """Proto JSON with proto field names and ``@type``, as Cosmos tools print an ``Any``."""
    body = json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return {"@type": f"/{message.DESCRIPTOR.full_name}", **body}


def msg_from_json(value: JsonDict) -> Message:
    """The Msg of a vector step, by its ``@type``."""
    body = dict(value)
    type_url = body.pop("@type")
    message = MSG_TYPES[type_url]()
    json_format.ParseDict(body, message)
    return message


def events_to_json(events: list[Event]) -> list[JsonDict]:
    return [event.to_json() for event in events]


def coins_to_json(coins: Coins) -> list[JsonDict]:
    return [{"amount": str(coin.amount), "denom": coin.denom} for coin in coins]


def coins_from_json(value: list[JsonDict]) -> Coins:
    return Coins.validate(Coin(item["denom"], Int.from_str(item["amount"])) for item in value)


def default_setup() -> JsonDict:
    """The non-incentives state every vector starts from: the ``World``'s accounts, community
    pool and daily epoch."""
    return {
        "accounts": [
            {"address": world_module.addr(index), "balance": str(world_module.ACCOUNT_BALANCE)}
            for index in range(10)
        ],
        "chain_id": DEFAULT_CHAIN_ID,
        "community_pool": str(world_module.COMMUNITY_POOL),
        "denom": world_module.DENOM,
        "epochs": [
            {
                "duration_seconds": world_module.DAY,
                "identifier": "day",
                "start_time": DEFAULT_GENESIS_TIME,
            }
        ],
        "genesis_time": DEFAULT_GENESIS_TIME,
    }


def default_module_genesis() -> JsonDict:
    """The ``World``'s incentives genesis: default params with its price feeder."""
    state = default_genesis()
    state.params.price_feeders.append(world_module.addr(world_module.FEEDER))
    return genesis_to_dict(state)


def build_app(setup: JsonDict, genesis: JsonDict) -> SimApp:
    """An app before its first block: funded accounts and community pool, the epoch timers
    (not started) and the incentives genesis."""
    app = SimApp(chain_id=setup["chain_id"], genesis_time=setup["genesis_time"])
    ctx = app.context()
    denom = setup["denom"]
    for item in setup["accounts"]:
        amount = Coins.of(denom, int(item["balance"]))
        app.bank.mint_coins(ctx, "distribution", amount)
        app.bank.send_coins_from_module_to_account(
            ctx, "distribution", decode_address(item["address"]), amount
        )
    # The community pool is funded the way anyone funds it, from an account.
    funder = bytes(20)
    pool = Coins.of(denom, int(setup["community_pool"]))
    app.bank.mint_coins(ctx, "distribution", pool)
    app.bank.send_coins_from_module_to_account(ctx, "distribution", funder, pool)
    app.distribution.fund_community_pool(ctx, pool, funder)
    for epoch in setup["epochs"]:
        app.epochs.add_epoch(
            ctx, epoch["identifier"], epoch["duration_seconds"], epoch["start_time"]
        )
    app.incentives.init_genesis_state(ctx, genesis_from_json(genesis))
    return app


def block_step(app: SimApp, events: list[Event]) -> JsonDict:
    return {
        "begin_block_events": events_to_json(events),
        "height": app.header.height,
        "msgs": [],
        "time": app.header.time,
    }


def msg_entry(msg: Message, result: DeliverResult) -> JsonDict:
    error = result.error
    return {
        "code": 0 if error is None else error.code,
        "codespace": "" if error is None else error.codespace,
        "events": events_to_json(result.events),
        "gas_used": result.gas_used,
        "log": "" if error is None else error.log,
        "msg": message_to_json(msg),
        "response": None if result.response is None else message_to_json(result.response),
    }


def withdraw_rewards(app: SimApp, delegator: str, rewards: Coins) -> JsonDict:
    """What the distribution module does when a delegator withdraws staking rewards: pay them
    (minted here, as no staking exists in the ``SimApp``), then call the incentives hook, all in
    one branch written on success. Returns the step entry."""
    ctx = app.context()
    branch = ctx.branch()
    account = decode_address(delegator)
    app.bank.mint_coins(branch.ctx, "distribution", rewards)
    app.bank.send_coins_from_module_to_account(branch.ctx, "distribution", account, rewards)
    moved = app.incentives.after_rewards_withdrawn(branch.ctx, account, delegator, rewards)
    branch.write()
    return {
        "events": events_to_json(ctx.events),
        "hook": {
            "delegator": delegator,
            "name": HOOK_AFTER_REWARDS_WITHDRAWN,
            "rewards": coins_to_json(rewards),
        },
        "redirected": str(moved),
    }


def final_state(app: SimApp) -> JsonDict:
    return {
        "app_hash": app.app_hash().hex(),
        "genesis": genesis_to_dict(app.incentives.export_genesis_state(app.context())),
    }


class RecordingWorld(World):
    """A ``World`` built from a vector's setup and genesis that records every block, Msg and
    hook call as vector steps (and checks every invariant after each)."""

    def __init__(self) -> None:  # the World's own setup is replaced by the vector's
        self.setup = default_setup()
        self.genesis = default_module_genesis()
        self.app = build_app(self.setup, self.genesis)
        self.genesis_time = self.setup["genesis_time"]
        self.steps: list[JsonDict] = []
        self._begin_block = self.app.begin_block
        self._deliver = self.app.deliver
        self.app.begin_block = self._record_block  # type: ignore[method-assign]
        self.app.deliver = self._record_deliver  # type: ignore[method-assign]
        self.app.begin_block(self.genesis_time)

    def _record_block(self, time: int | None = None) -> list[Event]:
        events = self._begin_block(time)
        self.steps.append(block_step(self.app, events))
        self._check()
        return events

    def _record_deliver(self, msg: Message, gas_limit: int | None = None) -> DeliverResult:
        result = self._deliver(msg, gas_limit)
        self.steps[-1]["msgs"].append(msg_entry(msg, result))
        self._check()
        return result

    def _check(self) -> None:
        broken = self.app.invariants()
        assert broken == [], broken

    def fails(self, msg: Message, kind: RegisteredError) -> DeliverResult:
        """Deliver a Msg that must be rejected with ``kind``."""
        result = self.deliver(msg)
        assert result.error is not None, f"{type(msg).__name__} was accepted"
        assert result.error.is_(kind), result.error.log
        return result

    def withdraw_rewards(self, delegator: int, amount: int) -> JsonDict:
        entry = withdraw_rewards(
            self.app, world_module.addr(delegator), Coins.of(world_module.DENOM, amount)
        )
        self.steps[-1]["msgs"].append(entry)
        self._check()
        return entry

    def block(self, time: int) -> None:
        self.app.begin_block(time)

    def before_epoch_end(self, seconds: int = 600) -> None:
        """Start a block ``seconds`` before the running epoch ends."""
        self.block(self.genesis_time + self.epoch * world_module.DAY - seconds)

    def vector(self, name: str, description: str) -> JsonDict:
        return {
            "description": description,
            "final": final_state(self.app),
            "format": FORMAT,
            "genesis": self.genesis,
            "name": name,
            "setup": self.setup,
            "steps": self.steps,
        }


def replay(vector: JsonDict) -> JsonDict:
    """Run a vector from its JSON alone; returns the vector as this code computes it (equal to
    the input when the state machine behaves as recorded)."""
    app = build_app(vector["setup"], vector["genesis"])
    steps = []
    for step in vector["steps"]:
        events = app.begin_block(step["time"])
        replayed = block_step(app, events)
        for entry in step["msgs"]:
            if "hook" in entry:
                hook = entry["hook"]
                assert hook["name"] == HOOK_AFTER_REWARDS_WITHDRAWN, hook["name"]
                replayed["msgs"].append(
                    withdraw_rewards(app, hook["delegator"], coins_from_json(hook["rewards"]))
                )
            else:
                msg = msg_from_json(entry["msg"])
                replayed["msgs"].append(msg_entry(msg, app.deliver(msg)))
        steps.append(replayed)
    return {**vector, "final": final_state(app), "steps": steps}


def coin_pb(denom: str, amount: int) -> CoinPb:
    return CoinPb(denom=denom, amount=str(amount))
