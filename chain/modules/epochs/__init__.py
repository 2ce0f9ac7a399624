"""Epochs module: named timers whose boundaries drive other modules' hooks."""

from chain.modules.epochs.hooks import EpochHooks, hook_name
from chain.modules.epochs.keeper import (
    DAY_SECONDS,
    EVENT_TYPE_HOOK_ERROR,
    HOUR_SECONDS,
    MODULE_NAME,
    WEEK_SECONDS,
    EpochsKeeper,
    default_epochs,
)

__all__ = [
    "DAY_SECONDS",
    "EVENT_TYPE_HOOK_ERROR",
    "HOUR_SECONDS",
    "MODULE_NAME",
    "WEEK_SECONDS",
    "EpochHooks",
    "EpochsKeeper",
    "default_epochs",
    "hook_name",
]
