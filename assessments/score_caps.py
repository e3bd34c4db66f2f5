"""Caps on question scores from an app above assessments: "cap by evidence" (issue #18).

A round with ``cap_by_evidence`` on scores each question at most at the level the KPI register
supports. The register and the evidence rules are measurement's, above assessments, so measurement
registers a provider here from its ``AppConfig.ready`` and :func:`caps_for` asks it when the results
are computed (assessments/results.py); assessments never imports measurement. With the option off,
or nothing registered, there is no cap and no score changes.
"""

from collections.abc import Callable, Mapping
from typing import Any

#: ``provider(round_)`` → {question key: highest level the question may score (1–5)}.
Provider = Callable[[Any], Mapping[str, int]]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def caps_for(round_) -> dict[str, int]:
    """The caps of the round's questions: none unless the round caps by evidence; the lowest cap when several providers give one."""
    if not getattr(round_, "cap_by_evidence", False):
        return {}
    caps: dict[str, int] = {}
    for provider in _PROVIDERS:
        for key, level in provider(round_).items():
            caps[key] = min(level, caps.get(key, level))
    return caps
