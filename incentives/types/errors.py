"""Registered errors of the incentives module (codespace ``incentives``).

Codes are part of the module's API: clients branch on (codespace, code); never renumber.
"""

from __future__ import annotations

from chain.sdk.errors import register

CODESPACE = "incentives"

ErrInvalidAuthority = register(CODESPACE, 2, "invalid authority")
ErrPoolNotFound = register(CODESPACE, 3, "pool not found")
ErrPoolClosed = register(CODESPACE, 4, "pool is closed")
ErrNodeNotFound = register(CODESPACE, 5, "node not found")
ErrNodeExists = register(CODESPACE, 6, "node already registered")
ErrNotNodeOwner = register(CODESPACE, 7, "signer does not own the node")
ErrAlreadyMember = register(CODESPACE, 8, "node already joined the pool")
ErrNotEligible = register(CODESPACE, 9, "node is not eligible for the pool")
ErrInvalidCommitment = register(CODESPACE, 10, "invalid commitment")
ErrCapacityExceeded = register(CODESPACE, 11, "pool capacity for the gpu model exceeded")
ErrNotAttester = register(CODESPACE, 12, "signer is not an attester of the pool")
ErrEpochNotOpen = register(CODESPACE, 13, "epoch is not open for attestation")
ErrNotMember = register(CODESPACE, 14, "node has not joined the pool")
ErrInvalidReport = register(CODESPACE, 15, "invalid attestation report")
ErrNotPriceFeeder = register(CODESPACE, 16, "signer is not a price feeder")
ErrNoRewards = register(CODESPACE, 17, "no rewards to claim")
ErrInvalidParams = register(CODESPACE, 18, "invalid params")
ErrInvalidPool = register(CODESPACE, 19, "invalid pool")
ErrUnknownGpuModel = register(CODESPACE, 20, "unknown gpu model")
ErrInvalidRedirect = register(CODESPACE, 21, "invalid reward redirect")
ErrInvalidDenom = register(CODESPACE, 22, "invalid denom")
ErrInvalidGenesis = register(CODESPACE, 23, "invalid genesis")
ErrPoolEnded = register(CODESPACE, 24, "pool term has ended")
ErrInvalidNodeId = register(CODESPACE, 25, "invalid node id")
ErrInvalidPrice = register(CODESPACE, 26, "invalid price")
ErrNoPrice = register(CODESPACE, 27, "no fresh price")
