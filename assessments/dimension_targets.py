"""The target level of each dimension, read from the app that keeps targets.

The results summary shows each dimension's gap to its target, but targets are set with the roadmap,
in roadmaps, above assessments. Roadmaps registers its reader here from its ``AppConfig.ready``, so
assessments never imports it; with no reader registered the summary shows no target.
"""

from collections.abc import Callable, Sequence
from typing import Any

from .domain.snapshot import DimensionResult

#: ``reader(round_=, dimension_scores=)`` → {dimension key: an object with ``target`` and ``importance``}.
Reader = Callable[..., dict[str, Any]]

_READERS: list[Reader] = []


def register(reader: Reader) -> None:
    if reader not in _READERS:
        _READERS.append(reader)


def for_round(*, round_, dimension_scores: Sequence[DimensionResult]) -> dict[str, Any]:
    """The round's targets by dimension key; reads only (a target never stored shows its default)."""
    for reader in _READERS:
        targets = reader(round_=round_, dimension_scores=dimension_scores)
        if targets:
            return targets
    return {}
