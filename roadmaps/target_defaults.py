"""Starting targets proposed by an app above for a round: workspace's engagement templates.

A round started from a template takes the template's default target and importance where it has
one (services.targets_ensure). Templates belong to consulting firms, above roadmaps: the app that
keeps them registers a provider here from its ``AppConfig.ready``, so roadmaps never imports it.
The values are read when the targets are first stored, not copied when the round is created, so a
template edited before the results are in still counts, and a deleted one no longer does.
"""

from collections.abc import Callable
from typing import Any

#: ``provider(round_=)`` → {dimension key: {"target": …, "importance": …}} (either key optional), or {}.
Provider = Callable[..., Any]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def proposed(*, round_) -> Any:
    """The first non-empty proposal for the round, unchecked (the caller keeps only well-formed values)."""
    for provider in _PROVIDERS:
        raw = provider(round_=round_)
        if raw:
            return raw
    return {}
