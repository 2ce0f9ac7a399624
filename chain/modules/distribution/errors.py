"""Registered errors of the distribution module, codespace ``distribution``, codes as in the SDK's
``x/distribution/types/errors.go``."""

from chain.sdk.errors import register

CODESPACE = "distribution"

ErrBadDistribution = register(
    CODESPACE, 9, "community pool does not have sufficient coins to distribute"
)
