"""A randomized, seeded simulation of the incentives module over ``SimApp``, SDK-simulation style.

Everything comes from one ``random.Random(seed)``: the genesis world (accounts, community pool,
params with a price feeder, a ``day`` epoch), then per block a random time gap (sometimes across
epoch ends or a long halt) and ``ops_per_block`` weighted random operations over every incentives
Msg plus the redirect hook. Each operation draws its values from a child RNG seeded by one draw of
the block's RNG, so removing an operation does not shift later ones. About a fifth of the
operations are deliberately invalid: they must fail with a registered ``SdkError``. After every
block all invariants of every module must hold.

Every step is recorded (``LogEntry``) so that a run can be written as JSON lines and replayed
exactly by ``replay``: the first line is the genesis, then block starts, Msgs (proto JSON with
``@type``) and hook calls.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from google.protobuf import json_format
from google.protobuf.message import Message

from chain.sdk.address import encode_address
from chain.sdk.errors import SdkError, registered_errors
from chain.sdk.math import Coins
from chain.simapp import DEFAULT_GENESIS_TIME, SimApp
from incentives.pb import params_pb2, tx_pb2, types_pb2
from incentives.types import codec, keys
from incentives.types.params import DEFAULT_GPU_MODELS, DEFAULT_PARAMS
from incentives.types.state import PoolStatus

DAY = 86_400
DENOM = "uakt"
GOV = keys.GOV_AUTHORITY
HOOK = "RewardsWithdrawnHook"
HOOK_TYPE = "hook/after_rewards_withdrawn"
INVALID_SHARE_PERCENT = 20
MAX_ACTIVE_POOLS = 6
CATALOG = tuple(model.name for model in DEFAULT_GPU_MODELS)
RATED = ("h100", "a100-80gb", "rtx4090")
PRICES = ("0.25", "1", "2.5", "3.141592653589793238")
REGISTERED = frozenset(registered_errors())
MSG_TYPES: dict[str, type[Message]] = {
    f"/{descriptor.full_name}": getattr(tx_pb2, name)
    for name, descriptor in sorted(tx_pb2.DESCRIPTOR.message_types_by_name.items())
    if name.startswith("Msg") and not name.endswith("Response")
}
OP_TYPES = tuple(sorted([*(url.rsplit(".", 1)[1] for url in MSG_TYPES), HOOK]))


def account(index: int) -> bytes:
    return bytes([index + 1]) * 20


def addr(index: int) -> str:
    return encode_address(account(index))


def coins(amount: int, denom: str = DENOM) -> list[Coin]:
    return [Coin(denom=denom, amount=str(amount))]


def _rates() -> list[types_pb2.ModelRate]:
    return [
        types_pb2.ModelRate(gpu_model=RATED[0], usd_micros_per_gpu_hour=2_490_000, max_gpus=83),
        types_pb2.ModelRate(gpu_model=RATED[1], usd_micros_per_gpu_hour=1_690_000, max_gpus=54),
        types_pb2.ModelRate(gpu_model=RATED[2], usd_micros_per_gpu_hour=350_000, max_gpus=16),
    ]


def _eligibility(choice: int) -> types_pb2.Eligibility:
    if choice == 1:
        return types_pb2.Eligibility(vendors=[params_pb2.VENDOR_NVIDIA], min_vram_gb=24)
    if choice == 2:
        return types_pb2.Eligibility(
            vendors=[params_pb2.VENDOR_NVIDIA, params_pb2.VENDOR_AMD], min_launch_year=2024
        )
    if choice == 3:
        return types_pb2.Eligibility(max_nodes_per_provider=2)
    return types_pb2.Eligibility()


@dataclass(frozen=True)
class Genesis:
    """The random initial world: account balances, community pool and module params."""

    balances: tuple[int, ...]
    community_pool: int
    claim_window_epochs: int
    settlement_lag_epochs: int
    max_price_age_seconds: int

    @property
    def accounts(self) -> int:
        return len(self.balances)

    @property
    def feeder(self) -> int:
        return self.accounts - 1

    @property
    def attesters(self) -> tuple[int, int]:
        return (self.accounts - 2, self.accounts - 3)

    @property
    def providers(self) -> tuple[int, ...]:
        return tuple(range(1, self.accounts - 3))

    @classmethod
    def random(cls, rng: random.Random) -> Genesis:
        count = rng.randint(8, 12)
        return cls(
            balances=tuple(rng.randint(10**10, 10**12) for _ in range(count)),
            community_pool=rng.randint(10**11, 10**12),
            claim_window_epochs=rng.randint(1, 5),
            settlement_lag_epochs=rng.randint(0, 2),
            max_price_age_seconds=rng.choice((DAY, 2 * DAY)),
        )

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["balances"] = [str(amount) for amount in self.balances]
        data["community_pool"] = str(self.community_pool)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Genesis:
        return cls(
            balances=tuple(int(amount) for amount in data["balances"]),
            community_pool=int(data["community_pool"]),
            claim_window_epochs=int(data["claim_window_epochs"]),
            settlement_lag_epochs=int(data["settlement_lag_epochs"]),
            max_price_age_seconds=int(data["max_price_age_seconds"]),
        )

    def build(self) -> SimApp:
        """A ``SimApp`` at block 1 with this world in its state."""
        app = SimApp()
        ctx = app.context()
        for index, amount in enumerate(self.balances):
            app.bank.mint_coins(ctx, "distribution", Coins.of(DENOM, amount))
            app.bank.send_coins_from_module_to_account(
                ctx, "distribution", account(index), Coins.of(DENOM, amount)
            )
        funder = bytes(20)
        app.bank.mint_coins(ctx, "distribution", Coins.of(DENOM, self.community_pool))
        app.bank.send_coins_from_module_to_account(
            ctx, "distribution", funder, Coins.of(DENOM, self.community_pool)
        )
        app.distribution.fund_community_pool(ctx, Coins.of(DENOM, self.community_pool), funder)
        app.epochs.add_epoch(ctx, "day", DAY, DEFAULT_GENESIS_TIME)
        params = dataclasses.replace(
            DEFAULT_PARAMS,
            price_feeders=(addr(self.feeder),),
            claim_window_epochs=self.claim_window_epochs,
            settlement_lag_epochs=self.settlement_lag_epochs,
            max_price_age_seconds=self.max_price_age_seconds,
        )
        keys.PARAMS.set(ctx, params)
        app.begin_block(DEFAULT_GENESIS_TIME)
        return app


@dataclass(frozen=True)
class LogEntry:
    """One recorded step: a block start (``time``), a Msg, or a hook call (``hook``)."""

    block: int
    time: int | None = None
    msg: Message | None = None
    hook: tuple[int, int] | None = None  # (delegator index, reward amount)
    expected_ok: bool | None = None  # False for an invalid op, True when it must pass
    ok: bool | None = None

    @property
    def op(self) -> str:
        if self.msg is not None:
            return type(self.msg).__name__
        return HOOK if self.hook is not None else "BeginBlock"

    def to_json(self) -> dict[str, Any]:
        if self.time is not None:
            return {"block": self.block, "op": "BeginBlock", "time": self.time}
        if self.msg is not None:
            body = json_format.MessageToDict(self.msg)
            body = {"@type": f"/{self.msg.DESCRIPTOR.full_name}", **body}
        else:
            assert self.hook is not None
            body = {"@type": HOOK_TYPE, "delegator": self.hook[0], "amount": str(self.hook[1])}
        return {
            "block": self.block,
            "op": self.op,
            "msg": body,
            "expected_ok": self.expected_ok,
            "ok": self.ok,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogEntry:
        block = int(data["block"])
        if data.get("op") == "BeginBlock":
            return cls(block, time=int(data["time"]))
        body = dict(data["msg"])
        type_url = body.pop("@type")
        expected, ok = data.get("expected_ok"), data.get("ok")
        if type_url == HOOK_TYPE:
            hook = (int(body["delegator"]), int(body["amount"]))
            return cls(block, hook=hook, expected_ok=expected, ok=ok)
        if type_url not in MSG_TYPES:
            raise ValueError(f"unknown message type {type_url!r}")
        msg = json_format.ParseDict(body, MSG_TYPES[type_url]())
        return cls(block, msg=msg, expected_ok=expected, ok=ok)


@dataclass
class Report:
    """The outcome of a run: counts per op type, the app hash and any violation."""

    seed: int | None
    blocks: int
    ops: dict[str, dict[str, int]] = field(
        default_factory=lambda: {name: {"ok": 0, "failed": 0} for name in OP_TYPES}
    )
    app_hash: str = ""
    violations: list[str] = field(default_factory=list)
    violation_block: int | None = None
    last_op: LogEntry | None = None

    @property
    def executed(self) -> int:
        return sum(counts["ok"] + counts["failed"] for counts in self.ops.values())

    @property
    def failed(self) -> int:
        return sum(counts["failed"] for counts in self.ops.values())

    def count(self, op: str, ok: bool) -> None:
        self.ops.setdefault(op, {"ok": 0, "failed": 0})["ok" if ok else "failed"] += 1

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seed": self.seed,
            "blocks": self.blocks,
            "ops": {name: dict(self.ops[name]) for name in sorted(self.ops)},
            "executed": self.executed,
            "failed": self.failed,
            "app_hash": self.app_hash,
            "invariant_violations": len(self.violations),
        }
        if self.violations:
            data["violation"] = {
                "block": self.violation_block,
                "messages": list(self.violations),
                "last_op": None if self.last_op is None else self.last_op.to_json(),
            }
        return data


class Runner:
    """Applies log entries to an app, counting outcomes and checking the rules of the run."""

    def __init__(self, genesis: Genesis, report: Report) -> None:
        self.genesis = genesis
        self.app = genesis.build()
        self.report = report
        self.log: list[LogEntry] = []

    def apply(self, entry: LogEntry) -> bool:
        """Run ``entry``; record it and return whether it succeeded. A broken rule of the run
        is added to the report's violations."""
        if entry.time is not None:
            self.app.begin_block(entry.time)
            self.log.append(entry)
            return True
        try:
            ok, problem = self._run(entry)
        except Exception as error:  # a panic: anything but a registered rejection
            ok, problem = False, f"{entry.op} raised {type(error).__name__}: {error}"
        if problem is None and entry.expected_ok is not None and ok != entry.expected_ok:
            problem = f"{'invalid' if entry.expected_ok is False else 'valid'} {entry.op} " + (
                "was accepted" if ok else "was rejected"
            )
        recorded = dataclasses.replace(entry, ok=ok)
        self.log.append(recorded)
        self.report.count(entry.op, ok)
        self.report.last_op = recorded
        if problem is not None:
            self.report.violations.append(problem)
            self.report.violation_block = entry.block
        return ok

    def _run(self, entry: LogEntry) -> tuple[bool, str | None]:
        if entry.hook is not None:
            self._hook(*entry.hook)
            return True, None
        assert entry.msg is not None
        result = self.app.deliver(entry.msg)
        if result.error is None:
            return True, None
        if not isinstance(result.error, SdkError) or result.error.kind not in REGISTERED:
            return False, f"{entry.op} failed with an unregistered error: {result.error}"
        if entry.expected_ok:
            return False, f"valid {entry.op} was rejected: {result.error.log}"
        return False, None

    def _hook(self, delegator: int, amount: int) -> None:
        """What distribution does on a reward withdrawal: pay, then call the redirect hook."""
        app = self.app
        branch = app.context().branch()
        rewards = Coins.of(DENOM, amount)
        app.bank.mint_coins(branch.ctx, "distribution", rewards)
        app.bank.send_coins_from_module_to_account(
            branch.ctx, "distribution", account(delegator), rewards
        )
        app.incentives.after_rewards_withdrawn(
            branch.ctx, account(delegator), addr(delegator), rewards
        )
        branch.write()

    def end_block(self, block: int) -> bool:
        """Check every invariant; False (and a violation) when one is broken."""
        broken = self.app.invariants()
        if broken:
            self.report.violations.extend(broken)
            self.report.violation_block = block
        return not broken

    def finish(self) -> Report:
        self.report.app_hash = self.app.app_hash().hex()
        return self.report


Builder = Callable[[random.Random], LogEntry | None]


class Simulation:
    """Draws the random operations of a run from the current state of its app."""

    def __init__(self, seed: int, ops_per_block: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.ops_per_block = ops_per_block
        self.genesis = Genesis.random(random.Random(self.rng.getrandbits(64)))
        self.pools: list[int] = []
        self.nodes: list[tuple[str, int]] = []  # (node id, owner index)
        self.next_node = 0
        self.block = 0
        self.valid: list[tuple[int, Builder]] = [
            (3, self.create_pool),
            (3, self.fund_from_community_pool),
            (3, self.fund_from_account),
            (5, self.register_node),
            (6, self.join_pool),
            (10, self.attest),
            (4, self.post_price),
            (4, self.claim),
            (2, self.set_redirect),
            (1, self.unset_redirect),
            (1, self.close_pool),
            (1, self.update_params),
            (3, self.hook),
        ]
        self.valid_total = sum(weight for weight, _ in self.valid)

    # Running

    def run(
        self, blocks: int, on_block: Callable[[int], None] | None = None
    ) -> tuple[Report, list[LogEntry]]:
        report = Report(self.seed, blocks)
        self.runner = Runner(self.genesis, report)
        for block in range(1, blocks + 1):
            self.block = block
            block_rng = random.Random(self.rng.getrandbits(64))
            self.runner.apply(LogEntry(block, time=self.next_time(block_rng)))
            stop = False
            for _ in range(self.ops_per_block):
                op_rng = random.Random(block_rng.getrandbits(64))
                entry = self.draw(op_rng)
                if entry is None:
                    continue
                ok = self.runner.apply(entry)
                if report.violations:
                    stop = True
                    break
                self.observe(entry, ok)
            if not stop:
                stop = not self.runner.end_block(block)
            if on_block is not None:
                on_block(block)
            if stop:
                break
        return self.runner.finish(), self.runner.log

    @property
    def app(self) -> SimApp:
        return self.runner.app

    @property
    def epoch(self) -> int:
        return self.app.incentives.keeper.current_epoch(self.app.context())

    def next_time(self, rng: random.Random) -> int:
        """A block time: mostly hours apart, sometimes just past an epoch end or after a halt."""
        now = self.app.header.time
        kind = rng.randrange(10)
        if kind < 6:
            return now + rng.randint(1, DAY // 4)
        if kind < 9:
            boundary = DEFAULT_GENESIS_TIME + self.epoch * DAY
            if rng.random() < 0.5 and boundary - 60 > now:
                return boundary - 60
            return max(now + 1, boundary + rng.randint(0, 600))
        return now + rng.randint(DAY, 3 * DAY)

    def draw(self, rng: random.Random) -> LogEntry | None:
        if rng.randrange(100) < INVALID_SHARE_PERCENT:
            builders = self.invalid_builders()
            name = rng.choice(sorted(builders))
            return LogEntry(self.block, msg=builders[name](), expected_ok=False)
        pick = rng.randrange(self.valid_total)
        for weight, builder in self.valid:
            if pick < weight:
                return builder(rng)
            pick -= weight
        raise AssertionError("unreachable")

    def observe(self, entry: LogEntry, ok: bool) -> None:
        """Track the pools and nodes that successful Msgs created."""
        if not ok or entry.msg is None:
            return
        if isinstance(entry.msg, tx_pb2.MsgCreatePool):
            self.pools.append(int(keys.NEXT_POOL_ID.peek(self.app.context())) - 1)
        elif isinstance(entry.msg, tx_pb2.MsgRegisterNode):
            self.nodes.append((entry.msg.node_id, self._index(entry.msg.owner)))

    def _index(self, address: str) -> int:
        return next(i for i in range(self.genesis.accounts) if addr(i) == address)

    def _msg(self, msg: Message, expected_ok: bool | None = None) -> LogEntry:
        return LogEntry(self.block, msg=msg, expected_ok=expected_ok)

    def _active_pools(self) -> list[int]:
        keeper, ctx = self.app.incentives.keeper, self.app.context()
        return [pool.id for pool in keeper.pools(ctx) if pool.status == PoolStatus.ACTIVE]

    def _pool(self, rng: random.Random) -> Any:
        """A pool, mostly an active one."""
        active = self._active_pools()
        pool_id = rng.choice(active if active and rng.random() < 0.85 else self.pools)
        return self.app.incentives.keeper.get_pool(self.app.context(), pool_id)

    # Valid operations (possibly refused by state)

    def create_pool(self, rng: random.Random) -> LogEntry | None:
        if len(self._active_pools()) >= MAX_ACTIVE_POOLS:
            return None
        rule_name = rng.choice(("fixed", "pro_rata", "availability"))
        start = self.epoch + rng.randint(0, 2)
        attesters = [addr(index) for index in self.genesis.attesters[: rng.randint(1, 2)]]
        msg = tx_pb2.MsgCreatePool(
            authority=GOV,
            name=f"{rule_name} {len(self.pools) + 1}",
            admin=addr(0),
            attesters=attesters,
            attestation_quorum=rng.randint(1, len(attesters)),
            start_epoch=start,
            end_epoch=start + rng.randint(0, 8),
        )
        if rule_name == "fixed":
            msg.rule = types_pb2.ALLOCATION_RULE_FIXED_RATE
            msg.fixed_rate.CopyFrom(
                types_pb2.FixedRateConfig(rates=_rates(), min_commitment_epochs=rng.randint(1, 4))
            )
        else:
            msg.eligibility.CopyFrom(_eligibility(rng.randrange(4)))
            emission = str(rng.randint(1, 10**8))
            if rule_name == "pro_rata":
                msg.rule = types_pb2.ALLOCATION_RULE_PRO_RATA
                msg.pro_rata.emission_per_epoch = emission
            else:
                msg.rule = types_pb2.ALLOCATION_RULE_AVAILABILITY
                msg.availability.CopyFrom(
                    types_pb2.AvailabilityConfig(
                        emission_per_epoch=emission,
                        weight_benchmark=3,
                        weight_vram=3,
                        weight_age=1,
                        penalty_free_nodes=3,
                        penalty_decay="0.65",
                        penalty_mode=rng.choice((1, 2)),  # type: ignore[arg-type]
                    )
                )
        return self._msg(msg, True)

    def _active(self, pool: Any) -> bool:
        return bool(pool.status == PoolStatus.ACTIVE)

    def fund_from_community_pool(self, rng: random.Random) -> LogEntry | None:
        if not self.pools:
            return None
        pool = self._pool(rng)
        msg = tx_pb2.MsgFundPoolFromCommunityPool(
            authority=GOV, pool_id=pool.id, amount=coins(rng.randint(1, 10**9))
        )
        return self._msg(msg, True if self._active(pool) else None)

    def fund_from_account(self, rng: random.Random) -> LogEntry | None:
        if not self.pools:
            return None
        pool = self._pool(rng)
        funder = rng.randrange(self.genesis.accounts)
        msg = tx_pb2.MsgFundPool(
            depositor=addr(funder), pool_id=pool.id, amount=coins(rng.randint(1, 10**8))
        )
        return self._msg(msg)

    def register_node(self, rng: random.Random) -> LogEntry:
        node_id = f"node-{self.next_node}"
        self.next_node += 1
        msg = tx_pb2.MsgRegisterNode(
            owner=addr(rng.choice(self.genesis.providers)),
            node_id=node_id,
            gpu_model=rng.choice(CATALOG),
            gpu_count=rng.randint(1, 16),
            benchmark_score=rng.randint(0, 6000),
        )
        return self._msg(msg, True)

    def join_pool(self, rng: random.Random) -> LogEntry | None:
        if not self.pools or not self.nodes:
            return None
        node_id, owner = rng.choice(self.nodes)
        pool = self._pool(rng)
        msg = tx_pb2.MsgJoinPool(owner=addr(owner), pool_id=pool.id, node_id=node_id)
        if pool.fixed_rate is not None:
            start = max(self.epoch, pool.start_epoch)
            extra = rng.randint(0, 3)
            msg.commitment.until_epoch = start + pool.fixed_rate.min_commitment_epochs - 1 + extra
        return self._msg(msg)

    def attest(self, rng: random.Random) -> LogEntry | None:
        if not self.pools:
            return None
        pool = self._pool(rng)
        epoch = max(self.epoch - rng.choice((0, 0, 0, 1)), 1)
        ctx = self.app.context()
        members = sorted(
            item.node_id
            for item in keys.MEMBERSHIPS.values(ctx, prefix=(pool.id,))
            if item.joined_epoch <= epoch
        )
        if not members:
            return None
        chosen = rng.sample(members, rng.randint(1, len(members)))
        reports = []
        for node_id in sorted(chosen):
            online = rng.choice((0, DAY // 2, DAY, rng.randint(0, DAY)))
            reports.append(
                types_pb2.NodeReport(
                    node_id=node_id,
                    online_seconds=online,
                    idle_seconds=rng.randint(0, online),
                    benchmark_score=rng.choice((0, 0, 850, 4200)),
                )
            )
        msg = tx_pb2.MsgSubmitAttestation(
            attester=rng.choice(list(pool.attesters)), pool_id=pool.id, epoch=epoch, reports=reports
        )
        return self._msg(msg)

    def post_price(self, rng: random.Random) -> LogEntry:
        msg = tx_pb2.MsgPostPrice(feeder=addr(self.genesis.feeder), akt_usd=rng.choice(PRICES))
        return self._msg(msg, True)

    def claim(self, rng: random.Random) -> LogEntry:
        ctx = self.app.context()
        owed_by = sorted({item.provider for item in keys.ACCRUALS.values(ctx)})
        if owed_by and rng.random() < 0.7:
            provider = self._index(rng.choice(owed_by))
        else:
            provider = rng.choice(self.genesis.providers)
        pool_id = rng.choice(self.pools) if self.pools and rng.random() < 0.3 else 0
        prefix = (addr(provider), pool_id) if pool_id else (addr(provider),)
        owed = any(True for _ in keys.ACCRUALS.values(ctx, prefix=prefix))
        msg = tx_pb2.MsgClaimRewards(provider=addr(provider), pool_id=pool_id)
        return self._msg(msg, True if owed else None)

    def _delegator(self, rng: random.Random) -> int:
        return rng.randrange(self.genesis.accounts - 3)

    def set_redirect(self, rng: random.Random) -> LogEntry | None:
        if not self.pools:
            return None
        pool = self._pool(rng)
        msg = tx_pb2.MsgSetRewardRedirect(
            delegator=addr(self._delegator(rng)), pool_id=pool.id, bps=rng.randint(1, 10_000)
        )
        return self._msg(msg)

    def unset_redirect(self, rng: random.Random) -> LogEntry | None:
        ctx = self.app.context()
        delegator = self._delegator(rng)
        existing = [item.pool_id for item in keys.REDIRECTS.values(ctx, prefix=(addr(delegator),))]
        if not existing:
            return None
        msg = tx_pb2.MsgSetRewardRedirect(
            delegator=addr(delegator), pool_id=rng.choice(existing), bps=0
        )
        return self._msg(msg, True)

    def close_pool(self, rng: random.Random) -> LogEntry | None:
        active = self._active_pools()
        if len(active) < 2:
            return None
        return self._msg(tx_pb2.MsgClosePool(authority=GOV, pool_id=rng.choice(active)), True)

    def update_params(self, rng: random.Random) -> LogEntry:
        params = dataclasses.replace(
            self.app.incentives.keeper.get_params(self.app.context()),
            claim_window_epochs=rng.randint(1, 5),
            settlement_lag_epochs=rng.randint(0, 2),
            max_price_age_seconds=rng.choice((3600, DAY, 2 * DAY)),
        )
        msg = tx_pb2.MsgUpdateParams(authority=GOV, params=codec.params_to_pb(params))
        return self._msg(msg, True)

    def hook(self, rng: random.Random) -> LogEntry:
        delegator = self._delegator(rng)
        return LogEntry(self.block, hook=(delegator, rng.randint(0, 10**7)), expected_ok=True)

    # Invalid operations (must be rejected)

    def invalid_builders(self) -> dict[str, Callable[[], Message]]:
        ctx = self.app.context()
        epoch = self.epoch
        feeder = addr(self.genesis.feeder)
        attester = addr(self.genesis.attesters[0])
        unknown_pool = int(keys.NEXT_POOL_ID.peek(ctx)) + 7
        pool_id = self.pools[-1] if self.pools else unknown_pool
        node_id = self.nodes[-1][0] if self.nodes else "node-x"
        owner = self.nodes[-1][1] if self.nodes else 1

        def pro_rata_pool(**overrides: Any) -> Message:
            fields: dict[str, Any] = {
                "authority": GOV,
                "name": "x",
                "admin": addr(0),
                "attesters": [attester],
                "attestation_quorum": 1,
                "rule": types_pb2.ALLOCATION_RULE_PRO_RATA,
                "pro_rata": types_pb2.ProRataConfig(emission_per_epoch="1"),
                "start_epoch": epoch,
                "end_epoch": epoch,
            }
            fields.update(overrides)
            return tx_pb2.MsgCreatePool(**fields)

        def report(**values: Any) -> list[types_pb2.NodeReport]:
            return [types_pb2.NodeReport(node_id=node_id, **values)]

        def join_commitment_zero() -> Message:
            msg = tx_pb2.MsgJoinPool(owner=addr(owner), pool_id=pool_id, node_id=node_id)
            msg.commitment.until_epoch = 0
            return msg

        bad_params = codec.params_to_pb(dataclasses.replace(DEFAULT_PARAMS, claim_window_epochs=0))
        builders: dict[str, Callable[[], Message]] = {
            "create-pool-not-gov": lambda: pro_rata_pool(authority=addr(0)),
            "create-pool-no-config": lambda: pro_rata_pool(
                rule=types_pb2.ALLOCATION_RULE_AVAILABILITY, pro_rata=None
            ),
            "create-pool-quorum-above-attesters": lambda: pro_rata_pool(attestation_quorum=2),
            "create-pool-in-the-past": lambda: pro_rata_pool(
                start_epoch=max(epoch - 1, 0), end_epoch=epoch + 3
            ),
            "fund-cp-unknown-pool": lambda: tx_pb2.MsgFundPoolFromCommunityPool(
                authority=GOV, pool_id=unknown_pool, amount=coins(1)
            ),
            "fund-cp-not-gov": lambda: tx_pb2.MsgFundPoolFromCommunityPool(
                authority=addr(1), pool_id=pool_id, amount=coins(1)
            ),
            "fund-cp-beyond-community-pool": lambda: tx_pb2.MsgFundPoolFromCommunityPool(
                authority=GOV, pool_id=pool_id, amount=coins(10**18)
            ),
            "fund-wrong-denom": lambda: tx_pb2.MsgFundPool(
                depositor=addr(1), pool_id=pool_id, amount=coins(5, "uatom")
            ),
            "fund-zero": lambda: tx_pb2.MsgFundPool(
                depositor=addr(1), pool_id=pool_id, amount=coins(0)
            ),
            "fund-beyond-balance": lambda: tx_pb2.MsgFundPool(
                depositor=addr(2), pool_id=pool_id, amount=coins(10**18)
            ),
            "fund-unknown-pool": lambda: tx_pb2.MsgFundPool(
                depositor=addr(1), pool_id=unknown_pool, amount=coins(1)
            ),
            "register-unknown-model": lambda: tx_pb2.MsgRegisterNode(
                owner=addr(1), node_id="fresh-node", gpu_model="voodoo2", gpu_count=1
            ),
            "register-zero-gpus": lambda: tx_pb2.MsgRegisterNode(
                owner=addr(1), node_id="fresh-node", gpu_model="h100", gpu_count=0
            ),
            "register-bad-id": lambda: tx_pb2.MsgRegisterNode(
                owner=addr(1), node_id="bad id!", gpu_model="h100", gpu_count=1
            ),
            "join-not-owner": lambda: tx_pb2.MsgJoinPool(
                owner=feeder, pool_id=pool_id, node_id=node_id
            ),
            "join-unknown-pool": lambda: tx_pb2.MsgJoinPool(
                owner=addr(owner), pool_id=unknown_pool, node_id=node_id
            ),
            "join-commitment-zero": join_commitment_zero,
            "attest-not-attester": lambda: tx_pb2.MsgSubmitAttestation(
                attester=feeder, pool_id=pool_id, epoch=epoch, reports=report(online_seconds=1)
            ),
            "attest-future-epoch": lambda: tx_pb2.MsgSubmitAttestation(
                attester=attester, pool_id=pool_id, epoch=epoch + 1, reports=report()
            ),
            "attest-idle-above-online": lambda: tx_pb2.MsgSubmitAttestation(
                attester=attester,
                pool_id=pool_id,
                epoch=epoch,
                reports=report(online_seconds=5, idle_seconds=6),
            ),
            "attest-longer-than-epoch": lambda: tx_pb2.MsgSubmitAttestation(
                attester=attester,
                pool_id=pool_id,
                epoch=epoch,
                reports=report(online_seconds=DAY + 1),
            ),
            "attest-no-reports": lambda: tx_pb2.MsgSubmitAttestation(
                attester=attester, pool_id=pool_id, epoch=epoch
            ),
            "price-not-feeder": lambda: tx_pb2.MsgPostPrice(feeder=addr(1), akt_usd="2.5"),
            "price-zero": lambda: tx_pb2.MsgPostPrice(feeder=feeder, akt_usd="0"),
            "price-not-decimal": lambda: tx_pb2.MsgPostPrice(feeder=feeder, akt_usd="2,5"),
            "claim-nothing": lambda: tx_pb2.MsgClaimRewards(provider=feeder),
            "claim-unknown-pool": lambda: tx_pb2.MsgClaimRewards(
                provider=addr(1), pool_id=unknown_pool
            ),
            "redirect-too-many-bps": lambda: tx_pb2.MsgSetRewardRedirect(
                delegator=addr(1), pool_id=pool_id, bps=10_001
            ),
            "redirect-unknown-pool": lambda: tx_pb2.MsgSetRewardRedirect(
                delegator=addr(1), pool_id=unknown_pool, bps=10
            ),
            "unset-missing-redirect": lambda: tx_pb2.MsgSetRewardRedirect(
                delegator=feeder, pool_id=pool_id, bps=0
            ),
            "close-not-gov": lambda: tx_pb2.MsgClosePool(authority=addr(0), pool_id=pool_id),
            "close-unknown-pool": lambda: tx_pb2.MsgClosePool(authority=GOV, pool_id=unknown_pool),
            "close-pool-zero": lambda: tx_pb2.MsgClosePool(authority=GOV, pool_id=0),
            "update-params-not-gov": lambda: tx_pb2.MsgUpdateParams(authority=addr(0)),
            "update-params-invalid": lambda: tx_pb2.MsgUpdateParams(
                authority=GOV, params=bad_params
            ),
        }
        if self.nodes:
            builders["register-taken-id"] = lambda: tx_pb2.MsgRegisterNode(
                owner=addr(2), node_id=node_id, gpu_model="h100", gpu_count=1
            )
        closed = [
            pool.id
            for pool in self.app.incentives.keeper.pools(ctx)
            if pool.status == PoolStatus.CLOSED
        ]
        if closed:
            closed_id = closed[0]
            builders["fund-closed-pool"] = lambda: tx_pb2.MsgFundPool(
                depositor=addr(1), pool_id=closed_id, amount=coins(1)
            )
            builders["close-closed-pool"] = lambda: tx_pb2.MsgClosePool(
                authority=GOV, pool_id=closed_id
            )
            builders["redirect-to-closed-pool"] = lambda: tx_pb2.MsgSetRewardRedirect(
                delegator=addr(1), pool_id=closed_id, bps=1
            )
        return builders


def simulate(
    seed: int, blocks: int, ops_per_block: int, on_block: Callable[[int], None] | None = None
) -> tuple[Report, Genesis, list[LogEntry]]:
    """Run the seeded simulation; returns its report, genesis and op log."""
    simulation = Simulation(seed, ops_per_block)
    report, log = simulation.run(blocks, on_block)
    return report, simulation.genesis, log


def log_lines(seed: int | None, genesis: Genesis, log: Iterable[LogEntry]) -> Iterator[str]:
    """The op log as JSON lines: the genesis first, then every entry."""
    yield json.dumps({"seed": seed, "genesis": genesis.to_json()}, sort_keys=True)
    for entry in log:
        yield json.dumps(entry.to_json(), sort_keys=True)


def replay(lines: Iterable[str]) -> Report:
    """Re-run a written op log exactly: same genesis, block times, Msgs and hook calls.

    Rejections are not re-judged from ``expected_ok`` alone: the recorded outcome (``ok``) must
    repeat, or it is a violation. Invariants are checked at every block end."""
    iterator = iter(line for line in lines if line.strip())
    header = json.loads(next(iterator))
    genesis = Genesis.from_json(header["genesis"])
    report = Report(header.get("seed"), 0)
    runner = Runner(genesis, report)
    block = 0
    for line in iterator:
        entry = LogEntry.from_json(json.loads(line))
        if entry.time is not None:
            if block and not runner.end_block(block):
                break
            block = entry.block
            report.blocks = block
            runner.apply(entry)
            continue
        recorded = entry.ok
        ok = runner.apply(dataclasses.replace(entry, ok=None))
        if report.violations:
            break
        if recorded is not None and ok != recorded:
            report.violations.append(f"{entry.op} in block {entry.block}: outcome differs")
            report.violation_block = entry.block
            break
    else:
        if block:
            runner.end_block(block)
    return runner.finish()
