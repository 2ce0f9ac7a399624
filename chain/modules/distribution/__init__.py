"""Distribution module: the community pool, held by the ``distribution`` module account."""

from chain.modules.distribution.errors import CODESPACE, ErrBadDistribution
from chain.modules.distribution.keeper import (
    INVARIANT_MODULE_ACCOUNT,
    MODULE_NAME,
    DistributionKeeper,
    community_pool_from_pb,
    community_pool_to_pb,
)

__all__ = [
    "CODESPACE",
    "INVARIANT_MODULE_ACCOUNT",
    "MODULE_NAME",
    "DistributionKeeper",
    "ErrBadDistribution",
    "community_pool_from_pb",
    "community_pool_to_pb",
]
