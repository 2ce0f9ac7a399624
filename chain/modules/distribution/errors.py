"""Registered errors of the distribution module, codespace ``distribution``, codes and wording as
in the SDK's ``x/distribution/types/errors.go``."""

from chain.sdk.errors import register

CODESPACE = "distribution"

ErrEmptyDelegatorAddr = register(CODESPACE, 2, "delegator address is empty")
ErrEmptyWithdrawAddr = register(CODESPACE, 3, "withdraw address is empty")
ErrEmptyValidatorAddr = register(CODESPACE, 4, "validator address is empty")
ErrEmptyDelegationDistInfo = register(CODESPACE, 5, "no delegation distribution info")
ErrNoValidatorDistInfo = register(CODESPACE, 6, "no validator distribution info")
ErrNoValidatorCommission = register(CODESPACE, 7, "no validator commission to withdraw")
ErrSetWithdrawAddrDisabled = register(CODESPACE, 8, "set withdraw address disabled")
ErrBadDistribution = register(
    CODESPACE, 9, "community pool does not have sufficient coins to distribute"
)
ErrInvalidProposalAmount = register(CODESPACE, 10, "invalid community pool spend proposal amount")
ErrEmptyProposalRecipient = register(
    CODESPACE, 11, "invalid community pool spend proposal recipient"
)
ErrNoValidatorExists = register(CODESPACE, 12, "validator does not exist")
ErrNoDelegationExists = register(CODESPACE, 13, "delegation does not exist")
ErrInvalidProposalContent = register(CODESPACE, 14, "invalid proposal content")
ErrInvalidSigner = register(
    CODESPACE, 15, "expected authority account as only signer for proposal message"
)
