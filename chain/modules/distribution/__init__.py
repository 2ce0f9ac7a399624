"""Distribution module: fee and inflation allocation, delegator rewards (F1), validator
commission, withdraw addresses and the community pool held by the ``distribution`` account."""

from chain.modules.distribution.errors import (
    CODESPACE,
    ErrBadDistribution,
    ErrEmptyDelegationDistInfo,
    ErrInvalidSigner,
    ErrNoDelegationExists,
    ErrNoValidatorCommission,
    ErrNoValidatorDistInfo,
    ErrNoValidatorExists,
    ErrSetWithdrawAddrDisabled,
)
from chain.modules.distribution.keeper import (
    FEE_COLLECTOR,
    INVARIANT_CAN_WITHDRAW,
    INVARIANT_MODULE_ACCOUNT,
    INVARIANT_NONNEGATIVE_OUTSTANDING,
    INVARIANT_REFERENCE_COUNT,
    MODULE_NAME,
    DistributionKeeper,
    WithdrawHook,
    community_pool_from_pb,
    community_pool_to_pb,
    default_params,
)
from chain.modules.distribution.module import GOV_AUTHORITY, DistributionModule

__all__ = [
    "CODESPACE",
    "FEE_COLLECTOR",
    "GOV_AUTHORITY",
    "INVARIANT_CAN_WITHDRAW",
    "INVARIANT_MODULE_ACCOUNT",
    "INVARIANT_NONNEGATIVE_OUTSTANDING",
    "INVARIANT_REFERENCE_COUNT",
    "MODULE_NAME",
    "DistributionKeeper",
    "DistributionModule",
    "ErrBadDistribution",
    "ErrEmptyDelegationDistInfo",
    "ErrInvalidSigner",
    "ErrNoDelegationExists",
    "ErrNoValidatorCommission",
    "ErrNoValidatorDistInfo",
    "ErrNoValidatorExists",
    "ErrSetWithdrawAddrDisabled",
    "WithdrawHook",
    "community_pool_from_pb",
    "community_pool_to_pb",
    "default_params",
]
