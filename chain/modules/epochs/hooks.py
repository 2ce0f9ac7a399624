"""What other modules implement to run at epoch boundaries.

A hook may fail only with a registered error (``SdkError``): the epochs keeper then drops that
hook's branch, records an ``epoch_hook_error`` event and carries on with the other hooks, so one
failing module can neither halt the chain nor undo another module's work. Any other exception is a
bug and propagates.
"""

from __future__ import annotations

from typing import Protocol

from chain.sdk.context import Context


class EpochHooks(Protocol):
    """Called by ``EpochsKeeper.begin_block``, each call in its own store branch."""

    def after_epoch_end(self, ctx: Context, epoch_identifier: str, epoch_number: int) -> None:
        """Epoch ``epoch_number`` of ``epoch_identifier`` has just ended."""
        ...

    def before_epoch_start(self, ctx: Context, epoch_identifier: str, epoch_number: int) -> None:
        """Epoch ``epoch_number`` of ``epoch_identifier`` is starting (1 on the first start)."""
        ...


def hook_name(hook: EpochHooks) -> str:
    """The name a hook reports in ``epoch_hook_error`` events: its ``module_name`` attribute if
    it has a string one, else its class name."""
    name = getattr(hook, "module_name", None)
    return name if isinstance(name, str) else type(hook).__name__
